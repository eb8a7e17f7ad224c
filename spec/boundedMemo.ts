/**
 * A memo table of bounded size, for the memos and hash-consing tables behind the successor
 * function (spec/systemMemo.ts) and the obligations (cli/partsMemo.ts).
 *
 * Why bounded: those tables were keyed by the identity of per-state values (replica states, packet
 * sets, part combinations) and never dropped an entry while its key lived; the tables that make
 * equal values one object kept every key alive, and memo values point to later values (a replica
 * state's outcomes to its successor states, a packet set's unions to larger sets), so everything
 * ever computed stayed reachable. That cost more per distinct state (about 290 bytes on
 * mutants-oracle-r2) than the seen set itself (26 bytes). A breadth-first run needs what is
 * recent: the replica states and packet sets of the levels being expanded.
 *
 * Why two generations (the simplest policy that keeps what is in use): entries go into the young
 * generation; when it holds `capacity` cells, it becomes the old one and the previous old one is
 * dropped whole. A hit in the old generation moves the entry to the young one, so whatever is used
 * in every generation survives, and the table never holds more than about 2 × `capacity` cells.
 * A cell is one entry, or for an entry whose value is itself a table (a replica state's outcomes
 * by slot and input), one entry of that inner table: the caller says how many it adds
 * (`grew`), and `cells(value)` counts them again when an entry moves to the young generation.
 *
 * Only speed depends on what is kept: a memo that misses recomputes the same value, and a
 * hash-consing table that misses makes a new object equal to the one it dropped.
 */
export class BoundedMemo<K, V> {
  /** A smaller capacity for every memo, for tests that make the memos drop entries all the time. */
  private static limit: number | undefined;

  /** Caps every memo's capacity at `n` cells (undefined: each its own again). For tests only. */
  static limitForTests(n: number | undefined): void {
    BoundedMemo.limit = n;
  }

  /** `capacity`, or the test limit if smaller. */
  static limited(capacity: number): number {
    return BoundedMemo.limit === undefined ? capacity : Math.min(capacity, BoundedMemo.limit);
  }

  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private youngCells = 0;

  constructor(
    private readonly capacity: number,
    private readonly cells: (value: V) => number = () => 1,
  ) {}

  /** The value kept for `key`, if any (moved to the young generation if it was in the old one). */
  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.young.set(key, o);
      this.grew(this.cells(o));
    }
    return o;
  }

  /** Keeps `value` for `key` in the young generation. */
  set(key: K, value: V): void {
    this.young.set(key, value);
    this.grew(this.cells(value));
  }

  /** `n` more cells in the young generation (an entry got inner entries); may start a new generation. */
  grew(n: number): void {
    this.youngCells += n;
    if (this.youngCells >= BoundedMemo.limited(this.capacity)) {
      this.old = this.young;
      this.young = new Map();
      this.youngCells = 0;
    }
  }

  /** Entries kept, in both generations (for tests). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
