/**
 * Configuration, quorum and bounded-integer helpers of the implementation layer (rsl-protocol.md
 * §3, §4), on the plain values of impl/types.ts, plus the abstraction of the constants.
 *
 * `max_integer_val` is a number here (`Infinity` for an unbounded counter), so the saturating
 * arithmetic is the spec's formula on numbers: the same floating-point operations in the same
 * order, hence bit-for-bit the spec's results, even near 2^53.
 */
import type { ReplicaConstants, UpperBound } from '../spec/index.js';
import { configuration, replicaConstants } from '../spec/index.js';
import type { CConfiguration, CEndPoint, CReplicaConstants } from './types.js';

/** CMinQuorumSize: `floor(n/2) + 1`. */
export function cMinQuorumSize(c: CConfiguration): number {
  return Math.floor(c.replicaIds.length / 2) + 1;
}

/** CGetReplicaIndex: index of the first occurrence of `id`, or -1. */
export function cGetReplicaIndex(id: CEndPoint, c: CConfiguration): number {
  return c.replicaIds.indexOf(id);
}

export function cIsReplica(id: CEndPoint, c: CConfiguration): boolean {
  return c.replicaIds.includes(id);
}

/** CReplicaConstantsValid: `0 <= my_index < n`. */
export function cReplicaConstantsValid(c: CReplicaConstants): boolean {
  return c.myIndex >= 0 && c.myIndex < c.config.replicaIds.length;
}

/** The replica's own end point. Throws on an index outside the configuration (a caller bug). */
export function cMe(c: CReplicaConstants): CEndPoint {
  const id = c.config.replicaIds[c.myIndex];
  if (id === undefined) throw new RangeError(`replica index ${c.myIndex} is outside the configuration`);
  return id;
}

/** UpperBoundedAddition with `u = Infinity` for Infinite: `x + y`, or `u` when the sum would exceed it. */
export function cUpperBoundedAddition(x: number, y: number, u: number): number {
  return x + y <= u ? x + y : u;
}

/** BoundRequestSequence, in place: keep the first `u` elements when `0 <= u < |s|`. */
export function cBoundSequenceInPlace<T>(s: T[], u: number): void {
  if (u >= 0 && u < s.length) s.length = u;
}

// ---------------------------------------------------------------------------------------------
// Abstraction of the constants (memoised: constants never change along a run)

const abstractMemo = new WeakMap<CReplicaConstants, ReplicaConstants>();
const concreteMemo = new WeakMap<ReplicaConstants, CReplicaConstants>();

export function abstractUpperBound(u: number): UpperBound {
  return u === Infinity ? { kind: 'Infinite' } : { kind: 'Finite', n: u };
}

export function concreteUpperBound(u: UpperBound): number {
  return u.kind === 'Infinite' ? Infinity : u.n;
}

/** The spec's `ReplicaConstants` for concrete constants. */
export function abstractReplicaConstants(c: CReplicaConstants): ReplicaConstants {
  let rc = abstractMemo.get(c);
  if (rc === undefined) {
    const p = c.params;
    rc = replicaConstants(c.myIndex, {
      config: configuration(c.config.replicaIds),
      params: {
        maxLogLength: p.maxLogLength,
        baselineViewTimeoutPeriod: p.baselineViewTimeoutPeriod,
        heartbeatPeriod: p.heartbeatPeriod,
        maxIntegerVal: abstractUpperBound(p.maxIntegerVal),
        maxBatchSize: p.maxBatchSize,
        maxBatchDelay: p.maxBatchDelay,
      },
    });
    abstractMemo.set(c, rc);
    concreteMemo.set(rc, c);
  }
  return rc;
}

/** Concrete constants for the spec's (the reverse of `abstractReplicaConstants`). */
export function concreteReplicaConstants(rc: ReplicaConstants): CReplicaConstants {
  let c = concreteMemo.get(rc);
  if (c === undefined) {
    const p = rc.all.params;
    c = {
      myIndex: rc.myIndex,
      config: { replicaIds: rc.all.config.replicaIds.toArray() },
      params: {
        maxLogLength: p.maxLogLength,
        baselineViewTimeoutPeriod: p.baselineViewTimeoutPeriod,
        heartbeatPeriod: p.heartbeatPeriod,
        maxIntegerVal: concreteUpperBound(p.maxIntegerVal),
        maxBatchSize: p.maxBatchSize,
        maxBatchDelay: p.maxBatchDelay,
      },
    };
    concreteMemo.set(rc, c);
    abstractMemo.set(c, rc);
  }
  return c;
}
