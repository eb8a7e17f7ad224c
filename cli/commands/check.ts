/** `rsl check`: exhaustive exploration of a bounded model with every obligation. */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { check, resultToJson, writeTraceFile, type CheckResult, type Progress, type Violation } from '../../checker/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { applyOverrides, loadModelConfig, type ConfigOverrides, type ModelConfig } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import type { ModelFlags } from '../main.js';
import type { Output } from '../output.js';
import { defaultConfigPath } from '../paths.js';
import { renderViolation } from '../render.js';
import { createRslModel, rslModelFactory, type RslModelOptions } from '../rslModel.js';

export interface CheckFlags extends ModelFlags {
  readonly workers?: number;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeout?: number;
  readonly continue?: boolean;
  readonly traceDir: string;
  readonly json?: boolean;
}

type Result = CheckResult<RslSystem, SystemStep>;

/** The model configuration the flags select: the file (or the default one) with overrides applied. */
export function modelConfigFrom(flags: ModelFlags): ModelConfig {
  const base = loadModelConfig(flags.config ?? defaultConfigPath());
  const overrides: ConfigOverrides = {
    replicas: flags.replicas,
    ballots: flags.ballots,
    opns: flags.opns,
    clients: flags.clients,
    requests: flags.requests,
    clock: flags.clock,
    batchSize: flags.batchSize,
    scheduler: flags.scheduler,
    election: flags.election,
    requestsUpFront: flags.requestsUpFront,
    requestTargets: flags.requestTargets,
    symmetry: flags.symmetry,
  };
  return applyOverrides(base, overrides);
}

/** One line that says what is being checked. */
export function describeModel(cfg: ModelConfig, mutant: string | undefined): string {
  const parts = [
    `${cfg.replicas} replicas`,
    `${cfg.ballots} views`,
    `${cfg.opns} slot${cfg.opns === 1 ? '' : 's'}`,
    `${cfg.clients} clients x ${cfg.requests} request${cfg.requests === 1 ? '' : 's'}`,
    `clock 0..${cfg.clock}${cfg.monotoneClocks ? ' (monotone)' : ''}`,
    `batch ${cfg.batchSize}`,
    `scheduler ${cfg.scheduler}`,
    ...(cfg.election === 'oracle' ? ['election oracle'] : []),
    ...(cfg.requestsUpFront ? ['requests up front'] : []),
    ...(cfg.requestTargets === 'one' ? ['client i sends only to replica i mod n'] : []),
    cfg.symmetry && cfg.clients >= 2 ? 'client symmetry' : 'no symmetry',
    ...(cfg.hostByHost ? ['host-by-host search (not exhaustive)'] : []),
  ];
  return `Model ${cfg.name}${mutant === undefined ? '' : ` with mutant ${mutant}`}: ${parts.join(', ')}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}MiB`;
}

export function progressLine(p: Progress): string {
  return (
    `Progress. distinct=${p.distinct}, generated=${p.generated}, queue=${p.queue}, depth=${p.depth}, ` +
    `distinct/s=${Math.round(p.distinctPerSecond)}, heap=${mib(p.heapUsedBytes)}, arrays=${mib(p.arrayBufferBytes)}, sec=${seconds(p.elapsedMs)}\n`
  );
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/**
 * For a run that stopped early: the states first found at the last few depths, and the growth
 * between the last two complete levels. Breadth-first, every level but the deepest is complete;
 * the deepest is too when the run stopped at `--max-depth`.
 */
export function levelGrowth(levelSizes: readonly number[], deepestComplete: boolean): string {
  const shown = levelSizes.map((n, d) => `d${d + 1}=${n}`).slice(-6);
  const complete = deepestComplete ? levelSizes : levelSizes.slice(0, -1);
  const [before, last] = complete.slice(-2);
  const growth =
    before !== undefined && last !== undefined && before > 0 ? `x${(last / before).toFixed(2)} from d${complete.length - 1} to d${complete.length}` : '';
  const note = [deepestComplete ? '' : `d${levelSizes.length} still filling`, growth].filter((x) => x !== '').join('; ');
  return `distinct states first found per depth: ${shown.join(', ')}${note === '' ? '' : ` (${note})`}`;
}

/** The summary printed after every run (also after a violation or a limit). */
export function renderSummary(result: Result, scenariosHeading = 'Scenarios that must occur in the explored space:'): string {
  const st = result.stats;
  const lines: string[] = [];
  lines.push(
    `Done. generated=${st.generated}, distinct=${st.distinct}, depth=${st.depth}, frontier=${st.frontier}, sec=${seconds(st.elapsedMs)}`,
    `  ${st.generated} states generated, ${st.distinct} distinct states found, ${st.frontier} states left on queue.`,
    `  ${Math.round(st.distinctPerSecond)} distinct states/s with ${st.workers} worker${st.workers === 1 ? '' : 's'}; ` +
      `seen set ${st.bytesPerState.toFixed(1)} bytes/state; fingerprint collision probability ` +
      `${st.collisionProbability.tlcOptimistic.toExponential(1)} (optimistic), ${st.collisionProbability.birthday.toExponential(1)} (birthday bound)`,
  );
  const checkedStates = Math.max(0, ...result.properties.filter((p) => p.kind === 'invariant').map((p) => p.checked));
  if (st.frontier > 0 && checkedStates > 0) {
    lines.push(`  obligations were checked on the ${checkedStates} states expanded; the ${st.frontier} left on the queue were not checked.`);
  }
  if (result.kind === 'incomplete' && st.levelSizes.length >= 2) lines.push(`  ${levelGrowth(st.levelSizes, result.reason === 'maxDepth')}`);
  const cuts = Object.entries(st.cutByBound);
  lines.push(`  states cut by bounds: ${cuts.length === 0 ? 'none' : cuts.map(([b, n]) => `${b}=${n}`).join(', ')}`);
  const obligations = result.properties.filter((p) => p.kind !== 'witness');
  const width = Math.max(...obligations.map((p) => p.name.length), 10);
  lines.push('Obligations (premise = explored states, or steps, in which the hypothesis held):');
  for (const p of obligations) {
    const status = p.status === 'vacuous' ? 'VACUOUS' : p.status;
    lines.push(`  ${pad(status, 9)} ${pad(p.name, width)}  premise=${p.premise} of ${p.checked}`);
  }
  const witnesses = result.properties.filter((p) => p.kind === 'witness');
  if (witnesses.length > 0) {
    lines.push(scenariosHeading);
    for (const p of witnesses) {
      const where = p.status === 'witnessed' ? `first at depth ${p.firstDepth ?? '?'}, in ${p.premise} states` : 'NEVER REACHED';
      lines.push(`  ${pad(p.status === 'witnessed' ? 'reached' : 'MISSING', 9)} ${pad(p.name, width)}  ${where}`);
    }
  }
  const actions = st.actions;
  if (actions.length > 0) {
    const aw = Math.max(...actions.map((a) => a.name.length), 6);
    lines.push(`Coverage: ${pad('action', aw)}  ${pad('enabled', 9)} ${pad('fired', 9)} new`);
    for (const a of actions) lines.push(`          ${pad(a.name, aw)}  ${pad(String(a.enabled), 9)} ${pad(String(a.fired), 9)} ${a.distinct}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Violations of safety properties (invariants, step properties, deadlocks), not unreached scenarios. */
export function safetyViolations(result: Result): readonly Violation<RslSystem, SystemStep>[] {
  return result.kind === 'violation' ? result.violations.filter((v) => v.kind !== 'witness') : [];
}

/**
 * The verdict line and the exit code for a result. A run passes only when it explored everything,
 * nothing was violated, no obligation was vacuous and every scenario was reached.
 */
export function verdictOf(result: Result, exhaustive = true): { line: string; code: number } {
  const safety = safetyViolations(result);
  if (safety.length > 0) {
    return { line: `Result: VIOLATION of ${[...new Set(safety.map((v) => v.property))].join(', ')}`, code: ExitCode.violation };
  }
  if (result.kind === 'error') return { line: `Result: MODEL ERROR in ${result.phase}: ${result.message}`, code: ExitCode.modelError };
  const stopped = result.kind === 'incomplete' ? `${result.reason}: ${result.detail}` : result.kind === 'violation' ? result.stoppedBy : undefined;
  if (stopped !== undefined) {
    return { line: `Result: INCOMPLETE (${stopped}); nothing is proved beyond the explored states`, code: ExitCode.incomplete };
  }
  if (!exhaustive) {
    return {
      line: 'Result: INCOMPLETE, no violation found by host-by-host search, which is not exhaustive; this proves nothing',
      code: ExitCode.incomplete,
    };
  }
  const vacuous = result.properties.filter((p) => p.status === 'vacuous').map((p) => p.name);
  const missing = result.properties.filter((p) => p.status === 'unwitnessed').map((p) => p.name);
  if (vacuous.length > 0 || missing.length > 0) {
    const parts = [
      ...(vacuous.length > 0 ? [`vacuous: ${vacuous.join(', ')} (premise never held, so "holds" proves nothing)`] : []),
      ...(missing.length > 0 ? [`scenarios never reached: ${missing.join(', ')}`] : []),
    ];
    return { line: `Result: FAILED, ${parts.join('; ')}`, code: ExitCode.vacuous };
  }
  return { line: 'Result: OK, every obligation holds, none is vacuous, every scenario was reached', code: ExitCode.ok };
}

function traceFileName(cfg: ModelConfig, v: Violation<RslSystem, SystemStep>): string {
  const fp = v.trace?.fingerprints.at(-1) ?? '0';
  return `${v.property}-${cfg.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${fp.slice(0, 8)}.trace.json`;
}

/** The command line that reproduces this run. */
export function reproduceCommand(flags: ModelFlags, cfg: ModelConfig): string {
  const parts = ['rsl check', `--config ${flags.config ?? 'configs/small-r3-b3.json'}`];
  const o: [string, number | undefined][] = [
    ['--replicas', flags.replicas],
    ['--ballots', flags.ballots],
    ['--opns', flags.opns],
    ['--clients', flags.clients],
    ['--requests', flags.requests],
    ['--clock', flags.clock],
    ['--batch-size', flags.batchSize],
  ];
  for (const [flag, v] of o) if (v !== undefined) parts.push(`${flag} ${v}`);
  if (flags.scheduler !== undefined) parts.push(`--scheduler ${flags.scheduler}`);
  if (flags.election !== undefined) parts.push(`--election ${flags.election}`);
  if (flags.requestsUpFront === true) parts.push('--requests-up-front');
  if (flags.requestTargets !== undefined) parts.push(`--request-targets ${flags.requestTargets}`);
  if (flags.symmetry === false && cfg.symmetry === false) parts.push('--no-symmetry');
  if (flags.mutant !== undefined) parts.push(`--mutant ${flags.mutant}`);
  for (const inv of flags.invariant ?? []) parts.push(`--invariant ${inv}`);
  return parts.join(' ');
}

export async function runCheck(flags: CheckFlags, out: Output): Promise<number> {
  const cfg = modelConfigFrom(flags);
  const options: RslModelOptions = {
    config: cfg,
    ...(flags.mutant === undefined ? {} : { mutant: flags.mutant }),
    ...(flags.invariant === undefined ? {} : { invariants: flags.invariant }),
  };
  let model;
  try {
    model = createRslModel(options);
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const workers = flags.workers ?? Math.min(2, availableParallelism());
  const say = (s: string): void => (flags.json ? out.stderr(s) : out.stdout(s));
  say(`${describeModel(cfg, flags.mutant)}\n`);
  say(`Checking with ${workers} worker${workers === 1 ? '' : 's'}${cfg.symmetry && cfg.clients >= 2 ? ' (symmetry on)' : ''}.\n`);

  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  let result: Result;
  try {
    result = await check(model, {
      workers,
      factory: rslModelFactory(options),
      symmetry: cfg.symmetry && cfg.clients >= 2,
      ...(flags.maxStates === undefined ? {} : { maxStates: flags.maxStates }),
      ...(flags.maxDepth === undefined ? {} : { maxDepth: flags.maxDepth }),
      ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
      signal: abort.signal,
      continueAfterViolation: flags.continue === true,
      onProgress: (p) => out.stderr(progressLine(p)),
      progressIntervalMs: 10_000,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }

  if (flags.json) {
    out.stdout(`${JSON.stringify(resultToJson(model, result), null, 2)}\n`);
    return verdictOf(result, !cfg.hostByHost).code;
  }
  const safety = safetyViolations(result);
  if (safety.length > 0) {
    mkdirSync(flags.traceDir, { recursive: true });
    for (const v of safety) {
      out.stdout(`\n${renderViolation(model.system, v)}`);
      if (v.trace !== undefined) {
        const path = join(flags.traceDir, traceFileName(cfg, v));
        writeTraceFile(path, model, v.trace, { property: v.property, kind: v.kind, explanation: v.explanation });
        out.stdout(`Trace written to ${path}\n`);
        out.stdout(`Show it: rsl trace show ${path}\nReplay it: rsl trace replay ${path}\n`);
      }
    }
    out.stdout(`Reproduce: ${reproduceCommand(flags, cfg)}\n\n`);
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
