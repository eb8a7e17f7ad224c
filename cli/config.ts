/**
 * Model configurations: the JSON files in configs/, validated on load, and the command-line flags
 * that override them. Every error is one line that names the file or flag and what is wrong.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export type SchedulerMode = 'round-robin' | 'any';
/** How views change: the faithful election (clocks, timeouts, heartbeats) or the election oracle. */
export type ElectionMode = 'faithful' | 'oracle';
export type RequestTargets = 'all' | 'one';

/** The protocol parameters a model may set (rsl-protocol.md §3); the rest follow from the bounds. */
export interface ModelParams {
  readonly maxLogLength: number;
  readonly baselineViewTimeoutPeriod: number;
  readonly heartbeatPeriod: number;
  readonly maxBatchDelay: number;
}

/** One bounded model of the protocol. See configs/README.md for what each bound cuts. */
export interface ModelConfig {
  readonly name: string;
  readonly description: string;
  /** Number of replicas `n`. */
  readonly replicas: number;
  /** How many views may be started: views beyond the first `ballots` in succession order are cut. */
  readonly ballots: number;
  /** Operation slots `0 .. opns-1` may be proposed; a proposer about to go past them is cut. */
  readonly opns: number;
  readonly clients: number;
  /** Requests per client. */
  readonly requests: number;
  /** Clock readings are drawn from `0 .. clock`. */
  readonly clock: number;
  readonly monotoneClocks: boolean;
  /** max_batch_size. */
  readonly batchSize: number;
  readonly scheduler: SchedulerMode;
  /** `oracle`: spec/electionOracle.ts stands in for clocks, timeouts and heartbeats (configs/README.md). */
  readonly election: ElectionMode;
  /** Every client request is in the network from the start (an exact reduction, configs/README.md). */
  readonly requestsUpFront: boolean;
  /** `one`: client i sends only to replica i mod n (a bound on the environment, configs/README.md). */
  readonly requestTargets: RequestTargets;
  /** Treat clients with the same request pattern as interchangeable. */
  readonly symmetry: boolean;
  /**
   * Bug-hunting mode: only the first host that can move does (cli/rslModel.ts). Not exhaustive, so
   * a run without a violation is reported as incomplete.
   */
  readonly hostByHost: boolean;
  readonly params: ModelParams;
}

/**
 * Whether client symmetry reduces this model: asked for, and at least two clients to rename. The
 * one place this is decided.
 */
export function symmetryApplies(cfg: Pick<ModelConfig, 'symmetry' | 'clients'>): boolean {
  return cfg.symmetry && cfg.clients >= 2;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The bounds a flag may override, with their flag names and limits. */
export const boundLimits = {
  replicas: { flag: '--replicas', min: 1, max: 7 },
  ballots: { flag: '--ballots', min: 1, max: 64 },
  opns: { flag: '--opns', min: 1, max: 64 },
  clients: { flag: '--clients', min: 0, max: 8 },
  requests: { flag: '--requests', min: 0, max: 16 },
  clock: { flag: '--clock', min: 0, max: 1000 },
  batchSize: { flag: '--batch-size', min: 1, max: 1000 },
} as const;
export type BoundName = keyof typeof boundLimits;

const paramLimits: Record<keyof ModelParams, { min: number; max: number }> = {
  maxLogLength: { min: 1, max: 1000 },
  baselineViewTimeoutPeriod: { min: 1, max: 1_000_000 },
  heartbeatPeriod: { min: 1, max: 1_000_000 },
  maxBatchDelay: { min: 0, max: 1_000_000 },
};

const configKeys = new Set([
  'name',
  'description',
  ...Object.keys(boundLimits),
  'monotoneClocks',
  'scheduler',
  'election',
  'requestsUpFront',
  'requestTargets',
  'symmetry',
  'hostByHost',
  'params',
]);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function integerIn(where: string, key: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ConfigError(`${where}: "${key}" must be an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw new ConfigError(`${where}: "${key}" must be between ${min} and ${max}, got ${v}`);
  return v;
}

function booleanAt(where: string, key: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(`${where}: "${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function schedulerAt(where: string, v: unknown): SchedulerMode {
  if (v !== 'round-robin' && v !== 'any') throw new ConfigError(`${where}: "scheduler" must be "round-robin" or "any", got ${JSON.stringify(v)}`);
  return v;
}

function electionAt(where: string, v: unknown): ElectionMode {
  if (v !== 'faithful' && v !== 'oracle') throw new ConfigError(`${where}: "election" must be "faithful" or "oracle", got ${JSON.stringify(v)}`);
  return v;
}

function requestTargetsAt(where: string, v: unknown): RequestTargets {
  if (v !== 'all' && v !== 'one') throw new ConfigError(`${where}: "requestTargets" must be "all" or "one", got ${JSON.stringify(v)}`);
  return v;
}

/** Validates a parsed JSON value as a model configuration; `where` names its origin in errors. */
export function parseModelConfig(raw: unknown, where: string): ModelConfig {
  if (!isRecord(raw)) throw new ConfigError(`${where}: a model configuration must be a JSON object`);
  for (const key of Object.keys(raw)) {
    if (!configKeys.has(key)) throw new ConfigError(`${where}: unknown key "${key}" (known: ${[...configKeys].join(', ')})`);
  }
  for (const key of [...Object.keys(boundLimits), 'name', 'params'] as const) {
    if (!(key in raw)) throw new ConfigError(`${where}: missing key "${key}"`);
  }
  if (typeof raw.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(raw.name)) {
    throw new ConfigError(`${where}: "name" must be a non-empty string of letters, digits, '.', '_' or '-'`);
  }
  const rawParams = raw.params;
  if (!isRecord(rawParams)) throw new ConfigError(`${where}: "params" must be an object`);
  for (const key of Object.keys(rawParams)) {
    if (!(key in paramLimits)) throw new ConfigError(`${where}: unknown parameter "params.${key}" (known: ${Object.keys(paramLimits).join(', ')})`);
  }
  const params = Object.fromEntries(
    (Object.keys(paramLimits) as (keyof ModelParams)[]).map((k) => {
      if (!(k in rawParams)) throw new ConfigError(`${where}: missing parameter "params.${k}"`);
      return [k, integerIn(where, `params.${k}`, rawParams[k], paramLimits[k].min, paramLimits[k].max)];
    }),
  ) as unknown as ModelParams;
  const bound = (k: BoundName): number => integerIn(where, k, raw[k], boundLimits[k].min, boundLimits[k].max);
  const scheduler = 'scheduler' in raw ? schedulerAt(where, raw.scheduler) : 'any';
  const election = 'election' in raw ? electionAt(where, raw.election) : 'faithful';
  if (election === 'oracle' && scheduler !== 'any') {
    throw new ConfigError(`${where}: "election": "oracle" needs "scheduler": "any" (the oracle stands in for the round-robin's timer slots)`);
  }
  const requestTargets = 'requestTargets' in raw ? requestTargetsAt(where, raw.requestTargets) : 'all';
  const symmetry = 'symmetry' in raw ? booleanAt(where, 'symmetry', raw.symmetry) : true;
  if (requestTargets === 'one' && symmetryApplies({ symmetry, clients: bound('clients') })) {
    throw new ConfigError(
      `${where}: "requestTargets": "one" sends each client's requests to its own replica, so clients are not interchangeable: set "symmetry": false`,
    );
  }
  return {
    name: raw.name,
    description: typeof raw.description === 'string' ? raw.description : '',
    replicas: bound('replicas'),
    ballots: bound('ballots'),
    opns: bound('opns'),
    clients: bound('clients'),
    requests: bound('requests'),
    clock: bound('clock'),
    batchSize: bound('batchSize'),
    monotoneClocks: 'monotoneClocks' in raw ? booleanAt(where, 'monotoneClocks', raw.monotoneClocks) : true,
    scheduler,
    election,
    requestsUpFront: 'requestsUpFront' in raw ? booleanAt(where, 'requestsUpFront', raw.requestsUpFront) : false,
    requestTargets,
    symmetry,
    hostByHost: 'hostByHost' in raw ? booleanAt(where, 'hostByHost', raw.hostByHost) : false,
    params,
  };
}

/** Reads and validates a configuration file. */
export function loadModelConfig(path: string): ModelConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${path}: cannot read the configuration file${code ? ` (${code})` : ''}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${basename(path)}: not valid JSON (${(e as Error).message})`);
  }
  return parseModelConfig(raw, basename(path));
}

/** Flag values that override a configuration (undefined = keep the file's value). */
export type ConfigOverrides = Partial<Record<BoundName, number>> & {
  readonly scheduler?: SchedulerMode;
  readonly election?: ElectionMode;
  readonly requestsUpFront?: boolean;
  readonly requestTargets?: RequestTargets;
  readonly symmetry?: boolean;
  readonly hostByHost?: boolean;
};

/** Applies flag overrides and re-validates, so a flag out of range fails like a bad file would. */
export function applyOverrides(base: ModelConfig, o: ConfigOverrides): ModelConfig {
  const changed = (Object.keys(o) as (keyof ConfigOverrides)[]).filter((k) => o[k] !== undefined && o[k] !== base[k]);
  const merged: Record<string, unknown> = { ...base };
  for (const k of changed) merged[k] = o[k];
  if (changed.length > 0) merged.name = `${base.name}.${changed.map((k) => `${k}-${String(o[k])}`).join('.')}`;
  return parseModelConfig(merged, 'command line');
}

/** Parses an integer flag value; commander calls this for every numeric option. */
export function parseIntegerFlag(flag: string): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value)) throw new ConfigError(`${flag} takes a whole number, got "${value}"`);
    return Number.parseInt(value, 10);
  };
}
