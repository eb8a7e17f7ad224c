/**
 * Runs of the seeded bugs (mutants/) on their mutant-hunting configurations, and the committed
 * trace files of their counterexamples. Shared by test/mutants.test.ts, test/traces.test.ts and the
 * generator test/helpers/regenTraces.ts.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, traceToItf, type CheckResult, type ItfTrace, type Model, type TraceInfo, type Violation } from '../../checker/index.js';
import { loadModelConfig, type ModelConfig } from '../../cli/config.js';
import { createRslModel, type RslModelOptions } from '../../cli/rslModel.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';

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

export const tracesDir = 'traces';
export const traceSuffix = '.trace.json';

type RslModel = Model<RslSystem, SystemStep>;

/** The configuration file `mutant` is hunted on, relative to the repository root. */
export function mutantConfigFile(mutant: string): string {
  return viewChangeConfigFiles[mutant] ?? mutantsConfigFile;
}

/** Every mutant-hunting configuration file, sorted. */
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
  readonly result: CheckResult<RslSystem, SystemStep>;
  /** The first violation found (BFS, so its trace is a shortest one), if any. */
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
