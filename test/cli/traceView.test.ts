/**
 * `rsl trace view`: the page is written next to the trace (or to --out), self-contained, with the
 * obligations evaluated when the trace replays; a foreign or non-replaying trace still gets a page
 * with a notice; a bad file is one line and exit 1; --open starts a browser when there is one.
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserCommand } from '../../cli/browser.js';
import { pagePathFor } from '../../cli/commands/traceView.js';
import { ExitCode } from '../../cli/exitCodes.js';
import type { PageData } from '../../web/model/data.js';
import { rsl } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-trace-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = 'traces/lemma_1bMessageImplicationsForAcceptorState-acceptor-forgets-promise.trace.json';

function embedded(html: string): PageData {
  const m = html.match(/<script type="application\/json" id="rsl-data">([\s\S]*?)<\/script>/);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as PageData;
}

describe('rsl trace view', () => {
  it('writes one self-contained page next to the trace and prints its path', async () => {
    const file = join(dir, 'x.trace.json');
    copyFileSync(source, file);
    const r = await rsl('trace', 'view', file);
    expect(r).toEqual({ code: ExitCode.ok, out: `${join(dir, 'x.trace.html')}\n`, err: '' });
    const html = readFileSync(join(dir, 'x.trace.html'), 'utf8');
    expect(html).not.toMatch(/<link|<script[^>]*\ssrc=|<img|@import|url\((?!#)/i);
    expect(html).toContain("default-src 'none'");
    const data = embedded(html);
    const itf = JSON.parse(readFileSync(source, 'utf8')) as { states: unknown[]; '#meta': { property: string } };
    expect(data.trace!.states.length).toBe(itf.states.length);
    const a = data.annotations!;
    expect(a.verdicts.length).toBe(itf.states.length);
    const k = a.obligations.findIndex((o) => o.name === itf['#meta'].property);
    expect(a.verdicts.at(-1)![k]).toHaveProperty('violated');
    expect(a.verdicts.slice(0, -1).every((row) => typeof row[k] !== 'object' || row[k] === null)).toBe(true);
  });

  it('writes to --out', async () => {
    const out = join(dir, 'page.html');
    const r = await rsl('trace', 'view', source, '--out', out);
    expect(r.code).toBe(ExitCode.ok);
    expect(existsSync(out)).toBe(true);
    expect(pagePathFor('a/b/c.itf.json')).toBe(join('a/b', 'c.itf.html'));
  });

  it('still writes a page for a foreign trace, without obligations, and says why', async () => {
    const out = join(dir, 'foreign.html');
    const r = await rsl('trace', 'view', 'test/web/fixtures/quint-pingpong.itf.json', '--out', out);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toMatch(/^rsl: The trace names no model of this tool .*\n$/);
    const data = embedded(readFileSync(out, 'utf8'));
    expect(data.annotations).toBeUndefined();
    expect(data.notice).toContain('no obligation is evaluated');
  });

  it('writes the page but exits 13 when the trace does not replay', async () => {
    const itf = JSON.parse(readFileSync(source, 'utf8')) as { states: { clocks: number[] }[] };
    itf.states[1]!.clocks = [7, 7, 7];
    const file = join(dir, 'edited.trace.json');
    writeFileSync(file, JSON.stringify(itf));
    const r = await rsl('trace', 'view', file);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.out).toBe(`${join(dir, 'edited.trace.html')}\n`);
    expect(r.err).toContain('does not replay against the spec, at step 1');
  });

  it('refuses a missing or broken file in one line', async () => {
    const missing = await rsl('trace', 'view', join(dir, 'nope.json'));
    expect(missing.code).toBe(ExitCode.usage);
    expect(missing.err).toMatch(/^rsl: .*nope\.json: cannot read the trace file \(ENOENT\)\n$/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"states": 3}');
    const r = await rsl('trace', 'view', broken);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/^rsl: .*is not an ITF trace: "vars" is not a list of names\n$/);
  });
});

describe('--open', () => {
  it('starts $BROWSER on the page', async () => {
    const record = join(dir, 'opened.txt');
    const fake = join(dir, 'fake-browser.sh');
    writeFileSync(fake, `#!/bin/sh\necho "$1" > ${record}\n`);
    chmodSync(fake, 0o755);
    const before = process.env.BROWSER;
    process.env.BROWSER = fake;
    try {
      const out = join(dir, 'opened.html');
      const r = await rsl('trace', 'view', source, '--out', out, '--open');
      expect(r.code).toBe(ExitCode.ok);
      expect(r.err).toContain(`opening it with ${fake}`);
      await expect.poll(() => (existsSync(record) ? readFileSync(record, 'utf8') : ''), { timeout: 20_000 }).toBe(`${resolve(out)}\n`);
    } finally {
      if (before === undefined) delete process.env.BROWSER;
      else process.env.BROWSER = before;
    }
  });

  it('never fails when there is no browser', () => {
    expect(browserCommand({ PATH: dir }, 'linux')).toEqual({ none: 'no display (DISPLAY is not set) and no $BROWSER' });
    expect(browserCommand({ PATH: dir, DISPLAY: ':0' }, 'linux')).toHaveProperty('none');
    expect(browserCommand({ PATH: dir, BROWSER: 'no-such-browser' }, 'linux')).toHaveProperty('none');
    expect(browserCommand({ PATH: '', DISPLAY: ':0', BROWSER: '' }, 'darwin')).toEqual({ command: 'open', args: [] });
  });
});
