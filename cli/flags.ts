/**
 * Step 1 of the pipeline (flags -> model config -> model -> run -> render): the command-line flags
 * of `check` and `simulate`, listed once. The table below drives the commander options
 * (`addFlags`), the configuration overrides (cli/modelConfig.ts) and the command line that
 * reproduces a run (`reproduceCommand`).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { boundLimits, parseIntegerFlag, type BoundName, type ConfigOverrides } from './config.js';

/** Options shared by every command that builds a model (check, simulate). */
export interface ModelFlags extends ConfigOverrides {
  readonly config?: string;
  readonly mutant?: string;
  readonly invariant?: string[];
  /** `--no-refinement` turns the refinement obligations off (on when absent). */
  readonly refinement?: boolean;
}

export interface CheckFlags extends ModelFlags {
  readonly workers?: number;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeout?: number;
  readonly continue?: boolean;
  readonly census?: boolean;
  readonly traceDir: string;
  readonly json?: boolean;
}

export interface SimulateFlags extends ModelFlags {
  /** PRNG seed, 0 .. 2^32-1; a random one is drawn (and printed) when absent. */
  readonly seed?: number;
  readonly walks: number;
  /** Steps per walk. */
  readonly depth: number;
  readonly traceDir: string;
  readonly json?: boolean;
}

export type CommandName = 'check' | 'simulate';
type AnyFlags = CheckFlags & SimulateFlags;

/** How a flag's value is written: `<n>`, one of some words, present/absent, or repeatable. */
/** The values an integer flag accepts; `unit` is named in the error (`at least 1 (seconds)`). */
export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
  readonly unit?: string;
  /** Errors name both ends (`between 1 and 7`), not only the one crossed. */
  readonly between?: true;
}

export type FlagKind =
  | { readonly type: 'integer'; readonly arg: string; readonly range: IntegerRange }
  | { readonly type: 'choice'; readonly arg: string; readonly choices: readonly string[] }
  | { readonly type: 'string'; readonly arg: string }
  | { readonly type: 'repeatable'; readonly arg: string }
  | { readonly type: 'boolean' }
  /** `--name` and `--no-name`; absent leaves the configuration's value. */
  | { readonly type: 'negatable'; readonly negatedHelp: string };

export interface FlagDef {
  /** The long flag, `--batch-size`. */
  readonly flag: string;
  /** The property commander stores it under (commander's camelCase of `flag`; a test keeps them equal). */
  readonly key: keyof AnyFlags;
  readonly kind: FlagKind;
  readonly help: string;
  readonly commands: readonly CommandName[];
  /** Overrides the configuration key of the same name. */
  readonly overrides?: true;
  /** Part of the command line that reproduces a run (model flags, and a simulation's walks). */
  readonly reproduces?: true;
  readonly defaultValue?: string | number;
}

const both: readonly CommandName[] = ['check', 'simulate'];
const integer = (range: IntegerRange, arg = '<n>'): FlagKind => ({ type: 'integer', arg, range });
/** A bound of the model: its flag takes the range a configuration file may give it. */
const bound = (name: BoundName): FlagKind => integer({ min: boundLimits[name].min, max: boundLimits[name].max, between: true });

/** The folder user runs write counterexample traces to (git-ignored; traces/ holds the fixtures). */
export const defaultTraceDir = 'out/traces';

/** Every flag of `check` and `simulate`, in the order help and reproduction commands list them. */
export const flagTable: readonly FlagDef[] = [
  {
    flag: '--config',
    key: 'config',
    kind: { type: 'string', arg: '<file>' },
    help: 'model configuration (JSON); default configs/small-r3-b3.json',
    commands: both,
    reproduces: true,
  },
  {
    flag: '--replicas',
    key: 'replicas',
    kind: bound('replicas'),
    help: 'number of replicas',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--ballots',
    key: 'ballots',
    kind: bound('ballots'),
    help: 'how many views may be started',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--opns',
    key: 'opns',
    kind: bound('opns'),
    help: 'operation slots that may be proposed',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--clients',
    key: 'clients',
    kind: bound('clients'),
    help: 'number of clients',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--requests',
    key: 'requests',
    kind: bound('requests'),
    help: 'requests per client',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--clock',
    key: 'clock',
    kind: bound('clock'),
    help: 'clock readings range over 0..n',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--batch-size',
    key: 'batchSize',
    kind: bound('batchSize'),
    help: 'max_batch_size',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--scheduler',
    key: 'scheduler',
    kind: { type: 'choice', arg: '<mode>', choices: ['round-robin', 'any'] },
    help: 'which replica actions may run',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--granularity',
    key: 'granularity',
    kind: { type: 'choice', arg: '<unit>', choices: ['round', 'action'] },
    help: 'round: one scheduler round of one replica per step, every state inside it checked (default); action: one action per step',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--exploration',
    key: 'exploration',
    kind: { type: 'choice', arg: '<how>', choices: ['states', 'per-replica'] },
    help: 'states: breadth-first, one state at a time (default); per-replica: what each replica can be in with each packet set, checked as a product (rounds only; configs/README.md)',
    commands: ['check'],
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--checkpoints',
    key: 'checkpoints',
    kind: { type: 'choice', arg: '<news>', choices: ['eager', 'lazy'] },
    help: 'oracle checkpoint news: eager (any time) or lazy (only where they truncate a log; configs/README.md)',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--election',
    key: 'election',
    kind: { type: 'choice', arg: '<mode>', choices: ['faithful', 'oracle'] },
    help: 'faithful: clocks, timeouts, heartbeats; oracle: views change at any time (configs/README.md)',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--requests-up-front',
    key: 'requestsUpFront',
    kind: { type: 'boolean' },
    help: 'every client request is in the network from the start (exact, configs/README.md)',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--request-targets',
    key: 'requestTargets',
    kind: { type: 'choice', arg: '<which>', choices: ['all', 'one'] },
    help: 'all: a client sends to any replica; one: client i only to replica i mod n',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--symmetry',
    key: 'symmetry',
    kind: { type: 'negatable', negatedHelp: 'explore without symmetry reduction' },
    help: 'reduce by client symmetry (default from the config)',
    commands: both,
    overrides: true,
    reproduces: true,
  },
  {
    flag: '--mutant',
    key: 'mutant',
    kind: { type: 'string', arg: '<name>' },
    help: 'swap in a deliberately broken variant of one action (see `rsl list mutants`)',
    commands: both,
    reproduces: true,
  },
  {
    flag: '--refinement',
    key: 'refinement',
    kind: { type: 'negatable', negatedHelp: 'do not check that the implementation (impl/) refines the spec' },
    help: 'check that the implementation (impl/) refines the spec at every explored step (the default)',
    commands: both,
    reproduces: true,
  },
  {
    flag: '--invariant',
    key: 'invariant',
    kind: { type: 'repeatable', arg: '<name>' },
    help: 'check only this obligation or scenario (repeatable; see `rsl list obligations`)',
    commands: both,
    reproduces: true,
  },
  {
    flag: '--workers',
    key: 'workers',
    kind: integer({ min: 0, max: 64 }),
    help: 'worker threads generating successors (0 = in the main thread)',
    commands: ['check'],
  },
  { flag: '--max-states', key: 'maxStates', kind: integer({ min: 1 }), help: 'stop after this many distinct states', commands: ['check'] },
  { flag: '--max-depth', key: 'maxDepth', kind: integer({ min: 1 }), help: 'do not explore beyond this BFS depth', commands: ['check'] },
  {
    flag: '--timeout',
    key: 'timeout',
    kind: integer({ min: 1, unit: 'seconds' }, '<seconds>'),
    help: 'stop after this many seconds',
    commands: ['check'],
  },
  {
    flag: '--continue',
    key: 'continue',
    kind: { type: 'boolean' },
    help: 'keep exploring after a violation (one shortest trace per property)',
    commands: ['check'],
  },
  {
    flag: '--census',
    key: 'census',
    kind: { type: 'boolean' },
    help: 'count the distinct values of each state component (per replica, packets, clients) and list the actions that found most new states',
    commands: ['check'],
  },
  {
    flag: '--seed',
    key: 'seed',
    kind: integer({ min: 0, max: 2 ** 32 - 1, between: true }),
    help: 'random seed (printed, so a run can be repeated)',
    commands: ['simulate'],
    reproduces: true,
  },
  {
    flag: '--walks',
    key: 'walks',
    kind: integer({ min: 1 }),
    help: 'number of walks',
    commands: ['simulate'],
    reproduces: true,
    defaultValue: 1000,
  },
  {
    flag: '--depth',
    key: 'depth',
    kind: integer({ min: 1 }),
    help: 'steps per walk',
    commands: ['simulate'],
    reproduces: true,
    defaultValue: 100,
  },
  {
    flag: '--trace-dir',
    key: 'traceDir',
    kind: { type: 'string', arg: '<dir>' },
    help: 'where counterexample traces are written (traces/ holds the fixtures: npm run traces:regen)',
    commands: both,
    defaultValue: defaultTraceDir,
  },
  { flag: '--json', key: 'json', kind: { type: 'boolean' }, help: 'print the whole result as JSON on stdout', commands: both },
];

function integerParser(flag: string): (value: string) => number {
  const parse = parseIntegerFlag(flag);
  return (value) => {
    try {
      return parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

/** The commander options of one table entry (two for a negatable flag). */
export function optionsOf(def: FlagDef): Option[] {
  const k = def.kind;
  switch (k.type) {
    case 'boolean':
      return [new Option(def.flag, def.help)];
    case 'negatable':
      return [new Option(def.flag, def.help), new Option(`--no-${def.flag.slice(2)}`, k.negatedHelp)];
    case 'integer': {
      const o = new Option(`${def.flag} ${k.arg}`, def.help).argParser(integerParser(def.flag));
      return [def.defaultValue === undefined ? o : o.default(def.defaultValue)];
    }
    case 'choice':
      return [new Option(`${def.flag} ${k.arg}`, def.help).choices(k.choices)];
    case 'string': {
      const o = new Option(`${def.flag} ${k.arg}`, def.help);
      return [def.defaultValue === undefined ? o : o.default(def.defaultValue)];
    }
    case 'repeatable':
      return [new Option(`${def.flag} ${k.arg}`, def.help).argParser((v: string, acc: string[] = []) => [...acc, v])];
  }
}

/** Adds every flag of `command` to `cmd`. */
export function addFlags(cmd: Command, command: CommandName): Command {
  for (const def of flagTable.filter((d) => d.commands.includes(command))) for (const o of optionsOf(def)) cmd.addOption(o);
  return cmd;
}

/** The flags a configuration override is made of (cli/modelConfig.ts reads them). */
export const overrideFlags: readonly FlagDef[] = flagTable.filter((d) => d.overrides === true);

/** `--flag value` words for one flag as the user gave it, or none when it was not given. */
function words(def: FlagDef, value: unknown): string[] {
  if (value === undefined) return [];
  switch (def.kind.type) {
    case 'boolean':
      return value === true ? [def.flag] : [];
    case 'negatable':
      return [value === true ? def.flag : `--no-${def.flag.slice(2)}`];
    case 'repeatable':
      return (value as readonly string[]).flatMap((v) => [def.flag, v]);
    default:
      return [def.flag, String(value)];
  }
}

/**
 * The command line that reproduces a run of `command` with these flags: every reproducing flag the
 * user gave (and the configuration, default included), in table order.
 */
export function reproduceCommand(
  command: CommandName,
  flags: ModelFlags & Partial<AnyFlags>,
  defaultConfig = 'configs/small-r3-b3.json',
): string {
  const parts = ['npx rsl', command];
  for (const def of flagTable) {
    if (def.reproduces !== true || !def.commands.includes(command)) continue;
    const value = def.key === 'config' ? (flags.config ?? defaultConfig) : flags[def.key];
    parts.push(...words(def, value));
  }
  return parts.join(' ');
}

/** `--timeout must be at least 1 (seconds), got 0`, or undefined when `value` is in `range`. */
function rangeProblem(flag: string, range: IntegerRange, value: number): string | undefined {
  const { min, max, unit } = range;
  if (value >= min && (max === undefined || value <= max)) return undefined;
  const got = `, got ${value}`;
  if (range.between === true) return `${flag} must be between ${min} and ${max}${got}`;
  if (value < min) return `${flag} must be ${min === 0 ? '0 or more' : `at least ${min}`}${unit === undefined ? '' : ` (${unit})`}${got}`;
  return `${flag} must be at most ${max}${got}`;
}

/**
 * The first problem with the flags of `command`, as one line naming the flag, or undefined. Runs
 * on the parsed flags (so also on flags passed in by tests and other callers, not only on argv).
 */
export function flagProblem(command: CommandName, flags: Partial<AnyFlags>): string | undefined {
  for (const def of flagTable) {
    if (!def.commands.includes(command) || def.kind.type !== 'integer') continue;
    const value = flags[def.key];
    if (typeof value !== 'number') continue;
    const problem = rangeProblem(def.flag, def.kind.range, value);
    if (problem !== undefined) return problem;
  }
  if (
    command === 'check' &&
    flags.continue === true &&
    flags.timeout === undefined &&
    flags.maxStates === undefined &&
    flags.maxDepth === undefined
  ) {
    return '--continue needs a limit: give --timeout, --max-states or --max-depth too';
  }
  return undefined;
}
