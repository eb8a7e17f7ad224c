/**
 * Short renderings of ITF values for the diagram and the state panel. Generic over any ITF value,
 * with compact forms for shapes that message-passing specs commonly use: a ballot-like pair
 * `{seqno, proposerId}` is `(1,0)`, a request `{client, seqno, request}` is `c0#0`, a tagged
 * record (`type` or Quint's `tag`) starts with its tag, and message fields are shortened
 * (`bal2a` -> `b=`, a value field shown bare): `2a b=(1,1) opn=0 [c0#0]`. Pure.
 */
import { isObject, isRecord, mapEntries, setMembers, tupleMembers, type Json, type JsonObject } from './itf.js';

function keysOf(o: JsonObject): string[] {
  return Object.keys(o);
}

function hasExactly(o: JsonObject, keys: readonly string[]): boolean {
  const own = keysOf(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}

/** The tag of a tagged record (`type`, or `tag` as Quint writes sum types), if it has one. */
function tagOf(v: Json | undefined): string | undefined {
  if (!isObject(v)) return undefined;
  const t = v.type ?? v.tag;
  return typeof t === 'string' ? t : undefined;
}

/** `inc`, a counter value, `invalid`: the application messages of a counter service. */
function appMessage(o: JsonObject): string | undefined {
  switch (tagOf(o)) {
    case 'AppIncrementRequest':
      return 'inc';
    case 'AppIncrementReply':
      return typeof o.response === 'number' ? String(o.response) : undefined;
    case 'AppInvalidReply':
      return 'invalid';
    default:
      return undefined;
  }
}

/** A field name of a message shortened: `bal2a` -> `b`, `opn2b` -> `opn`, `seqnoReq` -> `seqno`. */
export function shortField(name: string): string {
  if (/^bal/.test(name)) return 'b';
  if (/^opn/.test(name)) return 'opn';
  if (/^seqno/.test(name)) return 'seqno';
  if (/^logTruncationPoint/.test(name)) return 'ltp';
  if (name === 'suspicious') return 'susp';
  return name;
}

/** Fields whose value is shown without its name (the payload). */
function bareField(name: string): boolean {
  return /^val/.test(name) || name === 'v' || name === 'value';
}

function taggedRecord(o: JsonObject, tag: string): string {
  const fields = keysOf(o).filter((k) => k !== 'type' && k !== 'tag');
  // Quint's sum types: {tag: "X", value: {...}}; show the payload's fields.
  const only = fields.length === 1 && fields[0] === 'value' ? o.value : undefined;
  if (only !== undefined && tupleMembers(only)?.length === 0) return tag;
  if (only !== undefined && !isRecord(only)) return `${tag}(${formatValue(only)})`;
  const payload = only !== undefined && isRecord(only) && !tagOf(only) ? only : undefined;
  const source = payload ?? o;
  const parts = (payload === undefined ? fields : keysOf(payload)).map((k) =>
    bareField(k) ? formatValue(source[k]!) : `${shortField(k)}=${formatValue(source[k]!)}`,
  );
  return parts.length === 0 ? tag : `${tag} ${parts.join(' ')}`;
}

function recordText(o: JsonObject): string {
  if (hasExactly(o, ['seqno', 'proposerId'])) return `(${formatValue(o.seqno!)},${formatValue(o.proposerId!)})`;
  if (hasExactly(o, ['client', 'seqno', 'request']) && isObject(o.request)) {
    const op = tagOf(o.request) === 'AppIncrementRequest' ? '' : `:${formatValue(o.request)}`;
    return `${formatValue(o.client!)}#${formatValue(o.seqno!)}${op}`;
  }
  if (hasExactly(o, ['client', 'seqno', 'reply'])) return `${formatValue(o.client!)}#${formatValue(o.seqno!)}=${formatValue(o.reply!)}`;
  if (hasExactly(o, ['maxValueBal', 'maxVal'])) return `${formatValue(o.maxValueBal!)}${formatValue(o.maxVal!)}`;
  const app = appMessage(o);
  if (app !== undefined) return app;
  const tag = tagOf(o);
  if (tag !== undefined) return taggedRecord(o, tag);
  if (isPacket(o)) return packetLabel(o, true);
  return `{${keysOf(o)
    .map((k) => `${k}=${formatValue(o[k]!)}`)
    .join(', ')}}`;
}

/** One short rendering of any ITF value. */
export function formatValue(v: Json): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(',')}]`;
  const o = v as JsonObject;
  const members = setMembers(o);
  if (members !== undefined) return `{${members.map(formatValue).join(',')}}`;
  const entries = mapEntries(o);
  if (entries !== undefined) return `{${entries.map(([k, x]) => `${formatValue(k)}:${formatValue(x)}`).join(',')}}`;
  const tuple = tupleMembers(o);
  if (tuple !== undefined) return `(${tuple.map(formatValue).join(',')})`;
  if (typeof o['#bigint'] === 'string') return o['#bigint'];
  if (typeof o['#unserializable'] === 'string') return o['#unserializable'];
  return recordText(o);
}

/** The names a packet record may use for its ends. */
const ends: readonly (readonly [string, string])[] = [
  ['src', 'dst'],
  ['from', 'to'],
  ['sender', 'receiver'],
];

/** The sender and receiver of a packet-like record (`src`/`dst`, `from`/`to`, `sender`/`receiver`). */
export function packetEnds(v: Json | undefined): { readonly src: string; readonly dst: string } | undefined {
  if (!isObject(v)) return undefined;
  for (const [s, d] of ends) {
    const src = v[s];
    const dst = v[d];
    if (typeof src === 'string' && typeof dst === 'string') return { src, dst };
  }
  return undefined;
}

function isPacket(v: Json | undefined): v is JsonObject {
  return packetEnds(v) !== undefined;
}

/** The message a packet carries: its `msg`/`message`/`payload` field, else the packet without its ends. */
export function packetMessage(p: JsonObject): Json {
  for (const k of ['msg', 'message', 'payload']) if (p[k] !== undefined) return p[k]!;
  const endNames = new Set(ends.flat());
  return Object.fromEntries(Object.entries(p).filter(([k]) => !endNames.has(k)));
}

/** The type of the message a packet carries (`2a`, `Heartbeat`, …), or `msg`. */
export function packetType(p: JsonObject): string {
  return tagOf(packetMessage(p)) ?? 'msg';
}

/** `2a b=(1,1) opn=0 [c0#0]`, optionally prefixed with `r0->r1 `. */
export function packetLabel(p: JsonObject, withEnds = false): string {
  const m = packetMessage(p);
  const text = isObject(m) && tagOf(m) === undefined ? taggedRecord(m, 'msg') : formatValue(m);
  const e = packetEnds(p);
  return withEnds && e !== undefined ? `${e.src}->${e.dst} ${text}` : text;
}

/**
 * Whether the state panel opens a value into its fields: a record with no tag that has no compact
 * form (ballots, requests, votes and packets are shown whole).
 */
export function isStructured(v: Json | undefined): v is JsonObject {
  if (!isRecord(v) || tagOf(v) !== undefined || isPacket(v)) return false;
  if (hasExactly(v, ['seqno', 'proposerId']) || hasExactly(v, ['maxValueBal', 'maxVal'])) return false;
  return !(hasExactly(v, ['client', 'seqno', 'request']) || hasExactly(v, ['client', 'seqno', 'reply']));
}

/** A packet's message with its fields' own names: `type=2b bal2b=(1,0) opn2b=0 val2b=[c0#0]`. */
export function packetDetails(p: JsonObject): string {
  const m = packetMessage(p);
  if (!isRecord(m)) return formatValue(m);
  return Object.entries(m)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
}

/**
 * A mark short enough for a lifeline: a name of up to 10 characters as it is, else the capitals and
 * digits of a CamelCase name (`MaybeEnterPhase2` -> `MEP2`) or the initials of a snake_case one.
 */
export function abbreviate(name: string): string {
  if (name.length <= 10) return name;
  if (name.includes('_'))
    return name
      .split('_')
      .filter((w) => w !== '')
      .map((w) => w[0])
      .join('');
  const caps = name.match(/[A-Z]|[0-9]+[a-z]?/g);
  return caps === null || caps.length === 0 ? name.slice(0, 3) : caps.join('');
}
