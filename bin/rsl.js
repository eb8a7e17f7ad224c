#!/usr/bin/env node
// Launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('rsl: the CLI is not built yet; run `npm run build` (or `npm ci`) in the project root\n');
  process.exit(1);
}
await import(main.href);
