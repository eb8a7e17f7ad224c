/** The encoder of the immutable.js codec (checker/codec.ts): canonical bytes, memoised by identity. */
import { ByteWriter, compareRanges } from './bytes.js';
import {
  TAG_NULL,
  TAG_UNDEFINED,
  TAG_FALSE,
  TAG_TRUE,
  TAG_UINT,
  TAG_NEG_INT,
  TAG_FLOAT,
  TAG_STRING,
  TAG_BIGINT,
  TAG_LIST,
  TAG_MAP,
  TAG_ORDERED_MAP,
  TAG_SET,
  TAG_ORDERED_SET,
  TAG_RECORD,
  TAG_ARRAY,
  IS_RECORD,
  IS_KEYED,
  IS_INDEXED,
  IS_ORDERED,
  IS_ITERABLE,
  isImmutable,
  type RecordType,
  type ImmutableLike,
  type RecordLike,
} from './codecFormat.js';

/** Sub-values whose encoding is shorter than this are re-encoded rather than memoised. */
const MEMO_MIN_BYTES = 12;
/**
 * Memoised encodings are copied into arenas of this size. Small on purpose: one live value keeps
 * its whole arena alive, and decoded values die in no particular order, so large arenas ended up
 * pinned by a handful of survivors (64 KiB arenas held ~15 KB of dead bytes per explored state).
 */
const ARENA_BYTES = 1 << 12;

export class ImmutableEncoder {
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

  /** Records that `value` encodes to `bytes`, which the caller hands over (it must not change them). */
  adopt(value: object, bytes: Uint8Array): void {
    if (this.memoize && bytes.length >= MEMO_MIN_BYTES) this.memo.set(value, bytes);
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
      throw new Error('immutableCodec met a Record type that is not registered: add its factory to immutableCodec({ records })');
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
