/**
 * Committed counterexamples (issue 3 points 4 and 7): every trace file in traces/ re-executes
 * against the model rebuilt from its own `#meta.configuration` (the `RslModelOptions` it was made
 * with), step by step and state by state, and its last state is the first to violate the property
 * the file names. Changing one action, or dropping the mutant, makes the replay fail.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTraceFile, replayTrace, traceActions, type ItfTrace, type Json } from '../checker/index.js';
import { createRslModel, replicaIdsOf, type RslModelOptions } from '../cli/rslModel.js';
import { mutants } from '../mutants/index.js';
import { committedTraceFiles, traceFilePath } from './helpers/mutantRuns.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = committedTraceFiles(root);

type Verdict = { readonly confirmed: true } | { readonly confirmed: false; readonly step: number; readonly reason: string };

/** Replays `itf` against the model of `options` and says whether its last state violates `property` first. */
function verify(itf: ItfTrace, options: RslModelOptions, property: string): Verdict {
  const model = createRslModel(options);
  const actions = traceActions(itf);
  const r = replayTrace(model, actions, itf.states);
  if (!r.ok) return { confirmed: false, step: r.step, reason: r.reason };
  const last = itf.states.length - 1;
  const v = r.violations.find((x) => x.property === property);
  if (v === undefined) return { confirmed: false, step: last, reason: `${property} holds along the whole trace` };
  if (v.step !== last) return { confirmed: false, step: v.step, reason: `${property} already fails at state ${v.step}` };
  return { confirmed: true };
}

function optionsOf(itf: ItfTrace): RslModelOptions {
  return itf['#meta'].configuration as unknown as RslModelOptions;
}

function propertyOf(itf: ItfTrace): string {
  const p = itf['#meta'].property;
  if (typeof p !== 'string') throw new Error('the trace names no property in its #meta');
  return p;
}

/** The same action done by another host: the next replica, or the client's request sent to the next replica. */
function byAnotherHost(action: Json, replicas: number): Json {
  const ids = replicaIdsOf(replicas);
  const next = (id: Json): string => ids[(ids.indexOf(String(id)) + 1) % ids.length]!;
  const a = action as { readonly [key: string]: Json };
  return 'replica' in a ? { ...a, replica: next(a.replica!) } : { ...a, dst: next(a.dst!) };
}

/**
 * Another action for the last step: the same action done by another host; with one replica there
 * is no other host, so the action of the step before it.
 */
function anotherLastAction(itf: ItfTrace, replicas: number): Json {
  const actions = traceActions(itf);
  const last = actions[actions.length - 1]!;
  return replicas > 1 ? byAnotherHost(last, replicas) : actions[actions.length - 2]!;
}

/** A copy of `itf` whose last recorded action is `action`. */
function withLastAction(itf: ItfTrace, action: Json): ItfTrace {
  const states = itf.states.map((s, i) => (i === itf.states.length - 1 ? { ...s, '#meta': { ...s['#meta'], action } } : s));
  return { ...itf, states };
}

describe('traces/', () => {
  it('holds one trace per mutant, named <obligation>-<mutant>.trace.json, each under 200 KB', () => {
    expect(files.length).toBe(mutants.length);
    for (const m of mutants)
      expect(
        files.filter((f) => f.endsWith(`-${m.name}.trace.json`)),
        m.name,
      ).toHaveLength(1);
    for (const f of files) expect(statSync(join(root, f)).size, f).toBeLessThan(200 * 1024);
  });
});

for (const file of files) {
  describe(file, () => {
    const itf = readTraceFile(join(root, file));
    const options = optionsOf(itf);
    const property = propertyOf(itf);

    it('is named after the property and the mutant in its #meta', () => {
      expect(options.mutant).toBeDefined();
      expect(file).toBe(traceFilePath(property, options.mutant!));
    });

    it('replays step by step, and its last state is the first to violate that property', () => {
      expect(verify(itf, options, property)).toEqual({ confirmed: true });
    });

    it('is refuted when its last action is done by another host (with one replica: replaced by the one before)', () => {
      const corrupted = withLastAction(itf, anotherLastAction(itf, options.config.replicas));
      expect(traceActions(corrupted)).not.toEqual(traceActions(itf));
      const v = verify(corrupted, options, property);
      expect(v.confirmed).toBe(false);
      expect(v.confirmed ? -1 : v.step).toBe(itf.states.length - 2);
    });

    it('is refuted against the correct spec', () => {
      const { mutant: _mutant, ...correct } = options;
      expect(verify(itf, correct, property).confirmed).toBe(false);
    });
  });
}
