/**
 * Values in the Informal Trace Format (ITF, https://apalache-mc.org/docs/adr/015adr-trace.html),
 * the JSON trace format read by Apalache and Quint tooling.
 *
 * Encodings: booleans and strings as themselves; integers as JSON numbers when they are safe
 * integers, else `{"#bigint": "<decimal>"}`; sequences as arrays; records as objects; tuples as
 * `{"#tup": [...]}`; sets as `{"#set": [...]}`; maps as `{"#map": [[key, value], ...]}`; anything
 * else as `{"#unserializable": "<text>"}`.
 */
import type { Json } from './model.js';

const IS_RECORD = '@@__IMMUTABLE_RECORD__@@';
const IS_KEYED = '@@__IMMUTABLE_KEYED__@@';
const IS_INDEXED = '@@__IMMUTABLE_INDEXED__@@';
const IS_ORDERED = '@@__IMMUTABLE_ORDERED__@@';
const IS_ITERABLE = '@@__IMMUTABLE_ITERABLE__@@';

function brand(v: object, name: string): boolean {
  return (v as { [k: string]: unknown })[name] === true;
}

interface ImmutableLike {
  forEach(f: (value: unknown, key: unknown) => unknown): unknown;
}

/** Stable order for the members of an unordered collection: by their JSON text. */
function sortByText<T>(items: T[], text: (item: T) => string): T[] {
  const keyed = items.map((item) => [text(item), item] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, item]) => item);
}

/**
 * Converts an immutable.js value (Record, List, Stack, Map, OrderedMap, Set, OrderedSet) or a plain
 * number, string, boolean, bigint, null, array or object to its ITF JSON form, recursively, so a
 * model can implement `toItf` in one line. Members of unordered Maps and Sets are sorted by their
 * JSON text, so equal values give identical JSON. `null` stays `null`.
 */
export function toItfValue(v: unknown): Json {
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (Number.isFinite(v)) return v;
      return { '#unserializable': String(v) };
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : { '#bigint': v.toString() };
    case 'undefined':
      return { '#unserializable': 'undefined' };
    case 'object':
      if (v === null) return null;
      return objectToItf(v);
    default:
      return { '#unserializable': String(v) };
  }
}

function objectToItf(v: object): Json {
  if (Array.isArray(v)) return v.map(toItfValue);
  if (brand(v, IS_RECORD)) return plainToItf((v as { toObject(): object }).toObject());
  if (!brand(v, IS_ITERABLE)) return plainToItf(v);
  const c = v as ImmutableLike;
  const ordered = brand(v, IS_ORDERED);
  if (brand(v, IS_KEYED)) {
    const entries: [Json, Json][] = [];
    c.forEach((value, key) => {
      entries.push([toItfValue(key), toItfValue(value)]);
    });
    return { '#map': ordered ? entries : sortByText(entries, ([k]) => JSON.stringify(k)) };
  }
  const items: Json[] = [];
  c.forEach((value) => {
    items.push(toItfValue(value));
  });
  if (brand(v, IS_INDEXED)) return items;
  return { '#set': ordered ? items : sortByText(items, (item) => JSON.stringify(item)) };
}

function plainToItf(o: object): Json {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(o)) out[key] = toItfValue(value);
  return out;
}

/** Structural equality of JSON values; object key order does not matter, array order does. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x: Json, i: number) => jsonEqual(x, b[i] as Json));
  }
  const ao = a as { readonly [key: string]: Json };
  const bo = b as { readonly [key: string]: Json };
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k]!, bo[k]!));
}
