/**
 * The set of seen fingerprints and the parent pointers (TLC's FPSet + TLCTrace; style-anchors §2).
 *
 * The table holds the 64-bit fingerprints themselves, open addressing with linear probing over a
 * Uint32Array of [hi, lo] pairs, so a lookup costs one random memory access. A high half of 0
 * marks an empty slot (a fingerprint whose high half is 0 is stored with high half 1). The table
 * doubles when more than 3/4 full: 8 bytes per slot, 10.7–21.3 bytes per distinct state.
 *
 * Every distinct state also gets a discovery index 0, 1, 2, … in the order it was first seen, and
 * for each index we keep where it was first reached from: its parent's index and its position in
 * the parent's list of successors (for an initial state, its position in the list of initial
 * states). These [parent, ordinal] pairs live in chunked Uint32Arrays, 8 bytes per state, written
 * once on first discovery. Altogether 18.7–29.3 bytes per distinct state.
 */

/** Parent pointer of an initial state. */
export const NO_PARENT = 0xffffffff;

const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

/** The shared memory of a SeenSet's table, as sent to worker threads (see SeenSetReader). */
export interface SeenSetShare {
  readonly table: SharedArrayBuffer;
}

export class SeenSet {
  private table: Uint32Array;
  private mask: number;
  private readonly chunks: Uint32Array[] = [];
  private count = 0;
  private shareCache: SeenSetShare | undefined;

  /**
   * With `shared`, the table lives in a SharedArrayBuffer so that worker threads can look
   * fingerprints up (read only) while this thread, the only writer, keeps inserting.
   */
  constructor(
    initialCapacity = 1 << 12,
    private readonly shared = false,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.table = this.allocateTable(capacity);
    this.mask = capacity - 1;
  }

  private allocateTable(slots: number): Uint32Array {
    return this.shared ? new Uint32Array(new SharedArrayBuffer(slots * 8)) : new Uint32Array(slots * 2);
  }

  /** The shared table (when `shared`), to hand to readers in other threads. */
  share(): SeenSetShare | undefined {
    if (!this.shared) return undefined;
    if (this.shareCache?.table !== this.table.buffer) this.shareCache = { table: this.table.buffer as SharedArrayBuffer };
    return this.shareCache;
  }

  /** Number of distinct fingerprints. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds the fingerprint `(hi, lo)`, first reached as successor number `ordinal` of the state with
   * index `parent`, and returns its new discovery index; or returns -1 if it was already present
   * (then nothing is written: parent pointers are only recorded on first discovery).
   */
  insert(hi: number, lo: number, parent: number, ordinal: number): number {
    hi = hi >>> 0 || 1;
    lo >>>= 0;
    const table = this.table;
    const mask = this.mask;
    let slot = lo & mask;
    for (;;) {
      const h = table[2 * slot]!;
      if (h === 0) break;
      if (h === hi && table[2 * slot + 1] === lo) return -1;
      slot = (slot + 1) & mask;
    }
    // Readers in other threads take a slot as filled once its high half is non-zero, so that
    // half is published last.
    table[2 * slot + 1] = lo;
    if (this.shared) Atomics.store(table, 2 * slot, hi);
    else table[2 * slot] = hi;
    const index = this.count++;
    const chunkNo = index >>> CHUNK_BITS;
    if (chunkNo === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK_SIZE * 2));
    const chunk = this.chunks[chunkNo]!;
    const at = (index & CHUNK_MASK) * 2;
    chunk[at] = parent;
    chunk[at + 1] = ordinal;
    if (this.count * 4 > (mask + 1) * 3) this.grow();
    return index;
  }

  /** Whether the fingerprint `(hi, lo)` is in the set. */
  has(hi: number, lo: number): boolean {
    return lookup(this.table, this.mask, hi >>> 0 || 1, lo >>> 0, false);
  }

  /** Discovery index of the state `index` was first reached from, or NO_PARENT. */
  parent(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]![(index & CHUNK_MASK) * 2]!;
  }

  /** Position of state `index` among its parent's successors (or among the initial states). */
  ordinal(index: number): number {
    return this.chunks[index >>> CHUNK_BITS]![(index & CHUNK_MASK) * 2 + 1]!;
  }

  /** Bytes held in typed arrays (table plus per-state chunks). */
  get byteSize(): number {
    return this.table.byteLength + this.chunks.length * CHUNK_SIZE * 2 * 4;
  }

  private grow(): void {
    // Readers keep using the old table until they are sent the new one: it is never written
    // again, and everything in it is still in the set.
    const old = this.table;
    const slots = old.length; // twice the old slot count
    const table = this.allocateTable(slots);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]!;
      if (hi === 0) continue;
      const lo = old[i + 1]!;
      let slot = lo & mask;
      while (table[2 * slot] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = hi;
      table[2 * slot + 1] = lo;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Linear-probing lookup of a (non-zero-high) fingerprint in a [hi, lo] table. */
function lookup(table: Uint32Array, mask: number, hi: number, lo: number, atomic: boolean): boolean {
  let slot = lo & mask;
  for (;;) {
    const h = atomic ? Atomics.load(table, 2 * slot) : table[2 * slot]!;
    if (h === 0) return false;
    if (h === hi && table[2 * slot + 1] === lo) return true;
    slot = (slot + 1) & mask;
  }
}

/**
 * Read-only lookups in another thread's SeenSet. A `true` answer is final (entries are never
 * removed); a `false` answer may be stale, so the owner must still insert.
 */
export class SeenSetReader {
  private readonly table: Uint32Array;
  private readonly mask: number;

  constructor(share: SeenSetShare) {
    this.table = new Uint32Array(share.table);
    this.mask = this.table.length / 2 - 1;
  }

  has(hi: number, lo: number): boolean {
    return lookup(this.table, this.mask, hi >>> 0 || 1, lo >>> 0, true);
  }
}

/**
 * A plain set of 64-bit fingerprints (no discovery indices, no parents), the same open-addressing
 * layout as SeenSet: for the intermediate states of composite successors, and for the successors
 * already met within one batch.
 */
export class FingerprintTable {
  private table: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 10) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.table = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get byteSize(): number {
    return this.table.byteLength;
  }

  /** Adds `(hi, lo)`; true if it was not there before. */
  add(hi: number, lo: number): boolean {
    hi = hi >>> 0 || 1;
    lo >>>= 0;
    const table = this.table;
    const mask = this.mask;
    let slot = lo & mask;
    for (;;) {
      const h = table[2 * slot]!;
      if (h === 0) break;
      if (h === hi && table[2 * slot + 1] === lo) return false;
      slot = (slot + 1) & mask;
    }
    table[2 * slot] = hi;
    table[2 * slot + 1] = lo;
    if (++this.count * 4 > (mask + 1) * 3) this.grow();
    return true;
  }

  has(hi: number, lo: number): boolean {
    return lookup(this.table, this.mask, hi >>> 0 || 1, lo >>> 0, false);
  }

  /** Empties the set, keeping its capacity. */
  clear(): void {
    if (this.count === 0) return;
    this.table.fill(0);
    this.count = 0;
  }

  private grow(): void {
    const old = this.table;
    const slots = old.length;
    const table = new Uint32Array(slots * 2);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]!;
      if (hi === 0) continue;
      const lo = old[i + 1]!;
      let slot = lo & mask;
      while (table[2 * slot] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = hi;
      table[2 * slot + 1] = lo;
    }
    this.table = table;
    this.mask = mask;
  }
}
