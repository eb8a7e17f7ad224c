/** Counterexample trace files: their names, and writing one for a violation (ITF, checker/traceFile). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

/** Writes `trace`, the trace of `v`, into `dir` (created if missing); returns the path. */
export function writeViolationTrace(dir: string, fileName: string, model: RslModel, v: V, trace: Trace<RslSystem, SystemStep>): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeTraceFile(path, model, trace, { property: v.property, kind: v.kind, explanation: v.explanation });
  return path;
}

/** The lines that tell the user where a trace is and how to look at it. */
export function traceWrittenLines(path: string): string {
  return `Trace written to ${path}\nShow it: rsl trace show ${path}\nReplay it: rsl trace replay ${path}\n`;
}
