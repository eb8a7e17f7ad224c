/**
 * 64-bit fingerprints (style-anchors §7.1): deterministic, sensitive to every byte, and spread
 * like random 64-bit values (collisions within each 32-bit half at the birthday rate, none in 64 bits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collisionProbability, fingerprintOf, hash64 } from '../../checker/index.js';

/** `n < 2^24` in its first three bytes, zero-padded to `length >= 3`. */
function bytesOf(n: number, length: number): Uint8Array {
  const b = new Uint8Array(length);
  b[0] = n & 0xff;
  b[1] = (n >>> 8) & 0xff;
  b[2] = n >>> 16;
  return b;
}

describe('fingerprints', () => {
  it('can hash any byte range the same way as a copy of it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(16), fc.nat(16), (bytes, pre, post) => {
        const padded = new Uint8Array(pre + bytes.length + post).fill(0xa5);
        padded.set(bytes, pre);
        const a = new Uint32Array(2);
        const b = new Uint32Array(2);
        hash64(padded, pre, pre + bytes.length, a);
        hash64(bytes, 0, bytes.length, b);
        return a[0] === b[0] && a[1] === b[1];
      }),
    );
  });

  it('can change when any single bit changes, including length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(7), (bytes, at, bit) => {
        const flipped = bytes.slice();
        const i = at % bytes.length;
        flipped[i] = flipped[i]! ^ (1 << bit);
        return fingerprintOf(flipped) !== fingerprintOf(bytes) && fingerprintOf(bytes) !== fingerprintOf(bytes.subarray(1));
      }),
    );
  });

  it('can spread near-identical inputs like random values', () => {
    // 2^17 distinct inputs differing in their first bytes, 3..23 bytes long (every tail length mod 8).
    const n = 1 << 17;
    const full = new Set<string>();
    const hi = new Set<number>();
    const lo = new Set<number>();
    const out = new Uint32Array(2);
    let ones = 0;
    for (let i = 0; i < n; i++) {
      const bytes = bytesOf(i, 3 + (i % 21));
      hash64(bytes, 0, bytes.length, out);
      full.add(`${out[0]}:${out[1]}`);
      hi.add(out[0]!);
      lo.add(out[1]!);
      for (let x = out[1]!; x !== 0; x &= x - 1) ones++;
    }
    expect(full.size).toBe(n);
    // Expected 32-bit collisions: about n²/2^33 = 2; allow generous slack, but not systematic ones.
    expect(n - hi.size).toBeLessThan(20);
    expect(n - lo.size).toBeLessThan(20);
    // Half of the low lane's bits are set on average.
    expect(ones / (32 * n)).toBeCloseTo(0.5, 2);
  });

  it('can write fingerprints as 16 hex digits', () => {
    expect(fingerprintOf(new Uint8Array([1, 2, 3]))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('can estimate collisions as TLC does and by the birthday bound', () => {
    expect(collisionProbability(2 ** 20, 2 ** 22)).toEqual({
      tlcOptimistic: (2 ** 20 * (2 ** 22 - 2 ** 20)) / 2 ** 64,
      birthday: 2 ** 40 / 2 ** 65,
    });
    expect(collisionProbability(0, 0)).toEqual({ tlcOptimistic: 0, birthday: 0 });
  });
});
