/**
 * Simulation mode (issue 4 point 5): seeded random walks of bounded length checking the same
 * properties, reproducible from the returned seed.
 */
import { describe, expect, it } from 'vitest';
import { Prng, simulate, type CheckResult, type Model } from '../../checker/index.js';
import * as chain from '../helpers/counterChain.js';
import * as dieHard from '../helpers/dieHard.js';
import * as layered from '../helpers/layered.js';

function essence<S, A>(model: Model<S, A>, r: CheckResult<S, A>): unknown {
  const { elapsedMs, distinctPerSecond, generatedPerSecond, ...stats } = r.stats;
  return {
    kind: r.kind,
    seed: r.seed,
    stats,
    properties: r.properties,
    traces: r.kind === 'violation' ? r.violations.map((v) => v.trace?.actions.map((a) => model.actionToJson(a))) : [],
  };
}

describe('simulate', () => {
  it('can replay the same walks from the same seed', async () => {
    const model = dieHard.createModel({ withGoal: true });
    const first = await simulate(model, { walks: 200, maxDepth: 20 });
    expect(first.seed).toBeTypeOf('number');
    const again = await simulate(model, { walks: 200, maxDepth: 20, seed: first.seed! });
    expect(essence(model, again)).toEqual(essence(model, first));
  });

  it('can find a violation and give a trace of real steps ending in it', async () => {
    const model = dieHard.createModel({ withGoal: true });
    const r = await simulate(model, { walks: 2000, maxDepth: 30, seed: 7 });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    const { states, actions } = r.violations[0]!.trace!;
    expect(states.at(-1)!.big).toBe(4);
    for (let i = 1; i < states.length; i++) {
      expect(model.successors(states[i - 1]!).some((s) => s.action === actions[i - 1] && s.state.equals(states[i]!))).toBe(true);
    }
  });

  it('can bound the walks and count like check does', async () => {
    const model = chain.createModel({ length: 1000, noInvariant: true });
    const r = await simulate(model, { walks: 10, maxDepth: 50, seed: 1 });
    expect(r.kind).toBe('ok');
    // The chain is deterministic apart from the self-loops: every walk visits at most 50 states.
    expect(r.stats.checked).toBe(10 * 50);
    expect(r.stats.depth).toBe(50);
    expect(r.stats.distinct).toBeLessThanOrEqual(50);
  });

  it('can check step properties, bounds and deadlocks on its walks', async () => {
    const r = await simulate(layered.createModel(), { walks: 3000, maxDepth: 12, seed: 3, continueAfterViolation: true });
    const found = r.kind === 'violation' ? r.violations.map((v) => v.property).sort() : [];
    expect(found).toEqual(['avoidA', 'avoidB', 'noRightIntoThreeThree']);
    expect(Object.keys(r.stats.cutByBound).sort()).toEqual(['maxX', 'maxY']);
    const dead = await simulate(chain.createModel({ length: 3, noStay: true, noInvariant: true }), {
      walks: 1,
      checkDeadlock: true,
      seed: 1,
    });
    expect(dead.kind === 'violation' && dead.violations[0]!.kind).toBe('deadlock');
  });

  it('can run for a time budget and treat it as the plan', async () => {
    const r = await simulate(dieHard.createModel(), { timeoutMs: 50, maxDepth: 10, seed: 2 });
    expect(r.kind).toBe('ok');
    expect(r.stats.checked).toBeGreaterThan(10);
  });

  it('can report a model failure with the walk that led to it', async () => {
    const r = await simulate(chain.createModel({ length: 10, throwAt: 3 }), { walks: 5, seed: 4 });
    expect(r).toMatchObject({ kind: 'error', phase: 'successors' });
    if (r.kind === 'error') expect(r.trace!.states.at(-1)).toBe(3);
  });

  it('can draw reproducible, roughly uniform numbers', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = a.below(10);
      expect(b.below(10)).toBe(x);
      counts[x]!++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});
