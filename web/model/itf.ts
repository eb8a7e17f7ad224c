/**
 * ITF values as the page sees them (https://apalache-mc.org/docs/adr/015adr-trace.html): plain JSON
 * with `#set`, `#map`, `#tup`, `#bigint` and `#unserializable` wrappers. Pure; no DOM, no node.
 * The page reads traces of any ITF tool with these helpers, so nothing here knows RSL.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export type JsonObject = { readonly [key: string]: Json };

/** One ITF state: its variables and an optional `#meta` object. */
export type ItfState = JsonObject;

/** An ITF trace as read from a file. */
export interface ItfTrace {
  readonly '#meta'?: JsonObject;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The members of an ITF set (`{"#set": [...]}`), or undefined for anything else. */
export function setMembers(v: Json | undefined): readonly Json[] | undefined {
  return isObject(v) && Array.isArray(v['#set']) ? (v['#set'] as readonly Json[]) : undefined;
}

/** The entries of an ITF map (`{"#map": [[k, v], ...]}`), or undefined for anything else. */
export function mapEntries(v: Json | undefined): readonly (readonly [Json, Json])[] | undefined {
  if (!isObject(v) || !Array.isArray(v['#map'])) return undefined;
  return (v['#map'] as readonly Json[]).filter((e): e is readonly [Json, Json] => Array.isArray(e) && e.length === 2);
}

/** The members of an ITF tuple (`{"#tup": [...]}`), or undefined. */
export function tupleMembers(v: Json | undefined): readonly Json[] | undefined {
  return isObject(v) && Array.isArray(v['#tup']) ? (v['#tup'] as readonly Json[]) : undefined;
}

/** A record: an object that is none of the ITF wrappers. */
export function isRecord(v: Json | undefined): v is JsonObject {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return !(keys.length === 1 && keys[0]!.startsWith('#'));
}

/**
 * A canonical text of a value: object keys sorted, set members sorted, so two equal values (in
 * ITF's sense: sets and maps are unordered) have the same key. Used to identify packets.
 */
export function canonicalKey(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  const o = v as JsonObject;
  const members = setMembers(o);
  if (members !== undefined) return `#set[${members.map(canonicalKey).sort().join(',')}]`;
  const entries = mapEntries(o);
  if (entries !== undefined) {
    return `#map[${entries
      .map(([k, x]) => `${canonicalKey(k)}:${canonicalKey(x)}`)
      .sort()
      .join(',')}]`;
  }
  const keys = Object.keys(o).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(o[k]!)}`).join(',')}}`;
}

/** A state's variables without `#meta`. */
export function variablesOf(state: ItfState): JsonObject {
  const { ['#meta']: _meta, ...vars } = state;
  return vars;
}

/** A state's `#meta` object (empty when absent). */
export function metaOf(state: ItfState | undefined): JsonObject {
  const m = state?.['#meta'];
  return isObject(m) ? m : {};
}

/** Checks that `json` has the shape of an ITF trace; throws one line saying what is wrong. */
export function parseItf(json: unknown): ItfTrace {
  const fail = (what: string): never => {
    throw new Error(`not an ITF trace: ${what}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('the top level is not an object');
  const o = json as { [key: string]: unknown };
  const states = o.states;
  if (!Array.isArray(states)) return fail('"states" is not a list');
  states.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) fail(`state ${i} is not an object`);
  });
  const vars = Array.isArray(o.vars) && o.vars.every((v) => typeof v === 'string') ? (o.vars as string[]) : undefined;
  const meta = o['#meta'];
  const first = (states[0] ?? {}) as { [key: string]: unknown };
  return {
    ...(typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? { '#meta': meta as JsonObject } : {}),
    vars: vars ?? Object.keys(first).filter((k) => k !== '#meta'),
    states: states as ItfState[],
  };
}
