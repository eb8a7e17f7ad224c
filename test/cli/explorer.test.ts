/**
 * The explorer's server (cli/explorer.ts) without a browser: paths of successor indices, a saved
 * path that replays (and confirms a mutant's violation), bad requests answered with an HTTP error
 * while the server keeps serving, and `rsl explore` stopping on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEqual, parseItfTrace, traceActions } from '../../checker/index.js';
import { pageTemplate } from '../../cli/commands/traceView.js';
import { loadModelConfig } from '../../cli/config.js';
import { ExitCode } from '../../cli/exitCodes.js';
import { ExplorerModel, parsePath, startExplorer, type Explorer } from '../../cli/explorer.js';
import { createRslModel, type RslModelOptions } from '../../cli/rslModel.js';
import { rsl } from '../helpers/cli.js';
import { createModel as createChain } from '../helpers/counterChain.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-explorer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paths', () => {
  it('parses successor indices and refuses anything else', () => {
    expect(parsePath('')).toEqual([]);
    expect(parsePath(null)).toEqual([]);
    expect(parsePath('3,0,12')).toEqual([3, 0, 12]);
    for (const bad of ['a', '1,,2', '-1', '1.5', '1,', ' 1']) expect(() => parsePath(bad), bad).toThrow(/successor indices/);
  });

  it("walking a committed counterexample's actions and saving it confirms its violation", async () => {
    const file = 'traces/lemma_DecidedOperationWasChosen-learner-decides-on-half.trace.json';
    const itf = parseItfTrace(JSON.parse(readFileSync(file, 'utf8')) as unknown);
    const model = createRslModel(itf['#meta'].configuration as unknown as RslModelOptions);
    const explorer = new ExplorerModel(model);
    const path: number[] = [];
    for (const action of traceActions(itf)) {
      const state = explorer.trace(path).states.at(-1)!;
      const i = model.successors(state).findIndex((s) => jsonEqual(model.actionToJson(s.action), action));
      expect(i).toBeGreaterThanOrEqual(0);
      path.push(i);
    }
    const view = explorer.view(path);
    expect(view.explore.path).toEqual(path);
    const violated = view.annotations!.verdicts.at(-1)!.filter((v) => typeof v === 'object' && v !== null);
    expect(violated.length).toBeGreaterThan(0);
    const saved = join(dir, 'walked.itf.json');
    writeFileSync(saved, explorer.traceFile(path));
    const r = await rsl('trace', 'replay', saved);
    expect(r.out).toContain(`confirmed: ${itf['#meta'].property as string} violated at step ${path.length}`);
    expect(r.code).toBe(12);
    // The successor that leads into the violation is flagged before it is taken.
    const before = explorer.view(path.slice(0, -1));
    expect(before.explore.successors[path.at(-1)!]!.violates).toContain(itf['#meta'].property);
  });
});

describe('composite successors', () => {
  it('lists every sub-step of a composite successor in the trace, and flags a violation on any of them', () => {
    // The chain 0..2, walked in one composite successor 0 -> 1 -> 2 -> 3 whose via-state 2 already
    // breaks belowLength (and so does 3).
    const chain = createChain({ length: 2, noStay: true });
    const model = {
      ...chain,
      successors: (n: number) =>
        n === 0
          ? [
              {
                action: 'inc' as const,
                state: 3,
                via: [
                  { action: 'inc' as const, state: 1 },
                  { action: 'inc' as const, state: 2 },
                ],
              },
            ]
          : [],
    };
    const explorer = new ExplorerModel(model);
    const first = explorer.view([]);
    expect(first.explore.successors).toEqual([{ label: 'inc ; inc ; inc', violates: ['belowLength'] }]);
    const trace = explorer.trace([0]);
    expect(trace.states).toEqual([0, 1, 2, 3]);
    expect(trace.actions).toEqual(['inc', 'inc', 'inc']);
    expect(explorer.view([0]).trace.states.length).toBe(4);
    expect(explorer.view([0]).explore.ends).toEqual([0, 3]);
  });
});

function get(url: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP server', () => {
  let explorer: Explorer;
  const model = createRslModel({ config: loadModelConfig('configs/tiny-r1-b2.json') });
  beforeAll(async () => {
    explorer = await startExplorer(model, { template: pageTemplate() });
  });
  afterAll(async () => explorer?.close());

  it('listens on loopback only, on a free port', () => {
    expect(explorer.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/$/);
    expect((explorer.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('answers bad requests with an HTTP error and keeps serving', async () => {
    const cases: [string, number, Record<string, string>?, string?][] = [
      ['/api/view?path=abc', 400],
      ['/api/view?path=999', 400],
      [
        '/api/view?path=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0',
        400,
      ],
      ['/api/trace?path=1,x', 400],
      ['/nothing-here', 404],
      ['/api/view', 405, {}, 'POST'],
      ['/', 403, { Host: 'attacker.example:80' }],
    ];
    for (const [path, status, headers, method] of cases) {
      const r = await get(explorer.url, path, headers ?? {}, method ?? 'GET');
      expect(r.status, `${method ?? 'GET'} ${path}`).toBe(status);
      expect(r.body.length).toBeGreaterThan(0);
    }
    const page = await get(explorer.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('"live":{"api":"/api"}');
    const view = await get(explorer.url, '/api/view?path=0');
    expect(view.status).toBe(200);
    // The initial state, the states inside the first scheduler round, and the round's last state.
    const first = model.successors(model.initStates()[0]!)[0]!;
    expect((JSON.parse(view.body) as { trace: { states: unknown[] } }).trace.states.length).toBe(2 + (first.via?.length ?? 0));
  });
});

describe('rsl explore', () => {
  it('takes the model flags of check and simulate, and refuses bad ones in one line before serving', async () => {
    const help = await rsl('explore', '--help');
    for (const flag of [
      '--config',
      '--replicas',
      '--election',
      '--requests-up-front',
      '--no-symmetry',
      '--mutant',
      '--invariant',
      '--port',
      '--open',
    ]) {
      expect(help.out, flag).toContain(flag);
    }
    expect(help.out).not.toContain('--workers');
    const mutant = await rsl('explore', '--config', 'configs/tiny-r1-b2.json', '--mutant', 'no-such-mutant');
    expect(mutant.code).toBe(ExitCode.usage);
    expect(mutant.err).toMatch(/^rsl: unknown mutant "no-such-mutant".*\n$/);
    const port = await rsl('explore', '--config', 'configs/tiny-r1-b2.json', '--port', '70000');
    expect(port).toEqual({ code: ExitCode.usage, out: '', err: 'rsl: --port must be between 0 and 65535, got 70000\n' });
    const bad = await rsl('explore', '--replicas', 'x');
    expect(bad.code).toBe(ExitCode.usage);
  });

  it('prints its address, serves the page, and stops with exit 0 on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['bin/rsl.js', 'explore', '--config', 'configs/tiny-r1-b2.json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: string) => {
        out += c;
        const m = out.match(/Explorer at (http:\/\/127\.0\.0\.1:[0-9]+\/)/);
        if (m !== null) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`rsl explore exited early: ${out}`)));
    });
    expect((await get(url, '/')).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(out).toContain('Explorer stopped (SIGINT)');
  });
});
