/**
 * Exhaustive BFS on toy models with known answers (issue 4 points 2 and 9): every figure is
 * recomputed by the independent brute-force enumerator of test/helpers/bruteForce.ts, and a few
 * are also derived by hand in the models' comments.
 */
import { describe, expect, it } from 'vitest';
import { HOLDS, check, type CheckResult, type Model, type PropertyReport, type Violation } from '../../checker/index.js';
import { bruteForce, type BruteForceResult } from '../helpers/bruteForce.js';
import * as chain from '../helpers/counterChain.js';
import * as dieHard from '../helpers/dieHard.js';
import * as layered from '../helpers/layered.js';
import * as mutex from '../helpers/symmetricMutex.js';
import * as twoPhase from '../helpers/twoPhaseCommit.js';

function report(r: CheckResult<unknown, unknown>, name: string): PropertyReport {
  const p = r.properties.find((q) => q.name === name);
  if (p === undefined) throw new Error(`no report for ${name}`);
  return p;
}

function violations<S, A>(r: CheckResult<S, A>): readonly Violation<S, A>[] {
  return r.kind === 'violation' ? r.violations : [];
}

/** Compares everything the checker counted with what the brute-force enumerator counted. */
function expectSameCounts<S, A>(model: Model<S, A>, r: CheckResult<S, A>, b: BruteForceResult<S>): void {
  expect(r.stats).toMatchObject({
    distinct: b.distinct,
    generated: b.generated,
    depth: b.depth,
    initial: b.initial,
    checked: b.distinct,
    frontier: 0,
  });
  if (r.kind !== 'incomplete') expect(r.stats.levelSizes).toEqual(b.levelSizes);
  const actions = Object.fromEntries(r.stats.actions.map((a) => [a.name, { enabled: a.enabled, fired: a.fired, distinct: a.distinct }]));
  expect(actions).toEqual(Object.fromEntries(b.actions));
  expect(r.stats.cutByBound).toEqual(Object.fromEntries(b.cutByBound));
  for (const inv of model.invariants) {
    expect(report(r, inv.name)).toMatchObject({
      checked: b.distinct,
      premise: b.invariantPremise.get(inv.name) ?? 0,
      violations: b.invariantViolations.get(inv.name) ?? 0,
    });
  }
  for (const p of model.stepProperties ?? []) {
    expect(report(r, p.name)).toMatchObject({
      checked: b.transitions,
      premise: b.stepPremise.get(p.name) ?? 0,
      violations: b.stepViolations.get(p.name) ?? 0,
    });
  }
  for (const w of model.witnesses ?? []) expect(report(r, w.name).premise).toBe(b.witnessHits.get(w.name) ?? 0);
}

const models: [string, () => Model<unknown, unknown>][] = [
  ['die hard', () => dieHard.createModel() as Model<unknown, unknown>],
  ['die hard with the goal invariant', () => dieHard.createModel({ withGoal: true }) as Model<unknown, unknown>],
  ['two-phase commit, 3 RMs', () => twoPhase.createModel({ rms: 3 }) as Model<unknown, unknown>],
  ['two-phase commit, eager TM (violating)', () => twoPhase.createModel({ rms: 3, eagerCommit: true }) as Model<unknown, unknown>],
  ['symmetric mutex, 3 processes', () => mutex.createModel({ processes: 3 }) as Model<unknown, unknown>],
  ['buggy mutex', () => mutex.createModel({ processes: 3, buggy: true }) as Model<unknown, unknown>],
  ['layered violations with bounds', () => layered.createModel() as Model<unknown, unknown>],
  ['counter chain', () => chain.createModel({ length: 40 }) as Model<unknown, unknown>],
];

describe('check counts like TLC (generated, distinct, depth) and like the brute-force enumerator', () => {
  for (const [name, make] of models) {
    it(`can count ${name}`, async () => {
      const model = make();
      const r = await check(model, { continueAfterViolation: true });
      expectSameCounts(model, r, bruteForce(model));
    });
  }

  it('can match the hand-derived figures of die hard and TLC figure of two-phase commit', async () => {
    expect((await check(dieHard.createModel())).stats.distinct).toBe(16);
    const tp = await check(twoPhase.createModel({ rms: 3 }));
    expect(tp.kind).toBe('ok');
    expect(tp.stats.distinct).toBe(288);
  });
});

describe('violations have shortest traces', () => {
  it('can find the 6-step die hard solution as the first violation', async () => {
    const model = dieHard.createModel({ withGoal: true });
    const r = await check(model);
    expect(r.kind).toBe('violation');
    const [v] = violations(r);
    expect(v).toMatchObject({ kind: 'invariant', property: 'notSolved', depth: 7 });
    expect(v!.trace!.states).toHaveLength(7);
    expect(v!.trace!.states[6]!.big).toBe(4);
    expect(bruteForce(model).firstInvariantViolation.get('notSolved')).toBe(7);
  });

  it('can stop at the shallowest of several violations and report only it', async () => {
    const r = await check(layered.createModel());
    expect(violations(r).map((v) => [v.property, v.depth, v.trace?.states.length])).toEqual([['avoidA', 3, 3]]);
  });

  it('can keep one shortest trace per violated property when continuing', async () => {
    const model = layered.createModel();
    const b = bruteForce(model);
    const r = await check(model, { continueAfterViolation: true });
    const byProperty = new Map(violations(r).map((v) => [v.property, v]));
    expect(byProperty.get('avoidA')!.trace!.states).toHaveLength(b.firstInvariantViolation.get('avoidA')!);
    expect(byProperty.get('avoidB')!.trace!.states).toHaveLength(b.firstInvariantViolation.get('avoidB')!);
    expect(byProperty.get('noRightIntoThreeThree')!.trace!.states).toHaveLength(b.firstStepViolation.get('noRightIntoThreeThree')!);
    expect([...byProperty.keys()].sort()).toEqual(['avoidA', 'avoidB', 'beyondBounds', 'noRightIntoThreeThree']);
    expect(report(r, 'avoidA').violations).toBe(2);
  });

  it('can rebuild a trace whose every step is a successor of the previous state', async () => {
    const model = layered.createModel();
    const r = await check(model, { continueAfterViolation: true });
    for (const v of violations(r)) {
      if (v.trace === undefined) continue;
      const { states, actions } = v.trace;
      expect(model.initStates().some((s) => s.equals(states[0]!))).toBe(true);
      for (let i = 1; i < states.length; i++) {
        const succ = model.successors(states[i - 1]!).find((x) => x.action === actions[i - 1]);
        expect(succ?.state.equals(states[i]!)).toBe(true);
      }
      expect(v.trace.fingerprints).toHaveLength(states.length);
    }
  });

  it('can rebuild a deep counterexample', async () => {
    const r = await check(chain.createModel({ length: 3000 }));
    const [v] = violations(r);
    expect(v!.trace!.states).toHaveLength(3001);
    expect(v!.trace!.states[3000]).toBe(3000);
    expect(r.stats.depth).toBe(3001);
  });

  it('can report a step-property violation whose target was seen before', async () => {
    // The target (3,3) is first reached diagonally from (2,2), one level before the bad step.
    const r = await check(layered.createModel(), { continueAfterViolation: true });
    const v = violations(r).find((x) => x.property === 'noRightIntoThreeThree')!;
    expect(v.kind).toBe('stepProperty');
    expect(v.trace!.actions.at(-1)).toBe('right');
    expect(v.trace!.states.at(-2)!.toJS()).toEqual({ x: 2, y: 3 });
    expect(v.trace!.states.at(-1)!.toJS()).toEqual({ x: 3, y: 3 });
  });
});

describe('properties, bounds and deadlocks', () => {
  it('can report premise counts, vacuity and witnesses', async () => {
    const r = await check(twoPhase.createModel({ rms: 3 }));
    expect(report(r, 'consistent').status).toBe('holds');
    expect(report(r, 'allCommitted')).toMatchObject({ status: 'witnessed', firstDepth: 11 });
    const idle = await check(mutex.createModel({ processes: 2 }), { maxDepth: 2 });
    expect(report(idle, 'mutualExclusion')).toMatchObject({ status: 'vacuous', premise: 0 });
  });

  it('can turn an unreachable witness into a violation of an exhaustive run', async () => {
    const r = await check(layered.createModel(), { continueAfterViolation: true });
    const v = violations(r).find((x) => x.property === 'beyondBounds');
    expect(v).toMatchObject({ kind: 'witness', depth: 0 });
    expect(v!.trace).toBeUndefined();
  });

  it('can count the states cut by each bound without expanding them', async () => {
    const model = layered.createModel();
    const r = await check(model, { continueAfterViolation: true });
    expect(r.stats.cutByBound).toEqual({ maxX: 6, maxY: 5 });
    expect(r.stats.cutByBound).toEqual(Object.fromEntries(bruteForce(model).cutByBound));
  });

  it('can detect a deadlock only when asked to', async () => {
    const model = chain.createModel({ length: 5, noStay: true, noInvariant: true });
    expect((await check(model)).kind).toBe('ok');
    const r = await check(model, { checkDeadlock: true });
    expect(violations(r)).toHaveLength(1);
    expect(violations(r)[0]).toMatchObject({ kind: 'deadlock', property: 'deadlock', depth: 6 });
    expect(violations(r)[0]!.trace!.states.at(-1)).toBe(5);
    expect(bruteForce(model).deadlockLevels).toEqual([6]);
  });

  it('does not call a state outside the bounds a deadlock', async () => {
    const r = await check(layered.createModel(), { checkDeadlock: true, continueAfterViolation: true });
    expect(violations(r).some((v) => v.kind === 'deadlock')).toBe(false);
  });
});

describe('model failures are results, not exceptions', () => {
  it('can report the state on which successors() threw, with a trace to it', async () => {
    const r = await check(chain.createModel({ length: 10, throwAt: 4 }));
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.phase).toBe('successors');
    expect(r.message).toContain('fails at 4');
    expect(r.trace!.states).toEqual([0, 1, 2, 3, 4]);
  });

  it('can name the property that threw', async () => {
    const base = chain.createModel({ length: 8 });
    const model: Model<number, 'inc' | 'stay'> = {
      ...base,
      invariants: [
        {
          name: 'fragile',
          check: (n) => {
            if (n === 3) throw new Error('cannot judge 3');
            return HOLDS;
          },
        },
      ],
    };
    const r = await check(model);
    expect(r).toMatchObject({ kind: 'error', phase: 'invariant fragile', message: 'cannot judge 3' });
    if (r.kind === 'error') expect(r.trace!.states).toEqual([0, 1, 2, 3]);
  });

  it('can tell a nondeterministic model from a checker bug', async () => {
    const base = chain.createModel({ length: 6 });
    const calls = new Map<number, number>();
    // The second call on a state returns other successors, as a model iterating a hash map
    // filled in varying order might: replay then cannot find the recorded fingerprints.
    const flaky: Model<number, 'inc' | 'stay'> = {
      ...base,
      successors: (n) => {
        calls.set(n, (calls.get(n) ?? 0) + 1);
        return base.successors(n).map((s) => (calls.get(n)! > 1 ? { ...s, state: s.state + 100 } : s));
      },
    };
    const r = await check(flaky);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/nondeterministic/);
  });

  it('can report a symmetry request on a model without representative()', async () => {
    const r = await check(dieHard.createModel(), { symmetry: true });
    expect(r).toMatchObject({ kind: 'error', phase: 'options' });
  });
});

describe('statistics', () => {
  it('can estimate the fingerprint collision probability both ways', async () => {
    const r = await check(twoPhase.createModel({ rms: 3 }));
    const { distinct, generated } = r.stats;
    expect(r.stats.collisionProbability.tlcOptimistic).toBeCloseTo((distinct * (generated - distinct)) / 2 ** 64, 30);
    expect(r.stats.collisionProbability.birthday).toBeCloseTo((distinct * distinct) / 2 ** 65, 30);
  });

  it('can report the memory held per distinct state', async () => {
    const r = await check(twoPhase.createModel({ rms: 3 }));
    expect(r.stats.bytesPerState).toBeCloseTo(r.stats.seenSetBytes / r.stats.distinct, 6);
  });
});
