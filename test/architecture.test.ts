/**
 * Keeps the dependency picture of design.md true: parses every import of every source file and
 * fails on an import that crosses a forbidden boundary, on a circle of imports anywhere, and on a
 * source file outside test/ that has grown past `maxLines`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
    // Installed packages are not the project's sources (tools/lint/ has its own node_modules).
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(relative(root, path));
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
  {
    folder: 'mutants',
    allowed: (t, file) => t === 'mutants' || t === 'spec' || t === 'immutable' || (t === 'impl' && file === join('mutants', 'impl.ts')),
    why: 'mutants/ only wrap spec/ (and mutants/impl.ts impl/)',
  },
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
          .filter(
            (spec) =>
              target(file, spec) === 'web' &&
              (folder !== 'cli' || !relative(root, join(root, file, '..', spec)).startsWith(join('web', 'model'))),
          )
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
      (f) =>
        !inNodeShell(f) && /\b(Date\.now|new Date|Math\.random|performance\.now|process\.hrtime)/.test(readFileSync(join(root, f), 'utf8')),
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
    const bad = sourceFiles('impl')
      .filter((f) => !inNodeShell(f))
      .flatMap((f) => specValuesImported(f, readFileSync(join(root, f), 'utf8')).map((name) => `${f} imports ${name} from spec/`));
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

/** Every top-level folder of the project that may hold TypeScript sources. */
function sourceFolders(): string[] {
  return readdirSync(root).filter(
    (name) => !name.startsWith('.') && name !== 'node_modules' && name !== 'dist' && statSync(join(root, name)).isDirectory(),
  );
}

/** Every source file of the project, as a path relative to the root with `/` separators. */
function allSourceFiles(): string[] {
  return sourceFolders()
    .flatMap((dir) => sourceFiles(dir))
    .map((f) => f.split(/[\\/]/).join('/'));
}

/**
 * The import graph over `files`: each file to the files among them it imports (relative
 * specifiers, `.js` resolved to `.ts`). Type-only imports count: they tie modules together as
 * much as value imports do.
 */
export function importGraph(files: readonly string[], read: (file: string) => string): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(read(file))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => join(dirname(file), spec).split(/[\\/]/).join('/').replace(/\.js$/, '.ts'))
      .filter((t) => known.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The circles of an import graph, one per strongly connected component that has one (Tarjan's
 * algorithm), each written as the path `a -> b -> ... -> a` through it, starting at its smallest
 * file. Empty when the graph is acyclic.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((component) => circleThrough(graph, new Set(component)));
}

/** A path from the smallest member of a strongly connected component back to itself, inside it. */
function circleThrough(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!;
  // Breadth-first from start's successors: the shortest way back to start.
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w) || parent.has(w)) continue;
      parent.set(w, v);
      if (w === start) queue.length = 0;
      else queue.push(w);
    }
  }
  const inner: string[] = [];
  for (let v = parent.get(start)!; v !== start; v = parent.get(v)!) inner.unshift(v);
  return [start, ...inner, start];
}

/** Source files outside test/ stay small enough to read in one sitting. */
const maxLines = 600;

describe('module structure', () => {
  it('no circle of imports anywhere in the project', () => {
    const graph = importGraph(allSourceFiles(), (f) => readFileSync(join(root, f), 'utf8'));
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it(`no source file outside test/ is longer than ${maxLines} lines`, () => {
    const long = allSourceFiles()
      .filter((f) => !f.startsWith('test/'))
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length }))
      .filter((x) => x.lines > maxLines)
      .map((x) => `${x.f}: ${x.lines} lines`);
    expect(long).toEqual([]);
  });

  it('the circle finder finds every circle, the shortest way round, and none in an acyclic graph', () => {
    const g = (edges: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(edges));
    expect(importCycles(g({ a: ['b'], b: ['c'], c: [], d: ['a', 'c'] }))).toEqual([]);
    expect(importCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c', 'a']]);
    expect(importCycles(g({ x: ['x'], y: [] }))).toEqual([['x', 'x']]);
    // Two separate circles, and inside one component the shortest way back.
    const two = importCycles(g({ a: ['b'], b: ['a', 'c'], c: ['a'], p: ['q'], q: ['p'] }));
    expect(two.map((c) => c.join(' '))).toEqual(expect.arrayContaining(['a b a', 'p q p']));
    expect(two).toHaveLength(2);
  });

  it('the import graph resolves relative .js specifiers to the .ts files, type imports included', () => {
    const files = ['cli/main.ts', 'cli/commands/check.ts', 'spec/index.ts'];
    const sources: Record<string, string> = {
      'cli/main.ts': "const { run } = await import('./commands/check.js');",
      'cli/commands/check.ts': "import type { Flags } from '../main.js';\nimport { x } from '../../spec/index.js';\nimport 'node:fs';",
      'spec/index.ts': "export * from './missing.js';",
    };
    const graph = importGraph(files, (f) => sources[f]!);
    expect(Object.fromEntries(graph)).toEqual({
      'cli/main.ts': ['cli/commands/check.ts'],
      'cli/commands/check.ts': ['cli/main.ts', 'spec/index.ts'],
      'spec/index.ts': [],
    });
    expect(importCycles(graph)).toEqual([['cli/commands/check.ts', 'cli/main.ts', 'cli/commands/check.ts']]);
  });
});
