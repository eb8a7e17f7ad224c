/** Sequence helpers of rsl-protocol.md §4 (Common/Collections). */
import type { List } from 'immutable';
import type { UpperBound } from './types.js';

/** CountMatches: how many elements of `s` satisfy `f`. */
export function countMatches<T>(s: Iterable<T>, f: (x: T) => boolean): number {
  let n = 0;
  for (const x of s) if (f(x)) n++;
  return n;
}

/**
 * IsNthHighestValueInSequence with the [V] bound `0 < k < |s|` (strict; Dafny allows `k <= |s|`,
 * see §15.1): `v` occurs in `s`, fewer than `k` elements exceed it and at least `k` are `>= v`.
 */
export function isNthHighestValueInSequence(v: number, s: List<number>, k: number): boolean {
  return k > 0 && k < s.size && s.includes(v) && countMatches(s, (x) => x > v) < k && countMatches(s, (x) => x >= v) >= k;
}

/** BoundRequestSequence: the first `u.n` elements when `0 <= u.n < |s|`, else `s`. */
export function boundRequestSequence<T>(s: List<T>, u: UpperBound): List<T> {
  return u.kind === 'Finite' && u.n >= 0 && u.n < s.size ? s.take(u.n) : s;
}
