/**
 * Per-replica exploration (checker/compositional.ts, `rsl check --exploration per-replica`)
 * against breadth-first search of the same round model, on bounds where both finish: the headline
 * configuration with fewer replicas or views, and the seeded bugs.
 *
 * Per-replica exploration over-approximates (the product of what each replica can be in with
 * each packet set) and is claimed exact on these bounds; what is compared:
 *  - the states at round boundaries: exactly as many as breadth-first search finds;
 *  - the states outside the bounds and inside rounds: at least as many (they are counted per
 *    source, so a state reached from two counts twice);
 *  - every obligation and scenario: the same status (holds, vacuous, violated, reached, missing);
 *  - every mutant: caught by both or by neither; and the per-replica trace replays on the model
 *    and violates its obligation on the way.
 */
import { describe, expect, it } from 'vitest';
import {
  check,
  checkCompositionally,
  replayTrace,
  traceActions,
  traceToItf,
  violationsAlong,
  type CheckResult,
} from '../../checker/index.js';
import { applyOverrides, loadModelConfig } from '../../cli/config.js';
import { createRslModel, type RslModel } from '../../cli/rslModel.js';
import { ExitCode } from '../../cli/exitCodes.js';
import { mutants } from '../../mutants/index.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';
import { rsl } from '../helpers/cli.js';

type Result = CheckResult<RslSystem, SystemStep>;

function headline(replicas: number, ballots: number, refinement: boolean, mutant?: string): RslModel {
  const config = applyOverrides(loadModelConfig('configs/small-r3-b3.json'), { replicas, ballots });
  return createRslModel({ config, refinement, ...(mutant === undefined ? {} : { mutant }) });
}

async function both(model: RslModel): Promise<{ bfs: Result; per: Result }> {
  const bfs = await check(model, { workers: 0 });
  const per = await checkCompositionally(model, model.decomposition!);
  return { bfs, per };
}

const statuses = (r: Result): Record<string, string> => Object.fromEntries(r.properties.map((p) => [p.name, p.status]));
const cutStates = (r: Result): number => Object.values(r.stats.cutByBound).reduce((x, y) => x + y, 0);
function expectSameModel(bfs: Result, per: Result): void {
  expect(per.stats.distinct).toBe(bfs.stats.distinct - cutStates(bfs));
  expect(cutStates(per)).toBeGreaterThanOrEqual(cutStates(bfs));
  expect(per.stats.intermediate).toBeGreaterThanOrEqual(bfs.stats.intermediate);
  expect(statuses(per)).toEqual(statuses(bfs));
}

/** Every violation trace of `r` replays on `model` and violates its property on the way. */
function expectReplayableTraces(model: RslModel, r: Result): void {
  if (r.kind !== 'violation') return;
  for (const v of r.violations) {
    if (v.trace === undefined) continue;
    const replay = replayTrace(
      model,
      traceActions(traceToItf(model, v.trace, { property: v.property, kind: v.kind, explanation: v.explanation })),
    );
    expect(replay.ok, `${v.property}: ${replay.ok ? '' : replay.reason}`).toBe(true);
    expect(violationsAlong(model, v.trace).map((x) => x.property)).toContain(v.property);
  }
}

describe('per-replica exploration against breadth-first search (headline bounds, fewer replicas or views)', () => {
  const cases: Array<[number, number, boolean]> = [
    [2, 1, true],
    [2, 2, false],
  ];
  // Tens of seconds each: `npm run test:long`.
  if (process.env.RSL_LONG_TESTS === '1') cases.push([2, 2, true], [3, 1, false], [3, 1, true]);
  it.each(cases)('%i replicas, %i view(s), refinement %s', { timeout: 900_000 }, async (n, views, refinement) => {
    const model = headline(n, views, refinement);
    const { bfs, per } = await both(model);
    expectSameModel(bfs, per);
    expect(per.kind).toBe(bfs.kind);
  });
});

describe('per-replica exploration catches every seeded bug that breadth-first search catches', () => {
  // Two replicas and two views without refinement: seconds per mutant in each search. Some
  // mutants make the state space infinite (an executor that executes again and again), so both
  // stop at their first violation; breadth-first search's is a shortest one, per-replica's need
  // not be, so only the verdicts are compared, and per-replica's trace is replayed.
  it.each(mutants.map((m) => m.name))('%s', { timeout: 600_000 }, async (name) => {
    const model = headline(2, 2, false, name);
    const { bfs, per } = await both(model);
    expect(per.kind).toBe(bfs.kind);
    if (per.kind === 'violation') expect(per.violations.length).toBeGreaterThan(0);
    expectReplayableTraces(model, per);
  });
});

describe('rsl check --exploration per-replica', () => {
  it('prints the per-replica figures and the same verdict as breadth-first search', async () => {
    const args = ['check', '--config', 'configs/small-r3-b3.json', '--replicas', '2', '--ballots', '1', '--no-refinement'];
    const per = await rsl(...args, '--exploration', 'per-replica');
    const bfs = await rsl(...args, '--workers', '0');
    expect(per.out).toContain('Checking per replica, in this thread.');
    expect(per.out).toMatch(/Done \(per-replica\)\. packet-set parts=\d+, local states=\d+\+\d+/);
    expect(per.code).toBe(bfs.code);
    const verdict = (out: string): string => out.split('\n').find((l) => l.startsWith('Result:')) ?? '';
    expect(verdict(per.out)).toBe(verdict(bfs.out));
  });

  it('refuses action granularity in one line', async () => {
    const r = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--granularity', 'action', '--exploration', 'per-replica');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('--exploration per-replica needs --granularity round');
  });
});
