import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCounterHistory, type CounterOp } from '../../../impl/node/history.js';

const op = (start: number, end: number, value?: number): CounterOp => ({ start, end, value });

/** Linearizable by definition: some subset of the operations, in some order, explains everything. */
function bruteForce(ops: readonly CounterOp[], finalValue: number): boolean {
  const n = ops.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen = ops.filter((_, i) => (mask >> i) & 1);
    if (chosen.length !== finalValue) continue;
    if (ops.some((o, i) => o.value !== undefined && !((mask >> i) & 1))) continue;
    const orders = (rest: CounterOp[], acc: CounterOp[]): boolean => {
      if (rest.length === 0) return true;
      return rest.some((o, i) => {
        const pos = acc.length + 1;
        if (o.value !== undefined && o.value !== pos) return false;
        // Real time: no remaining operation may have ended before o started.
        if (rest.some((p, j) => j !== i && p.end < o.start)) return false;
        return orders([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, o]);
      });
    };
    if (orders(chosen, [])) return true;
  }
  return false;
}

describe('checkCounterHistory', () => {
  it('accepts sequential and overlapping histories that some order explains', () => {
    expect(checkCounterHistory([op(0, 1, 1), op(2, 3, 2)], 2)).toEqual({ ok: true });
    expect(checkCounterHistory([op(0, 10, 2), op(1, 5, 1)], 2)).toEqual({ ok: true });
    expect(checkCounterHistory([op(0, 1, 1), op(2, Infinity), op(3, 4, 3)], 3)).toEqual({ ok: true });
    expect(checkCounterHistory([op(0, Infinity)], 0)).toEqual({ ok: true });
  });

  it('rejects an increment executed twice, a value out of range, and a reordering in real time', () => {
    expect(checkCounterHistory([op(0, 1, 1), op(2, 3, 1)], 2).ok).toBe(false);
    expect(checkCounterHistory([op(0, 1, 3)], 2).ok).toBe(false);
    expect(checkCounterHistory([op(0, 1, 2), op(2, 3, 1)], 2).ok).toBe(false);
  });

  it('rejects executed increments nobody could have sent', () => {
    expect(checkCounterHistory([op(0, 1, 1)], 2).ok).toBe(false);
    // Value 1 is missing; the only unanswered operation started after value 2 was acknowledged.
    expect(checkCounterHistory([op(0, 1, 2), op(5, Infinity)], 2).ok).toBe(false);
  });

  it('agrees with a brute-force search over every subset and order on small random histories', () => {
    const history = fc.array(fc.tuple(fc.nat(8), fc.nat(8), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined })), {
      maxLength: 5,
    });
    let linearizable = 0;
    let notLinearizable = 0;
    fc.assert(
      fc.property(history, fc.nat(5), (raw, finalValue) => {
        const ops = raw.map(([s, d, v]) => op(s, v === undefined ? Infinity : s + d, v));
        const expected = bruteForce(ops, finalValue);
        if (expected) linearizable++;
        else notLinearizable++;
        expect(checkCounterHistory(ops, finalValue).ok).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(linearizable).toBeGreaterThan(50);
    expect(notLinearizable).toBeGreaterThan(50);
  });
});
