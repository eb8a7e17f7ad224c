/**
 * Symmetry reduction (issue 4 point 4; style-anchors §7.4): deduplicate on the representative,
 * keep and expand the original. Sound when verdicts agree with and without it, and when the
 * states found with it, weighted by the sizes of their orbits, account for every state found
 * without it.
 */
import { describe, expect, it } from 'vitest';
import { check, type CheckResult, type Model } from '../../checker/index.js';
import { bruteForce } from '../helpers/bruteForce.js';
import * as mutex from '../helpers/symmetricMutex.js';
import * as twoPhase from '../helpers/twoPhaseCommit.js';

function verdict<S, A>(r: CheckResult<S, A>): unknown {
  return {
    kind: r.kind,
    violations: r.kind === 'violation' ? r.violations.map((v) => [v.kind, v.property, v.depth]) : [],
    statuses: r.properties.filter((p) => !p.name.startsWith('orbitSize')).map((p) => [p.name, p.status]),
  };
}

describe('symmetry reduction is sound', () => {
  const models: [string, () => Model<unknown, unknown>][] = [
    ['two-phase commit, 3 RMs', () => twoPhase.createModel({ rms: 3 }) as Model<unknown, unknown>],
    ['two-phase commit, eager TM', () => twoPhase.createModel({ rms: 3, eagerCommit: true }) as Model<unknown, unknown>],
    ['mutex, 4 processes', () => mutex.createModel({ processes: 4 }) as Model<unknown, unknown>],
    ['buggy mutex, 4 processes', () => mutex.createModel({ processes: 4, buggy: true }) as Model<unknown, unknown>],
  ];
  for (const [name, make] of models) {
    it(`can reach the same verdicts on ${name} with and without symmetry`, async () => {
      const model = make();
      for (const continueAfterViolation of [false, true]) {
        const plain = await check(model, { continueAfterViolation });
        const reduced = await check(model, { continueAfterViolation, symmetry: true });
        expect(verdict(reduced)).toEqual(verdict(plain));
        expect(reduced.stats.distinct).toBeLessThan(plain.stats.distinct);
      }
    });
  }

  it('can account for every state by the orbit sizes of the representatives', async () => {
    const model = mutex.createModel({ processes: 4, orbitProbes: true });
    const plain = await check(model);
    const reduced = await check(model, { symmetry: true });
    // Probe invariant orbitSize<k> has its premise hold exactly in the states whose orbit has k members.
    const orbitSum = reduced.properties
      .filter((p) => p.name.startsWith('orbitSize'))
      .reduce((sum, p) => sum + Number(p.name.slice('orbitSize'.length)) * p.premise, 0);
    expect(orbitSum).toBe(plain.stats.distinct);
    expect(reduced.stats.distinct).toBe(bruteForce(model, { symmetry: true }).distinct);
    expect(plain.stats.distinct).toBe(bruteForce(model).distinct);
  });

  it('can match the brute-force counts under symmetry', async () => {
    const model = twoPhase.createModel({ rms: 3 });
    const b = bruteForce(model, { symmetry: true });
    const r = await check(model, { symmetry: true });
    expect(r.stats).toMatchObject({ distinct: b.distinct, generated: b.generated, depth: b.depth });
  });

  it('can keep the original state in traces (every step a real successor)', async () => {
    const model = mutex.createModel({ processes: 4, buggy: true });
    const r = await check(model, { symmetry: true });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    const { states, actions } = r.violations[0]!.trace!;
    for (let i = 1; i < states.length; i++) {
      const succ = model
        .successors(states[i - 1]!)
        .find((x) => x.action.type === actions[i - 1]!.type && x.action.proc === actions[i - 1]!.proc);
      expect(succ?.state.equals(states[i]!)).toBe(true);
    }
    // Not all representatives: the trace moves the processes it names, not the sorted ones.
    expect(states.some((s) => !s.equals(model.representative!(s)))).toBe(true);
  });
});
