/**
 * The fingerprint set with parent pointers (TLC's FPSet + TLCTrace): a set that numbers new
 * fingerprints in insertion order and records (parent, ordinal) once, that survives growth, and
 * that other threads can read; compared against a JS Map as the model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_PARENT, SeenSet } from '../../checker/index.js';
import { SeenSetReader } from '../../checker/seenSet.js';

describe('SeenSet', () => {
  it('can behave like a Map from fingerprint to (index, first parent, first ordinal)', () => {
    // Small halves, zero included, so that probing chains, growth and the empty marker are all exercised.
    const fp = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fp, fc.nat(1000), fc.nat(50)), { maxLength: 300 }), (ops) => {
        const set = new SeenSet(16);
        const model = new Map<string, { index: number; parent: number; ordinal: number }>();
        for (const [[hi, lo], parent, ordinal] of ops) {
          // A high half of 0 is stored as 1: the two are one fingerprint.
          const key = `${hi || 1}:${lo}`;
          const index = set.insert(hi, lo, parent, ordinal);
          if (model.has(key)) {
            if (index !== -1) return false;
          } else {
            if (index !== model.size) return false;
            model.set(key, { index, parent, ordinal });
          }
        }
        if (set.size !== model.size) return false;
        for (const [key, { index, parent, ordinal }] of model) {
          const [hi, lo] = key.split(':').map(Number) as [number, number];
          if (!set.has(hi, lo) || set.parent(index) !== parent || set.ordinal(index) !== ordinal) return false;
        }
        return !set.has(41, 41);
      }),
    );
  });

  it('can hold full 32-bit halves, many states, and little memory per state', () => {
    const set = new SeenSet();
    const n = 300_000;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      // Spread the low halves like a hash would: the table probes from the low bits.
      const lo = Math.imul(i, 0x9e3779b1) >>> 0;
      if (set.insert(0xffffffff - i, lo, i === 0 ? NO_PARENT : i - 1, i % 7) !== i) wrong++;
    }
    expect(wrong).toBe(0);
    expect(set.insert(0xffffffff - 7, Math.imul(7, 0x9e3779b1) >>> 0, 0, 0)).toBe(-1);
    expect(set.parent(0)).toBe(NO_PARENT);
    expect(set.parent(n - 1)).toBe(n - 2);
    expect(set.ordinal(n - 1)).toBe((n - 1) % 7);
    expect(set.byteSize / n).toBeLessThanOrEqual(32);
  });

  it('can be read from shared memory, where an old view may miss entries but never invents one', () => {
    const set = new SeenSet(16, true);
    const early = set.share()!;
    for (let i = 0; i < 5000; i++) set.insert(i, Math.imul(i, 0x9e3779b1) >>> 0, 0, 0);
    const stale = new SeenSetReader(early);
    const fresh = new SeenSetReader(set.share()!);
    let staleHits = 0;
    for (let i = 0; i < 5000; i++) {
      const lo = Math.imul(i, 0x9e3779b1) >>> 0;
      expect(fresh.has(i, lo)).toBe(true);
      if (stale.has(i, lo)) staleHits++;
      expect(fresh.has(i + 5000, lo)).toBe(false);
      expect(stale.has(i + 5000, lo)).toBe(false);
    }
    // The first view is of the 16-slot table, which was replaced once the 13th entry made it over 3/4 full.
    expect(staleHits).toBe(13);
    expect(new SeenSet().share()).toBeUndefined();
  });
});
