/**
 * A canonical byte codec for immutable.js values (style-anchors §7.1–7.2), so models need not
 * write one: equal values (in the sense of `Immutable.is`) encode to equal bytes, and decoding
 * gives back an equal value.
 *
 * Canonical means order-independent: immutable's `Map` and `Set` iterate in an order that depends
 * on their insertion history, so their entries are written sorted by their encoded bytes.
 * `OrderedMap`, `OrderedSet`, `List` and plain arrays keep their order, which is part of their value.
 *
 * The checker imports nothing from immutable.js (its dependency rule), so the collection kinds are
 * recognised by immutable's own brand properties (`@@__IMMUTABLE_*__@@`), and the collection
 * constructors are passed in by the caller (`immutableCodec({ immutable, records })`).
 */
import type { StateCodec } from './model.js';
import { ByteWriter, compareRanges, readVaruint } from './bytes.js';

const TAG_NULL = 0;
const TAG_UNDEFINED = 1;
const TAG_FALSE = 2;
const TAG_TRUE = 3;
const TAG_UINT = 4;
const TAG_NEG_INT = 5;
const TAG_FLOAT = 6;
const TAG_STRING = 7;
const TAG_BIGINT = 8;
const TAG_LIST = 9;
const TAG_MAP = 10;
const TAG_ORDERED_MAP = 11;
const TAG_SET = 12;
const TAG_ORDERED_SET = 13;
const TAG_RECORD = 14;
const TAG_ARRAY = 15;

const IS_RECORD = '@@__IMMUTABLE_RECORD__@@';
const IS_KEYED = '@@__IMMUTABLE_KEYED__@@';
const IS_INDEXED = '@@__IMMUTABLE_INDEXED__@@';
const IS_ORDERED = '@@__IMMUTABLE_ORDERED__@@';
const IS_ITERABLE = '@@__IMMUTABLE_ITERABLE__@@';

/** A Record factory as immutable.js makes them (`Record({...}, 'Name')`). */
export interface RecordFactoryLike {
  (values: never): unknown;
  readonly prototype: object;
}

/** The immutable.js constructors the decoder builds values with (pass `import * as Immutable`). */
export interface ImmutableConstructors {
  List(values: Iterable<unknown>): unknown;
  Map(entries: Iterable<readonly [unknown, unknown]>): unknown;
  OrderedMap(entries: Iterable<readonly [unknown, unknown]>): unknown;
  Set(values: Iterable<unknown>): unknown;
  OrderedSet(values: Iterable<unknown>): unknown;
}

export interface ImmutableCodecOptions {
  /** The immutable.js module namespace (`import * as Immutable`), or any object with these constructors. */
  readonly immutable: ImmutableConstructors;
  /** Every Record type that can occur in a state, by a stable name (the name is part of the encoding). */
  readonly records?: { readonly [name: string]: RecordFactoryLike };
  /**
   * Remember, by object identity, the encodings of the sub-values of every decoded state (default
   * true). A successor computed from a decoded state shares most of its sub-values with it
   * (structural sharing), so their bytes are copied instead of re-encoded. Also reuse, across
   * decodes, the sub-values already built from the same bytes (see `ImmutableDecoder.interned`).
   */
  readonly memoize?: boolean;
}

interface RecordType {
  readonly id: number;
  readonly keys: readonly string[];
  readonly create: (values: { [key: string]: unknown }) => unknown;
}

/** Sub-values whose encoding is shorter than this are re-encoded rather than memoised. */
const MEMO_MIN_BYTES = 12;
/**
 * Memoised encodings are copied into arenas of this size. Small on purpose: one live value keeps
 * its whole arena alive, and decoded values die in no particular order, so large arenas ended up
 * pinned by a handful of survivors (64 KiB arenas held ~15 KB of dead bytes per explored state).
 */
const ARENA_BYTES = 1 << 12;

interface ImmutableLike {
  readonly size: number;
  forEach(f: (value: unknown, key: unknown) => unknown): unknown;
}

interface RecordLike {
  get(key: string): unknown;
}

function isImmutable(value: object, brand: string): boolean {
  return (value as { [k: string]: unknown })[brand] === true;
}

function recordTypes(records: { readonly [name: string]: RecordFactoryLike }): RecordType[] {
  return Object.keys(records)
    .sort()
    .map((name, id) => {
      const factory = records[name]! as unknown as (values?: object) => { toSeq(): { keySeq(): { toArray(): string[] } } };
      return { id, keys: factory().toSeq().keySeq().toArray(), create: factory };
    });
}

/**
 * A canonical `StateCodec` for states built from immutable.js Records, Lists, Maps, Sets,
 * OrderedMaps, OrderedSets, plain arrays, numbers (exact for safe integers, other numbers as
 * float64), strings (UTF-8), bigints, booleans, null and undefined. Map and Set entries are sorted
 * by their encoded bytes; Records are written as their registered name's id plus their fields in
 * declaration order. A Stack is written (and read back) as a List, which `Immutable.is` equates.
 */
export function immutableCodec<S>(options: ImmutableCodecOptions): StateCodec<S> {
  const encoder = new ImmutableEncoder(recordTypes(options.records ?? {}), options.memoize ?? true);
  const decoder = new ImmutableDecoder(recordTypes(options.records ?? {}), options.immutable, encoder, options.memoize ?? true);
  // The last two values `encode` returned bytes for, by identity: a symmetry `representative`
  // encodes a state and its renamings to pick the smallest, and the checker then encodes the one it
  // picked again; this turns that second encoding into a lookup.
  const recent: Array<{ readonly state: S; readonly bytes: Uint8Array }> = [];
  const recall = (state: S): Uint8Array | undefined => recent.find((r) => r.state === state)?.bytes;
  return {
    encode: (state: S) => {
      const bytes = recall(state)?.slice() ?? encoder.encodeTransient(state).slice();
      recent.unshift({ state, bytes });
      if (recent.length > 2) recent.pop();
      return bytes;
    },
    encodeTransient: (state: S) => recall(state) ?? encoder.encodeTransient(state),
    decode: (bytes: Uint8Array) => decoder.decode(bytes) as S,
  };
}

class ImmutableEncoder {
  private readonly out = new ByteWriter(1024);
  private readonly memo = new WeakMap<object, Uint8Array>();
  private readonly recordByPrototype = new Map<object, RecordType>();
  private readonly utf8 = new TextEncoder();
  private readonly float = new Float64Array(1);
  private readonly floatBytes = new Uint8Array(this.float.buffer);
  /** Memoised encodings are views into arenas: one ArrayBuffer serves many entries. */
  private arena = new Uint8Array(ARENA_BYTES);
  private arenaPos = 0;
  /** [start, keyEnd, end] triples of the entries of the Maps and Sets being written (a stack). */
  private spans = new Int32Array(768);
  private spanTop = 0;
  private scratch = new Uint8Array(1024);

  constructor(
    records: readonly RecordType[],
    private readonly memoize: boolean,
  ) {
    for (const r of records) {
      this.recordByPrototype.set(Object.getPrototypeOf((r.create as (v?: object) => object)()) as object, r);
    }
  }

  /**
   * The encoding of `value`, as a view of an internal buffer valid until the next call.
   *
   * A whole value is remembered too: a model's `representative` encodes a successor (and its
   * renamings) to pick one, then the checker encodes the chosen one again to fingerprint and
   * store it, so the same object is encoded two or three times in a row.
   */
  encodeTransient(value: unknown): Uint8Array {
    this.out.pos = 0;
    this.spanTop = 0;
    this.value(value);
    if (typeof value === 'object' && value !== null) this.remember(value, this.out.buf, 0, this.out.pos);
    return this.out.buf.subarray(0, this.out.pos);
  }

  /**
   * Records that `value` (an immutable object just decoded, or a whole value just encoded) encodes
   * to `bytes[start, end)`. Decoded values are remembered because their sub-values reappear,
   * unchanged, in the successors that are encoded next; a freshly built successor's own new inner
   * nodes never recur, so they are not.
   */
  remember(value: object, bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (!this.memoize || n < MEMO_MIN_BYTES) return;
    if (this.arenaPos + n > this.arena.length) {
      this.arena = new Uint8Array(Math.max(ARENA_BYTES, n));
      this.arenaPos = 0;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaPos);
    this.memo.set(value, this.arena.subarray(this.arenaPos, this.arenaPos + n));
    this.arenaPos += n;
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        return this.number(v);
      case 'string':
        return this.string(v);
      case 'boolean':
        return this.out.byte(v ? TAG_TRUE : TAG_FALSE);
      case 'undefined':
        return this.out.byte(TAG_UNDEFINED);
      case 'bigint':
        this.out.byte(TAG_BIGINT);
        return this.ascii(v.toString());
      case 'object':
        if (v === null) return this.out.byte(TAG_NULL);
        return this.object(v);
      default:
        throw new Error(`immutableCodec cannot encode a ${typeof v}`);
    }
  }

  private number(n: number): void {
    const out = this.out;
    if (Number.isSafeInteger(n)) {
      if (n >= 0) {
        out.byte(TAG_UINT);
        out.varuint(n);
      } else {
        out.byte(TAG_NEG_INT);
        out.varuint(-n);
      }
      return;
    }
    out.byte(TAG_FLOAT);
    this.float[0] = n;
    out.bytes(this.floatBytes);
  }

  private string(s: string): void {
    const out = this.out;
    out.byte(TAG_STRING);
    const n = s.length;
    // Fast path: ASCII strings are their own UTF-8 and need no length pre-pass.
    out.ensure(n + 5);
    const lenAt = out.pos;
    let ascii = n < 128;
    if (ascii) {
      const buf = out.buf;
      let pos = lenAt + 1;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        buf[pos++] = c;
      }
      if (ascii) {
        buf[lenAt] = n;
        out.pos = pos;
        return;
      }
    }
    const utf8 = this.utf8.encode(s);
    out.varuint(utf8.length);
    out.bytes(utf8);
  }

  private ascii(s: string): void {
    this.out.varuint(s.length);
    this.out.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.out.buf[this.out.pos++] = s.charCodeAt(i);
  }

  private object(v: object): void {
    if (Array.isArray(v)) {
      this.out.byte(TAG_ARRAY);
      this.out.varuint(v.length);
      for (const item of v) this.value(item);
      return;
    }
    if (this.memoize) {
      const cached = this.memo.get(v);
      if (cached !== undefined) return this.out.bytes(cached);
    }
    this.immutable(v);
  }

  private immutable(v: object): void {
    const record = this.recordByPrototype.get(Object.getPrototypeOf(v) as object);
    if (record !== undefined) return this.record(record, v as RecordLike);
    if (isImmutable(v, IS_RECORD)) {
      throw new Error(
        'immutableCodec met a Record type that is not registered: add its factory to immutableCodec({ records })',
      );
    }
    if (!isImmutable(v, IS_ITERABLE)) {
      throw new Error('immutableCodec encodes only immutable.js values, arrays and primitives (got a plain object)');
    }
    const c = v as ImmutableLike;
    const ordered = isImmutable(v, IS_ORDERED);
    if (isImmutable(v, IS_KEYED)) return ordered ? this.orderedMap(c) : this.sorted(c, TAG_MAP, true);
    if (isImmutable(v, IS_INDEXED)) {
      this.out.byte(TAG_LIST);
      this.out.varuint(c.size);
      c.forEach((item) => {
        this.value(item);
      });
      return;
    }
    if (ordered) {
      this.out.byte(TAG_ORDERED_SET);
      this.out.varuint(c.size);
      c.forEach((item) => {
        this.value(item);
      });
      return;
    }
    this.sorted(c, TAG_SET, false);
  }

  private record(type: RecordType, r: RecordLike): void {
    this.out.byte(TAG_RECORD);
    this.out.varuint(type.id);
    for (const key of type.keys) this.value(r.get(key));
  }

  private orderedMap(c: ImmutableLike): void {
    this.out.byte(TAG_ORDERED_MAP);
    this.out.varuint(c.size);
    c.forEach((value, key) => {
      this.value(key);
      this.value(value);
    });
  }

  private pushSpan(start: number, keyEnd: number, end: number): void {
    if (this.spanTop + 3 > this.spans.length) {
      const next = new Int32Array(this.spans.length * 2);
      next.set(this.spans);
      this.spans = next;
    }
    this.spans[this.spanTop++] = start;
    this.spans[this.spanTop++] = keyEnd;
    this.spans[this.spanTop++] = end;
  }

  /**
   * Writes the entries of an unordered Map or Set, then puts them in the order of the bytes of
   * their key (for a Set, the element). Keys are distinct values, so their encodings are distinct.
   */
  private sorted(c: ImmutableLike, tag: number, keyed: boolean): void {
    const out = this.out;
    out.byte(tag);
    out.varuint(c.size);
    const base = out.pos;
    const first = this.spanTop;
    c.forEach((value, key) => {
      const start = out.pos;
      if (keyed) {
        this.value(key);
        const keyEnd = out.pos;
        this.value(value);
        this.pushSpan(start, keyEnd, out.pos);
      } else {
        this.value(value);
        this.pushSpan(start, out.pos, out.pos);
      }
    });
    const n = (this.spanTop - first) / 3;
    if (n >= 2 && this.sortSpans(first, n)) this.permute(base, first, n);
    this.spanTop = first;
  }

  /** Sorts the n span triples at `first` by key bytes; false if they were already in order. */
  private sortSpans(first: number, n: number): boolean {
    const sp = this.spans;
    const buf = this.out.buf;
    const before = (i: number, j: number): boolean => compareRanges(buf, sp[i]!, sp[i + 1]!, sp[j]!, sp[j + 1]!) < 0;
    let moved = false;
    if (n <= 32) {
      for (let i = 1; i < n; i++) {
        const at = first + 3 * i;
        const a = sp[at]!;
        const b = sp[at + 1]!;
        const e = sp[at + 2]!;
        let j = at - 3;
        while (j >= first && compareRanges(buf, a, b, sp[j]!, sp[j + 1]!) < 0) {
          sp[j + 3] = sp[j]!;
          sp[j + 4] = sp[j + 1]!;
          sp[j + 5] = sp[j + 2]!;
          j -= 3;
        }
        if (j !== at - 3) {
          moved = true;
          sp[j + 3] = a;
          sp[j + 4] = b;
          sp[j + 5] = e;
        }
      }
      return moved;
    }
    const order = Array.from({ length: n }, (_, i) => first + 3 * i);
    order.sort((i, j) => (before(i, j) ? -1 : 1));
    const copy = order.flatMap((i) => [sp[i]!, sp[i + 1]!, sp[i + 2]!]);
    for (let k = 0; k < copy.length; k++) {
      if (sp[first + k] !== copy[k]) moved = true;
      sp[first + k] = copy[k]!;
    }
    return moved;
  }

  /** Rewrites the bytes from `base` with the entries in the order of the sorted spans. */
  private permute(base: number, first: number, n: number): void {
    const out = this.out;
    const len = out.pos - base;
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    const scratch = this.scratch;
    scratch.set(out.buf.subarray(base, out.pos));
    let pos = base;
    for (let k = 0; k < n; k++) {
      const start = this.spans[first + 3 * k]! - base;
      const end = this.spans[first + 3 * k + 2]! - base;
      out.buf.set(scratch.subarray(start, end), pos);
      pos += end - start;
    }
  }
}

/** A decoded Record or collection and its encoding; `next` chains entries whose hashes collide. */
interface InternEntry {
  readonly bytes: Uint8Array;
  readonly value: object;
  readonly next: InternEntry | undefined;
}

/**
 * How many decoded values the intern table holds before it is emptied. It only saves work, so
 * emptying it is always safe; the bound keeps the values it pins alive from growing with the run.
 */
const INTERN_MAX = 1 << 18;

/** FNV-1a over `buf[start, end)`: the intern table's bucket (a cheap hash, checked by comparing bytes). */
function hashRange(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

function sameRange(bytes: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[start + i]) return false;
  return true;
}

class ImmutableDecoder {
  private readonly at = { pos: 0 };
  private buf: Uint8Array = new Uint8Array(0);
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private readonly floatBytes = new Uint8Array(8);
  private readonly float = new Float64Array(this.floatBytes.buffer);
  /**
   * Records and collections decoded earlier, by their bytes. Distinct states share most of their
   * sub-values (the packet set, unchanged replicas, ballots), and building immutable.js values is
   * the decoder's main cost; reusing an equal, already-built value avoids it and, because the same
   * object then recurs across states, makes the spec's identity fast paths (`Immutable.is` on
   * `===`, per-object memos) and the encoder's memo hit far more often. Equal bytes mean equal
   * values, so callers cannot tell the difference.
   */
  private interned = new Map<number, InternEntry>();
  private internedCount = 0;
  /** Nesting depth of `value()`: the top-level value (a whole state) is never interned, it does not recur. */
  private depth = 0;
  /** Scratch result of `skipSize`. */
  private skipped = 0;

  constructor(
    private readonly records: readonly RecordType[],
    private readonly im: ImmutableConstructors,
    private readonly encoder: ImmutableEncoder,
    private readonly intern: boolean,
  ) {}

  decode(bytes: Uint8Array): unknown {
    this.buf = bytes;
    this.at.pos = 0;
    this.depth = 0;
    const v = this.value();
    if (this.at.pos !== bytes.length) {
      throw new Error(`immutableCodec: ${bytes.length - this.at.pos} bytes left over after decoding a value`);
    }
    return v;
  }

  private size(): number {
    return readVaruint(this.buf, this.at);
  }

  private value(): unknown {
    const start = this.at.pos;
    const tag = this.buf[this.at.pos++];
    if (tag !== undefined && tag >= TAG_LIST && tag !== TAG_ARRAY) {
      // A malformed encoding has no end (-1): decode it normally, which reports the error.
      const end = this.intern && this.depth > 0 ? this.skip(start) : -1;
      const hash = end < 0 ? 0 : hashRange(this.buf, start, end);
      if (end >= 0) {
        for (let e = this.interned.get(hash); e !== undefined; e = e.next) {
          if (sameRange(e.bytes, this.buf, start, end)) {
            this.at.pos = end;
            return e.value;
          }
        }
      }
      this.depth++;
      const v = this.collection(tag) as object;
      this.depth--;
      this.encoder.remember(v, this.buf, start, this.at.pos);
      if (end >= 0) this.remember(hash, v, start, end);
      return v;
    }
    switch (tag) {
      case TAG_NULL:
        return null;
      case TAG_UNDEFINED:
        return undefined;
      case TAG_FALSE:
        return false;
      case TAG_TRUE:
        return true;
      case TAG_UINT:
        return this.size();
      case TAG_NEG_INT:
        return -this.size();
      case TAG_FLOAT:
        this.floatBytes.set(this.buf.subarray(this.at.pos, this.at.pos + 8));
        this.at.pos += 8;
        return this.float[0];
      case TAG_STRING:
        return this.string();
      case TAG_BIGINT:
        return BigInt(this.string());
      case TAG_ARRAY:
        return this.items();
      default:
        throw new Error(`immutableCodec: unknown tag ${String(tag)} at byte ${this.at.pos - 1}`);
    }
  }

  private remember(hash: number, value: object, start: number, end: number): void {
    if (this.internedCount >= INTERN_MAX) {
      this.interned = new Map();
      this.internedCount = 0;
    }
    this.interned.set(hash, { bytes: this.buf.slice(start, end), value, next: this.interned.get(hash) });
    this.internedCount++;
  }

  /** The end of the value encoded at `pos`, without decoding it; -1 if the bytes are malformed. */
  private skip(pos: number): number {
    const buf = this.buf;
    const tag = buf[pos++];
    switch (tag) {
      case TAG_NULL:
      case TAG_UNDEFINED:
      case TAG_FALSE:
      case TAG_TRUE:
        return pos;
      case TAG_UINT:
      case TAG_NEG_INT:
        while (pos < buf.length && buf[pos]! >= 0x80) pos++;
        return pos < buf.length ? pos + 1 : -1;
      case TAG_FLOAT:
        return pos + 8 <= buf.length ? pos + 8 : -1;
      case TAG_STRING:
      case TAG_BIGINT: {
        const n = this.skipSize(pos);
        const end = this.skipped + n;
        return n < 0 || end > buf.length ? -1 : end;
      }
      case TAG_LIST:
      case TAG_SET:
      case TAG_ORDERED_SET:
      case TAG_ARRAY:
        return this.skipItems(this.skipSize(pos), 1);
      case TAG_MAP:
      case TAG_ORDERED_MAP:
        return this.skipItems(this.skipSize(pos), 2);
      case TAG_RECORD: {
        const type = this.records[this.skipSize(pos)];
        return type === undefined ? -1 : this.skipItems(type.keys.length, 1);
      }
      default:
        return -1;
    }
  }

  /** Reads the varuint at `pos` and leaves its end in `skipped` (not `at`: skipping must not move the decoder); -1 if truncated. */
  private skipSize(pos: number): number {
    const buf = this.buf;
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) return -1;
      n += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    this.skipped = pos;
    return n;
  }

  /** Skips `count * per` values starting at `skipped` (as left by `skipSize`); -1 if malformed. */
  private skipItems(count: number, per: number): number {
    if (count < 0) return -1;
    let pos = this.skipped;
    for (let i = count * per; i > 0 && pos >= 0; i--) pos = this.skip(pos);
    return pos;
  }

  private collection(tag: number): unknown {
    switch (tag) {
      case TAG_LIST:
        return this.im.List(this.items());
      case TAG_SET:
        return this.im.Set(this.items());
      case TAG_ORDERED_SET:
        return this.im.OrderedSet(this.items());
      case TAG_MAP:
        return this.im.Map(this.entries());
      case TAG_ORDERED_MAP:
        return this.im.OrderedMap(this.entries());
      case TAG_RECORD:
        return this.record();
      default:
        throw new Error(`immutableCodec: unknown tag ${String(tag)} at byte ${this.at.pos - 1}`);
    }
  }

  private string(): string {
    const n = this.size();
    const start = this.at.pos;
    const end = start + n;
    if (end > this.buf.length) throw new Error('truncated encoding: a string runs past the end of the bytes');
    this.at.pos = end;
    let s = '';
    for (let i = start; i < end; i++) {
      const c = this.buf[i]!;
      if (c >= 0x80) return this.utf8.decode(this.buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }

  private items(): unknown[] {
    const n = this.size();
    const items = new Array<unknown>(n);
    for (let i = 0; i < n; i++) items[i] = this.value();
    return items;
  }

  private entries(): [unknown, unknown][] {
    const n = this.size();
    const entries = new Array<[unknown, unknown]>(n);
    for (let i = 0; i < n; i++) {
      const key = this.value();
      entries[i] = [key, this.value()];
    }
    return entries;
  }

  private record(): unknown {
    const id = this.size();
    const type = this.records[id];
    if (type === undefined) throw new Error(`immutableCodec: unknown record id ${id}`);
    const fields: { [key: string]: unknown } = {};
    for (const key of type.keys) fields[key] = this.value();
    return type.create(fields);
  }
}
