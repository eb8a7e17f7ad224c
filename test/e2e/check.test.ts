/**
 * `rsl check` end to end, through the commander program, on configurations small enough to
 * exhaust in seconds. The pinned figures come from a run of this very command; the test
 * recomputes them every time, so any change to the spec, the model or the checker that changes
 * the explored space shows up here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exitCodes.js';
import { rsl } from '../helpers/cli.js';

function figures(out: string): { generated: number; distinct: number; depth: number; frontier: number } {
  const m = /Done\. generated=(\d+), distinct=(\d+), depth=(\d+), frontier=(\d+)/.exec(out);
  if (m === null) throw new Error(`no summary line in:\n${out}`);
  return { generated: Number(m[1]), distinct: Number(m[2]), depth: Number(m[3]), frontier: Number(m[4]) };
}

function statusOf(out: string, name: string): string | undefined {
  return new RegExp(`^\\s+(\\S+)\\s+${name}\\s`, 'm').exec(out)?.[1];
}

/** tiny-r1-b2 at action granularity under the `any` scheduler: the model the pinned figures below are of. */
const tinyActions = ['configs/tiny-r1-b2.json', '--scheduler', 'any'] as const;

describe('rsl check on configs/tiny-r1-b2.json', () => {
  it('explores the whole space with the pinned counts, and reports what one replica cannot exercise as vacuous', async () => {
    const r = await rsl('check', '--config', ...tinyActions, '--workers', '0');
    expect(figures(r.out)).toEqual(PINNED_R1);
    // With one replica nobody else executes a slot, and a (ballot, slot) has a single 2a packet.
    expect(statusOf(r.out, 'agreement')).toBe('VACUOUS');
    expect(statusOf(r.out, 'lemma_2aMessagesFromSameBallotAndOperationMatch')).toBe('VACUOUS');
    expect(statusOf(r.out, 'lemma_ChosenQuorumsMatchValue')).toBe('holds');
    expect(statusOf(r.out, 'replyCorrectness')).toBe('holds');
    expect(r.out).toMatch(/Result: FAILED, vacuous: /);
    expect(r.code).toBe(ExitCode.vacuous);
    // Refinement is on by default: all 21 seed functions, the host step and the stuttering
    // actions are exercised here, and every one is refined.
    const refinement = r.out.split('\n').filter((l) => /\srefinement_/.test(l));
    expect(refinement).toHaveLength(23);
    for (const l of refinement) expect(l, l).toMatch(/^\s+holds\s+refinement_\w+\s+premise=[1-9]\d* of \d+$/);
  });

  it('gives identical figures and verdicts with two worker threads', async () => {
    const one = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--workers', '0');
    const two = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--workers', '2');
    expect(figures(two.out)).toEqual(figures(one.out));
    const verdicts = (out: string): string[] => out.split('\n').filter((l) => /^\s+(holds|VACUOUS|violated|reached|MISSING)\s/.test(l));
    expect(verdicts(two.out)).toEqual(verdicts(one.out));
    expect(two.code).toBe(one.code);
  }, 180_000);
});

describe('refinement of the implementation in rsl check', () => {
  it('--no-refinement leaves the refinement obligations out and explores the same space', async () => {
    const on = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--max-depth', '10');
    const off = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--max-depth', '10', '--no-refinement');
    expect(off.out).not.toMatch(/refinement_/);
    expect(figures(off.out)).toEqual(figures(on.out));
  });

  it('catches an implementation mutant, names the function, and writes a trace that replay confirms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsl-impl-'));
    try {
      const r = await rsl(
        'check',
        '--config',
        ...tinyActions,
        '--workers',
        '0',
        '--mutant',
        'impl-proposer-batch-one-short',
        '--trace-dir',
        dir,
      );
      expect(r.code).toBe(ExitCode.violation);
      expect(r.out).toMatch(/Violated: refinement_CProposerNominateNewValueAndSend2a \(stepProperty\) after 7 steps/);
      expect(r.out).toMatch(/CProposerNominateNewValueAndSend2a does not refine LProposerNominateNewValueAndSend2a/);
      expect(r.out).toMatch(/spec: r0->r0 2a bal=\(1,0\) opn=0 val=\[c0#0\]\n\s+impl: r0->r0 2a bal=\(1,0\) opn=0 val=\[\]/);
      const file = /Trace written to (\S+)/.exec(r.out)?.[1];
      expect(file).toBeDefined();
      const replay = await rsl('trace', 'replay', file!);
      expect(replay.out).toMatch(/confirmed: refinement_CProposerNominateNewValueAndSend2a violated/);
      expect(replay.code).toBe(ExitCode.violation);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an incomplete rsl check', () => {
  it('has checked every distinct state it counts, also the ones left on the queue', async () => {
    const r = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--max-states', '1000');
    const f = figures(r.out);
    expect(f.distinct).toBe(1000);
    expect(f.frontier).toBeGreaterThan(0);
    expect(r.out).toMatch(/1000 distinct states found and checked/);
    // Every obligation on states was evaluated on all of them.
    const premises = [...r.out.matchAll(/premise=\d+ of (\d+)\n/g)].map((m) => Number(m[1]));
    expect(premises.filter((n) => n === 1000).length).toBeGreaterThan(10);
    expect(r.code).toBe(ExitCode.incomplete);
  });

  it('prints a census of the state components with --census, also when stopped by a limit', async () => {
    const r = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--max-states', '2000', '--census');
    expect(r.out).toMatch(/Census over 2000 distinct states/);
    const count = (name: string): number => Number(new RegExp(`^  ${name.replace(/[.+]/g, '\\$&')}\\s+(\\d+)`, 'm').exec(r.out)?.[1]);
    for (const name of [
      'r0',
      'r0.acceptor',
      'r0.proposer',
      'r0.learner',
      'r0.executor',
      'r0.election',
      'r0+packets',
      'packets',
      'packets.size',
      'clients',
    ]) {
      expect(count(name)).toBeGreaterThan(0);
      expect(count(name)).toBeLessThanOrEqual(2000);
    }
    // A replica's whole state takes at least as many values as any of its components.
    expect(count('r0')).toBeGreaterThanOrEqual(count('r0.proposer'));
    expect(r.out).toMatch(/actions that found most new states:/);
  });

  it('shows how fast the model grows: the states first found at the last depths, by a complete run', async () => {
    const part = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--no-refinement', '--max-depth', '12');
    const levels = /first found per depth: (.*) \(x(\d+\.\d\d) from d11 to d12\)/.exec(part.out);
    expect(levels).not.toBeNull();
    const shown = levels![1]!.split(', ').map((x) => Number(x.split('=')[1]));
    expect(shown).toHaveLength(6);
    // The same levels, counted by a run that goes to the end: its JSON lists every level.
    const full = JSON.parse((await rsl('check', '--config', ...tinyActions, '--workers', '0', '--no-refinement', '--json')).out) as {
      stats: { levelSizes: number[]; distinct: number };
    };
    expect(full.stats.levelSizes.slice(6, 12)).toEqual(shown);
    expect(full.stats.levelSizes.reduce((a, b) => a + b, 0)).toBe(full.stats.distinct);
    expect(Number(levels![2])).toBeCloseTo(shown[5]! / shown[4]!, 2);
  });
});

describe('rsl check with the election oracle and requests up front', () => {
  it('reaches the verdicts of the faithful model on far fewer states', async () => {
    // Without refinement, the lemmas' verdicts alone (refinement under the oracle, its own steps
    // included, is test/impl/oracleRefinement.test.ts).
    const faithful = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--no-refinement');
    const reduced = await rsl(
      'check',
      '--config',
      ...tinyActions,
      '--workers',
      '0',
      '--no-refinement',
      '--election',
      'oracle',
      '--requests-up-front',
    );
    const verdicts = (out: string): string[] =>
      out
        .split('\n')
        .filter((l) => /^\s+(holds|VACUOUS|violated|reached|MISSING)\s/.test(l))
        .map((l) => l.replace(/(premise=|first at).*/, ''));
    expect(verdicts(reduced.out)).toEqual(verdicts(faithful.out));
    expect(reduced.code).toBe(faithful.code);
    expect(figures(reduced.out)).toEqual(PINNED_R1_ORACLE);
    expect(reduced.out).toMatch(/election oracle, requests up front/);
  });

  it('refuses the oracle with the round-robin scheduler at action granularity, in one line', async () => {
    const r = await rsl(
      'check',
      '--config',
      'configs/tiny-r1-b2.json',
      '--election',
      'oracle',
      '--scheduler',
      'round-robin',
      '--granularity',
      'action',
    );
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    // Said with the flags the user typed, not the configuration keys they set.
    expect(r.err).toMatch(/--election oracle at --granularity action needs --scheduler any/);
  });
});

describe('rsl check with each client bound to one replica', () => {
  it('says so in the model line, and refuses client symmetry in one line', async () => {
    const args = ['check', '--config', 'configs/tiny-r1-b2.json', '--clients', '2', '--request-targets', 'one'];
    const refused = await rsl(...args);
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/clients are not interchangeable: set --no-symmetry/);
    const run = await rsl(...args, '--no-symmetry', '--workers', '0', '--max-depth', '6');
    expect(run.out).toMatch(/client i sends only to replica i mod n, no symmetry/);
  });
});

describe('rsl check with client symmetry', () => {
  it('reaches the same verdicts with and without symmetry, on fewer states with it', async () => {
    const args = [
      'check',
      '--config',
      'configs/tiny-r1-b2.json',
      '--clients',
      '2',
      '--workers',
      '0',
      '--no-refinement',
      '--max-depth',
      '14',
    ];
    const on = await rsl(...args);
    const off = await rsl(...args, '--no-symmetry');
    const verdicts = (out: string): string[] =>
      out
        .split('\n')
        .filter((l) => /^\s+(holds|VACUOUS|violated)\s/.test(l))
        .map((l) => l.replace(/premise=.*/, ''));
    expect(verdicts(on.out)).toEqual(verdicts(off.out));
    expect(figures(on.out).distinct).toBeLessThan(figures(off.out).distinct);
  });
});

describe('bad input', () => {
  it('rejects an unknown flag value with one line and exit 1', async () => {
    const r = await rsl('check', '--replicas', 'three');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/--replicas takes a whole number/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('rejects a missing configuration file with one line and exit 1', async () => {
    const r = await rsl('check', '--config', 'configs/no-such-file.json');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an out-of-range bound', async () => {
    const r = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--replicas', '0');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/--replicas must be between 1 and 7/);
  });

  it('rejects an unknown obligation name', async () => {
    const r = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--invariant', 'lemma_NoSuchThing');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/unknown obligation "lemma_NoSuchThing"/);
  });
});

/** From `rsl check --config configs/tiny-r1-b2.json` (recomputed above on every run). */
describe('rsl check in scheduler rounds (the default for the round-robin scheduler)', () => {
  const verdicts = (out: string): string[] =>
    out
      .split('\n')
      .filter((l) => /^\s+(holds|VACUOUS|violated|reached|MISSING)\s/.test(l))
      .map((l) => l.replace(/(premise=|first at).*/, ''));

  it('explores tiny-r1-b2 with the pinned counts, every state inside a round checked, the implementation refined', async () => {
    const r = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--workers', '0');
    expect(figures(r.out)).toEqual(PINNED_R1_ROUNDS);
    expect(r.out).toMatch(/scheduler rounds/);
    // Obligations on states were evaluated on the round-boundary states and on the states inside rounds.
    const checked = Number(/premise=\d+ of (\d+)\n/.exec(r.out)?.[1]);
    expect(checked).toBeGreaterThan(PINNED_R1_ROUNDS.distinct);
    const refinement = r.out.split('\n').filter((l) => /\srefinement_/.test(l));
    expect(refinement).toHaveLength(23);
    for (const l of refinement) expect(l, l).toMatch(/^\s+holds\s+refinement_\w+\s+premise=[1-9]\d* of \d+$/);
  });

  it.each([
    ['the faithful election', []],
    ['the election oracle with requests up front', ['--election', 'oracle', '--requests-up-front']],
  ])('gives every obligation and scenario the verdict of the action-granular model, with %s', async (_name, extra) => {
    const rounds = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--workers', '0', '--no-refinement', ...extra);
    const actions = await rsl('check', '--config', ...tinyActions, '--workers', '0', '--no-refinement', ...extra);
    expect(verdicts(rounds.out)).toEqual(verdicts(actions.out));
    expect(rounds.code).toBe(actions.code);
    expect(figures(rounds.out).distinct).toBeLessThan(figures(actions.out).distinct);
  });
});

const PINNED_R1 = { generated: 10108, distinct: 4463, depth: 26, frontier: 0 };
/** The same model under the election oracle with requests up front (from a run of that command). */
const PINNED_R1_ORACLE = { generated: 881, distinct: 492, depth: 21, frontier: 0 };
/** tiny-r1-b2 in scheduler rounds (from a run of `rsl check --config configs/tiny-r1-b2.json`). */
const PINNED_R1_ROUNDS = { generated: 547, distinct: 242, depth: 11, frontier: 0 };
