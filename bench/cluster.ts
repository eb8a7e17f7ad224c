/**
 * The cluster benchmark (`npm run bench:cluster`; not a test): for each of the bare message
 * pattern, the impl engine and the spec engine, a local three-replica cluster (child processes on
 * loopback), the lab's 32-client closed-loop bench for 30 s, then stop. Prints each run's figures,
 * the CPU seconds the replicas and the clients used, the impl and spec rates as fractions of the
 * bare pattern's (measured in the same run, so comparable on a shared machine), and the load
 * average before and after.
 *
 * Flags: --duration S (30), --clients N (32), --modes bare,impl,spec, --max-batch-delay MS,
 * --max-batch-size N (defaults: the lab's StaticParams). Bounded: every cluster is stopped, and
 * the whole run gives up after (duration + 60 s) per mode.
 */
import { readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBench, runBench, type BenchResult } from '../impl/node/bench.js';
import { labStaticParams } from '../impl/node/cluster.js';
import { rslReplicaCommand, startLocalCluster, waitForService, type ReplicaMode } from '../impl/node/localCluster.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const durationS = Number(flag('--duration') ?? 30);
const clients = Number(flag('--clients') ?? 32);
const modes = (flag('--modes') ?? 'bare,impl,spec').split(',') as ReplicaMode[];
const params = {
  ...(flag('--max-batch-delay') === undefined ? {} : { maxBatchDelay: Number(flag('--max-batch-delay')) }),
  ...(flag('--max-batch-size') === undefined ? {} : { maxBatchSize: Number(flag('--max-batch-size')) }),
};

/** CPU seconds (user + system) a process has used so far, from /proc; 0 if unreadable. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(', ');

interface ModeResult {
  readonly mode: ReplicaMode;
  readonly bench: BenchResult;
  readonly replicaCpuS: number;
  readonly perReplica: readonly number[];
  readonly clientCpuS: number;
}

async function runMode(mode: ReplicaMode): Promise<ModeResult> {
  const cluster = await startLocalCluster({
    replicas: 3,
    mode,
    dir: join(tmpdir(), `rsl-bench-${process.pid}-${mode}`),
    replicaCommand: rslReplicaCommand(),
    params,
    statusIntervalMs: 5000,
    onLine: (i, line) => {
      if (!line.startsWith('{')) process.stderr.write(`[${mode} replica ${i}] ${line}\n`);
    },
  });
  const guard = setTimeout(() => {
    process.stderr.write(`bench:cluster: ${mode} run exceeded its time bound; stopping\n`);
    void cluster.stop(500).then(() => process.exit(1));
  }, (durationS + 60) * 1000);
  try {
    const probe = await waitForService(cluster.spec.replicas, 30_000);
    process.stderr.write(`${mode}: a leader answered after ${(probe.elapsedMs / 1000).toFixed(1)} s\n`);
    const pids = cluster.pids();
    const cpu0 = pids.map(cpuSeconds);
    const own0 = process.cpuUsage();
    const bench = await runBench({
      replicas: cluster.spec.replicas,
      clients,
      durationMs: durationS * 1000,
      onProgress: (p) => process.stderr.write(`${mode} ${(p.elapsedMs / 1000).toFixed(0)} s: ${p.lastSecond} req/s, ${p.timeouts} timeouts\n`),
    });
    const own = process.cpuUsage(own0);
    const perReplica = pids.map((pid, i) => cpuSeconds(pid) - cpu0[i]!);
    return { mode, bench, perReplica, replicaCpuS: perReplica.reduce((a, b) => a + b, 0), clientCpuS: (own.user + own.system) / 1e6 };
  } finally {
    clearTimeout(guard);
    await cluster.stop();
  }
}

const effective = { ...labStaticParams, ...params };
console.log(`bench:cluster: 3 replicas, ${clients} clients, ${durationS} s per run; max_batch_size ${effective.maxBatchSize}, max_batch_delay ${effective.maxBatchDelay} ms`);
console.log(`load average before: ${load()}`);
const results: ModeResult[] = [];
for (const mode of modes) {
  const r = await runMode(mode);
  results.push(r);
  console.log(`\n== ${mode === 'bare' ? 'bare message pattern (no protocol logic)' : `engine ${mode}`}`);
  for (const line of formatBench(r.bench)) console.log(line);
  const perK = (s: number) => ((s / Math.max(1, r.bench.completed)) * 1e6).toFixed(0);
  console.log(`cpu: replicas ${r.replicaCpuS.toFixed(1)} s (${perK(r.replicaCpuS)} µs/request; ${r.perReplica.map((x) => x.toFixed(1)).join(' + ')}), clients ${r.clientCpuS.toFixed(1)} s (${perK(r.clientCpuS)} µs/request); load average ${load()}`);
}
const bare = results.find((r) => r.mode === 'bare');
console.log('\n== summary');
for (const r of results) {
  const ratio = bare === undefined || r === bare ? '' : `, ${((100 * r.bench.ratePerSec) / bare.bench.ratePerSec).toFixed(0)}% of the bare pattern`;
  console.log(`${r.mode.padEnd(5)} ${r.bench.ratePerSec.toFixed(0).padStart(7)} req/s, p50 ${r.bench.latencyMs.p50.toFixed(3)} ms, p99 ${r.bench.latencyMs.p99.toFixed(3)} ms${ratio}`);
}
const impl = results.find((r) => r.mode === 'impl');
if (impl !== undefined) {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`targets (impl): >= 25000 req/s ${met(impl.bench.ratePerSec >= 25_000)}; p50 < 1.5 ms ${met(impl.bench.latencyMs.p50 < 1.5)}` +
    (bare === undefined ? '' : `; >= 80% of bare ${met(impl.bench.ratePerSec >= 0.8 * bare.bench.ratePerSec)}`));
}
console.log(`load average after: ${load()}`);
