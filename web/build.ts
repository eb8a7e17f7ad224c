/**
 * Builds the page into one self-contained file, dist/web/page.html: the script (web/page/main.ts
 * and what it imports, bundled by esbuild) and the style sheet inlined into web/page/page.html.
 * Run by `npm run build` (after tsc), so `npm ci` on a fresh clone leaves the page ready and the
 * CLI needs no bundler at run time. The result loads nothing from the network.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find package.json above the build script');
    dir = up;
  }
  return dir;
}

/** The bundled script, safe to put inside a script element. */
async function bundle(root: string): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'web', 'page', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const js = result.outputFiles[0]!.text;
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

export async function buildPage(root = repositoryRoot()): Promise<string> {
  const template = readFileSync(join(root, 'web', 'page', 'page.html'), 'utf8');
  const css = readFileSync(join(root, 'web', 'page', 'style.css'), 'utf8');
  const js = await bundle(root);
  const page = template.replace('/*__RSL_PAGE_STYLE__*/', () => css).replace('/*__RSL_PAGE_SCRIPT__*/', () => js);
  const out = join(root, 'dist', 'web', 'page.html');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, page);
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildPage();
  process.stdout.write(`built ${out}\n`);
}
