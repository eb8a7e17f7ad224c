/**
 * The page of `rsl trace view` in a real browser (Debian's Chromium, headless): what a person
 * sees for a committed mutant trace — lifelines, arrows, the violated obligation and the packets
 * it names, the fields that changed at a step, ←/→ — and that the page loads nothing from the
 * network. The expected numbers are recomputed from the trace files (test/web/expected.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalKey, parseItf, type Json, type JsonObject } from '../../web/model/itf.js';
import { rsl } from '../helpers/cli.js';
import { artifactPath, launch, type Browser } from './browser.js';
import { expectedDiagram, mutantTraceFiles } from './expected.js';

/** How long a poll waits for the page to catch up (a loaded CI machine is slow; a pass is quick). */
const patience = { timeout: 20_000 };
const dir = mkdtempSync(join(tmpdir(), 'rsl-view-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function viewPage(trace: string): Promise<Page> {
  const out = join(dir, `${trace.replace(/[^A-Za-z0-9]/g, '_')}.html`);
  const r = await rsl('trace', 'view', trace, '--out', out);
  expect(r.out).toBe(`${out}\n`);
  const page = await browser.newPage();
  await page.goto(pathToFileURL(resolve(out)).href);
  await page.waitForSelector('#diagram svg');
  return page;
}

const mainTrace = 'traces/lemma_DecidedOperationWasChosen-learner-decides-on-half.trace.json';

describe('the page of a counterexample', () => {
  const itf = parseItf(JSON.parse(readFileSync(mainTrace, 'utf8')) as unknown);
  const last = itf.states.length - 1;
  const meta = itf['#meta']!;
  let page: Page;

  beforeAll(async () => {
    page = await viewPage(mainTrace);
  });

  it('draws one lifeline per replica and client and one arrow per receipt or unreceived packet', async () => {
    const want = expectedDiagram(itf);
    expect(await page.locator('#diagram .lifeline .host-name').allTextContents()).toEqual(want.hosts);
    expect(await page.locator('#diagram .arrow').count()).toBe(want.arrows);
    expect(await page.locator('#diagram .arrow.dangling').count()).toBe(want.neverReceived);
    expect(await page.locator('#diagram .row').count()).toBe(itf.states.length);
    expect(await page.locator('#diagram .action-mark').count()).toBe(last);
    await page.screenshot({ path: artifactPath('trace-view.png') });
  });

  it('opens at the violation: its name, its explanation, and the packets it names in red', async () => {
    await expect.poll(() => page.locator('#position').textContent(), patience).toBe(`step ${last} / ${last}`);
    expect(await page.locator('#violation h2').textContent()).toContain(`Violated: ${meta.property as string} (state) at step ${last}`);
    expect(await page.locator('#violation .explanation').textContent()).toBe(meta.explanation);
    const violated = page.locator('#obligations tr.obligation.violated');
    expect(await violated.count()).toBe(1);
    expect(await violated.getAttribute('data-name')).toBe(meta.property);
    const witnesses = await page.locator('#diagram .arrow.witness .arrow-label').allTextContents();
    expect(witnesses.length).toBeGreaterThan(0);
    for (const w of witnesses) expect(w).toBe('2b b=(1,0) opn=0 [c0#0]');
    expect(await page.locator('#violation .witnesses code').allTextContents()).toEqual([
      'r0->r0 2b b=(1,0) opn=0 [c0#0]',
      'r0->r1 2b b=(1,0) opn=0 [c0#0]',
      'r0->r2 2b b=(1,0) opn=0 [c0#0]',
    ]);
  });

  it('highlights exactly the fields that changed at the selected step, and can show only those', async () => {
    await page.keyboard.press('End');
    // Recomputed from the JSON: r0's executor fields that differ between the last two states.
    const executor = (i: number): JsonObject =>
      (((itf.states[i]!.replicas as Json[])[0] as JsonObject).replica as JsonObject).executor as JsonObject;
    const want = Object.keys(executor(last)).filter((k) => canonicalKey(executor(last)[k]!) !== canonicalKey(executor(last - 1)[k]!));
    const changed = await page
      .locator('.host-state[data-host="r0"] tr.field.changed')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));
    expect(changed).toEqual(want.map((k) => `executor.${k}`));
    expect(await page.locator('.host-state[data-host="r1"] tr.field.changed').count()).toBe(0);
    await page.locator('#only-changes').check();
    expect(await page.locator('#state tr.field').count()).toBe(want.length);
    await page.locator('#only-changes').uncheck();
    expect(await page.locator('#state tr.field').count()).toBeGreaterThan(want.length);
  });

  it("moves between steps with the arrow keys, and shows each step's action and packets", async () => {
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#position').textContent()).toBe(`step ${last - 1} / ${last}`);
    expect(await page.locator('#diagram .row.selected').getAttribute('data-step')).toBe(String(last - 1));
    const text = (itf.states[last - 1]!['#meta'] as JsonObject).actionText as string;
    expect(await page.locator('#step .action-text').textContent()).toBe(text);
    expect(await page.locator('#step li.packet .what').allTextContents()).toContain('received');
    await page.keyboard.press('Home');
    expect(await page.locator('#position').textContent()).toBe(`step 0 / ${last}`);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#position').textContent()).toBe(`step 0 / ${last}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#position').textContent()).toBe(`step 2 / ${last}`);
    expect(await page.locator('#obligations tr.obligation.violated').count()).toBe(0);
  });

  it('links each step to its packet details', async () => {
    await page.locator('#diagram .row[data-step="6"] a.step-link').click();
    await expect.poll(() => page.locator('#position').textContent(), patience).toBe(`step 6 / ${last}`);
    expect(new URL(page.url()).hash).toBe('#step-6');
    expect(await page.locator('#step h2').textContent()).toBe(`Step 6 of ${last}`);
  });

  it('loaded nothing from the network and raised no error', () => {
    expect(browser.problems).toEqual([]);
  });
});

describe('every committed mutant trace renders', () => {
  it('with its lifelines, arrows and violated obligation', async () => {
    for (const file of mutantTraceFiles()) {
      const itf = parseItf(JSON.parse(readFileSync(join('traces', file), 'utf8')) as unknown);
      const want = expectedDiagram(itf);
      const page = await viewPage(join('traces', file));
      expect(await page.locator('#diagram .lifeline').count(), file).toBe(want.hosts.length);
      expect(await page.locator('#diagram .arrow').count(), file).toBe(want.arrows);
      expect(await page.locator('#violation .violated-name').textContent(), file).toBe(itf['#meta']!.property);
      await page.close();
    }
    expect(browser.problems).toEqual([]);
  });
});

describe('a foreign (Quint-style) ITF trace', () => {
  it('renders from its variables alone', async () => {
    const page = await viewPage('test/web/fixtures/quint-pingpong.itf.json');
    expect(await page.locator('#diagram .lifeline .host-name').allTextContents()).toEqual(['p1', 'p2']);
    expect(await page.locator('#diagram .arrow').count()).toBe(3);
    expect(await page.locator('#diagram .arrow.dangling .dangling-label').allTextContents()).toEqual(['Ping']);
    expect(await page.locator('#diagram .marker.view').count()).toBe(1);
    expect(await page.locator('#notice').textContent()).toContain('no obligation is evaluated');
    expect(await page.locator('#violation').isHidden()).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(
      await page.locator('.host-state[data-host="p2"] tr.field.changed').evaluateAll((rows) => rows.map((r) => r.textContent)),
    ).toEqual(['round0 → 1']);
    await page.screenshot({ path: artifactPath('trace-view-foreign.png') });
    expect(browser.problems).toEqual([]);
  });

  it('explains the property its #meta names, with the packet the explanation names', async () => {
    const itf = JSON.parse(readFileSync('test/web/fixtures/quint-pingpong.itf.json', 'utf8')) as { '#meta': JsonObject };
    const explanation = 'Ping(seq=1) from p1 is never answered';
    const file = join(dir, 'named.itf.json');
    writeFileSync(file, JSON.stringify({ ...itf, '#meta': { ...itf['#meta'], property: 'everyPingAnswered', explanation } }));
    const page = await viewPage(file);
    expect(await page.locator('#violation .violated-name').textContent()).toBe('everyPingAnswered');
    expect(await page.locator('#violation .explanation').textContent()).toBe(explanation);
    expect(await page.locator('#violation .witnesses code').allTextContents()).toEqual(['p1->p2 Ping seq=1']);
    expect(await page.locator('#diagram .arrow.witness').count()).toBe(1);
    expect(browser.problems).toEqual([]);
  });
});
