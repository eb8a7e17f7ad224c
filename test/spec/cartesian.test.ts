/**
 * A measured fact about the round model, behind a proposed reduction (configs/README.md, "Next:
 * per-replica exploration"): on the headline's bounds with fewer replicas or views, the reachable
 * states are exactly the Cartesian product, per shared part (the packet set, the clients and the
 * executed counts the oracle's checkpoint news read), of what each replica can be in with that
 * shared part.
 *
 * The per-replica closure below computes, for every shared part s, a set L_i(s) of local states of
 * each replica i (its scheduler state, clock and executed batches): a replica's round from (l, s)
 * adds its result to L_i(s'); and since the other replicas do not move in that round, every local
 * state of another replica at s is carried to s' too (interference). By induction on a run this is
 * sound: every reachable state (l_0, …, l_{n-1}, s) has each l_i in L_i(s). The test checks that
 * it is also exact here: the product of the L_i(s) counts exactly the states a plain breadth-first
 * closure reaches. It is not exact for every message-passing system (two replicas' histories can
 * need each other's packets in opposite orders), hence the measurement.
 */
import type { Map as ImmutableMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { closure } from './boundedClosure.js';
import { applyOverrides, loadModelConfig } from '../../cli/config.js';
import { outsideBounds } from '../../cli/bounds.js';
import { systemConfigOf } from '../../cli/rslModel.js';
import {
  canonicalKey,
  clientSuccessors,
  replicaRounds,
  systemInit,
  systemRounds,
  type OperationNumber,
  type RequestBatch,
  type RslSystem,
  type SchedulerState,
  type SystemConfig,
} from '../../spec/index.js';

/** What of a state belongs to replica `i` alone. */
interface Local {
  readonly sch: SchedulerState;
  readonly clock: number;
  readonly executed: ImmutableMap<OperationNumber, RequestBatch>;
}

const sharedKey = (s: RslSystem): string =>
  `${canonicalKey(s.sentPackets)}|${canonicalKey(s.clients)}|${s.replicas.map((r) => r.replica.executor.opsComplete).join(',')}`;
const localOf = (s: RslSystem, i: number): Local => ({
  sch: s.replicas.get(i)!,
  clock: s.clocks.get(i)!,
  executed: s.executedBatches.get(i)!,
});
const localKey = (l: Local): string => `${canonicalKey(l.sch)}|${l.clock}|${canonicalKey(l.executed)}`;

interface Shared {
  /** A state with this shared part: the other replicas' locals of a composed state are taken from it. */
  readonly template: RslSystem;
  readonly locals: Map<string, Local>[];
  /** Shared parts a step from here leads to, with the replica that moved (-1: a client). */
  readonly next: Map<string, { readonly to: Shared; readonly mover: number }>;
}

/** The per-replica closure: every shared part reached, with each replica's local states there. */
function perReplicaClosure(cfg: SystemConfig, n: number, cutReplica: (s: RslSystem, i: number) => boolean): Map<string, Shared> {
  const parts = new Map<string, Shared>();
  const todo: Array<[Shared, number, Local]> = [];
  const carry: Array<[Shared, number, Local]> = [];
  const compose = (at: Shared, i: number, l: Local): RslSystem =>
    at.template.merge({
      replicas: at.template.replicas.set(i, l.sch),
      clocks: at.template.clocks.set(i, l.clock),
      executedBatches: at.template.executedBatches.set(i, l.executed),
    });
  const add = (at: Shared, i: number, l: Local): void => {
    const k = localKey(l);
    if (at.locals[i]!.has(k)) return;
    at.locals[i]!.set(k, l);
    todo.push([at, i, l]);
    for (const { to, mover } of at.next.values()) if (mover !== i) carry.push([to, i, l]);
  };
  const link = (from: Shared, state: RslSystem, mover: number): void => {
    const to = partOf(state);
    const k = `${sharedKey(state)}@${mover}`;
    if (to === from || from.next.has(k)) return;
    from.next.set(k, { to, mover });
    for (let j = 0; j < n; j++) if (j !== mover) for (const l of from.locals[j]!.values()) carry.push([to, j, l]);
  };
  const partOf = (s: RslSystem): Shared => {
    const k = sharedKey(s);
    let at = parts.get(k);
    if (at === undefined) {
      at = { template: s, locals: Array.from({ length: n }, () => new Map<string, Local>()), next: new Map() };
      parts.set(k, at);
      for (const x of clientSuccessors(cfg, s)) link(at, x.state, -1);
    }
    return at;
  };
  const settle = (): void => {
    for (let c = carry.pop(); c !== undefined; c = carry.pop()) add(...c);
  };
  const init = systemInit(cfg);
  const start = partOf(init);
  for (let i = 0; i < n; i++) add(start, i, localOf(init, i));
  settle();
  for (let w = todo.pop(); w !== undefined; w = todo.pop()) {
    const [at, i, l] = w;
    for (const round of replicaRounds(cfg, compose(at, i, l), i, undefined, (s) => cutReplica(s, i))) {
      const last = round[round.length - 1]!.state;
      if (cutReplica(last, i)) continue;
      add(partOf(last), i, localOf(last, i));
      link(at, last, i);
      settle();
    }
  }
  return parts;
}

function headlineWith(replicas: number, ballots: number): { cfg: SystemConfig; cut: (s: RslSystem) => boolean } {
  const m = applyOverrides(loadModelConfig('configs/small-r3-b3.json'), { replicas, ballots });
  return { cfg: systemConfigOf(m), cut: (s) => outsideBounds(m, s) !== undefined };
}

describe('the round model is the product of per-replica projections', () => {
  const cases: Array<[number, number]> = [[2, 1]];
  // Seconds to tens of seconds each by canonical keys: `npm run test:long`.
  if (process.env.RSL_LONG_TESTS === '1') cases.push([2, 2], [3, 1]);
  it.each(cases)('headline bounds with %i replicas, %i view(s)', { timeout: 600_000 }, (n, views) => {
    const { cfg, cut } = headlineWith(n, views);
    // A replica alone leaves the bounds: `outsideBounds` on a state where only it moved.
    const cutReplica = (s: RslSystem, i: number): boolean =>
      cut(
        s.set(
          'replicas',
          s.replicas.filter((_r, j) => j === i),
        ),
      );
    const parts = perReplicaClosure(cfg, n, cutReplica);
    const reached = closure(
      systemInit(cfg),
      (s) => systemRounds(cfg, s, undefined, cut).map((round) => round[round.length - 1]!.state),
      cut,
    );
    const inBounds = [...reached.values()].filter((s) => !cut(s));
    // Sound: every reachable state's projections are in the closure.
    for (const s of inBounds) {
      const at = parts.get(sharedKey(s));
      expect(at).toBeDefined();
      for (let i = 0; i < n; i++) expect(at!.locals[i]!.has(localKey(localOf(s, i)))).toBe(true);
    }
    // Exact: the products count the reachable states, no more.
    let product = 0;
    for (const at of parts.values()) product += at.locals.reduce((x, l) => x * l.size, 1);
    expect(product).toBe(inBounds.length);
    expect(parts.size).toBe(new Set(inBounds.map(sharedKey)).size);
  });
});
