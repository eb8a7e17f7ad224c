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
  {
    folder: 'refinement',
    allowed: (t) => t === 'refinement' || t === 'impl' || t === 'spec' || t === 'immutable',
    why: 'refinement/ compares impl/ with spec/ and nothing else',
  },
];

/**
 * The spec values impl/ may use: the value constructors its abstraction functions need (Records,
 * their builder functions, the configuration builders). Anything else from spec/ (an action, a
 * predicate, a helper) must be a type-only import, so impl/ can never call a spec action.
 */
const specConstructors =
  /^(?:[A-Z]\w*Record|ballot|vote|request|reply|learnerTuple|message\w*|packet|appIncrementRequest|appIncrementReply|appInvalidReply|incompleteBatchTimerO(?:n|ff)|outstandingOp(?:Known|Unknown)|configuration|replicaConstants)$/;

/** The names a source imports as values from spec/ that are not constructors (namespace imports count as `*`). */
export function specValuesImported(file: string, source: string): string[] {
  const bad: string[] = [];
  const re = /^\s*import\s+(type\s+)?([^'";]*?)\s+from\s+['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[1] !== undefined || target(file, m[3]!) !== 'spec') continue;
    const clause = m[2]!.trim();
    if (!clause.startsWith('{')) {
      bad.push(clause);
      continue;
    }
    for (const part of clause.replace(/[{}]/g, '').split(',')) {
      const name = part.trim();
      if (name === '' || name.startsWith('type ')) continue;
      const imported = name.split(/\s+as\s+/)[0]!;
      if (!specConstructors.test(imported)) bad.push(imported);
    }
  }
  return bad;
}

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

  it('impl/ imports from spec/ only types and value constructors: it never calls a spec action', () => {
    // impl/node/ (the UDP shell) may run the spec's own host step (`--engine spec`): not policed here.
    const bad = sourceFiles('impl').filter((f) => !inNodeShell(f)).flatMap((f) =>
      specValuesImported(f, readFileSync(join(root, f), 'utf8')).map((name) => `${f} imports ${name} from spec/`),
    );
    expect(bad).toEqual([]);
  });

  it('impl/ and refinement/ have no import cycle (type-only imports included)', () => {
    const files = [...sourceFiles('impl'), ...sourceFiles('refinement')];
    const edges = new Map<string, string[]>();
    for (const f of files) {
      const deps = importsOf(readFileSync(join(root, f), 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(root, join(root, f, '..', s)).replace(/\.js$/, '.ts'))
        .filter((d) => files.includes(d));
      edges.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const d of edges.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('the spec-import rule tells constructors from actions', () => {
    const src = [
      "import type { AcceptorState } from '../spec/index.js';",
      "import { AcceptorStateRecord, ballot, type Ballot, message2b as m2b } from '../spec/index.js';",
      "import { acceptorTruncateLog, balLt } from '../spec/acceptor.js';",
      "import * as spec from '../spec/index.js';",
      "import { List } from 'immutable';",
    ].join('\n');
    expect(specValuesImported('impl/x.ts', src)).toEqual(['acceptorTruncateLog', 'balLt', '* as spec']);
  });

  it('the import parser sees every import form it is meant to police', () => {
    const src = "import { a } from './x.js';\nexport * from '../spec/y.js';\nimport 'node:fs';\nconst m = await import('workerpool');";
    expect(importsOf(src)).toEqual(['./x.js', '../spec/y.js', 'node:fs', 'workerpool']);
  });
});
