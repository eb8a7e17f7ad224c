/**
 * The fields in which two spec values differ, for refinement violations: "spec vs impl, only the
 * fields that differ". Records and maps are compared field by field (key by key), lists element by
 * element when their lengths agree, sets by their missing and extra members.
 */
import { is, isList, isMap, isRecord, isSet, Record, type Collection } from 'immutable';
import * as spec from '../spec/index.js';

/** One differing field: its path (`proposer.requestQueue[2]`), the spec's value and the implementation's. */
export interface FieldDifference {
  readonly path: string;
  readonly spec: string;
  readonly impl: string;
}

/** A short rendering of a spec value: packets, ballots and batches as the traces show them. */
export function render(v: unknown): string {
  if (isRecord(v)) {
    const name = Record.getDescriptiveName(v);
    if (name === 'Packet') return spec.formatPacket(v as unknown as spec.Packet);
    if (name === 'Ballot') return spec.formatBallot(v as unknown as spec.Ballot);
    if (name === 'Request') return spec.formatRequest(v as unknown as spec.Request);
    if (name.startsWith('Message')) return spec.formatMessage(v as unknown as spec.RslMessage);
    const fields: string[] = [];
    (v as unknown as Record<object>).toSeq().forEach((x, k) => void fields.push(`${String(k)}: ${render(x)}`));
    return `${name}{${fields.join(', ')}}`;
  }
  if (isList(v)) return `[${(v as Collection.Indexed<unknown>).map(render).join(', ')}]`;
  if (isSet(v)) return `{${(v as Collection.Set<unknown>).toArray().map(render).sort().join(', ')}}`;
  if (isMap(v)) {
    const entries = (v as Collection.Keyed<unknown, unknown>).entrySeq().map(([k, x]) => `${render(k)} => ${render(x)}`);
    return `{${entries.toArray().sort().join(', ')}}`;
  }
  return v === undefined ? 'absent' : JSON.stringify(v);
}

/** Every field in which `impl` differs from `specValue`, at most `limit` of them. */
export function differences(specValue: unknown, impl: unknown, path = '', limit = 12): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk(specValue, impl, path, out, limit);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldDifference[], limit: number): void {
  if (out.length >= limit || is(a, b)) return;
  const here = path === '' ? '(value)' : path;
  if (isRecord(a) && isRecord(b) && Record.getDescriptiveName(a) === Record.getDescriptiveName(b) && !isLeafRecord(a)) {
    const rb = b as unknown as Record<{ [k: string]: unknown }>;
    (a as unknown as Record<object>).toSeq().forEach((x, k) => {
      const key = String(k);
      walk(x, rb.get(key), path === '' ? key : `${path}.${key}`, out, limit);
    });
    return;
  }
  if (isMap(a) && isMap(b)) {
    const ma = a as Collection.Keyed<unknown, unknown>;
    const mb = b as Collection.Keyed<unknown, unknown>;
    for (const k of ma.keySeq().concat(mb.keySeq().filter((k) => !ma.has(k))))
      walk(ma.get(k), mb.get(k), `${here}[${render(k)}]`, out, limit);
    return;
  }
  if (isList(a) && isList(b) && a.size === b.size) {
    const la = a as Collection.Indexed<unknown>;
    const lb = b as Collection.Indexed<unknown>;
    la.forEach((x, i) => walk(x, lb.get(i), `${here}[${i}]`, out, limit));
    return;
  }
  if (isSet(a) && isSet(b)) {
    const sa = a as Collection.Set<unknown>;
    const sb = b as Collection.Set<unknown>;
    const missing = sa.filter((x) => !sb.has(x));
    const extra = sb.filter((x) => !sa.has(x));
    out.push({ path: here, spec: `has ${render(missing)} too`, impl: `has ${render(extra)} too` });
    return;
  }
  out.push({ path: here, spec: render(a), impl: render(b) });
}

/** Records shown whole: a ballot, request or packet is easier to read as one line. */
function isLeafRecord(v: unknown): boolean {
  const name = Record.getDescriptiveName(v as Record<object>);
  return name === 'Ballot' || name === 'Request' || name === 'Packet' || name.startsWith('Message') || name.startsWith('App');
}
