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
import { resultToJson, simulate, type CheckResult } from '../../checker/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { symmetryApplies } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import { reproduceCommand, type SimulateFlags } from '../flags.js';
import { untilInterrupted } from '../interrupt.js';
import { modelFromFlags, type ModelSetup } from '../modelConfig.js';
import type { Output } from '../output.js';
import { renderViolation } from '../render.js';
import { describeModel, renderSummary, simulationProgressLine } from '../summary.js';
import { simulationTraceFileName, traceWrittenLines, writeViolationTrace } from '../traceOutput.js';
import { safetyViolations, simulationVerdict } from '../verdict.js';

export type { SimulateFlags } from '../flags.js';

type Result = CheckResult<RslSystem, SystemStep>;

const maxSeed = 2 ** 32 - 1;

/** A one-line complaint about the simulation flags, or undefined when they are usable. */
function badFlags(flags: SimulateFlags): string | undefined {
  if (flags.seed !== undefined && (flags.seed < 0 || flags.seed > maxSeed)) return `--seed must be between 0 and ${maxSeed}, got ${flags.seed}`;
  if (flags.walks < 1) return `--walks must be at least 1, got ${flags.walks}`;
  if (flags.depth < 1) return `--depth must be at least 1, got ${flags.depth}`;
  return undefined;
}

/** The command line that repeats this simulation: the model flags, then seed, walks and depth. */
export function simulateCommand(flags: SimulateFlags, seed: number): string {
  return reproduceCommand('simulate', { ...flags, seed });
}

/** `rsl simulate [model flags] --seed N --walks W --depth D [--json]`. */
export async function runSimulate(flags: SimulateFlags, out: Output): Promise<number> {
  const complaint = badFlags(flags);
  if (complaint !== undefined) {
    out.stderr(`rsl: ${complaint}\n`);
    return ExitCode.usage;
  }
  let setup: ModelSetup;
  const seed = flags.seed ?? randomInt(maxSeed);
  try {
    setup = modelFromFlags(flags);
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const { config: cfg, model } = setup;
  const say = (s: string): void => (flags.json ? out.stderr(s) : out.stdout(s));
  say(`${describeModel(cfg, flags.mutant)}\n`);
  say(`Simulating ${flags.walks} random walks of up to ${flags.depth} steps with seed ${seed}.\n`);

  const result: Result = await untilInterrupted((signal) =>
    simulate(model, {
      seed,
      walks: flags.walks,
      // The checker counts a walk's length in states: the initial state plus one per step.
      maxDepth: flags.depth + 1,
      symmetry: symmetryApplies(cfg),
      signal,
      onProgress: (p) => out.stderr(simulationProgressLine(p)),
      progressIntervalMs: 10_000,
    }),
  );

  const violations = safetyViolations(result);
  if (violations.length > 0) {
    for (const v of violations) {
      if (!flags.json) out.stdout(`\n${renderViolation(model.system, v)}`);
      if (v.trace !== undefined) {
        const path = writeViolationTrace(flags.traceDir, simulationTraceFileName(cfg, flags.mutant, seed, v), model, v, v.trace);
        say(traceWrittenLines(path));
      }
    }
    say(`Reproduce: ${simulateCommand(flags, seed)}\n\n`);
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
