/**
 * Debian's Chromium, driven headless by playwright-core: nothing downloads a browser. `.ci/run`
 * installs the `chromium` package when it is missing. Screenshots go to test-artifacts/ (not in git).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const artifactsDir = 'test-artifacts';

const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  /** Every request a page made to anything but a file: URL or the allowed origin, and every uncaught page error. */
  readonly problems: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile; requests to other origins than `allowedOrigin` are refused and recorded. */
export async function launch(allowedOrigin?: string): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does this)`);
  const profile = mkdtempSync(join(tmpdir(), 'rsl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: { width: 1500, height: 1000 },
    acceptDownloads: true,
  });
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || (allowedOrigin !== undefined && url.startsWith(allowedOrigin)))
      return route.continue();
    problems.push(url);
    return route.abort();
  });
  return {
    context,
    problems,
    newPage: async () => {
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifactPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}
