/**
 * Runs of the seeded bugs (mutants/) on their mutant-hunting configurations, and the committed
 * trace files of their counterexamples. Shared by test/mutants.test.ts, test/traces.test.ts and the
 * generator test/helpers/regenTraces.ts.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  check,
  replayTrace,
  traceToItf,
  type CheckResult,
  type ItfTrace,
  type Model,
  type TraceInfo,
  type Violation,
} from '../../checker/index.js';
import { loadModelConfig, type ModelConfig } from '../../cli/config.js';
import { createRslModel, type RslModelOptions } from '../../cli/rslModel.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { scheduledModel } from './scheduledSearch.js';

export const mutantsConfigFile = 'configs/mutants-r3.json';

/**
 * Mutants hunted on another configuration than configs/mutants-r3.json: their bug only shows after
 * a view change, which that host-by-host search never makes, so they are searched exhaustively on
 * a configuration small enough to exhaust (configs/mutants-views-*.json).
 */
const viewChangeConfigFiles: Readonly<Record<string, string>> = {
  'acceptor-1b-omits-votes': 'configs/mutants-views-r1.json',
  'learner-counts-across-ballots': 'configs/mutants-oracle-r2.json',
};

/**
 * A directed hunt: the configuration, and the schedule of rounds the breadth-first search follows
 * (scheduledSearch.ts), one entry per round: `r<i>:<what its slot 0 does>`, that is receives a
 * packet of that message type, `view` (the oracle's view change in its place) or `none`.
 */
export interface DirectedHunt {
  readonly config: string;
  readonly schedule: readonly string[];
}

/**
 * Mutants whose bug needs a scenario too deep for an exhaustive search of three replicas. The
 * lowest-vote proposer needs two values voted at two ballots and a third ballot's leader that
 * hears both: 18 rounds, where the exhaustive search of these bounds is at depth 11 after five
 * minutes. The schedule says only which replica moves and what its round receives; the search
 * finds which packet, which view and which value, and checks every state on the way.
 */
const directedHunts: Readonly<Record<string, DirectedHunt>> = {
  'proposer-nominates-lowest-vote': {
    config: 'configs/mutants-directed-r3.json',
    schedule: [
      // View (1,0): r0 queues c0's request and sends the 1a; r0 and r2 answer; r0 proposes c0#0, and
      // its own acceptor votes for it.
      ...['r0:Request', 'r0:1a', 'r2:1a', 'r0:1b', 'r0:1b', 'r0:2a'],
      // View (1,1): r1 records c1's request, moves to (1,1) and sends the 1a; r1 and r2 answer with
      // no vote; r1 proposes c1#0, and its own acceptor votes for it.
      ...['r1:Request', 'r1:view', 'r1:1a', 'r2:1a', 'r1:1b', 'r1:1b', 'r1:2a'],
      // View (1,2): r2 moves to it and sends the 1a; r0 (voted at (1,0)) and r1 (voted at (1,1))
      // answer; r2 hears both and nominates.
      ...['r2:view', 'r0:1a', 'r1:1a', 'r2:1b', 'r2:1b'],
    ],
  },
};

/** The directed hunt of `mutant`, if it is hunted that way. */
export function directedHunt(mutant: string): DirectedHunt | undefined {
  return directedHunts[mutant];
}

export const tracesDir = 'traces';
export const traceSuffix = '.trace.json';

type RslModel = Model<RslSystem, SystemStep>;

/** The configuration file `mutant` is hunted on, relative to the repository root. */
export function mutantConfigFile(mutant: string): string {
  return directedHunts[mutant]?.config ?? viewChangeConfigFiles[mutant] ?? mutantsConfigFile;
}

/** Every mutant-hunting configuration file searched exhaustively (not the directed hunts'), sorted. */
export function mutantConfigFiles(): string[] {
  return [...new Set([mutantsConfigFile, ...Object.values(viewChangeConfigFiles)])].sort();
}

/** A mutant-hunting configuration file (relative to `root`), read and validated like any model configuration. */
export function loadMutantsConfig(root: string, file: string = mutantsConfigFile): ModelConfig {
  return loadModelConfig(join(root, file));
}

/** `traces/<obligation>-<mutant>.trace.json`, relative to the repository root. */
export function traceFilePath(property: string, mutant: string): string {
  return join(tracesDir, `${property}-${mutant}${traceSuffix}`);
}

/** The committed trace files, relative to the repository root, sorted. */
export function committedTraceFiles(root: string): string[] {
  return readdirSync(join(root, tracesDir))
    .filter((f) => f.endsWith(traceSuffix))
    .sort()
    .map((f) => join(tracesDir, f));
}

export interface MutantRun {
  readonly model: RslModel;
  /** The check's result (of the model restricted to a schedule, for a directed hunt). */
  readonly result: CheckResult<unknown, SystemStep>;
  /**
   * The first violation found (BFS, so its trace is a shortest one, along the schedule for a
   * directed hunt), if any; its trace is a trace of `model`.
   */
  readonly first: Violation<RslSystem, SystemStep> | undefined;
}

/**
 * Exhaustive check (one thread, no symmetry) of the correct spec or of one spec mutant on `config`.
 * Refinement of the implementation is left out: these runs are about the spec's obligations (a
 * spec mutant never changes what the implementation is compared with), and test/impl/ checks it.
 */
export async function runOn(config: ModelConfig, mutant?: string): Promise<MutantRun> {
  const options: RslModelOptions = mutant === undefined ? { config, refinement: false } : { config, mutant, refinement: false };
  const model = createRslModel(options);
  const result = await check(model, {});
  const first = result.kind === 'violation' ? result.violations[0] : undefined;
  return { model, result, first };
}

/** The schedule entry `r<i>:<what>` as a test on a round's first sub-step. */
function scheduleEntry(text: string): (step: SystemStep) => boolean {
  const match = /^r(\d+):(\w+)$/.exec(text);
  if (match === null) throw new Error(`bad schedule entry "${text}": expected r<i>:<message type | view | none>`);
  const replica = Number(match[1]);
  const what = match[2]!;
  return (step) => {
    if (step.kind === 'client' || step.replica !== replica) return false;
    if (step.kind === 'view') return what === 'view';
    if (step.kind === 'replica' && step.action === 0 && step.packet !== undefined) return step.packet.msg.type === what;
    return what === 'none';
  };
}

/**
 * The breadth-first search of the correct spec or of a mutant on `config`, restricted to
 * `schedule` (see DirectedHunt); its first violation's trace is replayed on the unrestricted model.
 */
export async function runDirected(config: ModelConfig, schedule: readonly string[], mutant?: string): Promise<MutantRun> {
  const model = createRslModel(mutant === undefined ? { config, refinement: false } : { config, mutant, refinement: false });
  const result = await check(scheduledModel(model, schedule.map(scheduleEntry), schedule.join(' ')), {});
  const v = result.kind === 'violation' ? result.violations[0] : undefined;
  if (v?.trace === undefined) return { model, result, first: undefined };
  const replayed = replayTrace(
    model,
    v.trace.actions.map((a) => model.actionToJson(a)),
  );
  if (!replayed.ok) throw new Error(`${model.name}: the directed trace does not replay at step ${replayed.step}: ${replayed.reason}`);
  return { model, result, first: { ...v, trace: replayed.trace } };
}

/** The hunt for `mutant` on its configuration (`mutantConfigFile`): directed if it has a schedule, else exhaustive. */
export async function huntMutant(root: string, mutant: string): Promise<MutantRun> {
  const config = loadMutantsConfig(root, mutantConfigFile(mutant));
  const directed = directedHunts[mutant];
  return directed === undefined ? runOn(config, mutant) : runDirected(config, directed.schedule, mutant);
}

/**
 * The ITF text of a trace: what `writeTraceFile` writes, but one state per line instead of
 * pretty-printed, which keeps a 23-state trace of this model near 130 KB instead of 300 KB.
 */
export function itfText(itf: ItfTrace): string {
  const states = itf.states.map((s) => JSON.stringify(s)).join(',\n');
  return `{"#meta":${JSON.stringify(itf['#meta'])},\n"vars":${JSON.stringify(itf.vars)},\n"states":[\n${states}\n]}\n`;
}

/** Writes the first violation's trace of `run` to `path` (absolute), as ITF. */
export function writeViolationTrace(path: string, run: MutantRun): void {
  const v = run.first;
  if (v?.trace === undefined) throw new Error(`${run.model.name}: no violation trace to write`);
  const info: TraceInfo = { property: v.property, kind: v.kind, explanation: v.explanation };
  writeFileSync(path, itfText(traceToItf(run.model, v.trace, info)));
}
