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
import { simulate, type CheckResult } from '../../checker/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { symmetryApplies } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import { flagProblem, reproduceCommand, type SimulateFlags } from '../flags.js';
import { untilInterrupted } from '../interrupt.js';
import { modelFromFlags, type ModelSetup } from '../modelConfig.js';
import type { Output } from '../output.js';
import { renderModelFailure, renderViolation } from '../render.js';
import { describeModel, jsonReport, renderSummary, simulationProgressLine } from '../summary.js';
import { simulationTraceFileName, traceWrittenLines, writeViolationTraces } from '../traceOutput.js';
import { safetyViolations, simulationVerdict } from '../verdict.js';

export type { SimulateFlags } from '../flags.js';

type Result = CheckResult<RslSystem, SystemStep>;

const maxSeed = 2 ** 32 - 1;

/** The command line that repeats this simulation: the model flags, then seed, walks and depth. */
export function simulateCommand(flags: SimulateFlags, seed: number): string {
  return reproduceCommand('simulate', { ...flags, seed });
}

/** `rsl simulate [model flags] --seed N --walks W --depth D [--json]`. */
export async function runSimulate(flags: SimulateFlags, out: Output): Promise<number> {
  const complaint = flagProblem('simulate', flags);
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

  const verdict = simulationVerdict(result, flags.walks, flags.depth);
  const violations = safetyViolations(result);
  const traces = writeViolationTraces(flags.traceDir, model, violations, (v) => simulationTraceFileName(cfg, flags.mutant, seed, v));
  if (flags.json) {
    for (const path of traces.paths) out.stderr(traceWrittenLines(path));
    out.stdout(jsonReport(model, result, verdict, { hostByHost: cfg.hostByHost, traces: traces.paths }));
    for (const w of traces.warnings) out.stderr(`rsl: warning: ${w}\n`);
    return verdict.code;
  }
  for (const v of violations) {
    out.stdout(`\n${renderViolation(model.system, v)}`);
    const path = traces.paths.find((p) => p.endsWith(simulationTraceFileName(cfg, flags.mutant, seed, v)));
    if (path !== undefined) out.stdout(traceWrittenLines(path));
  }
  if (violations.length > 0) out.stdout(`Reproduce: ${simulateCommand(flags, seed)}\n\n`);
  if (result.kind === 'error') {
    out.stdout(renderModelFailure(result));
  }
  out.stdout(`Seed: ${seed}\n`);
  out.stdout(renderSummary(result, 'Scenarios the walks reached (reported, not required of a simulation):'));
  out.stdout(`${verdict.line}\n`);
  for (const w of traces.warnings) out.stderr(`rsl: warning: ${w}\n`);
  return verdict.code;
}
