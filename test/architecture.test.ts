/**
 * Keeps the dependency picture of design.md true: parses every import of every source file and
 * fails on an import that crosses a forbidden boundary.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return name.endsWith('.ts') ? [relative(root, path)] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports with a literal argument. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]!);
  return specs;
}

/** The top-level folder an import resolves into, or the package name for a bare specifier. */
function target(file: string, spec: string): string {
  if (spec.startsWith('.')) {
    const resolved = relative(root, join(root, file, '..', spec));
    return resolved.split(/[\\/]/)[0]!;
  }
  if (spec.startsWith('node:')) return spec;
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
}

/** impl/node/: the production UDP node, the one part of impl/ that owns sockets and clocks. */
function inNodeShell(file: string): boolean {
  return /^impl[\\/]node[\\/]/.test(file);
}

type Rule = { folder: string; allowed: (t: string, file: string) => boolean; why: string };

const rules: Rule[] = [
  { folder: 'spec', allowed: (t) => t === 'spec' || t === 'immutable', why: 'spec/ imports only immutable' },
  {
    folder: 'checker',
    allowed: (t) => t === 'checker' || t === 'workerpool' || t.startsWith('node:'),
    why: 'checker/ is generic: workerpool and node built-ins only',
  },
  {
    folder: 'impl',
    allowed: (t, file) =>
      t === 'impl' || t === 'spec' || t === 'immutable' || (t.startsWith('node:') && (t !== 'node:dgram' || inNodeShell(file))),
    why: 'impl/ builds on spec/; only the UDP node (impl/node/) touches node:dgram',
  },
  { folder: 'mutants', allowed: (t) => t === 'mutants' || t === 'spec' || t === 'immutable', why: 'mutants/ only wrap spec/' },
  {
    folder: 'web',
    allowed: (t, file) => t === 'web' || (file === join('web', 'build.ts') && (t === 'esbuild' || t.startsWith('node:'))),
    why: 'web/ (the browser page) imports only web/; its build script alone uses esbuild and node built-ins',
  },
];

describe('dependency rules', () => {
  for (const rule of rules) {
    it(`${rule.why}`, () => {
      const bad: string[] = [];
      for (const file of sourceFiles(rule.folder)) {
        for (const spec of importsOf(readFileSync(join(root, file), 'utf8'))) {
          const t = target(file, spec);
          if (!rule.allowed(t, file)) bad.push(`${file} imports ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('other layers reach web/ only through web/model (the page data and its embedding), never the page code', () => {
    const bad = ['spec', 'checker', 'impl', 'mutants', 'cli', 'bench'].flatMap((folder) =>
      sourceFiles(folder).flatMap((file) =>
        importsOf(readFileSync(join(root, file), 'utf8'))
          .filter((spec) => target(file, spec) === 'web' && (folder !== 'cli' || !relative(root, join(root, file, '..', spec)).startsWith(join('web', 'model'))))
          .map((spec) => `${file} imports ${spec}`),
      ),
    );
    expect(bad).toEqual([]);
  });

  it('spec/ reads no clock, socket or randomness', () => {
    const bad = sourceFiles('spec').filter((f) =>
      /\b(Date\.now|new Date|Math\.random|performance\.now|process\.)/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(bad).toEqual([]);
  });

  it('in impl/, only the UDP node (impl/node/) reads a clock or randomness', () => {
    const bad = sourceFiles('impl').filter(
      (f) => !inNodeShell(f) && /\b(Date\.now|new Date|Math\.random|performance\.now|process\.hrtime)/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(bad).toEqual([]);
  });

  it('checker/ never names the protocol it is used for', () => {
    const bad = sourceFiles('checker').filter((f) => /\b(RSL|IronRSL|MultiPaxos)\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the socket and clock exception covers impl/node/ and nothing else in impl/', () => {
    expect(['impl/node/shell.ts', 'impl/node/wire.ts', 'impl/udpHost.ts', 'impl/host.ts', 'spec/node/x.ts'].map(inNodeShell)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('the import parser sees every import form it is meant to police', () => {
    const src = "import { a } from './x.js';\nexport * from '../spec/y.js';\nimport 'node:fs';\nconst m = await import('workerpool');";
    expect(importsOf(src)).toEqual(['./x.js', '../spec/y.js', 'node:fs', 'workerpool']);
  });
});
