/**
 * 64-bit fingerprints of canonical state encodings (TLC's FP64 role; style-anchors §2, §7.1).
 *
 * The hash has two 32-bit lanes that each absorb one 32-bit word per round and are cross-added
 * after every round and at the end (the shape of MurmurHash3's x86 128-bit variant, cut to two
 * lanes), followed by a 32-bit avalanche finaliser on both lanes. It is not cryptographic: it only
 * has to spread non-adversarial model states evenly over 2^64 values. It never uses immutable's
 * 31-bit `hashCode`.
 */

/** A fingerprint as 16 lowercase hex digits (high lane first). */
export type Fingerprint = string & { readonly __brand: 'Fingerprint' };

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const SEED_HI = 0x9747b28c;
const SEED_LO = 0x5bd1e995;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function mixLaneHi(k: number): number {
  return Math.imul(rotl(Math.imul(k, C1), 15), C2);
}

function mixLaneLo(k: number): number {
  return Math.imul(rotl(Math.imul(k, C2), 16), C1);
}

function word(bytes: Uint8Array, i: number): number {
  return bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24) | 0;
}

/** Little-endian word made of the `n < 4` bytes at `i`. */
function partialWord(bytes: Uint8Array, i: number, n: number): number {
  let k = 0;
  for (let j = n - 1; j >= 0; j--) k = (k << 8) | bytes[i + j]!;
  return k;
}

/**
 * Hashes `bytes[start, end)` to 64 bits and writes them to `out[0]` (high lane) and `out[1]` (low
 * lane) as unsigned 32-bit values. Allocation-free: this is the checker's hot path.
 */
export function hash64(bytes: Uint8Array, start: number, end: number, out: Uint32Array): void {
  const len = end - start;
  let h1 = SEED_HI ^ len;
  let h2 = SEED_LO;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    h1 ^= mixLaneHi(word(bytes, i));
    h1 = rotl(h1, 19);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    h2 ^= mixLaneLo(word(bytes, i + 4));
    h2 = rotl(h2, 17);
    h2 = (h2 + h1) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
  }
  const rest = end - i;
  if (rest > 4) {
    h2 ^= mixLaneLo(partialWord(bytes, i + 4, rest - 4));
    h1 ^= mixLaneHi(word(bytes, i));
  } else if (rest === 4) {
    h1 ^= mixLaneHi(word(bytes, i));
  } else if (rest > 0) {
    h1 ^= mixLaneHi(partialWord(bytes, i, rest));
  }
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
}

const scratch = new Uint32Array(2);

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/** The fingerprint written as 16 hex digits. */
export function fingerprintHex(hi: number, lo: number): Fingerprint {
  return (hex8(hi) + hex8(lo)) as Fingerprint;
}

/** The 64-bit fingerprint of a whole byte string (see `hash64`). */
export function fingerprintOf(bytes: Uint8Array): Fingerprint {
  hash64(bytes, 0, bytes.length, scratch);
  return fingerprintHex(scratch[0]!, scratch[1]!);
}

/**
 * Probability estimates that some pair of distinct states shared a fingerprint (so one of them
 * was wrongly taken as already seen), for 64-bit fingerprints.
 * - `tlcOptimistic` is TLC's "calculated (optimistic)" figure: distinct × (generated − distinct) / 2^64
 *   (each of the generated−distinct lookups that hit a seen fingerprint could have been a false hit
 *   against any of the distinct ones).
 * - `birthday` is the birthday bound over the distinct states: distinct² / 2^65.
 */
export function collisionProbability(
  distinct: number,
  generated: number,
): {
  readonly tlcOptimistic: number;
  readonly birthday: number;
} {
  const two64 = 2 ** 64;
  return {
    tlcOptimistic: (distinct * Math.max(0, generated - distinct)) / two64,
    birthday: (distinct * distinct) / (2 * two64),
  };
}
