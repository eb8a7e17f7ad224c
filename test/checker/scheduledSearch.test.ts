/**
 * The directed search of test/helpers/scheduledSearch.ts on the explicit round graph of
 * test/helpers/roundGraph.ts: the model restricted to a schedule takes, at its k-th transition, only
 * the rounds whose first sub-step the k-th entry accepts, and stops when the schedule ends; a
 * violation it finds is traced sub-step by sub-step and replays on the unrestricted model.
 */
import { describe, expect, it } from 'vitest';
import { check, replayTrace } from '../../checker/index.js';
import { createModel } from '../helpers/roundGraph.js';
import { scheduledModel } from '../helpers/scheduledSearch.js';

const model = createModel();
const first = (action: string) => (a: string) => a === action;

describe('a model restricted to a schedule', () => {
  it('finds a violation along the schedule, traced sub-step by sub-step, that replays on the model', async () => {
    const r = await check(scheduledModel(model, [first('s2'), first('b1')], 's2 b1'), {});
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    const v = r.violations[0]!;
    expect(v.property).toBe('notBad');
    expect(v.trace!.states.map((w) => w.state)).toEqual(['S', 's2', 'B', 'b1', 'bad']);
    const replayed = replayTrace(model, v.trace!.actions);
    expect(replayed.ok).toBe(true);
  });

  it('explores only the scheduled rounds, and nothing after the schedule ends', async () => {
    const r = await check(scheduledModel(model, [first('s1'), first('a1')], 's1 a1'), {});
    expect(r.kind).toBe('ok');
    // S, A and C between rounds; s1, a1 and a2 inside them.
    expect([r.stats.distinct, r.stats.intermediate, r.stats.depth]).toEqual([3, 3, 3]);
    const short = await check(scheduledModel(model, [first('s2')], 's2'), {});
    expect(short.kind).toBe('ok');
    expect([short.stats.distinct, short.stats.depth]).toEqual([2, 2]);
  });
});
