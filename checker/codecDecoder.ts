/** The decoder of the immutable.js codec (checker/codec.ts), with its intern table of decoded values. */
import { readVaruint } from './bytes.js';
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
  type RecordType,
  type ImmutableConstructors,
} from './codecFormat.js';
import type { ImmutableEncoder } from './codecEncoder.js';

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

export class ImmutableDecoder {
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
      if (end >= 0) {
        // One copy of the bytes serves the intern table and the encoder's memo.
        const bytes = this.buf.slice(start, end);
        this.encoder.adopt(v, bytes);
        this.remember(hash, v, bytes);
      } else if (this.depth > 0) {
        this.encoder.remember(v, this.buf, start, this.at.pos);
      }
      // The whole value (a state being expanded) is not remembered: it is not encoded again.
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

  private remember(hash: number, value: object, bytes: Uint8Array): void {
    if (this.internedCount >= INTERN_MAX) {
      this.interned = new Map();
      this.internedCount = 0;
    }
    this.interned.set(hash, { bytes, value, next: this.interned.get(hash) });
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
