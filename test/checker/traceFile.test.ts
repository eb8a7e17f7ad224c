/**
 * ITF trace files (issue 4 point 8): written, read back unchanged, and replayed against the model
 * so that a trace file reproduces its violation (TLC's *_TTraceTest twin).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { afterAll, describe, expect, it } from 'vitest';
import {
  check,
  jsonEqual,
  parseItfTrace,
  readTraceFile,
  replayTrace,
  resultToJson,
  toItfValue,
  traceActions,
  traceToItf,
  writeTraceFile,
  type CheckResult,
} from '../../checker/index.js';
import * as dieHard from '../helpers/dieHard.js';
import * as layered from '../helpers/layered.js';
import * as twoPhase from '../helpers/twoPhaseCommit.js';

const dir = mkdtempSync(join(tmpdir(), 'checker-traces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function firstViolation<S, A>(r: CheckResult<S, A>) {
  if (r.kind !== 'violation') throw new Error(`expected a violation, got ${r.kind}`);
  return r.violations[0]!;
}

describe('toItfValue', () => {
  it('can encode immutable values in ITF', () => {
    const P = Record({ a: 1, b: List([true]) }, 'P');
    expect(toItfValue(P())).toEqual({ a: 1, b: [true] });
    expect(toItfValue(ISet(['b', 'a']))).toEqual({ '#set': ['a', 'b'] });
    expect(
      toItfValue(
        IMap([
          [2, 'x'],
          [1, 'y'],
        ]),
      ),
    ).toEqual({
      '#map': [
        [1, 'y'],
        [2, 'x'],
      ],
    });
    expect(
      toItfValue(
        OrderedMap([
          [2, 'x'],
          [1, 'y'],
        ]),
      ),
    ).toEqual({
      '#map': [
        [2, 'x'],
        [1, 'y'],
      ],
    });
    expect(toItfValue(OrderedSet([3, 1]))).toEqual({ '#set': [3, 1] });
    expect(toItfValue(2n ** 70n)).toEqual({ '#bigint': (2n ** 70n).toString() });
    expect(toItfValue(undefined)).toEqual({ '#unserializable': 'undefined' });
  });

  it('can give equal sets and maps identical JSON whatever their insertion order', () => {
    const a = IMap([
      [ISet([1, 2]), 'x'],
      [ISet([3]), 'y'],
    ]);
    const b = IMap([
      [ISet([3]), 'y'],
      [ISet([2, 1]), 'x'],
    ]);
    expect(JSON.stringify(toItfValue(a))).toBe(JSON.stringify(toItfValue(b)));
  });

  it('can compare JSON regardless of key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe('trace files', () => {
  it('can write a violation as ITF with its metadata and read it back unchanged', async () => {
    const model = twoPhase.createModel({ rms: 3, eagerCommit: true });
    const v = firstViolation(await check(model));
    const path = join(dir, 'twoPhase.itf.json');
    writeTraceFile(path, model, v.trace!, { property: v.property, kind: v.kind, explanation: v.explanation });
    const itf = readTraceFile(path);
    expect(itf).toEqual(
      JSON.parse(JSON.stringify(traceToItf(model, v.trace!, { property: v.property, kind: v.kind, explanation: v.explanation }))),
    );
    expect(itf['#meta']).toMatchObject({
      format: 'ITF',
      model: model.name,
      configuration: { rms: 3, eagerCommit: true },
      property: 'consistent',
      kind: 'invariant',
      fingerprints: v.trace!.fingerprints,
    });
    expect(itf.vars).toEqual(['rmState', 'tmState', 'tmPrepared', 'msgs']);
    expect(itf.states.map((s) => s['#meta'].index)).toEqual(v.trace!.states.map((_s, i) => i));
    expect(itf.states[0]!.rmState).toEqual({
      '#map': [
        ['r1', 'working'],
        ['r2', 'working'],
        ['r3', 'working'],
      ],
    });
    expect(itf.states[1]!['#meta']).toMatchObject({
      action: model.actionToJson(v.trace!.actions[0]!),
      fingerprint: v.trace!.fingerprints[1],
    });
  });

  it('can replay a trace file and reproduce its violation', async () => {
    const model = twoPhase.createModel({ rms: 3, eagerCommit: true });
    const v = firstViolation(await check(model));
    const path = join(dir, 'replay.itf.json');
    writeTraceFile(path, model, v.trace!, { property: v.property });
    const itf = readTraceFile(path);
    const replay = replayTrace(model, traceActions(itf), itf.states);
    expect(replay.ok).toBe(true);
    if (!replay.ok) return;
    expect(replay.trace.fingerprints).toEqual(v.trace!.fingerprints);
    expect(replay.violations).toEqual([
      { property: 'consistent', kind: 'invariant', step: v.trace!.states.length - 1, explanation: v.explanation },
    ]);
  });

  it('can replay a step-property violation from its actions alone', async () => {
    const model = layered.createModel();
    const r = await check(model, { continueAfterViolation: true });
    const v = r.kind === 'violation' ? r.violations.find((x) => x.property === 'noRightIntoThreeThree')! : undefined;
    const replay = replayTrace(
      model,
      v!.trace!.actions.map((a) => model.actionToJson(a)),
    );
    expect(replay.ok && replay.violations.some((x) => x.property === 'noRightIntoThreeThree' && x.kind === 'stepProperty')).toBe(true);
  });

  it('can say at which step and why a trace does not replay', async () => {
    const model = dieHard.createModel({ withGoal: true });
    const v = firstViolation(await check(model));
    const itf = traceToItf(model, v.trace!);
    const actions = traceActions(itf);
    const bad = replayTrace(model, [...actions.slice(0, 2), 'Teleport', ...actions.slice(3)]);
    expect(bad).toMatchObject({ ok: false, step: 2 });
    if (!bad.ok) {
      expect(bad.reason).toMatch(/not enabled/);
      expect(bad.trace.states).toHaveLength(3);
    }
    // A recorded state that the action does not lead to.
    const tampered = itf.states.map((s, i) => (i === 2 ? { ...s, big: 1 } : s));
    const mismatch = replayTrace(model, actions, tampered);
    expect(mismatch).toMatchObject({ ok: false, step: 1 });
    if (!mismatch.ok) expect(mismatch.reason).toMatch(/different state.*big/);
    const noInit = replayTrace(model, actions, [{ ...itf.states[0]!, small: 2 }]);
    expect(noInit).toMatchObject({ ok: false, step: -1 });
  });

  it('can reject files that are not ITF traces', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ vars: 'x', states: [] }));
    expect(() => readTraceFile(path)).toThrow(/not an ITF trace: "vars"/);
    expect(() => parseItfTrace({ vars: [], states: [1] })).toThrow(/state 0 is not an object/);
    expect(() => traceActions(parseItfTrace({ vars: [], states: [{}, {}] }))).toThrow(/no action/);
  });

  it('can turn a whole result into JSON with ITF traces', async () => {
    const model = dieHard.createModel({ withGoal: true });
    const r = await check(model);
    const json = resultToJson(model, r) as { kind: string; violations: { trace: { states: unknown[] } }[]; stats: { distinct: number } };
    expect(json.kind).toBe('violation');
    expect(json.stats.distinct).toBe(r.stats.distinct);
    expect(json.violations[0]!.trace.states).toHaveLength(7);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
