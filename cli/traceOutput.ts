/**
 * Counterexample trace files: their names, and writing one for a violation (ITF, checker/traceFile).
 * A trace that cannot be written never costs the result: the caller prints the result first and
 * then the one-line warning `writeViolationTrace` returns.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeTraceFile, type Trace, type Violation } from '../checker/index.js';
import type { RslSystem, SystemStep } from '../spec/index.js';
import type { ModelConfig } from './config.js';
import type { RslModel } from './rslModel.js';

type V = Violation<RslSystem, SystemStep>;

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** `<property>-<config>-<fingerprint>.trace.json`, for a trace found by `check`. */
export function checkTraceFileName(cfg: ModelConfig, v: V): string {
  const fp = v.trace?.fingerprints.at(-1) ?? '0';
  return `${v.property}-${safeName(cfg.name)}-${fp.slice(0, 8)}.trace.json`;
}

/** `<property>-<config>[-<mutant>]-seed<seed>.trace.json`, for a trace found by `simulate`. */
export function simulationTraceFileName(cfg: ModelConfig, mutant: string | undefined, seed: number, v: V): string {
  return `${v.property}-${safeName(`${cfg.name}${mutant === undefined ? '' : `-${mutant}`}`)}-seed${seed}.trace.json`;
}

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. Not `mkdirSync(dir, { recursive:
 * true })`: on some file systems (a path below /proc) that loops for ever instead of failing.
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); isDirectory(d) !== true; d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) mkdirSync(d);
}

/** Where a trace went: its path, or the one-line warning that says why it could not be written. */
export type TraceWrite = { readonly path: string } | { readonly warning: string };

/** Writes `trace`, the trace of `v`, into `dir` (created if missing). Never throws for I/O. */
export function writeViolationTrace(dir: string, fileName: string, model: RslModel, v: V, trace: Trace<RslSystem, SystemStep>): TraceWrite {
  const path = join(dir, fileName);
  try {
    makeFolder(dir);
    writeTraceFile(path, model, trace, { property: v.property, kind: v.kind, explanation: v.explanation });
    return { path };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { warning: `cannot write the trace to ${path} (${code ?? (e as Error).message})` };
  }
}

/** The lines that tell the user where a trace is and how to look at it. */
export function traceWrittenLines(path: string): string {
  return `Trace written to ${path}\nShow it: npx rsl trace show ${path}\nReplay it: npx rsl trace replay ${path}\n`;
}

/** Every trace written, and a warning for each that could not be. */
export interface TracesWritten {
  readonly paths: readonly string[];
  readonly warnings: readonly string[];
}

/** Writes the trace of every violation that has one, named by `nameOf`, into `dir`. */
export function writeViolationTraces(dir: string, model: RslModel, violations: readonly V[], nameOf: (v: V) => string): TracesWritten {
  const paths: string[] = [];
  const warnings: string[] = [];
  for (const v of violations) {
    if (v.trace === undefined) continue;
    const w = writeViolationTrace(dir, nameOf(v), model, v, v.trace);
    if ('path' in w) paths.push(w.path);
    else warnings.push(w.warning);
  }
  return { paths, warnings };
}
