/**
 * Limits and interruption (issue 4 point 7): state, depth and time limits, an abort signal and
 * the memory guard all end a run as `incomplete`, with everything found so far.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, type Progress } from '../../checker/index.js';
import { bruteForce } from '../helpers/bruteForce.js';
import * as chain from '../helpers/counterChain.js';
import * as dieHard from '../helpers/dieHard.js';
import * as twoPhase from '../helpers/twoPhaseCommit.js';

const endless = (): ReturnType<typeof chain.createModel> => chain.createModel({ length: 1e9, noInvariant: true });
const compiled = fileURLToPath(new URL('../../dist/test/helpers/counterChain.js', import.meta.url));

describe('limits end a run as incomplete with partial statistics', () => {
  it('can stop at exactly the maximum number of distinct states', async () => {
    const r = await check(twoPhase.createModel({ rms: 3 }), { maxStates: 100 });
    expect(r).toMatchObject({ kind: 'incomplete', reason: 'maxStates' });
    expect(r.stats.distinct).toBe(100);
    // Every state counted was checked when it was found; some were not expanded yet.
    expect(r.stats.checked).toBe(100);
    expect(r.stats.frontier).toBeGreaterThan(0);
    for (const p of r.properties.filter((q) => q.kind === 'invariant')) expect(p.checked).toBe(100);
  });

  it('can check states down to the depth limit and no further', async () => {
    const model = dieHard.createModel({ withGoal: true });
    const shallow = await check(model, { maxDepth: 6 });
    expect(shallow).toMatchObject({ kind: 'incomplete', reason: 'maxDepth' });
    expect(shallow.stats.depth).toBe(6);
    expect(shallow.stats.frontier).toBe(0);
    // The puzzle needs 7 levels: found once level 7 is checked.
    expect((await check(model, { maxDepth: 7 })).kind).toBe('violation');
  });

  it('can call a depth limit that cuts nothing a complete run', async () => {
    const model = dieHard.createModel();
    const depth = bruteForce(model).depth;
    expect((await check(model, { maxDepth: depth + 1 })).kind).toBe('ok');
  });

  it('can stop at a timeout', async () => {
    const r = await check(endless(), { timeoutMs: 100 });
    expect(r).toMatchObject({ kind: 'incomplete', reason: 'timeout' });
    expect(r.stats.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(r.stats.distinct).toBeGreaterThan(1);
  });

  it('can be interrupted by an abort signal while running in this thread', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await check(endless(), { signal: controller.signal, timeoutMs: 10_000 });
    expect(r).toMatchObject({ kind: 'incomplete', reason: 'aborted' });
    expect(r.stats.elapsedMs).toBeLessThan(5_000);
  });

  it('can be interrupted by an abort signal while workers run', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await check(endless(), {
      signal: controller.signal,
      timeoutMs: 10_000,
      workers: 1,
      factory: { module: compiled, options: { length: 1e9, noInvariant: true } },
    });
    expect(r).toMatchObject({ kind: 'incomplete', reason: 'aborted' });
  });

  it('can refuse to start when already aborted', async () => {
    const r = await check(dieHard.createModel(), { signal: AbortSignal.abort() });
    expect(r).toMatchObject({ kind: 'incomplete', reason: 'aborted' });
    expect(r.stats.distinct).toBe(0);
  });

  it('can stop before memory runs out', async () => {
    const r = await check(twoPhase.createModel({ rms: 3 }), { maxMemoryBytes: 1 });
    expect(r).toMatchObject({ kind: 'incomplete', reason: 'memory' });
    if (r.kind === 'incomplete') expect(r.detail).toMatch(/over the .* limit/);
  });

  it('can report progress while it runs', async () => {
    const reports: Progress[] = [];
    await check(endless(), { timeoutMs: 120, progressIntervalMs: 20, onProgress: (p) => reports.push(p) });
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const last = reports.at(-1)!;
    expect(last.distinct).toBeGreaterThan(reports[0]!.distinct);
    expect(last.depth).toBe(last.distinct);
    expect(last.heapUsedBytes).toBeGreaterThan(0);
    expect(last.distinctPerSecond).toBeGreaterThan(0);
  });
});
