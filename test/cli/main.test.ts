/** The commander program: help, `rsl list`, and usage errors. */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exitCodes.js';
import { rsl } from '../helpers/cli.js';
import { labLemmas } from '../helpers/labLemmas.js';
import { mutants } from '../../mutants/index.js';
import { stateObligations, stepObligations } from '../../spec/index.js';

describe('rsl', () => {
  it('lists its commands in --help', async () => {
    const r = await rsl('--help');
    expect(r.code).toBe(ExitCode.ok);
    for (const cmd of ['check', 'simulate', 'trace', 'list']) expect(r.out).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('lists every obligation, the ten lemmas of the lab among them', async () => {
    const r = await rsl('list', 'obligations');
    expect(r.code).toBe(ExitCode.ok);
    for (const o of [...stateObligations, ...stepObligations]) expect(r.out).toContain(o.name);
    for (const lemma of labLemmas) {
      expect(r.out).toMatch(new RegExp(`^${lemma}\\b`, 'm'));
    }
  });

  it('lists every mutant with its role', async () => {
    const r = await rsl('list', 'mutants');
    for (const m of mutants) expect(r.out).toContain(`${m.name} (${m.role})`);
  });

  it('lists the shipped configurations', async () => {
    const r = await rsl('list', 'configs');
    expect(r.out).toContain('configs/small-r3-b3.json');
    expect(r.out).toContain('configs/tiny-r1-b2.json');
  });

  it('rejects an unknown list with one line and exit 1', async () => {
    const r = await rsl('list', 'ballots');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown command', async () => {
    const r = await rsl('verify');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/unknown command 'verify'/);
  });

  it('rejects an unknown mutant with one line and exit 1', async () => {
    const r = await rsl('check', '--config', 'configs/tiny-r1-b2.json', '--mutant', 'no-such-bug');
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/unknown mutant "no-such-bug"/);
  });
});
