/**
 * The byte format of the immutable.js codec (checker/codec.ts), shared by its encoder and decoder:
 * one tag byte per value, the brands that tell immutable.js collections apart, and the shapes of
 * the Record types and constructors the caller passes in.
 */

export const TAG_NULL = 0;
export const TAG_UNDEFINED = 1;
export const TAG_FALSE = 2;
export const TAG_TRUE = 3;
export const TAG_UINT = 4;
export const TAG_NEG_INT = 5;
export const TAG_FLOAT = 6;
export const TAG_STRING = 7;
export const TAG_BIGINT = 8;
export const TAG_LIST = 9;
export const TAG_MAP = 10;
export const TAG_ORDERED_MAP = 11;
export const TAG_SET = 12;
export const TAG_ORDERED_SET = 13;
export const TAG_RECORD = 14;
export const TAG_ARRAY = 15;

export const IS_RECORD = '@@__IMMUTABLE_RECORD__@@';
export const IS_KEYED = '@@__IMMUTABLE_KEYED__@@';
export const IS_INDEXED = '@@__IMMUTABLE_INDEXED__@@';
export const IS_ORDERED = '@@__IMMUTABLE_ORDERED__@@';
export const IS_ITERABLE = '@@__IMMUTABLE_ITERABLE__@@';

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

/** A registered Record type: its id in the encoding, its field names, its factory. */
export interface RecordType {
  readonly id: number;
  readonly keys: readonly string[];
  readonly create: (values: { [key: string]: unknown }) => unknown;
}

export interface ImmutableLike {
  readonly size: number;
  forEach(f: (value: unknown, key: unknown) => unknown): unknown;
}

export interface RecordLike {
  get(key: string): unknown;
}

export function isImmutable(value: object, brand: string): boolean {
  return (value as { [k: string]: unknown })[brand] === true;
}
