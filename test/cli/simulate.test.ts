/**
 * `rsl simulate` (issue 3 point 6): seeded random walks with the same obligations as `check`; the
 * seed is printed and repeats the run; a violation is rendered, written as a trace file that
 * replays, and followed by the command that reproduces it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulate, simulateCommand, type SimulateFlags } from '../../cli/commands/simulate.js';
import { runTraceReplay } from '../../cli/commands/trace.js';
import { ExitCode } from '../../cli/exitCodes.js';
import { main } from '../../cli/main.js';
import { captureOutput } from '../../cli/output.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const params = { maxLogLength: 2, baselineViewTimeoutPeriod: 1, heartbeatPeriod: 1, maxBatchDelay: 0 };
function configFile(name: string, body: object): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, ...body, params }));
  return path;
}
/** Three replicas, two views, one slot, two clients: small enough for quick walks. */
const small = configFile('sim-small', { replicas: 3, ballots: 2, opns: 1, clients: 2, requests: 1, clock: 1, batchSize: 1 });
/** The shipped seeded-bug configuration (one client, clock fixed, host by host): a bug shows within a few walks. */
const hunting = 'configs/mutants-r3.json';
const mutant = 'acceptor-promises-equal-ballot';

async function simulateWith(flags: Partial<SimulateFlags>) {
  const out = captureOutput();
  const code = await runSimulate({ walks: 10, depth: 30, traceDir: join(dir, 'traces'), ...flags }, out);
  return { code, stdout: out.out.join(''), stderr: out.err.join('') };
}

/** Output without the figures that depend on timing. */
function untimed(text: string): string {
  return text.replace(/sec=[\d.]+/g, 'sec=T').replace(/\d+ distinct states\/s/g, 'R distinct states/s');
}

describe('rsl simulate', () => {
  it('prints the seed, and the same seed gives the same walks and the same report', async () => {
    const a = await simulateWith({ config: small, seed: 42 });
    const b = await simulateWith({ config: small, seed: 42 });
    expect(a.stdout).toContain('Simulating 10 random walks of up to 30 steps with seed 42.\n');
    expect(a.stdout).toContain('Seed: 42\n');
    expect(a.stdout).toContain('Obligations (premise = ');
    expect(untimed(a.stdout)).toBe(untimed(b.stdout));
  });

  it('draws a seed when none is given, and prints the one it used', async () => {
    const r = await simulateWith({ config: small, walks: 1, depth: 5 });
    const seed = /with seed (\d+)\./.exec(r.stdout)?.[1];
    expect(seed).toBeDefined();
    expect(Number(seed)).toBeLessThanOrEqual(2 ** 32 - 1);
    expect(r.stdout).toContain(`Seed: ${seed}\n`);
  });

  it('renders a violation, writes a trace that replays, and prints the command that reproduces it', async () => {
    const traceDir = join(dir, 'found');
    const r = await simulateWith({ config: hunting, mutant, seed: 5, walks: 30, depth: 40, traceDir });
    expect(r.code).toBe(ExitCode.violation);
    const property = /^Violated: (\S+) \(invariant\) after \d+ steps?$/m.exec(r.stdout)?.[1];
    expect(property).toBeDefined();
    expect(r.stdout).toContain('  0. initial state\n');
    const reproduce = `npx rsl simulate --config ${hunting} --mutant ${mutant} --seed 5 --walks 30 --depth 40`;
    expect(r.stdout).toContain(`Reproduce: ${reproduce}\n`);
    expect(r.stdout).toContain(`Result: VIOLATION of ${property}\n`);

    const file = /^Trace written to (.+)$/m.exec(r.stdout)?.[1];
    expect(file).toBeDefined();
    expect(existsSync(file!)).toBe(true);
    const replay = captureOutput();
    expect(await runTraceReplay(file!, replay)).toBe(ExitCode.violation);
    expect(replay.out.join('')).toMatch(new RegExp(`^confirmed: ${property} violated at step`));

    // The printed command, run as printed (with the trace directory moved), finds the same trace.
    const again = captureOutput();
    const argv = [...reproduce.split(' ').slice(2), '--trace-dir', join(dir, 'again')];
    expect(await main(argv, again)).toBe(ExitCode.violation);
    const block = (s: string) => s.slice(s.indexOf('Violated:'), s.indexOf('Trace written to'));
    expect(block(again.out.join(''))).toBe(block(r.stdout));
  });

  it('exits 0 when the selected obligations hold with their premise exercised', async () => {
    const r = await simulateWith({
      config: small,
      seed: 7,
      walks: 10,
      depth: 40,
      invariant: ['lemma_1bMessageImplicationsForAcceptorState'],
    });
    expect(r.stdout).toMatch(/holds\s+lemma_1bMessageImplicationsForAcceptorState\s+premise=[1-9]/);
    expect(r.stdout).toContain('Result: no violation in 10 random walks of up to 40 steps');
    expect(r.code).toBe(ExitCode.ok);
  });

  it('reports which scenarios the walks reached, and does not hold the others against them', async () => {
    const r = await simulateWith({ config: small, seed: 7, walks: 10, depth: 40 });
    expect(r.stdout).toContain('Scenarios the walks reached (reported, not required of a simulation):');
    expect(r.stdout).toMatch(/MISSING\s+valueChosenThen2aInLaterView\s+NEVER REACHED/);
    expect(r.stdout).not.toContain('VIOLATION');
    expect([ExitCode.ok, ExitCode.vacuous]).toContain(r.code);
  });

  it("fails as vacuous when an obligation's premise never held on any walk", async () => {
    const r = await simulateWith({ config: small, seed: 7, walks: 3, depth: 1, invariant: ['lemma_ChosenQuorumsMatchValue'] });
    expect(r.stdout).toContain('VACUOUS   lemma_ChosenQuorumsMatchValue');
    expect(r.stdout).toContain('vacuous: lemma_ChosenQuorumsMatchValue');
    expect(r.code).toBe(ExitCode.vacuous);
  });

  it('takes --depth as steps per walk, and prints only JSON on stdout with --json', async () => {
    const r = await simulateWith({ config: small, scheduler: 'any', seed: 3, walks: 5, depth: 3, json: true });
    const json = JSON.parse(r.stdout) as { mode: string; seed: number; stats: { depth: number } };
    expect(json.mode).toBe('simulation');
    expect(json.seed).toBe(3);
    // Depth counts states: the initial state plus at most three steps.
    expect(json.stats.depth).toBe(4);
    expect(r.stderr).toContain('with seed 3');
  });

  it('repeats the model flags in the reproduction command', () => {
    const flags: SimulateFlags = { config: 'c.json', replicas: 3, scheduler: 'round-robin', walks: 7, depth: 9, traceDir: 't' };
    expect(simulateCommand(flags, 11)).toBe(
      'npx rsl simulate --config c.json --replicas 3 --scheduler round-robin --seed 11 --walks 7 --depth 9',
    );
  });
});

describe('bad simulate flags', () => {
  const cases: [string, Partial<SimulateFlags>, RegExp][] = [
    ['no walks', { walks: 0 }, /--walks must be at least 1, got 0/],
    ['no depth', { depth: 0 }, /--depth must be at least 1, got 0/],
    ['a negative seed', { seed: -1 }, /--seed must be between 0 and 4294967295, got -1/],
    ['a seed beyond 32 bits', { seed: 2 ** 32 }, /--seed must be between 0 and 4294967295/],
    ['an unknown mutant', { mutant: 'no-such-bug' }, /unknown mutant "no-such-bug"/],
    ['an unknown obligation', { invariant: ['lemma_Nonexistent'] }, /unknown obligation "lemma_Nonexistent"/],
    ['a missing configuration file', { config: join(dir, 'missing.json') }, /cannot read the configuration file/],
    ['a flag out of range', { replicas: 0 }, /--replicas must be between 1 and 7, got 0/],
  ];
  for (const [what, flags, message] of cases) {
    it(`gives one line on stderr and exit 1 for ${what}`, async () => {
      const r = await simulateWith({ config: small, ...flags });
      expect(r.code).toBe(ExitCode.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^rsl: [^\n]*\n$/);
    });
  }

  it('rejects a bad flag through the command line too', async () => {
    const out = captureOutput();
    expect(await main(['simulate', '--config', small, '--walks', '0'], out)).toBe(ExitCode.usage);
    expect(out.err.join('')).toMatch(/^rsl: --walks must be at least 1/);
  });
});
