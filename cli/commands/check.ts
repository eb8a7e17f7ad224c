/** `rsl check`: exhaustive exploration of a bounded model with every obligation (step 4, run). */
import { availableParallelism } from 'node:os';
import { check, resultToJson, type CheckResult } from '../../checker/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { symmetryApplies } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import { reproduceCommand, type CheckFlags } from '../flags.js';
import { untilInterrupted } from '../interrupt.js';
import { modelFromFlags, type ModelSetup } from '../modelConfig.js';
import type { Output } from '../output.js';
import { renderViolation } from '../render.js';
import { rslModelFactory } from '../rslModel.js';
import { describeModel, progressLine, renderSummary } from '../summary.js';
import { checkTraceFileName, traceWrittenLines, writeViolationTrace } from '../traceOutput.js';
import { safetyViolations, verdictOf } from '../verdict.js';

type Result = CheckResult<RslSystem, SystemStep>;

export async function runCheck(flags: CheckFlags, out: Output): Promise<number> {
  let setup: ModelSetup;
  try {
    setup = modelFromFlags(flags);
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const { config: cfg, options, model } = setup;
  const workers = flags.workers ?? Math.min(2, availableParallelism());
  const say = (s: string): void => (flags.json ? out.stderr(s) : out.stdout(s));
  say(`${describeModel(cfg, flags.mutant)}\n`);
  say(`Checking with ${workers} worker${workers === 1 ? '' : 's'}${symmetryApplies(cfg) ? ' (symmetry on)' : ''}.\n`);

  const result: Result = await untilInterrupted((signal) =>
    check(model, {
      workers,
      factory: rslModelFactory(options),
      symmetry: symmetryApplies(cfg),
      ...(flags.maxStates === undefined ? {} : { maxStates: flags.maxStates }),
      ...(flags.maxDepth === undefined ? {} : { maxDepth: flags.maxDepth }),
      ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
      signal,
      continueAfterViolation: flags.continue === true,
      onProgress: (p) => out.stderr(progressLine(p)),
      progressIntervalMs: 10_000,
    }),
  );

  if (flags.json) {
    out.stdout(`${JSON.stringify(resultToJson(model, result), null, 2)}\n`);
    return verdictOf(result, !cfg.hostByHost).code;
  }
  const safety = safetyViolations(result);
  if (safety.length > 0) {
    for (const v of safety) {
      out.stdout(`\n${renderViolation(model.system, v)}`);
      if (v.trace !== undefined) {
        const path = writeViolationTrace(flags.traceDir, checkTraceFileName(cfg, v), model, v, v.trace);
        out.stdout(traceWrittenLines(path));
      }
    }
    out.stdout(`Reproduce: ${reproduceCommand('check', flags)}\n\n`);
  }
  if (result.kind === 'error') {
    out.stdout(`\nThe model failed in ${result.phase}: ${result.message}\n`);
    if (result.stack !== undefined) out.stdout(`${result.stack}\n`);
  }
  out.stdout(renderSummary(result));
  const verdict = verdictOf(result, !cfg.hostByHost);
  out.stdout(`${verdict.line}\n`);
  return verdict.code;
}
