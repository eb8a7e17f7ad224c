/**
 * The cluster benchmark (`npm run bench:cluster`; not a test): for each of the bare message
 * pattern, the impl engine and the spec engine, a local three-replica cluster (child processes on
 * loopback), the lab's 32-client closed-loop bench for 30 s, then stop. Prints each run's figures,
 * the CPU seconds the replicas and the clients used, the impl and spec rates as fractions of the
 * bare pattern's (measured in the same run, so comparable on a shared machine), and the load
 * average before and after.
 *
 * Flags: --duration S (30), --clients N (32), --modes bare,impl,spec, --repeat N (1: each mode
 * runs N times, the order rotating, and the summary compares medians), --max-batch-delay MS,
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
const repeat = Number(flag('--repeat') ?? 1);
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

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

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
  const guard = setTimeout(
    () => {
      process.stderr.write(`bench:cluster: ${mode} run exceeded its time bound; stopping\n`);
      void cluster.stop(500).then(() => process.exit(1));
    },
    (durationS + 60) * 1000,
  );
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
      onProgress: (p) =>
        process.stderr.write(`${mode} ${(p.elapsedMs / 1000).toFixed(0)} s: ${p.lastSecond} req/s, ${p.timeouts} timeouts\n`),
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
console.log(
  `bench:cluster: 3 replicas, ${clients} clients, ${durationS} s per run; max_batch_size ${effective.maxBatchSize}, max_batch_delay ${effective.maxBatchDelay} ms`,
);
console.log(`load average before: ${load()}`);
const results: ModeResult[] = [];
for (let k = 0; k < repeat; k++) {
  // Rotate the order each repetition, so no mode always runs first (or last) on a shared machine.
  for (const mode of [...modes.slice(k % modes.length), ...modes.slice(0, k % modes.length)]) {
    const r = await runMode(mode);
    results.push(r);
    console.log(
      `\n== ${mode === 'bare' ? 'bare message pattern (no protocol logic)' : `engine ${mode}`}${repeat > 1 ? ` (run ${k + 1} of ${repeat})` : ''}`,
    );
    for (const line of formatBench(r.bench)) console.log(line);
    const perK = (x: number) => ((x / Math.max(1, r.bench.completed)) * 1e6).toFixed(0);
    console.log(
      `cpu: replicas ${r.replicaCpuS.toFixed(1)} s (${perK(r.replicaCpuS)} µs/request; ${r.perReplica.map((x) => x.toFixed(1)).join(' + ')}), ` +
        `clients ${r.clientCpuS.toFixed(1)} s (${perK(r.clientCpuS)} µs/request); load average ${load()}`,
    );
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const summary = modes.map((mode) => {
  const runs = results.filter((r) => r.mode === mode);
  return {
    mode,
    rate: median(runs.map((r) => r.bench.ratePerSec)),
    p50: median(runs.map((r) => r.bench.latencyMs.p50)),
    p99: median(runs.map((r) => r.bench.latencyMs.p99)),
    rates: runs.map((r) => r.bench.ratePerSec.toFixed(0)),
  };
});
const bare = summary.find((r) => r.mode === 'bare');
console.log(`\n== summary${repeat > 1 ? ` (medians of ${repeat} runs)` : ''}`);
for (const r of summary) {
  const ratio = bare === undefined || r === bare ? '' : `, ${((100 * r.rate) / bare.rate).toFixed(0)}% of the bare pattern`;
  const each = repeat > 1 ? ` [runs: ${r.rates.join(', ')}]` : '';
  console.log(
    `${r.mode.padEnd(5)} ${r.rate.toFixed(0).padStart(7)} req/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms${ratio}${each}`,
  );
}
const impl = summary.find((r) => r.mode === 'impl');
if (impl !== undefined) {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `targets (impl): >= 25000 req/s ${met(impl.rate >= 25_000)}; p50 < 1.5 ms ${met(impl.p50 < 1.5)}` +
      (bare === undefined ? '' : `; >= 80% of bare ${met(impl.rate >= 0.8 * bare.rate)}`),
  );
}
console.log(`load average after: ${load()}`);
