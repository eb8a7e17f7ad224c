/** The UDP commands' flag and file errors, and `rsl cluster` as a user runs it (a child process). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../impl/node/bench.js';
import { parseClusterFile } from '../../impl/node/cluster.js';
import { rsl } from '../helpers/cli.js';

const bin = fileURLToPath(new URL('../../bin/rsl.js', import.meta.url));

describe('rsl replica / bench / cluster', () => {
  it('a missing or invalid cluster file is a one-line error and exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsl-node-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"replicas": ["127.0.0.1:4001"], "params": {"maxBatchSize": 0}}');
    for (const args of [
      ['replica', '--cluster', join(dir, 'none.json'), '--index', '0'],
      ['replica', '--cluster', bad, '--index', '0'],
      ['bench', '--cluster', bad],
    ]) {
      const r = await rsl(...args);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^rsl (replica|bench): /);
    }
    const good = join(dir, 'good.json');
    writeFileSync(good, '{"replicas": ["127.0.0.1:4001"]}');
    const outside = await rsl('replica', '--cluster', good, '--index', '1');
    expect(outside.err).toBe('rsl replica: replica index 1 is outside the cluster (0..0)\n');
    expect((await rsl('replica', '--cluster', good, '--index', '0', '--engine', 'fast')).code).toBe(1);
    const faults = await rsl('replica', '--cluster', good, '--index', '0', '--faults', 'loss=2');
    expect(faults.err).toBe('rsl replica: --faults: loss is a probability, got 2\n');
  });

  it('rsl cluster starts three replicas, prints the cluster file once a leader serves, and stops them on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsl-node-cluster-'));
    const child = spawn(process.execPath, [bin, 'cluster', '--replicas', '3', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 300 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
      const file = out.trim();
      expect(file).toBe(join(dir, 'cluster.json'));
      expect(err).toMatch(/a leader answered after [\d.]+ s; 3 replicas on/);
      const spec = parseClusterFile(readFileSync(file, 'utf8'), file);
      const r = await runBench({ replicas: spec.replicas, clients: 2, durationMs: 1500, timeoutMs: 250 });
      expect(r.completed).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(err).toMatch(/stopping the replicas \(SIGTERM\)/);
  }, 60_000);
});
