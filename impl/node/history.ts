/**
 * An exact linearizability check for a history of counter increments whose replies carry the new
 * value (the counter application of §9.2).
 *
 * A history is linearizable with final value F exactly when:
 * 1. every acknowledged value is in 1..F and no value is acknowledged twice (no increment ran twice);
 * 2. real time is respected among acknowledged operations: if a ended before b started, then
 *    value(a) < value(b) (the linearization order of a counter is the order of its values);
 * 3. the values nobody acknowledged (the gaps of 1..F) can be given to distinct unacknowledged
 *    operations (timed out or still outstanding: they may have run, at any time after they
 *    started). Gap g may go to operation u only if every acknowledged operation that ended before
 *    u started has a value below g. The admissible sets are nested (a larger g admits more), so
 *    by Hall's theorem a matching exists iff the k-th smallest gap admits at least k operations.
 */

export interface CounterOp {
  readonly start: number;
  /** When the reply came; for an unacknowledged operation it is ignored (it may take effect at any later time). */
  readonly end: number;
  /** The value the reply carried; undefined when unacknowledged. */
  readonly value: number | undefined;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly why: string };

export function checkCounterHistory(ops: readonly CounterOp[], finalValue: number): Verdict {
  const acked = ops.filter((o): o is CounterOp & { value: number } => o.value !== undefined);
  const seen = new Set<number>();
  for (const o of acked) {
    if (!Number.isInteger(o.value) || o.value < 1 || o.value > finalValue) {
      return { ok: false, why: `acknowledged value ${o.value} is outside 1..${finalValue}` };
    }
    if (seen.has(o.value)) return { ok: false, why: `value ${o.value} acknowledged twice (an increment executed twice)` };
    seen.add(o.value);
  }
  // 2: sweep in decreasing value, keeping the earliest end among higher values.
  const byValueDesc = [...acked].sort((a, b) => b.value - a.value);
  let minEnd = Infinity;
  let minEndValue = 0;
  for (const b of byValueDesc) {
    if (minEnd < b.start) {
      return { ok: false, why: `the operation that got ${minEndValue} ended before the one that got ${b.value} started` };
    }
    if (b.end < minEnd) {
      minEnd = b.end;
      minEndValue = b.value;
    }
  }
  // 3: each unacknowledged operation's lower bound: the highest value acknowledged before it started.
  const byEnd = [...acked].sort((a, b) => a.end - b.end);
  const unacked = ops.filter((o) => o.value === undefined).sort((a, b) => a.start - b.start);
  const bounds: number[] = [];
  let i = 0;
  let highest = 0;
  for (const u of unacked) {
    while (i < byEnd.length && byEnd[i]!.end < u.start) highest = Math.max(highest, byEnd[i++]!.value);
    bounds.push(highest);
  }
  bounds.sort((a, b) => a - b);
  const gaps = finalValue - seen.size;
  if (gaps > unacked.length) {
    return { ok: false, why: `${gaps} increments executed without a reply, but only ${unacked.length} went unanswered` };
  }
  let k = 0;
  let admitted = 0;
  for (let g = 1; g <= finalValue; g++) {
    if (seen.has(g)) continue;
    k++;
    while (admitted < bounds.length && bounds[admitted]! < g) admitted++;
    if (admitted < k) return { ok: false, why: `no unanswered operation could have produced value ${g}` };
  }
  return { ok: true };
}
