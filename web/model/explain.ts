/**
 * The packets an obligation's explanation names, so the diagram can highlight them. Explanations
 * name messages as `TYPE(field=value, ...)` followed by `from SRC` or `SRC->DST`
 * (`2b(bal=(1,0), opn=0, val=[c0#0]) from r0`, `Reply(seqno=0, ...) r0->c0`), or refer back to one
 * (`sent that 2b`, `no such 2b`) with the fields given earlier in the sentence (`val=`, `bal=`,
 * `opn=`). A packet matches when its type, its ends and every field given agree; values are
 * compared as compact text with spacing removed. Pure; generic over message shapes.
 */
import { formatValue, packetEnds, packetMessage, packetType, shortField } from './format.js';
import { isObject, type Json } from './itf.js';

interface Mention {
  readonly type: string;
  readonly src?: string;
  readonly dst?: string;
  /** Short field name (`b`, `opn`, `val`, `ltp`, `votes`, `seqno`) to the value's text. */
  readonly fields: ReadonlyMap<string, string>;
}

/** The text inside the parenthesis opening at `open`, and the index after its closing one. */
function balanced(text: string, open: number): { inner: string; end: number } | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return undefined;
}

/** Splits `a=1, b=(1,0), c` at the commas outside brackets. */
function topLevelParts(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function normalise(text: string): string {
  return text.replace(/\s+/g, '');
}

/** A field key as the explanation writes it, in the short form `shortField` gives packet fields. */
function explanationKey(key: string): string {
  return key === 'val' ? 'val' : shortField(key);
}

function fieldsOf(parts: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    fields.set(explanationKey(part.slice(0, eq).trim()), normalise(part.slice(eq + 1)));
  }
  return fields;
}

const explicitMention = /\b([0-9]?[A-Za-z][A-Za-z0-9]*)\(/g;
const endsAfter = /^\s*(?:from\s+([A-Za-z_][\w]*)|([A-Za-z_][\w]*)->([A-Za-z_][\w]*))/;
const backReference = /\b(?:that|such|the same)\s+([0-9][ab]|[A-Z][A-Za-z0-9]*)\b/g;
const sentenceField = /\b(bal|opn|val)=(\([^)]*\)|\[[^\]]*\]|[0-9]+)/g;

/** The messages an explanation names, for the message types that occur in the trace. */
export function mentions(explanation: string, types: ReadonlySet<string>): Mention[] {
  const out: Mention[] = [];
  for (const m of explanation.matchAll(explicitMention)) {
    const type = m[1]!;
    if (!types.has(type)) continue;
    const open = m.index! + m[0].length - 1;
    const body = balanced(explanation, open);
    if (body === undefined) continue;
    const tail = explanation.slice(body.end).match(endsAfter);
    const src = tail?.[1] ?? tail?.[2];
    const dst = tail?.[3];
    out.push({
      type,
      ...(src === undefined ? {} : { src }),
      ...(dst === undefined ? {} : { dst }),
      fields: fieldsOf(topLevelParts(body.inner)),
    });
  }
  for (const m of explanation.matchAll(backReference)) {
    const type = m[1]!;
    if (!types.has(type)) continue;
    const fields = new Map<string, string>();
    for (const f of explanation.matchAll(sentenceField)) {
      const key = explanationKey(f[1]!);
      if (!fields.has(key)) fields.set(key, normalise(f[2]!));
    }
    out.push({ type, fields });
  }
  return out;
}

/** The packet's fields in the short form (`b`, `opn`, `val`, …), as normalised text. */
function packetFields(packet: Json): Map<string, string> {
  const msg = isObject(packet) ? packetMessage(packet) : null;
  const fields = new Map<string, string>();
  if (!isObject(msg)) return fields;
  // A Quint sum type `{tag, value: {...}}` carries its fields in `value`.
  const body = typeof msg.tag === 'string' && isObject(msg.value) ? { ...msg, ...msg.value } : msg;
  for (const [k, v] of Object.entries(body)) {
    const key = /^val/.test(k) ? 'val' : shortField(k);
    fields.set(key, normalise(formatValue(v)));
  }
  return fields;
}

function matches(m: Mention, packet: Json): boolean {
  if (!isObject(packet)) return false;
  const ends = packetEnds(packet);
  if (ends === undefined || packetType(packet) !== m.type) return false;
  if (m.src !== undefined && ends.src !== m.src) return false;
  if (m.dst !== undefined && ends.dst !== m.dst) return false;
  const own = packetFields(packet);
  for (const [k, v] of m.fields) {
    const mine = own.get(k);
    if (mine !== undefined && mine !== v) return false;
  }
  return true;
}

/** The indices (into `packets`) of the packets that `explanation` names. */
export function packetsNamedIn(explanation: string, packets: readonly Json[]): number[] {
  const types = new Set(packets.filter(isObject).map((p) => packetType(p)));
  const ms = mentions(explanation, types);
  return packets.flatMap((p, i) => (ms.some((m) => matches(m, p)) ? [i] : []));
}
