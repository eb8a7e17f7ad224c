/**
 * Builders for the tests of the replica, system, purity and random-walk suites: small constants,
 * system configurations, a seeded PRNG, seeded random walks, and a deep copy of immutable values.
 */
import { isList, isMap, isRecord, isSet, List, Map, Set } from 'immutable';
import { configuration, replicaConstants, type Constants, type Parameters, type ReplicaConstants } from '../../spec/configuration.js';
import { defaultSpecActions, type SpecActions } from '../../spec/replica.js';
import { systemInit, systemSuccessors, type RslSystem, type SystemConfig, type SystemSuccessor } from '../../spec/system.js';

export const replicaIds = ['r0', 'r1', 'r2'] as const;
export const clientIds = ['c0', 'c1'] as const;

/** The small parameters the randomWalk brief asks for. */
export const smallParams: Parameters = {
  maxLogLength: 3,
  baselineViewTimeoutPeriod: 2,
  heartbeatPeriod: 1,
  maxIntegerVal: { kind: 'Finite', n: Number.MAX_SAFE_INTEGER },
  maxBatchSize: 2,
  maxBatchDelay: 1,
};

export function makeConstants(ids: readonly string[] = replicaIds, params: Partial<Parameters> = {}): Constants {
  return { config: configuration(ids), params: { ...smallParams, ...params } };
}

/** The constants of replica `i` in a configuration of `ids`. */
export function rc(i: number, ids: readonly string[] = replicaIds, params: Partial<Parameters> = {}): ReplicaConstants {
  return replicaConstants(i, makeConstants(ids, params));
}

export function makeSystemConfig(overrides: Partial<SystemConfig> = {}): SystemConfig {
  return {
    constants: makeConstants(),
    clientIds: List(clientIds),
    requestsPerClient: 2,
    clockMax: 3,
    monotoneClocks: true,
    scheduler: 'any',
    ...overrides,
  };
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WalkStep {
  readonly from: RslSystem;
  readonly taken: SystemSuccessor;
}

/**
 * A seeded random walk of at most `steps` steps from `systemInit(cfg)`: at each state one successor
 * is drawn uniformly. Stops early in a state without successors. `visit` sees every step.
 */
export function randomWalk(
  cfg: SystemConfig,
  seed: number,
  steps: number,
  visit: (step: WalkStep) => void = () => {},
  P: SpecActions = defaultSpecActions,
): RslSystem {
  const rand = mulberry32(seed);
  let sys = systemInit(cfg);
  for (let k = 0; k < steps; k++) {
    const succs = systemSuccessors(cfg, sys, P);
    const taken = succs[Math.floor(rand() * succs.length)];
    if (taken === undefined) break;
    visit({ from: sys, taken });
    sys = taken.state;
  }
  return sys;
}

/** States visited by seeded random walks, every `every`-th one: a sample of reachable states. */
export function sampleReachableStates(cfg: SystemConfig, seeds: readonly number[], steps: number, every: number): RslSystem[] {
  const states: RslSystem[] = [];
  for (const seed of seeds) {
    let k = 0;
    randomWalk(cfg, seed, steps, ({ taken }) => {
      if (++k % every === 0) states.push(taken.state);
    });
  }
  return states;
}

/**
 * A structurally equal copy sharing no immutable collection or record with `v`: every Record is
 * rebuilt by its own factory, every collection from fresh entries.
 */
export function deepCopy<T>(v: T): T {
  return copy(v) as T;
}

function copy(v: unknown): unknown {
  if (isRecord(v)) {
    const factory = v.constructor as (values: object) => unknown;
    return factory(v.toSeq().map(copy).toObject());
  }
  if (isMap(v)) return Map(v.entrySeq().map(([k, x]) => [copy(k), copy(x)] as const));
  if (isSet(v)) return Set(v.toSeq().map(copy));
  if (isList(v)) return List(v.toSeq().map(copy));
  return v;
}
