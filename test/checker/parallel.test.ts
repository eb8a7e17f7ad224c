/**
 * Worker-count independence (issue 4 point 3; design.md checker/): the same counts, verdicts and
 * traces with the work done in this thread, in one worker thread, or in two. The workers load the
 * compiled toy models from dist/ (npm test builds first).
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { check, type CheckOptions, type CheckResult, type Json, type Model } from '../../checker/index.js';
import * as chain from '../helpers/counterChain.js';
import * as dieHard from '../helpers/dieHard.js';
import * as layered from '../helpers/layered.js';
import * as mutex from '../helpers/symmetricMutex.js';
import * as twoPhase from '../helpers/twoPhaseCommit.js';
import * as rounds from '../helpers/twoStepRounds.js';

const compiled = (name: string): string => fileURLToPath(new URL(`../../dist/test/helpers/${name}.js`, import.meta.url));

/** Everything in a result that must not depend on the number of workers. */
function essence<S, A>(model: Model<S, A>, r: CheckResult<S, A>): unknown {
  const { elapsedMs, distinctPerSecond, generatedPerSecond, workers, ...stats } = r.stats;
  const trace = (t: { actions: readonly A[]; fingerprints: readonly string[] } | undefined): Json =>
    t === undefined ? null : { actions: t.actions.map((a) => model.actionToJson(a)), fingerprints: [...t.fingerprints] };
  return {
    kind: r.kind,
    stats,
    properties: r.properties,
    violations: r.kind === 'violation' ? r.violations.map((v) => ({ ...v, trace: trace(v.trace) })) : [],
    error: r.kind === 'error' ? { phase: r.phase, message: r.message, trace: trace(r.trace) } : null,
    reason: r.kind === 'incomplete' ? r.reason : null,
  };
}

interface Case {
  readonly name: string;
  readonly module: string;
  readonly options: Json;
  readonly make: () => Model<unknown, unknown>;
  readonly check?: CheckOptions;
}

const cases: Case[] = [
  {
    name: 'two-phase commit, 4 RMs',
    module: 'twoPhaseCommit',
    options: { rms: 4 },
    make: () => twoPhase.createModel({ rms: 4 }) as Model<unknown, unknown>,
  },
  {
    name: 'two-phase commit with symmetry',
    module: 'twoPhaseCommit',
    options: { rms: 3 },
    make: () => twoPhase.createModel({ rms: 3 }) as Model<unknown, unknown>,
    check: { symmetry: true },
  },
  {
    name: 'die hard, stopping at the violation',
    module: 'dieHard',
    options: { withGoal: true },
    make: () => dieHard.createModel({ withGoal: true }) as Model<unknown, unknown>,
  },
  {
    name: 'layered violations, continuing',
    module: 'layered',
    options: {},
    make: () => layered.createModel() as Model<unknown, unknown>,
    check: { continueAfterViolation: true },
  },
  {
    name: 'buggy mutex with symmetry, stopping',
    module: 'symmetricMutex',
    options: { processes: 4, buggy: true },
    make: () => mutex.createModel({ processes: 4, buggy: true }) as Model<unknown, unknown>,
    check: { symmetry: true },
  },
  {
    name: 'a model that throws',
    module: 'counterChain',
    options: { length: 30, throwAt: 17 },
    make: () => chain.createModel({ length: 30, throwAt: 17 }) as Model<unknown, unknown>,
  },
  {
    name: 'composite successors (two-step rounds), continuing past violations inside rounds and on sub-steps',
    module: 'twoStepRounds',
    options: { composite: true, modulus: 11, bad: 'intermediate' },
    make: () => rounds.createModel({ composite: true, modulus: 11, bad: 'intermediate' }) as Model<unknown, unknown>,
    check: { continueAfterViolation: true },
  },
  {
    name: 'composite successors, stopping at a violation on a sub-step',
    module: 'twoStepRounds',
    options: { composite: true, modulus: 11, bad: 'step' },
    make: () => rounds.createModel({ composite: true, modulus: 11, bad: 'step' }) as Model<unknown, unknown>,
  },
  {
    name: 'a state limit',
    module: 'twoPhaseCommit',
    options: { rms: 4 },
    make: () => twoPhase.createModel({ rms: 4 }) as Model<unknown, unknown>,
    check: { maxStates: 500 },
  },
];

describe('results do not depend on the number of workers', () => {
  for (const c of cases) {
    it(`can check ${c.name} identically with 0, 1 and 2 workers`, async () => {
      const model = c.make();
      const run = async (workers: number): Promise<unknown> =>
        // Small batches so that several are in flight at once and finish out of order.
        essence(
          model,
          await check(model, { ...c.check, workers, batchSize: 5, factory: { module: compiled(c.module), options: c.options } }),
        );
      const inThread = await run(0);
      expect(await run(1)).toEqual(inThread);
      expect(await run(2)).toEqual(inThread);
    });
  }

  it('can check identically whatever the batch size', async () => {
    for (const c of [cases[1]!, cases[3]!, cases[6]!, cases[8]!]) {
      const model = c.make();
      const results = await Promise.all(
        [1, 3, 64, 4096].map(async (batchSize) => essence(model, await check(model, { ...c.check, batchSize }))),
      );
      for (const r of results) expect(r).toEqual(results[0]);
    }
  });

  it('can refuse workers without a factory', async () => {
    const r = await check(dieHard.createModel(), { workers: 2 });
    expect(r).toMatchObject({ kind: 'error', phase: 'options' });
  });

  it('can report a factory that builds a different model', async () => {
    const r = await check(dieHard.createModel({ withGoal: true }), {
      workers: 1,
      batchSize: 1,
      factory: { module: compiled('dieHard'), options: { withGoal: false } },
    });
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/factory must build the same model/);
  });
});
