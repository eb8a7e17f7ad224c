/**
 * Configuration, parameters and constants (rsl-protocol.md §3).
 *
 * Constants never change along a behaviour (lemma_ConstantsAllConsistent), so unlike the
 * reference they are not stored inside each component's state: every action takes the replica's
 * `ReplicaConstants` as its first argument. This keeps states small and their encodings cheap.
 */
import { List } from 'immutable';
import type { EndPoint, UpperBound } from './types.js';

export interface Configuration {
  readonly replicaIds: List<EndPoint>;
}

export interface Parameters {
  readonly maxLogLength: number;
  readonly baselineViewTimeoutPeriod: number;
  readonly heartbeatPeriod: number;
  readonly maxIntegerVal: UpperBound;
  readonly maxBatchSize: number;
  readonly maxBatchDelay: number;
}

export interface Constants {
  readonly config: Configuration;
  readonly params: Parameters;
}

export interface ReplicaConstants {
  readonly myIndex: number;
  readonly all: Constants;
}

export function configuration(replicaIds: Iterable<EndPoint>): Configuration {
  return { replicaIds: List(replicaIds) };
}

export function replicaConstants(myIndex: number, all: Constants): ReplicaConstants {
  return { myIndex, all };
}

/** LMinQuorumSize: `floor(n/2) + 1`. */
export function minQuorumSize(c: Configuration): number {
  return Math.floor(c.replicaIds.size / 2) + 1;
}

/** GetReplicaIndex: index of the first occurrence of `id`, or -1. */
export function getReplicaIndex(id: EndPoint, c: Configuration): number {
  return c.replicaIds.indexOf(id);
}

export function isReplica(id: EndPoint, c: Configuration): boolean {
  return c.replicaIds.includes(id);
}

/** WellFormedLConfiguration: non-empty, no duplicate ids. */
export function wellFormedConfiguration(c: Configuration): boolean {
  return c.replicaIds.size > 0 && c.replicaIds.toSet().size === c.replicaIds.size;
}

/**
 * WFLParameters. The `max_integer_val > max_log_length` conjunct is commented out in [V]; it is
 * kept here because a model whose integers saturate below the log length is not one we want.
 */
export function wellFormedParameters(p: Parameters): boolean {
  return (
    p.maxLogLength > 0 &&
    p.baselineViewTimeoutPeriod > 0 &&
    p.heartbeatPeriod > 0 &&
    (p.maxIntegerVal.kind === 'Infinite' || p.maxIntegerVal.n > p.maxLogLength) &&
    p.maxBatchSize > 0 &&
    p.maxBatchDelay >= 0
  );
}

/** LReplicaConstantsValid. */
export function replicaConstantsValid(rc: ReplicaConstants): boolean {
  return rc.myIndex >= 0 && rc.myIndex < rc.all.config.replicaIds.size;
}

/** The replica's own end point, `replica_ids[my_index]`. */
export function me(rc: ReplicaConstants): EndPoint {
  const id = rc.all.config.replicaIds.get(rc.myIndex);
  if (id === undefined) throw new RangeError(`replica index ${rc.myIndex} is outside the configuration`);
  return id;
}
