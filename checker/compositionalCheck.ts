/**
 * A compositional exploration (checker/compositional.ts) reported as a `CheckResult`, the form
 * every front end already renders: statuses and premise counts per property, and a concrete trace
 * for every violation. A premise or a witness counts only if a concrete run reaches a state where
 * it holds (`realize`): the product is an over-approximation, so a product state alone proves
 * neither that a premise can hold nor that a scenario occurs.
 */
import { exploreCompositionally, type CompositionalStats, type Decomposition, type PropertyTally } from './compositional.js';
import { collisionProbability } from './fingerprint.js';
import type { Model } from './model.js';
import type { CheckResult, Progress, PropertyReport, PropertyStatus, Stats, Trace, Violation } from './result.js';

export interface CompositionalCheckOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress, stats: CompositionalStats) => void;
  readonly progressIntervalMs?: number;
  /** Keep going after a violation (one trace per violated property). */
  readonly continueAfterViolation?: boolean;
}

/** What the compositional run adds to `Stats`. */
export interface CompositionalReport extends CompositionalStats {
  /** Properties whose premise (or witness) held only in product states that no concrete run was found to reach. */
  readonly unrealized: readonly string[];
}

export type CompositionalCheckResult<S, A> = CheckResult<S, A> & { readonly compositional: CompositionalReport };

function progressOf(st: CompositionalStats): Progress {
  const memory = process.memoryUsage();
  return {
    elapsedMs: st.elapsedMs,
    distinct: st.productStates,
    generated: st.generated,
    queue: st.queued,
    depth: 0,
    distinctPerSecond: st.productStates / Math.max(1e-3, st.elapsedMs / 1000),
    generatedPerSecond: st.generated / Math.max(1e-3, st.elapsedMs / 1000),
    heapUsedBytes: memory.heapUsed,
    arrayBufferBytes: memory.arrayBuffers,
  };
}

export async function checkCompositionally<S, A, L>(
  model: Model<S, A>,
  d: Decomposition<S, A, L>,
  options: CompositionalCheckOptions = {},
): Promise<CompositionalCheckResult<S, A>> {
  const r = await exploreCompositionally(model, d, {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
    stopAtViolation: options.continueAfterViolation !== true,
    ...(options.onProgress === undefined ? {} : { onProgress: (st: CompositionalStats) => options.onProgress!(progressOf(st), st) }),
  });
  const unrealized: string[] = [];
  const violations: Violation<S, A>[] = [];
  let unreachable: string | undefined;
  const reports: PropertyReport[] = r.properties.map((t: PropertyTally<S, A>) => {
    let firstDepth: number | undefined;
    let premiseReached = false;
    if (t.firstPremise !== undefined) {
      const run = r.realize(t.firstPremise);
      if (typeof run === 'string') unrealized.push(`${t.name}: ${run}`);
      else {
        premiseReached = true;
        firstDepth = run.states.length;
      }
    }
    if (t.firstViolation !== undefined) {
      const run = r.realize(t.firstViolation.at);
      if (typeof run === 'string') unreachable ??= `a violation of ${t.name} in the product: ${run}`;
      else violations.push(violationOf(t, t.firstViolation.explanation, run));
    }
    const status: PropertyStatus =
      t.kind === 'witness'
        ? premiseReached
          ? 'witnessed'
          : 'unwitnessed'
        : t.violations > 0
          ? 'violated'
          : premiseReached
            ? 'holds'
            : 'vacuous';
    return {
      name: t.name,
      kind: t.kind,
      ...(t.description === undefined ? {} : { description: t.description }),
      status,
      checked: t.checked,
      premise: t.premise,
      violations: t.violations,
      ...(t.kind === 'witness' && firstDepth !== undefined ? { firstDepth } : {}),
    };
  });
  const st = r.stats;
  const compositional: CompositionalReport = { ...st, unrealized };
  const keys = st.pairs.reduce((x, y) => x + y, 0) + st.parts;
  const stats: Stats = {
    generated: st.generated,
    distinct: st.productStates,
    depth: 0,
    frontier: st.queued,
    checked: st.productStates,
    intermediate: st.intermediateStates,
    initial: model.initStates().length,
    levelSizes: [],
    elapsedMs: st.elapsedMs,
    distinctPerSecond: st.productStates / Math.max(1e-3, st.elapsedMs / 1000),
    generatedPerSecond: st.generated / Math.max(1e-3, st.elapsedMs / 1000),
    actions: [],
    cutByBound: st.cutStates > 0 ? { bounds: st.cutStates } : {},
    // The run's fingerprints are those of shared and local parts, not of states.
    collisionProbability: collisionProbability(keys, st.generated),
    seenSetBytes: 0,
    bytesPerState: 0,
    workers: 0,
    symmetry: false,
  };
  const base = { model: model.name, mode: 'exhaustive' as const, stats, properties: reports, compositional };
  if (unreachable !== undefined) {
    return { ...base, kind: 'error', message: unreachable, phase: 'compositional trace' };
  }
  if (r.complete) {
    for (const p of reports)
      if (p.status === 'unwitnessed')
        violations.push({ kind: 'witness', property: p.name, explanation: 'no reachable state satisfies this witness', depth: 0 });
  }
  const limit = r.stoppedBy === 'violation' ? undefined : r.stoppedBy;
  if (violations.length > 0) return { ...base, kind: 'violation', violations, ...(limit === undefined ? {} : { stoppedBy: limit }) };
  if (limit !== undefined) {
    const detail = {
      aborted: 'interrupted',
      memory: 'stopped before running out of memory (heap over 90% of its limit)',
      timeout: `stopped after the time limit of ${(options.timeoutMs ?? 0) / 1000} s`,
    }[limit];
    return { ...base, kind: 'incomplete', reason: limit, detail };
  }
  return { ...base, kind: 'ok' };
}

function violationOf<S, A>(t: PropertyTally<S, A>, explanation: string, run: Trace<S, A>): Violation<S, A> {
  return {
    kind: t.kind === 'stepProperty' ? 'stepProperty' : 'invariant',
    property: t.name,
    explanation,
    depth: run.states.length,
    trace: run,
  };
}
