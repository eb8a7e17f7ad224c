/**
 * Fingerprints of immutable.js values computed from memoised fingerprints of their parts, so that
 * a successor, which shares almost all of its parts with other states, costs a few lookups
 * instead of a whole encoding.
 *
 * A Record or List near the top of the value is fingerprinted as its tag, its Record type or
 * length, and for each field or element either its canonical encoding (a primitive) or a marker
 * byte and its own 8-byte fingerprint (an object); everything deeper, and every Map and Set, is
 * fingerprinted as the hash of its canonical encoding. Every object's fingerprint is remembered
 * by identity (the values are immutable). This is a function of the value alone, like the
 * encoding: equal values (whatever their history or thread) get equal fingerprints, and distinct
 * values collide with probability about 2^-64 per pair. It is not the hash of `encode(value)`:
 * a model's fingerprints come from one function throughout (`StateCodec.fingerprint`).
 */
import { ByteWriter } from './bytes.js';
import { hash64 } from './fingerprint.js';
import type { ImmutableEncoder } from './codecEncoder.js';
import {
  IS_INDEXED,
  IS_ITERABLE,
  IS_KEYED,
  IS_ORDERED,
  isImmutable,
  TAG_LIST,
  TAG_RECORD,
  type RecordLike,
  type RecordType,
} from './codecFormat.js';

/** Records and Lists this close to the top are fingerprinted part by part. */
const MAX_DEPTH = 4;
/** Marks an object part's fingerprint in a combination (never a tag of the encoding, which are 0..15). */
const PART = 0xff;

interface Pair {
  readonly hi: number;
  readonly lo: number;
}

interface ListLike {
  readonly size: number;
  get(index: number): unknown;
}

export class ImmutableFingerprinter {
  /**
   * Remembered fingerprints, by identity: per depth, of the Records and Lists combined from their
   * parts (depths 2 to MAX_DEPTH - 1), and of everything hashed from its encoding. A combination
   * depends on the depth (how deep its own parts are combined), and one object may sit at
   * different depths in different values (a replica's state inside a whole state, or alone in a
   * census or a per-replica key): one memo for all would make a fingerprint depend on where an
   * object was first seen.
   */
  private readonly combined: WeakMap<object, Pair>[] = Array.from({ length: MAX_DEPTH }, () => new WeakMap());
  private readonly hashed = new WeakMap<object, Pair>();
  private readonly recordByPrototype = new Map<object, RecordType>();
  /** One combination buffer per depth (a combination is written while deeper ones are computed). */
  private readonly writers: ByteWriter[] = Array.from({ length: MAX_DEPTH + 1 }, () => new ByteWriter(256));
  private readonly out = new Uint32Array(2);

  constructor(
    records: readonly RecordType[],
    private readonly encoder: ImmutableEncoder,
  ) {
    for (const r of records) {
      this.recordByPrototype.set(Object.getPrototypeOf((r.create as (v?: object) => object)()) as object, r);
    }
  }

  /** The fingerprint of `value` into `out` = [high, low]. */
  fingerprint(value: unknown, out: Uint32Array): void {
    if (typeof value === 'object' && value !== null) {
      const p = this.ofObject(value, 0);
      out[0] = p.hi;
      out[1] = p.lo;
      return;
    }
    const bytes = this.encoder.encodeTransient(value);
    hash64(bytes, 0, bytes.length, out);
  }

  private ofObject(v: object, depth: number): Pair {
    // A Record or List near the top is combined from its parts' fingerprints. At the top and
    // just below it (a state, and a state's own fields), such an object is almost always new (a
    // successor's changed field) and cheap to combine: it is not memoised, which saves a
    // WeakMap entry per successor and the collector's work on it. Deeper ones recur, and
    // whatever is hashed from its encoding is costly: those are memoised.
    let p: Pair;
    if (depth < MAX_DEPTH && !Array.isArray(v)) {
      const record = this.recordByPrototype.get(Object.getPrototypeOf(v) as object);
      const list =
        record === undefined &&
        isImmutable(v, IS_ITERABLE) &&
        isImmutable(v, IS_INDEXED) &&
        !isImmutable(v, IS_KEYED) &&
        isImmutable(v, IS_ORDERED);
      if (record !== undefined || list) {
        if (depth < 2)
          return record !== undefined ? this.ofRecord(record, v as RecordLike, depth) : this.ofList(v as unknown as ListLike, depth);
        const memo = this.combined[depth]!;
        const hit = memo.get(v);
        if (hit !== undefined) return hit;
        p = record !== undefined ? this.ofRecord(record, v as RecordLike, depth) : this.ofList(v as unknown as ListLike, depth);
        memo.set(v, p);
        return p;
      }
    }
    const hit = this.hashed.get(v);
    if (hit !== undefined) return hit;
    const bytes = this.encoder.encodeTransient(v);
    hash64(bytes, 0, bytes.length, this.out);
    p = { hi: this.out[0]!, lo: this.out[1]! };
    this.hashed.set(v, p);
    return p;
  }

  private ofRecord(type: RecordType, r: RecordLike, depth: number): Pair {
    const w = this.writers[depth]!;
    w.pos = 0;
    w.byte(TAG_RECORD);
    w.varuint(type.id);
    for (const key of type.keys) this.part(w, r.get(key), depth);
    return this.hash(w);
  }

  private ofList(list: ListLike, depth: number): Pair {
    const w = this.writers[depth]!;
    w.pos = 0;
    w.byte(TAG_LIST);
    w.varuint(list.size);
    for (let i = 0; i < list.size; i++) this.part(w, list.get(i), depth);
    return this.hash(w);
  }

  /** Appends one field or element to the combination `w`. */
  private part(w: ByteWriter, x: unknown, depth: number): void {
    if (typeof x === 'object' && x !== null) {
      const p = this.ofObject(x, depth + 1);
      w.ensure(9);
      w.byte(PART);
      const buf = w.buf;
      let pos = w.pos;
      buf[pos++] = p.hi & 0xff;
      buf[pos++] = (p.hi >>> 8) & 0xff;
      buf[pos++] = (p.hi >>> 16) & 0xff;
      buf[pos++] = p.hi >>> 24;
      buf[pos++] = p.lo & 0xff;
      buf[pos++] = (p.lo >>> 8) & 0xff;
      buf[pos++] = (p.lo >>> 16) & 0xff;
      buf[pos++] = p.lo >>> 24;
      w.pos = pos;
    } else {
      // A primitive's canonical encoding is self-delimiting and starts with a tag below PART.
      w.bytes(this.encoder.encodeTransient(x));
    }
  }

  private hash(w: ByteWriter): Pair {
    hash64(w.buf, 0, w.pos, this.out);
    return { hi: this.out[0]!, lo: this.out[1]! };
  }
}
