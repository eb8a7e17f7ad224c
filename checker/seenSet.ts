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

/** The shared memory of a SeenSet, as sent to worker threads (see SeenSetReader). */
export interface SeenSetShare {
  readonly table: SharedArrayBuffer;
  readonly chunks: readonly SharedArrayBuffer[];
}

export class SeenSet {
  private table: Uint32Array;
  private mask: number;
  private readonly chunks: Uint32Array[] = [];
  private count = 0;
  private shareCache: SeenSetShare | undefined;

  /**
   * With `shared`, the arrays live in SharedArrayBuffers so that worker threads can look
   * fingerprints up (read only) while this thread, the only writer, keeps inserting.
   */
  constructor(
    initialCapacity = 1 << 12,
    private readonly shared = false,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.table = this.allocate(capacity);
    this.mask = capacity - 1;
  }

  private allocate(length: number): Uint32Array {
    return this.shared ? new Uint32Array(new SharedArrayBuffer(length * 4)) : new Uint32Array(length);
  }

  /** The shared buffers (when `shared`), to hand to readers in other threads. */
  share(): SeenSetShare | undefined {
    if (!this.shared) return undefined;
    if (this.shareCache === undefined || this.shareCache.table !== this.table.buffer || this.shareCache.chunks.length !== this.chunks.length) {
      this.shareCache = {
        table: this.table.buffer as SharedArrayBuffer,
        chunks: this.chunks.map((c) => c.buffer as SharedArrayBuffer),
      };
    }
    return this.shareCache;
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
    if (chunkNo === this.chunks.length) this.chunks.push(this.allocate(CHUNK_SIZE * 3));
    const chunk = this.chunks[chunkNo]!;
    const at = (index & CHUNK_MASK) * 3;
    chunk[at] = hi;
    chunk[at + 1] = lo;
    chunk[at + 2] = parent;
    // Publishing the slot last, atomically, lets a reader that sees it also see the entry.
    if (this.shared) Atomics.store(table, slot, index + 1);
    else table[slot] = index + 1;
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
    // Readers keep using the old table until they are sent the new one: it is never written
    // again, and everything in it is still in the set.
    const table = this.allocate(this.table.length * 2);
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

/**
 * Read-only lookups in another thread's SeenSet. A `true` answer is final (entries are never
 * removed); a `false` answer may be stale, so the owner must still insert.
 */
export class SeenSetReader {
  private readonly table: Uint32Array;
  private readonly mask: number;
  private readonly chunks: Uint32Array[];

  constructor(share: SeenSetShare) {
    this.table = new Uint32Array(share.table);
    this.mask = this.table.length - 1;
    this.chunks = share.chunks.map((c) => new Uint32Array(c));
  }

  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    const table = this.table;
    let slot = lo & this.mask;
    for (;;) {
      const entry = Atomics.load(table, slot);
      if (entry === 0) return false;
      const index = entry - 1;
      const chunk = this.chunks[index >>> CHUNK_BITS];
      // An entry in a chunk this reader was not sent yet is simply "not known to be seen".
      if (chunk === undefined) return false;
      const at = (index & CHUNK_MASK) * 3;
      if (chunk[at + 1] === lo && chunk[at] === hi) return true;
      slot = (slot + 1) & this.mask;
    }
  }
}
