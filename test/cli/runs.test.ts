/**
 * `rsl check` and `rsl simulate` as a new user meets them (issue 12 points 1-4, 6 and 8): results
 * that agree with their exit codes, traces kept out of the fixtures, every flag validated, and the
 * rough edges of the output.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exitCodes.js';
import { flagTable } from '../../cli/flags.js';
import { rsl } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rsl-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = 'configs/tiny-r1-b2.json';
/** The seeded-bug configuration and a mutant it catches in well under a second (host by host). */
const bugs = ['--config', 'configs/mutants-r3.json', '--mutant', 'acceptor-promises-equal-ballot'];

describe('user traces and the committed fixtures (point 1)', () => {
  it('writes user traces by default to a git-ignored folder the README names, not to traces/', () => {
    const def = flagTable.find((d) => d.key === 'traceDir')!;
    const folder = String(def.defaultValue);
    expect(folder.split(/[\\/]/)[0]).not.toBe('traces');
    // git check-ignore exits 0 exactly when the path is ignored.
    expect(() => execFileSync('git', ['check-ignore', '-q', `${folder}/x.trace.json`], { cwd: root })).not.toThrow();
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`${folder}/\``);
  });

  it('leaves traces/ alone when a run finds a violation without --trace-dir', async () => {
    const before = readdirSync(join(root, 'traces')).sort();
    const r = await rsl('check', ...bugs, '--workers', '0');
    expect(r.code).toBe(ExitCode.violation);
    const path = /Trace written to (\S+)/.exec(r.out)![1]!;
    expect(path.startsWith(String(flagTable.find((d) => d.key === 'traceDir')!.defaultValue))).toBe(true);
    rmSync(join(root, path));
    expect(readdirSync(join(root, 'traces')).sort()).toEqual(before);
  });
});

describe('a trace that cannot be written (point 2)', () => {
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, 'not a folder');

  for (const [what, traceDir] of [
    ['a file', blocker],
    ['a folder below a file', join(blocker, 'below')],
    ['a folder that cannot be created', '/proc/nope/deeper'],
  ] as const) {
    it(`prints the violation and the result first, then one warning line, when --trace-dir is ${what}`, async () => {
      const r = await rsl('check', ...bugs, '--workers', '0', '--trace-dir', traceDir);
      expect(r.code).toBe(ExitCode.violation);
      expect(r.out).toContain('Violated: ');
      expect(r.out).toContain('Result: VIOLATION of ');
      expect(r.out).not.toContain('Trace written to');
      const warnings = r.err.split('\n').filter((l) => l.length > 0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^rsl: warning: cannot write the trace to .+ \(E[A-Z]+\)/);
    });
  }

  it('says the same for simulate', async () => {
    const r = await rsl('simulate', ...bugs, '--seed', '1', '--walks', '50', '--depth', '40', '--trace-dir', blocker);
    expect(r.code).toBe(ExitCode.violation);
    expect(r.out).toContain('Result: VIOLATION of ');
    expect(r.err).toMatch(/^rsl: warning: cannot write the trace to /m);
  });
});

describe('--invariant and the scenarios (points 3 and 8)', () => {
  it('does not claim that scenarios were reached when only obligations were selected', async () => {
    const r = await rsl('check', '--config', tiny, '--workers', '0', '--invariant', 'lemma_DecidedOperationWasChosen');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).not.toContain('every scenario was reached');
    expect(r.out).toContain('scenarios were not checked');
  });

  it('accepts a scenario name, and fails when that scenario is never reached', async () => {
    const reached = await rsl('check', '--config', tiny, '--workers', '0', '--invariant', 'executedAndReplied');
    expect(reached.code).toBe(ExitCode.ok);
    expect(reached.out).toMatch(/reached\s+executedAndReplied/);
    const missing = await rsl('check', '--config', tiny, '--workers', '0', '--invariant', 'twoClientsCompeteForOneSlot');
    expect(missing.code).toBe(ExitCode.vacuous);
    expect(missing.out).toContain('scenarios never reached: twoClientsCompeteForOneSlot');
  });
});

describe('--json agrees with the exit code (point 4)', () => {
  interface Summary {
    kind: string;
    mode: string;
    exitCode: number;
    traces?: string[];
  }
  const json = (out: string): Summary => JSON.parse(out) as Summary;

  it('calls an unreached scenario "vacuous", like the exit code', async () => {
    const r = await rsl('check', '--config', tiny, '--workers', '0', '--json');
    expect(r.code).toBe(ExitCode.vacuous);
    expect(json(r.out)).toMatchObject({ kind: 'vacuous', exitCode: ExitCode.vacuous, mode: 'exhaustive' });
  });

  it('calls a vacuous obligation "vacuous", in check and in simulate', async () => {
    const c = await rsl('check', '--config', tiny, '--workers', '0', '--json', '--invariant', 'agreement');
    expect(c.code).toBe(ExitCode.vacuous);
    expect(json(c.out)).toMatchObject({ kind: 'vacuous', exitCode: ExitCode.vacuous });
    const s = await rsl('simulate', '--config', tiny, '--seed', '1', '--walks', '5', '--depth', '5', '--json', '--invariant', 'agreement');
    expect(s.code).toBe(ExitCode.vacuous);
    expect(json(s.out)).toMatchObject({ kind: 'vacuous', exitCode: ExitCode.vacuous, mode: 'simulation' });
  });

  it('says "host-by-host" for a host-by-host run, and still writes the trace', async () => {
    const r = await rsl('check', ...bugs, '--workers', '0', '--json', '--trace-dir', join(dir, 'json'));
    expect(r.code).toBe(ExitCode.violation);
    const j = json(r.out);
    expect(j).toMatchObject({ kind: 'violation', exitCode: ExitCode.violation, mode: 'host-by-host' });
    expect(j.traces).toHaveLength(1);
    expect(existsSync(j.traces![0]!)).toBe(true);
    expect(r.err).toContain(`Trace written to ${j.traces![0]}`);
  });
});

describe('numeric flags (point 6)', () => {
  const bad: [string[], RegExp][] = [
    [['--workers', '-1'], /^rsl: --workers must be 0 or more, got -1$/],
    [['--timeout', '-5'], /^rsl: --timeout must be at least 1 \(seconds\), got -5$/],
    [['--timeout', '0'], /^rsl: --timeout must be at least 1 \(seconds\), got 0$/],
    [['--max-states', '-1'], /^rsl: --max-states must be at least 1, got -1$/],
    [['--max-depth', '-1'], /^rsl: --max-depth must be at least 1, got -1$/],
    [['--workers', '1000'], /^rsl: --workers must be at most 64, got 1000$/],
  ];
  for (const [flags, message] of bad) {
    it(`refuses ${flags.join(' ')} in one line`, async () => {
      const r = await rsl('check', '--config', tiny, ...flags);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.out).toBe('');
      expect(r.err.trimEnd()).toMatch(message);
    });
  }

  it('warns when there are more workers than cores', async () => {
    const r = await rsl('check', '--config', tiny, '--workers', String(availableParallelism() + 1), '--max-depth', '2');
    expect(r.err).toContain(`rsl: warning: --workers ${availableParallelism() + 1} is more than the ${availableParallelism()} cores`);
  });

  it('refuses --continue without a limit, which on the headline model would never end', async () => {
    const r = await rsl('check', '--mutant', 'acceptor-promises-equal-ballot', '--continue');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err.trimEnd()).toMatch(/^rsl: --continue needs a limit: give --timeout, --max-states or --max-depth too$/);
  });

  it('ends a --continue run on a mutant at its limit, with every violation found', async () => {
    const r = await rsl('check', ...bugs, '--workers', '0', '--continue', '--max-depth', '30', '--trace-dir', join(dir, 'continue'));
    expect(r.code).toBe(ExitCode.violation);
    expect(r.out).toContain('Result: VIOLATION of ');
  });
});

describe('rough edges (point 8)', () => {
  it('prints a reproduction command that runs from the project, npx rsl ...', async () => {
    const r = await rsl('check', ...bugs, '--workers', '0', '--trace-dir', join(dir, 'npx'));
    expect(r.out).toMatch(/^Reproduce: npx rsl check --config configs\/mutants-r3\.json --mutant acceptor-promises-equal-ballot$/m);
    expect(r.out).toMatch(/^Show it: npx rsl trace show /m);
    expect(r.out).toMatch(/^Replay it: npx rsl trace replay /m);
  });

  it('writes singular counts in the singular, and says why a symmetric config has no symmetry', async () => {
    const r = await rsl('check', '--config', tiny, '--max-depth', '1', '--workers', '0');
    expect(r.out).toContain('1 replica, 2 views, 1 slot, 1 client x 1 request');
    expect(r.out).toContain('no symmetry (one client)');
    expect(r.out).not.toMatch(/\b1 (replicas|clients|workers)\b/);
  });

  it('reports the time limit in the unit it was given in', async () => {
    const r = await rsl('check', '--config', 'configs/small-r3-b3.json', '--timeout', '1', '--workers', '0');
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.out).toContain('time limit of 1 s');
    expect(r.out).not.toMatch(/\d ms\b/);
  });

  it('names the flag the user typed when its value is out of range', async () => {
    const r = await rsl('check', '--config', tiny, '--replicas', '0');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err.trimEnd()).toBe('rsl: --replicas must be between 1 and 7, got 0');
  });

  it('prints its version', async () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await rsl('--version');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out.trim()).toBe(version);
  });

  it('explains the coverage columns', async () => {
    const r = await rsl('check', '--config', tiny, '--max-depth', '3', '--workers', '0');
    expect(r.out).toMatch(/enabled = states in which the action produced a successor; fired = successors it produced/);
  });

  it('lists the exit codes in check --help', async () => {
    const r = await rsl('check', '--help');
    for (const code of [0, 1, 3, 11, 12, 75]) expect(r.out).toMatch(new RegExp(`\\b${code} `));
    expect(r.out).toContain('Exit codes:');
  });
});
