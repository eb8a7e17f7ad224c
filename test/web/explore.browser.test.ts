/**
 * `rsl explore` in a real browser: the page served live on 127.0.0.1 lists the enabled successors
 * of the current state; clicking one adds a step to the diagram, back removes it, and the saved
 * path is an ITF trace that `rsl trace replay` accepts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageTemplate } from '../../cli/commands/traceView.js';
import { applyOverrides, loadModelConfig } from '../../cli/config.js';
import { startExplorer, type Explorer } from '../../cli/explorer.js';
import { createRslModel } from '../../cli/rslModel.js';
import { rsl } from '../helpers/cli.js';
import { artifactPath, launch, type Browser } from './browser.js';

/** How long a poll waits for the page to catch up (a loaded CI machine is slow; a pass is quick). */
const patience = { timeout: 20_000 };
const dir = mkdtempSync(join(tmpdir(), 'rsl-explore-'));
// One action per step (the `any` scheduler), so that each successor listed is a single action.
const model = createRslModel({ config: applyOverrides(loadModelConfig('configs/tiny-r1-b2.json'), { scheduler: 'any' }) });
let explorer: Explorer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  explorer = await startExplorer(model, { template: pageTemplate() });
  browser = await launch(explorer.url);
  page = await browser.newPage();
  await page.goto(explorer.url);
  await page.waitForSelector('button.successor');
});
afterAll(async () => {
  await browser?.close();
  await explorer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(): Promise<number> {
  return page.locator('#diagram .row').count();
}

async function clickSuccessor(i: number): Promise<string> {
  const before = await rows();
  const button = page.locator('button.successor').nth(i);
  const label = (await button.textContent()) ?? '';
  await button.click();
  await expect.poll(rows, patience).toBe(before + 1);
  return label;
}

describe('the explorer', () => {
  it('starts at the initial state with every enabled successor listed', async () => {
    expect(await rows()).toBe(1);
    const init = model.initStates()[0]!;
    const want = model.successors(init).map((s) => model.formatAction(s.action));
    expect(await page.locator('button.successor').allTextContents()).toEqual(want);
  });

  it('takes a clicked successor as the next step, and goes back', async () => {
    const first = await clickSuccessor(0);
    expect(await page.locator('#position').textContent()).toBe('step 1 / 1');
    expect(await page.locator('#step .action-text').textContent()).toBe(first);
    await clickSuccessor(0);
    await clickSuccessor(0);
    expect(await page.locator('#diagram .action-mark').count()).toBe(3);
    await page.locator('#back').click();
    await expect.poll(rows, patience).toBe(3);
    expect(await page.locator('#obligations tr.obligation').count()).toBe(model.invariants.length + (model.stepProperties?.length ?? 0));
    expect(await page.locator('#obligations ul.scenarios li').count()).toBe(model.witnesses?.length ?? 0);
    await page.screenshot({ path: artifactPath('explore.png') });
  });

  it('branches off at an earlier state of the path', async () => {
    expect(await rows()).toBe(3);
    expect(await page.locator('#branch').count()).toBe(0);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#branch').textContent()).toBe('continue from step 1');
    await page.locator('#branch').click();
    await expect.poll(rows, patience).toBe(2);
    expect(await page.locator('#position').textContent()).toBe('step 1 / 1');
    await clickSuccessor(1);
  });

  it('saves the path as an ITF trace that rsl trace replay accepts', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save').click()]);
    const file = join(dir, 'walked.itf.json');
    await download.saveAs(file);
    const r = await rsl('trace', 'replay', file);
    expect(r.out).toBe('replayed 2 steps; the file names no violation and no obligation is violated along the trace\n');
    expect(r.code).toBe(0);
  });

  it('made no request outside the explorer and raised no error', () => {
    expect(browser.problems).toEqual([]);
  });
});
