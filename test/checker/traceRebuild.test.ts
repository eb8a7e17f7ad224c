/**
 * Traces to a violation inside a round, rebuilt from parent pointers (checker/trace.ts), on the
 * explicit round graph of test/helpers/roundGraph.ts: the violating state is reached by the second
 * sub-step of a round, from a state queued in the same batch as another one after a state outside
 * the bounds took the discovery index between them (a batch's indices are then not consecutive:
 * the bug that once rebuilt such traces from the wrong parent). Checked in this thread and with
 * workers, with batches small and large.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { check, replayTrace } from '../../checker/index.js';
import { createModel, type RoundGraphOptions } from '../helpers/roundGraph.js';

const compiled = fileURLToPath(new URL('../../dist/test/helpers/roundGraph.js', import.meta.url));

const cases: { readonly name: string; readonly options: RoundGraphOptions; readonly states: string[] }[] = [
  { name: 'at the second sub-step of a round', options: {}, states: ['S', 's2', 'B', 'b1', 'bad'] },
  {
    name: 'at the second sub-step of a round, met again inside a later round of the same state',
    options: { shared: true },
    states: ['S', 's2', 'B', 'b1', 'bad'],
  },
  { name: 'at the end of a round', options: { final: true }, states: ['S', 's2', 'B', 'b1', 'b2', 'bad'] },
];

describe('a violation inside a round is traced to the sub-step that reaches it', () => {
  for (const c of cases) {
    it(`can rebuild the trace to a violation ${c.name}, whatever the workers and batches`, async () => {
      const model = createModel(c.options);
      for (const workers of [0, 1, 2]) {
        for (const batchSize of [1, 2, 64]) {
          const r = await check(model, { workers, batchSize, factory: { module: compiled, options: { ...c.options } } });
          expect(r.kind, `workers ${workers}, batch ${batchSize}`).toBe('violation');
          if (r.kind !== 'violation') continue;
          const v = r.violations[0]!;
          expect(v.property).toBe('notBad');
          // Two rounds: the one to B, then (part of) B's.
          expect(v.depth).toBe(3);
          expect(v.trace!.states).toEqual(c.states);
          const replayed = replayTrace(model, v.trace!.actions);
          expect(replayed.ok).toBe(true);
          if (replayed.ok) expect(replayed.violations.map((x) => [x.property, x.step])).toEqual([['notBad', c.states.length - 1]]);
        }
      }
    });
  }

  it('counts the violating intermediate state once when it is met in two rounds', async () => {
    const r = await check(createModel({ shared: true }), { continueAfterViolation: true, batchSize: 2 });
    expect(r.kind).toBe('violation');
    expect(r.properties.find((p) => p.name === 'notBad')!.violations).toBe(1);
    // s1, sx, s2, a1, a2, b1 and bad; not x1, as X is outside the bounds and never expanded.
    expect(r.stats.intermediate).toBe(7);
  });
});
