/**
 * `rsl simulate`: seeded random walks over a model too large to exhaust (the checker's `simulate`,
 * TLC's -simulate), with the same obligations as `check`. The seed is printed before the walks
 * start; the same seed, walks and depth replay the same walks. A violation is printed as `check`
 * prints one, its trace is written to --trace-dir, and the exact command that reproduces it follows.
 *
 * Exit codes: 0 no violation and no obligation vacuous (which proves nothing beyond the walks
 * taken); 1 bad flag or configuration; 3 interrupted (Ctrl-C, memory); 11 no violation, but some
 * obligation's premise never held on any walk; 12 violation; 75 the spec threw.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  resultToJson,
  simulate,
  writeTraceFile,
  type CheckResult,
  type Progress,
  type Violation,
} from '../../checker/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import type { ModelConfig } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import type { ModelFlags } from '../main.js';
import type { Output } from '../output.js';
import { renderViolation } from '../render.js';
import { createRslModel, type RslModelOptions } from '../rslModel.js';
import { describeModel, modelConfigFrom, renderSummary, reproduceCommand, safetyViolations } from './check.js';

export interface SimulateFlags extends ModelFlags {
  /** PRNG seed, 0 .. 2^32-1; a random one is drawn (and printed) when absent. */
  readonly seed?: number;
  readonly walks: number;
  /** Steps per walk. */
  readonly depth: number;
  readonly traceDir: string;
  readonly json?: boolean;
}

type Result = CheckResult<RslSystem, SystemStep>;
type RslModel = ReturnType<typeof createRslModel>;

const maxSeed = 2 ** 32 - 1;

/** A one-line complaint about the simulation flags, or undefined when they are usable. */
function badFlags(flags: SimulateFlags): string | undefined {
  if (flags.seed !== undefined && (flags.seed < 0 || flags.seed > maxSeed)) return `--seed must be between 0 and ${maxSeed}, got ${flags.seed}`;
  if (flags.walks < 1) return `--walks must be at least 1, got ${flags.walks}`;
  if (flags.depth < 1) return `--depth must be at least 1, got ${flags.depth}`;
  return undefined;
}

/** The command line that repeats this simulation: the model flags, then seed, walks and depth. */
export function simulateCommand(flags: SimulateFlags, cfg: ModelConfig, seed: number): string {
  const model = reproduceCommand(flags, cfg).replace(/^rsl check /, 'rsl simulate ');
  return `${model} --seed ${seed} --walks ${flags.walks} --depth ${flags.depth}`;
}

function progressLine(p: Progress): string {
  return (
    `Progress. walks=${p.walks ?? 0}, distinct=${p.distinct}, generated=${p.generated}, depth=${p.depth}, ` +
    `sec=${(p.elapsedMs / 1000).toFixed(1)}\n`
  );
}

function traceFileName(cfg: ModelConfig, mutant: string | undefined, seed: number, v: Violation<RslSystem, SystemStep>): string {
  const model = `${cfg.name}${mutant === undefined ? '' : `-${mutant}`}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${v.property}-${model}-seed${seed}.trace.json`;
}

/** The verdict of a simulation: like `check`'s, but a clean run is never called a proof. */
export function simulationVerdict(result: Result, walks: number, depth: number): { line: string; code: number } {
  const violations = safetyViolations(result);
  if (violations.length > 0) {
    return { line: `Result: VIOLATION of ${[...new Set(violations.map((v) => v.property))].join(', ')}`, code: ExitCode.violation };
  }
  switch (result.kind) {
    case 'incomplete':
      return { line: `Result: INCOMPLETE (${result.reason}: ${result.detail})`, code: ExitCode.incomplete };
    case 'error':
      return { line: `Result: MODEL ERROR in ${result.phase}: ${result.message}`, code: ExitCode.modelError };
    // A scenario the walks never reached is reported in the summary, not held against them.
    case 'violation':
    case 'ok': {
      const vacuous = result.properties.filter((p) => p.status === 'vacuous').map((p) => p.name);
      const walked = `${walks} random walks of up to ${depth} steps`;
      if (vacuous.length > 0) {
        return { line: `Result: FAILED, no violation in ${walked}, but vacuous: ${vacuous.join(', ')} (premise never held)`, code: ExitCode.vacuous };
      }
      return { line: `Result: no violation in ${walked}; a simulation proves nothing beyond the walks it took`, code: ExitCode.ok };
    }
  }
}

/** `rsl simulate [model flags] --seed N --walks W --depth D [--json]`. */
export async function runSimulate(flags: SimulateFlags, out: Output): Promise<number> {
  const complaint = badFlags(flags);
  if (complaint !== undefined) {
    out.stderr(`rsl: ${complaint}\n`);
    return ExitCode.usage;
  }
  let cfg: ModelConfig;
  let model: RslModel;
  const seed = flags.seed ?? randomInt(maxSeed);
  try {
    cfg = modelConfigFrom(flags);
    const options: RslModelOptions = {
      config: cfg,
      ...(flags.mutant === undefined ? {} : { mutant: flags.mutant }),
      ...(flags.invariant === undefined ? {} : { invariants: flags.invariant }),
    };
    model = createRslModel(options);
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const say = (s: string): void => (flags.json ? out.stderr(s) : out.stdout(s));
  say(`${describeModel(cfg, flags.mutant)}\n`);
  say(`Simulating ${flags.walks} random walks of up to ${flags.depth} steps with seed ${seed}.\n`);

  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  let result: Result;
  try {
    result = await simulate(model, {
      seed,
      walks: flags.walks,
      // The checker counts a walk's length in states: the initial state plus one per step.
      maxDepth: flags.depth + 1,
      symmetry: cfg.symmetry && cfg.clients >= 2,
      signal: abort.signal,
      onProgress: (p) => out.stderr(progressLine(p)),
      progressIntervalMs: 10_000,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }

  const violations = safetyViolations(result);
  if (violations.length > 0) {
    mkdirSync(flags.traceDir, { recursive: true });
    for (const v of violations) {
      if (!flags.json) out.stdout(`\n${renderViolation(model.system, v)}`);
      if (v.trace !== undefined) {
        const path = join(flags.traceDir, traceFileName(cfg, flags.mutant, seed, v));
        writeTraceFile(path, model, v.trace, { property: v.property, kind: v.kind, explanation: v.explanation });
        say(`Trace written to ${path}\nShow it: rsl trace show ${path}\nReplay it: rsl trace replay ${path}\n`);
      }
    }
    say(`Reproduce: ${simulateCommand(flags, cfg, seed)}\n\n`);
  }
  if (flags.json) {
    out.stdout(`${JSON.stringify(resultToJson(model, result), null, 2)}\n`);
    return simulationVerdict(result, flags.walks, flags.depth).code;
  }
  if (result.kind === 'error') {
    out.stdout(`\nThe model failed in ${result.phase}: ${result.message}\n`);
    if (result.stack !== undefined) out.stdout(`${result.stack}\n`);
  }
  out.stdout(`Seed: ${seed}\n`);
  out.stdout(renderSummary(result, 'Scenarios the walks reached (reported, not required of a simulation):'));
  const verdict = simulationVerdict(result, flags.walks, flags.depth);
  out.stdout(`${verdict.line}\n`);
  return verdict.code;
}
