/** `rsl check`: exhaustive exploration of a bounded model with every obligation (step 4, run). */
import { availableParallelism } from 'node:os';
import { check, checkCompositionally, type CheckResult } from '../../checker/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { symmetryApplies } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import { flagProblem, reproduceCommand, type CheckFlags } from '../flags.js';
import { untilInterrupted } from '../interrupt.js';
import { modelFromFlags, type ModelSetup } from '../modelConfig.js';
import type { Output } from '../output.js';
import { plural, renderModelFailure, renderViolation } from '../render.js';
import { rslModelFactory } from '../rslModel.js';
import { describeModel, jsonReport, perReplicaProgressLine, progressLine, renderSummary } from '../summary.js';
import { checkTraceFileName, traceWrittenLines, writeViolationTraces } from '../traceOutput.js';
import { safetyViolations, verdictOf } from '../verdict.js';

type Result = CheckResult<RslSystem, SystemStep>;

export async function runCheck(flags: CheckFlags, out: Output): Promise<number> {
  const problem = flagProblem('check', flags);
  let setup: ModelSetup;
  try {
    if (problem !== undefined) throw new RangeError(problem);
    setup = modelFromFlags(flags);
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const { config: cfg, options, model } = setup;
  const cores = availableParallelism();
  const workers = flags.workers ?? Math.min(2, cores);
  if (workers > cores)
    out.stderr(`rsl: warning: --workers ${workers} is more than the ${cores} cores here; more workers than cores only slows a run down\n`);
  const say = (s: string): void => (flags.json ? out.stderr(s) : out.stdout(s));
  say(`${describeModel(cfg, flags.mutant)}\n`);
  say(
    cfg.exploration === 'per-replica'
      ? 'Checking per replica, in this thread.\n'
      : `Checking with ${plural(workers, 'worker')}${symmetryApplies(cfg) ? ' (symmetry on)' : ''}.\n`,
  );

  const perReplica = cfg.exploration === 'per-replica' ? model.decomposition : undefined;
  const result: Result = await untilInterrupted((signal) =>
    perReplica !== undefined
      ? checkCompositionally(model, perReplica, {
          ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
          signal,
          continueAfterViolation: flags.continue === true,
          onProgress: (p, st) => out.stderr(perReplicaProgressLine(st, p.heapUsedBytes)),
          progressIntervalMs: 10_000,
        })
      : check(model, {
          workers,
          factory: rslModelFactory(options),
          symmetry: symmetryApplies(cfg),
          ...(flags.maxStates === undefined ? {} : { maxStates: flags.maxStates }),
          ...(flags.maxDepth === undefined ? {} : { maxDepth: flags.maxDepth }),
          ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
          signal,
          continueAfterViolation: flags.continue === true,
          census: flags.census === true,
          onProgress: (p) => out.stderr(progressLine(p)),
          progressIntervalMs: 10_000,
        }),
  );

  const verdict = verdictOf(result, { exhaustive: !cfg.hostByHost, selected: (flags.invariant ?? []).length > 0 });
  const safety = safetyViolations(result);
  const traces = writeViolationTraces(flags.traceDir, model, safety, (v) => checkTraceFileName(cfg, v));
  if (flags.json) {
    for (const path of traces.paths) out.stderr(traceWrittenLines(path));
    out.stdout(jsonReport(model, result, verdict, { hostByHost: cfg.hostByHost, traces: traces.paths }));
  } else {
    for (const v of safety) {
      out.stdout(`\n${renderViolation(model.system, v)}`);
      const path = traces.paths.find((p) => p.endsWith(checkTraceFileName(cfg, v)));
      if (path !== undefined) out.stdout(traceWrittenLines(path));
    }
    if (safety.length > 0) out.stdout(`Reproduce: ${reproduceCommand('check', flags)}\n\n`);
    if (result.kind === 'error') {
      out.stdout(renderModelFailure(result));
    }
    out.stdout(renderSummary(result));
    out.stdout(`${verdict.line}\n`);
  }
  // After the result, so that a trace that cannot be written never hides it.
  for (const w of traces.warnings) out.stderr(`rsl: warning: ${w}\n`);
  return verdict.code;
}
