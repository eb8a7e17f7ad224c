/**
 * Composite successors (`Successor.via`): a model whose successors are two-step rounds is checked
 * against the same model with the two steps as ordinary, alternating transitions
 * (test/helpers/twoStepRounds.ts). The rounds form stores only the states between rounds, checks
 * every state inside a round, and writes its traces sub-step by sub-step, as traces of the flat form.
 */
import { describe, expect, it } from 'vitest';
import { check, replayTrace, simulate, traceToItf, type CheckResult, type Model } from '../../checker/index.js';
import * as rounds from '../helpers/twoStepRounds.js';

type S = rounds.Counters;
type A = rounds.RoundAction;

/** Every reachable state of `model`, by plain breadth-first search on its successors. */
function reachable(model: Model<S, A>): S[] {
  const key = (s: S): string => `${s.a},${s.b},${s.mid}`;
  const seen = new Map<string, S>();
  let frontier = model.initStates();
  for (const s of frontier) seen.set(key(s), s);
  while (frontier.length > 0) {
    const next: S[] = [];
    for (const s of frontier) {
      for (const succ of model.successors(s)) {
        if (!seen.has(key(succ.state))) {
          seen.set(key(succ.state), succ.state);
          next.push(succ.state);
        }
      }
    }
    frontier = next;
  }
  return [...seen.values()];
}

const report = (r: CheckResult<S, A>, name: string) => r.properties.find((p) => p.name === name)!;

describe('composite successors are checked like the transitions they are made of', () => {
  const flat = rounds.createModel({ composite: false });
  const composite = rounds.createModel({ composite: true });
  const states = reachable(flat);
  const between = states.filter((s) => !s.mid);
  const inside = states.filter((s) => s.mid);

  it('stores only the states between rounds and checks every state inside one, each once', async () => {
    const r = await check(composite);
    const f = await check(flat);
    expect(r.kind).toBe('ok');
    expect(f.kind).toBe('ok');
    expect(f.stats.distinct).toBe(states.length);
    expect(r.stats.distinct).toBe(between.length);
    expect(r.stats.intermediate).toBe(inside.length);
    expect(inside.length).toBeGreaterThan(0);
    // The set of intermediate states is memory the run holds (bench:rsl counts it); without rounds there is none.
    expect(r.stats.intermediateSetBytes).toBeGreaterThanOrEqual(8 * inside.length);
    expect(f.stats.intermediate).toBe(0);
    // Invariants and witnesses saw exactly the states the flat form checks.
    for (const name of ['inRange', 'midWithAEqualB']) {
      expect(report(r, name).checked).toBe(states.length);
      expect(report(r, name).premise).toBe(report(f, name).premise);
    }
    expect(report(r, 'midWithAEqualB').premise).toBeGreaterThan(0);
    // Each round is two transitions for the step properties; both actions count in the coverage.
    let subSteps = 0;
    for (const s of between) for (const succ of composite.successors(s)) subSteps += (succ.via?.length ?? 0) + 1;
    expect(report(r, 'bMovesOnlyOnB').checked).toBe(subSteps);
    expect(r.stats.actions.map((a) => a.name).sort()).toEqual(['addB', 'dblA', 'incA', 'incB']);
    // Depth counts rounds: the flat form finds the same states two levels apart.
    expect(r.stats.levelSizes).toEqual(f.stats.levelSizes.filter((_n, d) => d % 2 === 0).slice(0, r.stats.levelSizes.length));
    expect([2 * r.stats.depth - 1, 2 * r.stats.depth]).toContain(f.stats.depth);
  });

  for (const bad of ['intermediate', 'final', 'step'] as const) {
    it(`finds a shortest violation ${bad === 'step' ? 'on a sub-step' : `at a state ${bad === 'final' ? 'between' : 'inside'} rounds`}, with a trace of sub-steps`, async () => {
      const c = rounds.createModel({ composite: true, bad });
      const fl = rounds.createModel({ composite: false, bad });
      const r = await check(c);
      const f = await check(fl);
      expect(r.kind).toBe('violation');
      expect(f.kind).toBe('violation');
      if (r.kind !== 'violation' || f.kind !== 'violation') return;
      const v = r.violations[0]!;
      const w = f.violations[0]!;
      expect(v.property).toBe(w.property);
      // As short as the flat form's shortest trace, sub-step for sub-step.
      expect(v.trace!.states.length).toBe(w.trace!.states.length);
      expect(v.trace!.actions.length).toBe(v.trace!.states.length - 1);
      expect(v.trace!.states.at(-1)!.mid).toBe(bad === 'intermediate');
      // A trace of the flat form, violating the property at its last step.
      const replayed = replayTrace(
        fl,
        v.trace!.actions.map((a) => fl.actionToJson(a)),
      );
      expect(replayed.ok).toBe(true);
      if (replayed.ok) {
        expect(replayed.violations.find((x) => x.property === v.property)?.step).toBe(v.trace!.states.length - 1);
      }
      // And the rounds form replays its own trace file, which may end inside a round.
      const itf = traceToItf(c, v.trace!);
      const again = replayTrace(
        c,
        v.trace!.actions.map((a) => c.actionToJson(a)),
        itf.states,
      );
      expect(again.ok).toBe(true);
      if (again.ok) expect(again.trace.states.length).toBe(v.trace!.states.length);
    });
  }

  it('keeps every violated property with continueAfterViolation, each with a shortest trace', async () => {
    const c = rounds.createModel({ composite: true, bad: 'intermediate' });
    const r = await check(c, { continueAfterViolation: true });
    const f = await check(rounds.createModel({ composite: false, bad: 'intermediate' }), { continueAfterViolation: true });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation' || f.kind !== 'violation') return;
    expect(r.violations.map((v) => [v.property, v.trace!.states.length])).toEqual(
      f.violations.map((v) => [v.property, v.trace!.states.length]),
    );
    expect(report(r, 'notMidAt5and2').violations).toBe(report(f, 'notMidAt5and2').violations);
  });

  it('walks rounds sub-step by sub-step in simulation', async () => {
    const r = await simulate(rounds.createModel({ composite: true, bad: 'intermediate' }), { seed: 7, walks: 2000, maxDepth: 40 });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    expect(r.violations[0]!.trace!.states.at(-1)!.mid).toBe(true);
    expect(r.stats.intermediate).toBeGreaterThan(0);
  });
});
