/**
 * `census`: the distinct values of each of the model's census dimensions over the distinct states
 * found, counted by fingerprint, the same with any number of workers, and only on checked states.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import * as rounds from '../helpers/twoStepRounds.js';

const compiled = fileURLToPath(new URL('../../dist/test/helpers/twoStepRounds.js', import.meta.url));

/** The distinct values of a, b and a + b over the states between rounds, by plain search. */
function byHand(modulus: number): number[] {
  const model = rounds.createModel({ composite: true, modulus });
  const seen = new Map<string, rounds.Counters>();
  let frontier = model.initStates();
  for (const s of frontier) seen.set(`${s.a},${s.b}`, s);
  while (frontier.length > 0) {
    const next: rounds.Counters[] = [];
    for (const s of frontier) {
      for (const { state } of model.successors(s)) {
        if (!seen.has(`${state.a},${state.b}`)) {
          seen.set(`${state.a},${state.b}`, state);
          next.push(state);
        }
      }
    }
    frontier = next;
  }
  const states = [...seen.values()];
  return [new Set(states.map((s) => s.a)).size, new Set(states.map((s) => s.b)).size, new Set(states.map((s) => s.a + s.b)).size];
}

describe('census', () => {
  it('counts the distinct values of each dimension, in this thread and with workers', async () => {
    const options = { composite: true, modulus: 11 };
    const model = rounds.createModel(options);
    const expected = byHand(11);
    for (const workers of [0, 2]) {
      const r = await check(model, { census: true, workers, batchSize: 8, factory: { module: compiled, options } });
      expect(r.kind).toBe('ok');
      expect(r.stats.census).toEqual([
        { name: 'a', distinct: expected[0] },
        { name: 'b', distinct: expected[1] },
        { name: 'a+b', distinct: expected[2] },
      ]);
    }
  });

  it('is absent unless asked for, and an error for a model without one', async () => {
    const model = rounds.createModel({ composite: true });
    expect((await check(model)).stats.census).toBeUndefined();
    const { census: _census, ...bare } = model;
    expect(await check(bare, { census: true })).toMatchObject({ kind: 'error', phase: 'options' });
  });

  it('counts only the states found when a limit stops the run', async () => {
    const r = await check(rounds.createModel({ composite: true, modulus: 11 }), { census: true, maxStates: 5 });
    expect(r.stats.distinct).toBe(5);
    for (const d of r.stats.census!) expect(d.distinct).toBeLessThanOrEqual(5);
  });
});
