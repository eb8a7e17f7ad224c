/**
 * The set of seen fingerprints and the parent pointers (TLC's FPSet + TLCTrace; style-anchors §2).
 *
 * Every distinct state gets a discovery index 0, 1, 2, … in the order it was first seen. Per index
 * we keep its fingerprint and the index of the state it was first reached from (its parent), in
 * chunked typed arrays: [hi, lo, parent] triples, 12 bytes per state, never moved once written.
 * The hash table is open addressing with linear probing over a Uint32Array holding `index + 1`
 * (0 = empty slot), so a slot costs 4 bytes; it doubles when more than half full. Altogether that
 * is 20–28 bytes per distinct state.
 */

/** Parent pointer of an initial state. */
export const NO_PARENT = 0xffffffff;

const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

export class SeenSet {
  private table: Uint32Array;
  private mask: number;
  private readonly chunks: Uint32Array[] = [];
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.table = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Number of distinct fingerprints. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds the fingerprint `(hi, lo)` first reached from `parent` and returns its new discovery
   * index, or -1 if it was already present (then nothing is written: parent pointers are only
   * recorded on first discovery).
   */
  insert(hi: number, lo: number, parent: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const table = this.table;
    const mask = this.mask;
    let slot = lo & mask;
    for (;;) {
      const entry = table[slot]!;
      if (entry === 0) break;
      const index = entry - 1;
      const chunk = this.chunks[index >>> CHUNK_BITS]!;
      const at = (index & CHUNK_MASK) * 3;
      if (chunk[at + 1] === lo && chunk[at] === hi) return -1;
      slot = (slot + 1) & mask;
    }
    const index = this.count++;
    const chunkNo = index >>> CHUNK_BITS;
    if (chunkNo === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK_SIZE * 3));
    const chunk = this.chunks[chunkNo]!;
    const at = (index & CHUNK_MASK) * 3;
    chunk[at] = hi;
    chunk[at + 1] = lo;
    chunk[at + 2] = parent;
    table[slot] = index + 1;
    if (this.count * 2 > table.length) this.grow();
    return index;
  }

  /** Discovery index of `(hi, lo)`, or -1. */
  indexOf(hi: number, lo: number): number {
    hi >>>= 0;
    lo >>>= 0;
    let slot = lo & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return -1;
      const index = entry - 1;
      if (this.lo(index) === lo && this.hi(index) === hi) return index;
      slot = (slot + 1) & this.mask;
    }
  }

  hi(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]![(index & CHUNK_MASK) * 3]!;
  }

  lo(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]![(index & CHUNK_MASK) * 3 + 1]!;
  }

  /** Discovery index of the state `index` was first reached from, or NO_PARENT. */
  parent(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]![(index & CHUNK_MASK) * 3 + 2]!;
  }

  /** Bytes held in typed arrays (table plus per-state chunks). */
  get byteSize(): number {
    return this.table.byteLength + this.chunks.length * CHUNK_SIZE * 3 * 4;
  }

  private grow(): void {
    const table = new Uint32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = this.lo(index) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = index + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
