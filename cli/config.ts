/**
 * Model configurations: the JSON files in configs/, validated on load against configs/schema.json,
 * and the command-line flags that override them. Every error is one line that names the file or
 * flag and what is wrong.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { integerRange, oracleAtActionGranularity, schemaProblem } from './configSchema.js';

export type SchedulerMode = 'round-robin' | 'any';
/** How views change: the faithful election (clocks, timeouts, heartbeats) or the election oracle. */
export type ElectionMode = 'faithful' | 'oracle';
export type RequestTargets = 'all' | 'one';
/** How the round-robin is explored: one replica's whole scheduler round per transition, or one action. */
export type Granularity = 'round' | 'action';
/** How `rsl check` enumerates the states: one by one (breadth-first) or per replica (configs/README.md). */
export type Exploration = 'states' | 'per-replica';
/** How the election oracle delivers checkpoint news (configs/README.md). */
export type CheckpointNews = 'eager' | 'lazy';

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
  /**
   * `round` (default): each transition is one replica's scheduler round, every state inside it
   * checked (spec/rounds.ts); needs the round-robin scheduler. `action`: one action per transition.
   */
  readonly granularity: Granularity;
  /**
   * `states` (default): breadth-first search, one state at a time. `per-replica`: the product of
   * what each replica can be in with each packet set (checker/compositional.ts); rounds only.
   */
  readonly exploration: Exploration;
  /** `lazy`: checkpoint news only where they make a log truncation (oracle and rounds only). */
  readonly checkpoints: CheckpointNews;
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

/** The bounds a flag may override, by the flag that overrides them. */
const boundFlags = {
  replicas: '--replicas',
  ballots: '--ballots',
  opns: '--opns',
  clients: '--clients',
  requests: '--requests',
  clock: '--clock',
  batchSize: '--batch-size',
} as const;
export type BoundName = keyof typeof boundFlags;

/** Each bound's flag and its limits, which configs/schema.json states (the flags take the same). */
export const boundLimits: { readonly [K in BoundName]: { readonly flag: string; readonly min: number; readonly max: number } } =
  Object.fromEntries((Object.keys(boundFlags) as BoundName[]).map((k) => [k, { flag: boundFlags[k], ...integerRange(k) }])) as {
    [K in BoundName]: { flag: string; min: number; max: number };
  };

/** A configuration file's JSON once configs/schema.json accepted it: optional keys may be absent. */
interface ConfigFile {
  readonly name: string;
  readonly description?: string;
  readonly replicas: number;
  readonly ballots: number;
  readonly opns: number;
  readonly clients: number;
  readonly requests: number;
  readonly clock: number;
  readonly batchSize: number;
  readonly monotoneClocks?: boolean;
  readonly scheduler?: SchedulerMode;
  readonly granularity?: Granularity;
  readonly exploration?: Exploration;
  readonly checkpoints?: CheckpointNews;
  readonly election?: ElectionMode;
  readonly requestsUpFront?: boolean;
  readonly requestTargets?: RequestTargets;
  readonly symmetry?: boolean;
  readonly hostByHost?: boolean;
  readonly params: ModelParams;
}

/**
 * Validates a parsed JSON value as a model configuration against configs/schema.json (ajv); `where`
 * names its origin in the one-line error. Absent optional keys take the defaults the schema states.
 */
export function parseModelConfig(raw: unknown, where: string): ModelConfig {
  const problem = schemaProblem(raw);
  if (problem !== undefined) throw new ConfigError(`${where}: ${problem}`);
  const f = raw as ConfigFile;
  const scheduler = f.scheduler ?? 'round-robin';
  // The round-robin is explored a round at a time by default; the `any` scheduler has no rounds.
  const granularity = f.granularity ?? (scheduler === 'round-robin' ? 'round' : 'action');
  const election = f.election ?? 'faithful';
  const checkpoints = f.checkpoints ?? 'eager';
  if (granularity === 'round' && scheduler !== 'round-robin') {
    throw new ConfigError(
      `${where}: "granularity": "round" explores the round-robin scheduler; the "any" scheduler needs "granularity": "action"`,
    );
  }
  if (granularity === 'action' && election === 'oracle' && scheduler !== 'any')
    throw new ConfigError(`${where}: ${oracleAtActionGranularity}`);
  if (checkpoints === 'lazy' && (election !== 'oracle' || granularity !== 'round')) {
    throw new ConfigError(`${where}: "checkpoints": "lazy" needs "election": "oracle" and "granularity": "round"`);
  }
  const exploration = f.exploration ?? 'states';
  if (exploration === 'per-replica' && (granularity !== 'round' || f.hostByHost === true)) {
    throw new ConfigError(`${where}: "exploration": "per-replica" needs "granularity": "round" and no host-by-host search`);
  }
  return {
    name: f.name,
    description: f.description ?? '',
    replicas: f.replicas,
    ballots: f.ballots,
    opns: f.opns,
    clients: f.clients,
    requests: f.requests,
    clock: f.clock,
    batchSize: f.batchSize,
    monotoneClocks: f.monotoneClocks ?? true,
    scheduler,
    granularity,
    exploration,
    checkpoints,
    election,
    requestsUpFront: f.requestsUpFront ?? false,
    requestTargets: f.requestTargets ?? 'all',
    symmetry: f.symmetry ?? true,
    hostByHost: f.hostByHost ?? false,
    params: {
      maxLogLength: f.params.maxLogLength,
      baselineViewTimeoutPeriod: f.params.baselineViewTimeoutPeriod,
      heartbeatPeriod: f.params.heartbeatPeriod,
      maxBatchDelay: f.params.maxBatchDelay,
    },
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
  readonly granularity?: Granularity;
  readonly exploration?: Exploration;
  readonly checkpoints?: CheckpointNews;
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
  // A new scheduler without a granularity gets that scheduler's default granularity.
  if (changed.includes('scheduler') && !changed.includes('granularity')) delete merged.granularity;
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
