/**
 * Enumeration helpers for the tests that compare bounded models state by state (the election
 * oracle against the faithful election, rounds against actions): the bounds, a breadth-first
 * closure by canonical key, and the oracle's abstraction of a whole system state.
 */
import { List } from 'immutable';
import type { Parameters } from '../../spec/configuration.js';
import { abstractReplicaTiming, firstViews } from '../../spec/electionOracle.js';
import { canonicalKey, replicaConstantsOf, type RslSystem, type SystemConfig } from '../../spec/system.js';
import { balLt } from '../../spec/types.js';
import { makeConstants } from './systemFixtures.js';

export interface Bounds {
  readonly views: number;
  readonly opns: number;
}

/** Outside the bounds (not expanded, as the CLI's state constraint): a later view, or a slot past `opns`. */
export function cut(cfg: SystemConfig, b: Bounds, s: RslSystem): boolean {
  const last = firstViews(cfg.constants.config, b.views).at(-1)!;
  return s.replicas.some(
    (sch) => balLt(last, sch.replica.proposer.electionState.currentView) || sch.replica.proposer.nextOperationNumberToPropose > b.opns,
  );
}

/** Breadth-first closure of `next` from `init`, by canonical key; `stop` states are kept, not expanded. */
export function closure(
  init: RslSystem,
  next: (s: RslSystem) => readonly RslSystem[],
  stop: (s: RslSystem) => boolean,
): Map<string, RslSystem> {
  const seen = new Map([[canonicalKey(init), init]]);
  let frontier = [init];
  while (frontier.length > 0) {
    const level: RslSystem[] = [];
    for (const s of frontier) {
      if (stop(s)) continue;
      for (const t of next(s)) {
        const k = canonicalKey(t);
        if (!seen.has(k)) {
          seen.set(k, t);
          level.push(t);
        }
      }
    }
    frontier = level;
  }
  return seen;
}

/** The abstraction function on a whole system state: no clocks, no heartbeats, abstract replicas. */
export function abstractSystem(cfg: SystemConfig, s: RslSystem): RslSystem {
  const rcs = replicaConstantsOf(cfg);
  return s.merge({
    replicas: s.replicas.map((sch, i) => sch.set('replica', abstractReplicaTiming(rcs[i]!, sch.replica))),
    clocks: s.clocks.map(() => 0),
    sentPackets: s.sentPackets.filter((p) => p.msg.type !== 'Heartbeat'),
  });
}

const tinyParams: Partial<Parameters> = {
  maxLogLength: 2,
  baselineViewTimeoutPeriod: 1,
  heartbeatPeriod: 1,
  maxBatchSize: 1,
  maxBatchDelay: 0,
};

/**
 * A small faithful system to enumerate: up to three replicas and two clients, clocks 0..1
 * (monotone), the `any` scheduler; `params` and `extra` override the parameters and the rest.
 */
export function tinySystem(
  replicas: number,
  clients: number,
  requests: number,
  opts: { readonly params?: Partial<Parameters>; readonly extra?: Partial<SystemConfig> } = {},
): SystemConfig {
  return {
    constants: makeConstants(['r0', 'r1', 'r2'].slice(0, replicas), { ...tinyParams, ...opts.params }),
    clientIds: List(['c0', 'c1'].slice(0, clients)),
    requestsPerClient: requests,
    clockMax: 1,
    monotoneClocks: true,
    scheduler: 'any',
    ...opts.extra,
  };
}
