/**
 * The cluster file: the replicas' UDP addresses and the protocol parameters (rsl-protocol.md §3).
 *
 *   { "replicas": ["127.0.0.1:4001", "127.0.0.1:4002", "127.0.0.1:4003"],
 *     "params": { "maxBatchDelay": 10 } }
 *
 * Every parameter is optional; the defaults are the Verus lab skeleton's `StaticParams()`.
 * `max_integer_val` is not a parameter here: the wire carries integers up to 2^53 - 1 (the JS
 * number limit) instead of the lab's 2^63 - 1, so that is the bound.
 */
import { readFileSync } from 'node:fs';
import type { CParameters, CReplicaConstants } from '../types.js';
import { parseEndPoint } from './wire.js';

/** The lab's StaticParams (Verus skeleton, rsl-protocol.md §3), time in milliseconds. */
export const labStaticParams: Omit<CParameters, 'maxIntegerVal'> = Object.freeze({
  maxLogLength: 1000,
  baselineViewTimeoutPeriod: 1000,
  heartbeatPeriod: 30,
  maxBatchSize: 32,
  maxBatchDelay: 10,
});

/** The largest integer the wire format carries (see the module comment). */
export const wireMaxIntegerVal = Number.MAX_SAFE_INTEGER;

/** The address every replica of this build binds: loopback only. */
export const bindAddress = '127.0.0.1';

export interface ClusterSpec {
  readonly replicas: readonly string[];
  readonly params: CParameters;
}

/** A bad cluster file or index; the message is one line, fit for the user. */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
}

type ParamKey = keyof typeof labStaticParams;

/** Each parameter's lower and upper bound (the implementation's `CParameters.valid`, §3). */
const paramBounds: Readonly<Record<ParamKey, readonly [number, number]>> = {
  maxLogLength: [1, 1000],
  baselineViewTimeoutPeriod: [1, wireMaxIntegerVal - 1],
  heartbeatPeriod: [1, wireMaxIntegerVal - 1],
  maxBatchSize: [1, 1000],
  maxBatchDelay: [0, wireMaxIntegerVal - 1],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates the parsed JSON of a cluster file; `where` names the file in error messages. */
export function parseClusterSpec(json: unknown, where: string): ClusterSpec {
  if (!isObject(json)) throw new ClusterError(`${where}: expected a JSON object with "replicas" and optional "params"`);
  for (const key of Object.keys(json)) {
    if (key !== 'replicas' && key !== 'params') throw new ClusterError(`${where}: unknown key "${key}" (expected "replicas", "params")`);
  }
  const replicas = json['replicas'];
  if (!Array.isArray(replicas) || replicas.length === 0) {
    throw new ClusterError(`${where}: "replicas" must be a non-empty array of "127.0.0.1:port" strings`);
  }
  const seen = new Set<string>();
  replicas.forEach((r: unknown, i) => {
    if (typeof r !== 'string' || parseEndPoint(r) === undefined) {
      throw new ClusterError(`${where}: replicas[${i}] = ${JSON.stringify(r)} is not an "a.b.c.d:port" address`);
    }
    const [ip, port] = r.split(':');
    if (ip !== bindAddress || Number(port) === 0) {
      throw new ClusterError(`${where}: replicas[${i}] = "${r}": this build runs on loopback only ("${bindAddress}:port", port > 0)`);
    }
    if (seen.has(r)) throw new ClusterError(`${where}: replicas[${i}] = "${r}" is listed twice`);
    seen.add(r);
  });
  const given = json['params'] ?? {};
  if (!isObject(given)) throw new ClusterError(`${where}: "params" must be an object`);
  const params: Record<string, number> = { ...labStaticParams };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in paramBounds)) {
      throw new ClusterError(`${where}: unknown parameter "${key}" (expected ${Object.keys(paramBounds).join(', ')})`);
    }
    const [lo, hi] = paramBounds[key as ParamKey];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
      throw new ClusterError(`${where}: params.${key} = ${JSON.stringify(value)} must be an integer in ${lo}..${hi}`);
    }
    params[key] = value;
  }
  return {
    replicas: [...(replicas as string[])],
    params: { ...(params as Omit<CParameters, 'maxIntegerVal'>), maxIntegerVal: wireMaxIntegerVal },
  };
}

/** The text of a cluster file; a one-line ClusterError if it cannot be read. */
export function readClusterFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClusterError(`cannot read the cluster file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Parses the text of a cluster file. */
export function parseClusterFile(text: string, where: string): ClusterSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ClusterError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  return parseClusterSpec(json, where);
}

/** The constants of replica `index` of the cluster. */
export function replicaConstantsOf(spec: ClusterSpec, index: number): CReplicaConstants {
  if (!Number.isInteger(index) || index < 0 || index >= spec.replicas.length) {
    throw new ClusterError(`replica index ${index} is outside the cluster (0..${spec.replicas.length - 1})`);
  }
  return { myIndex: index, config: { replicaIds: spec.replicas }, params: spec.params };
}

/** The JSON text of a cluster file (what `rsl cluster` writes). */
export function formatClusterFile(replicas: readonly string[], params: Partial<Omit<CParameters, 'maxIntegerVal'>> = {}): string {
  return `${JSON.stringify({ replicas, params: { ...labStaticParams, ...params } }, null, 2)}\n`;
}
