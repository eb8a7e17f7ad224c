/**
 * The fingerprint set with parent pointers (TLC's FPSet + TLCTrace): a set with insertion-order
 * indices, parents written once, that survives growth, compared against a JS Map as the model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_PARENT, SeenSet } from '../../checker/index.js';
import { SeenSetReader } from '../../checker/seenSet.js';

describe('SeenSet', () => {
  it('can behave like a Map from fingerprint to (index, first parent)', () => {
    const fp = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fp, fc.nat(1000)), { maxLength: 300 }), (ops) => {
        const set = new SeenSet(16);
        const model = new Map<string, { index: number; parent: number }>();
        for (const [[hi, lo], parent] of ops) {
          const key = `${hi}:${lo}`;
          const index = set.insert(hi, lo, parent);
          if (model.has(key)) {
            if (index !== -1) return false;
          } else {
            if (index !== model.size) return false;
            model.set(key, { index, parent });
          }
        }
        if (set.size !== model.size) return false;
        for (const [key, { index, parent }] of model) {
          const [hi, lo] = key.split(':').map(Number) as [number, number];
          if (set.indexOf(hi, lo) !== index || set.parent(index) !== parent) return false;
          if (set.hi(index) !== hi || set.lo(index) !== lo) return false;
        }
        return set.indexOf(41, 41) === -1;
      }),
    );
  });

  it('can hold full 32-bit halves, many states, and little memory per state', () => {
    const set = new SeenSet();
    const n = 200_000;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      // Spread the low halves like a hash would: the table probes from the low bits.
      const lo = Math.imul(i, 0x9e3779b1) >>> 0;
      if (set.insert(0xffffffff - i, lo, i === 0 ? NO_PARENT : i - 1) !== i) wrong++;
    }
    expect(wrong).toBe(0);
    expect(set.insert(0xffffffff - 7, Math.imul(7, 0x9e3779b1) >>> 0, 0)).toBe(-1);
    expect(set.parent(0)).toBe(NO_PARENT);
    expect(set.parent(n - 1)).toBe(n - 2);
    expect(set.byteSize / n).toBeLessThanOrEqual(32);
  });

  it('can be read from shared memory, where an old view may miss entries but never invents one', () => {
    const set = new SeenSet(16, true);
    const early = set.share()!;
    for (let i = 0; i < 5000; i++) set.insert(i, Math.imul(i, 0x9e3779b1) >>> 0, 0);
    const stale = new SeenSetReader(early);
    const fresh = new SeenSetReader(set.share()!);
    let staleHits = 0;
    for (let i = 0; i < 5000; i++) {
      const lo = Math.imul(i, 0x9e3779b1) >>> 0;
      expect(fresh.has(i, lo)).toBe(true);
      if (stale.has(i, lo)) staleHits++;
      expect(fresh.has(i + 1, lo)).toBe(false);
      expect(stale.has(i + 1, lo)).toBe(false);
    }
    // The first view was taken before the table grew and before any chunk existed.
    expect(staleHits).toBe(0);
    expect(new SeenSet().share()).toBeUndefined();
  });
});
