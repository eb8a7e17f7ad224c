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
import { ImmutableDecoder } from './codecDecoder.js';
import { ImmutableEncoder } from './codecEncoder.js';
import { ImmutableFingerprinter } from './codecFingerprint.js';
import type { ImmutableConstructors, RecordFactoryLike, RecordType } from './codecFormat.js';
import type { StateCodec } from './model.js';

export type { ImmutableConstructors, RecordFactoryLike } from './codecFormat.js';

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
  /**
   * Give the codec a `fingerprint` computed from memoised fingerprints of the state's parts
   * (default true; see codecFingerprint.ts), instead of hashing each state's whole encoding.
   */
  readonly partFingerprints?: boolean;
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
  const fingerprinter =
    options.partFingerprints === false ? undefined : new ImmutableFingerprinter(recordTypes(options.records ?? {}), encoder);
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
    ...(fingerprinter === undefined ? {} : { fingerprint: (state: S, out: Uint32Array) => fingerprinter.fingerprint(state, out) }),
  };
}
