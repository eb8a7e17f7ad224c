/**
 * What a person should see in the diagram of a committed RSL trace, worked out from the ITF file
 * by the RSL conventions directly (hosts from the configuration, receipts from the recorded
 * actions, the network from the last state), independently of web/model.
 */
import { readdirSync } from 'node:fs';
import type { ItfTrace, Json, JsonObject } from '../../web/model/itf.js';

export function mutantTraceFiles(): string[] {
  return readdirSync('traces')
    .filter((f) => f.endsWith('.trace.json'))
    .sort();
}

/** JSON text with object keys sorted. */
function stable(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  const o = v as JsonObject;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable(o[k]!)}`)
    .join(',')}}`;
}

export interface ExpectedDiagram {
  readonly hosts: string[];
  /** One arrow per receipt, plus one dangling stub per packet never received. */
  readonly arrows: number;
  readonly neverReceived: number;
  /** The host that acts at step 1, 2, …. */
  readonly actors: string[];
}

export function expectedDiagram(itf: ItfTrace): ExpectedDiagram {
  const config = (itf['#meta']!.configuration as JsonObject).config as JsonObject as { replicas: number; clients: number };
  const hosts = [
    ...Array.from({ length: config.replicas }, (_x, i) => `r${i}`),
    ...Array.from({ length: config.clients }, (_x, i) => `c${i}`),
  ];
  const actions = itf.states.slice(1).map((s) => (s['#meta'] as JsonObject).action as JsonObject);
  const received = actions.filter((a) => a.packet !== undefined).map((a) => stable(a.packet!));
  const network = ((itf.states.at(-1)!.sentPackets as JsonObject)['#set'] as Json[]).map(stable);
  const neverReceived = network.filter((p) => !received.includes(p)).length;
  return {
    hosts,
    arrows: received.length + neverReceived,
    neverReceived,
    actors: actions.map((a) => (a.replica ?? a.client) as string),
  };
}
