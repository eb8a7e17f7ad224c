/**
 * Step 5 of the pipeline (render): what a run prints about the model and its result, as text. Pure.
 * Violations and traces are rendered by cli/render.ts.
 */
import {
  resultToJson,
  type CheckResult,
  type CompositionalCheckResult,
  type CompositionalReport,
  type CompositionalStats,
  type Json,
  type Progress,
} from '../checker/index.js';
import type { RslSystem, SystemStep } from '../spec/index.js';
import { symmetryApplies, type ModelConfig } from './config.js';
import { plural } from './render.js';
import type { RslModel } from './rslModel.js';
import { verdictKind, type RunVerdict } from './verdict.js';

type Result = CheckResult<RslSystem, SystemStep>;

/** What the model line says about client symmetry, including why a config's `symmetry` has no effect. */
function symmetryNote(cfg: ModelConfig): string {
  if (cfg.exploration === 'per-replica' && symmetryApplies(cfg)) return 'no symmetry (per-replica exploration does not use it)';
  if (symmetryApplies(cfg)) return 'client symmetry';
  if (!cfg.symmetry) return 'no symmetry';
  return `no symmetry (${cfg.clients === 0 ? 'no clients' : 'one client'})`;
}

/** One line that says what is being checked. */
export function describeModel(cfg: ModelConfig, mutant: string | undefined): string {
  const parts = [
    plural(cfg.replicas, 'replica'),
    plural(cfg.ballots, 'view'),
    plural(cfg.opns, 'slot'),
    `${plural(cfg.clients, 'client')} x ${plural(cfg.requests, 'request')}`,
    `clock 0..${cfg.clock}${cfg.monotoneClocks ? ' (monotone)' : ''}`,
    `batch ${cfg.batchSize}`,
    cfg.granularity === 'round' ? 'scheduler rounds' : `scheduler ${cfg.scheduler}, one action per step`,
    ...(cfg.election === 'oracle' ? [cfg.checkpoints === 'lazy' ? 'election oracle, lazy checkpoints' : 'election oracle'] : []),
    ...(cfg.requestsUpFront ? ['requests up front'] : []),
    ...(cfg.requestTargets === 'one' ? ['client i sends only to replica i mod n'] : []),
    symmetryNote(cfg),
    ...(cfg.hostByHost ? ['host-by-host search (not exhaustive)'] : []),
    ...(cfg.exploration === 'per-replica' ? ['per-replica exploration'] : []),
  ];
  return `Model ${cfg.name}${mutant === undefined ? '' : ` with mutant ${mutant}`}: ${parts.join(', ')}`;
}

/** Milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}MiB`;
}

/** The progress line of an exhaustive check, every 10 s on stderr. */
export function progressLine(p: Progress): string {
  return (
    `Progress. distinct=${p.distinct}, generated=${p.generated}, queue=${p.queue}, depth=${p.depth}, ` +
    `distinct/s=${Math.round(p.distinctPerSecond)}, heap=${mib(p.heapUsedBytes)}, arrays=${mib(p.arrayBufferBytes)}, sec=${seconds(p.elapsedMs)}\n`
  );
}

/** The progress line of a per-replica exploration. */
export function perReplicaProgressLine(c: CompositionalStats, heapUsedBytes: number): string {
  return (
    `Progress (per-replica). parts=${c.parts}, local states=${c.pairs.join('+')}, states=${c.productStates}, ` +
    `steps=${c.generated}, queue=${c.queued}, heap=${mib(heapUsedBytes)}, sec=${seconds(c.elapsedMs)}\n`
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
    before !== undefined && last !== undefined && before > 0
      ? `x${(last / before).toFixed(2)} from d${complete.length - 1} to d${complete.length}`
      : '';
  const note = [deepestComplete ? '' : `d${levelSizes.length} still filling`, growth].filter((x) => x !== '').join('; ');
  return `distinct states first found per depth: ${shown.join(', ')}${note === '' ? '' : ` (${note})`}`;
}

/** The summary printed after every run (also after a violation or a limit). */
export function renderSummary(result: Result, scenariosHeading = 'Scenarios that must occur in the explored space:'): string {
  const st = result.stats;
  const lines: string[] = [];
  const compositional = (result as Partial<CompositionalCheckResult<RslSystem, SystemStep>>).compositional;
  if (compositional !== undefined) lines.push(...perReplicaLines(compositional, st));
  else {
    lines.push(
      `Done. generated=${st.generated}, distinct=${st.distinct}, depth=${st.depth}, frontier=${st.frontier}, sec=${seconds(st.elapsedMs)}`,
      `  ${st.generated} states generated, ${st.distinct} distinct states found and checked, ${st.frontier} states left on queue.`,
      `  ${Math.round(st.distinctPerSecond)} distinct states/s with ${plural(st.workers, 'worker')}; ` +
        `seen set ${st.bytesPerState.toFixed(1)} bytes/state; fingerprint collision probability ` +
        `${st.collisionProbability.tlcOptimistic.toExponential(1)} (optimistic), ${st.collisionProbability.birthday.toExponential(1)} (birthday bound)`,
    );
    if (result.kind === 'incomplete' && st.levelSizes.length >= 2)
      lines.push(`  ${levelGrowth(st.levelSizes, result.reason === 'maxDepth')}`);
    const cuts = Object.entries(st.cutByBound);
    lines.push(`  states cut by bounds: ${cuts.length === 0 ? 'none' : cuts.map(([b, n]) => `${b}=${n}`).join(', ')}`);
  }
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
    for (const a of actions)
      lines.push(`          ${pad(a.name, aw)}  ${pad(String(a.enabled), 9)} ${pad(String(a.fired), 9)} ${a.distinct}`);
    lines.push(
      '  (enabled = states in which the action produced a successor; fired = successors it produced, one state may give several; new = those that were new states)',
    );
  }
  if (st.census !== undefined) lines.push(...renderCensus(st));
  return `${lines.join('\n')}\n`;
}

/** The figures of a per-replica exploration (checker/compositional.ts), in place of the breadth-first ones. */
function perReplicaLines(c: CompositionalReport, st: Result['stats']): string[] {
  const lines = [
    `Done (per-replica). packet-set parts=${c.parts}, local states=${c.pairs.join('+')}, steps=${c.generated}, queue=${c.queued}, sec=${seconds(c.elapsedMs)}`,
    `  ${c.productStates} states at round boundaries (the product, per shared part, of what each replica can be in there: every`,
    `  reachable state is among them), ${c.cutStates} outside the bounds and ${c.intermediateStates} inside rounds (counted per source; a`,
    `  state reached from two may count twice); all checked without enumerating them. ${c.queued} local states left on queue.`,
    `  fingerprint collision probability ${st.collisionProbability.birthday.toExponential(1)} (birthday bound over the ${c.parts} parts and their local states)`,
  ];
  for (const u of c.unrealized) lines.push(`  not counted as held (no concrete run reaches the product state found): ${u}`);
  return lines;
}

/**
 * `--census`: the distinct values of each state component over the distinct states, and the
 * actions that found most new states. A component with few values next to many states means the
 * states differ elsewhere; the product of the per-component counts against `distinct` shows how
 * far the components vary independently.
 */
export function renderCensus(st: Result['stats']): string[] {
  const census = st.census ?? [];
  const width = Math.max(...census.map((c) => c.name.length), 10);
  const lines = [`Census over ${st.distinct} distinct states (distinct values of each component):`];
  for (const c of census)
    lines.push(
      `  ${pad(c.name, width)}  ${pad(String(c.distinct), 9)} ${((100 * c.distinct) / Math.max(1, st.distinct)).toFixed(2)}% of states`,
    );
  const byNew = [...st.actions].sort((a, b) => b.distinct - a.distinct).slice(0, 8);
  lines.push('  actions that found most new states:');
  for (const a of byNew)
    lines.push(`    ${pad(a.name, 32)} ${pad(String(a.distinct), 9)} ${((100 * a.distinct) / Math.max(1, st.distinct)).toFixed(1)}%`);
  return lines;
}

/** The progress line of a simulation. */
export function simulationProgressLine(p: Progress): string {
  return `Progress. walks=${p.walks ?? 0}, distinct=${p.distinct}, generated=${p.generated}, depth=${p.depth}, sec=${seconds(p.elapsedMs)}\n`;
}

/**
 * What `--json` prints: the checker's result, with `kind` and `exitCode` from the CLI's verdict
 * (so they always agree with the exit code; the checker's own kind is `checkerKind`), `mode`
 * naming host-by-host search for what it is, and the paths of the traces written.
 */
export function jsonReport(
  model: RslModel,
  result: Result,
  verdict: RunVerdict,
  options: { readonly hostByHost: boolean; readonly traces: readonly string[] },
): string {
  const base = resultToJson(model, result) as { readonly [key: string]: Json };
  const report = {
    ...base,
    kind: verdictKind(verdict.code),
    checkerKind: result.kind,
    exitCode: verdict.code,
    verdict: verdict.line,
    ...(options.hostByHost ? { mode: 'host-by-host' } : {}),
    traces: [...options.traces],
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
