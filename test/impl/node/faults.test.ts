/**
 * Fault and load tests on a real three-replica cluster: child processes on loopback, started with
 * `rsl replica` (so `npm run build` must have run), each test bounded in time and stopping its
 * processes. About a minute in all, so they run with `npm run test:faults` (RSL_FAULT_TESTS=1),
 * which .ci/run runs too.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { runBench, type BenchResult } from '../../../impl/node/bench.js';
import { checkCounterHistory, type CounterOp } from '../../../impl/node/history.js';
import { rslReplicaCommand, startLocalCluster, waitForService, type LocalCluster } from '../../../impl/node/localCluster.js';
import type { ShellStats } from '../../../impl/node/shell.js';
import { decodeMessage, encodeMessage } from '../../../impl/node/wire.js';
import { message } from './wireArbitraries.js';

const enabled = process.env['RSL_FAULT_TESTS'] === '1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let running: LocalCluster[] = [];
afterEach(async () => {
  await Promise.all(running.map((c) => c.stop(1000)));
  running = [];
});

async function cluster(extraArgs?: (i: number) => readonly string[]): Promise<{ c: LocalCluster; probeOps: CounterOp[] }> {
  const c = await startLocalCluster({
    replicas: 3,
    mode: 'impl',
    dir: mkdtempSync(join(tmpdir(), 'rsl-faults-')),
    replicaCommand: rslReplicaCommand(),
    statusIntervalMs: 100,
    ...(extraArgs === undefined ? {} : { extraArgs }),
  });
  running.push(c);
  const probe = await waitForService(c.spec.replicas, 30_000);
  // The probe's increments: outcome unknown, started before everything else.
  return { c, probeOps: Array.from({ length: probe.attempts }, () => ({ start: -Infinity, end: Infinity, value: undefined })) };
}

/** Waits until the given live replicas report the same executed-ops count (and counter) twice in a row. */
async function settled(c: LocalCluster, live: readonly number[], timeoutMs = 10_000): Promise<ShellStats[]> {
  const t0 = Date.now();
  let previous = '';
  for (;;) {
    await sleep(300);
    const stats = live.map((i) => c.latestStatus(i)!);
    const key = stats.map((s) => `${s.status.opsComplete}/${s.status.app}`).join(' ');
    if (new Set(stats.map((s) => s.status.app)).size === 1 && key === previous) return stats;
    previous = key;
    if (Date.now() - t0 > timeoutMs) throw new Error(`replicas did not settle: ${key}`);
  }
}

function leaderOf(c: LocalCluster, live: readonly number[] = [0, 1, 2]): number {
  const i = live.find((k) => c.latestStatus(k)?.status.leader === true);
  if (i === undefined) throw new Error('no replica reports being the leader');
  return i;
}

/** The history checks every test makes: distinct acknowledged values, and a linearizable history. */
function expectSafe(runs: readonly BenchResult[], extra: readonly CounterOp[], finalValue: number): void {
  const ops = [...extra, ...runs.flatMap((r) => r.history)];
  const acked = ops.filter((o) => o.value !== undefined).map((o) => o.value);
  expect(new Set(acked).size).toBe(acked.length);
  expect(checkCounterHistory(ops, finalValue)).toEqual({ ok: true });
}

describe.runIf(enabled)('a three-replica cluster under faults', () => {
  it('the leader is killed mid-run: a view change happens and clients resume', async () => {
    const { c, probeOps } = await cluster();
    await sleep(300);
    const leader = leaderOf(c);
    const viewBefore = c.latestStatus(leader)!.status.view;
    const bench = runBench({ replicas: c.spec.replicas, clients: 8, durationMs: 9000, recordHistory: true });
    await sleep(2000);
    const killedAt = performance.now();
    await c.kill(leader);
    const r = await bench;
    const live = [0, 1, 2].filter((i) => i !== leader);
    const stats = await settled(c, live);
    const resumed = r.history.filter((o) => o.value !== undefined && o.start > killedAt + 1000);
    const firstAfter = Math.min(...r.history.filter((o) => o.value !== undefined && o.end > killedAt).map((o) => o.end));
    console.log(
      `leader ${leader} killed: first acknowledgement ${(firstAfter - killedAt).toFixed(0)} ms later; ` +
        `outages seen by clients ${r.outagesMs.map((x) => x.toFixed(0)).join(', ')} ms; ${r.completed} completed, ${r.timeouts} timeouts`,
    );
    expect(resumed.length).toBeGreaterThan(100);
    const viewAfter = stats[0]!.status.view;
    expect([viewAfter.seqno, viewAfter.proposerId]).not.toEqual([viewBefore.seqno, viewBefore.proposerId]);
    expect(live).toContain(leaderOf(c, live));
    expectSafe([r], probeOps, stats[0]!.status.app);
  }, 60_000);

  it('100,000 fuzzed datagrams to the leader are all dropped and counted; service and counter continue unchanged', async () => {
    const { c, probeOps } = await cluster();
    await sleep(300);
    const leader = leaderOf(c);
    const target = c.spec.replicas[leader]!;
    const before = await runBench({ replicas: c.spec.replicas, clients: 1, durationMs: 1000, timeoutMs: 250, recordHistory: true });
    await sleep(300);
    const s0 = c.latestStatus(leader)!;

    // Random bytes; truncated, bit-flipped and extended valid messages; valid replica messages from
    // a stranger. Whatever decodes as a client Request is left out: from a stranger that is a
    // legitimate client increment, not an attack.
    const valid = fc
      .sample(
        message.filter((m) => m.type !== 'Request'),
        2000,
      )
      .map((m) => {
        const e = encodeMessage(m);
        if (!e.ok) throw new Error(e.error.detail);
        return e.bytes;
      });
    const datagrams = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 120 }),
        fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([b, k]) => b.subarray(0, k % b.length)),
        fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.nat(7)).map(([b, k, bit]) => {
          const x = Buffer.from(b);
          x[k % x.length]! ^= 1 << bit;
          return x;
        }),
        fc.tuple(fc.constantFrom(...valid), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([b, t]) => Buffer.concat([b, t])),
        fc.constantFrom(...valid),
      ),
      { numRuns: 120_000, seed: 10 },
    );
    const fuzz = datagrams
      .filter((d) => {
        const r = decodeMessage(d);
        return !(r.ok && r.msg.type === 'Request');
      })
      .slice(0, 100_000);
    expect(fuzz.length).toBe(100_000);

    const stranger: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', () => resolve()));
    const [address, port] = target.split(':');
    const dropped = () => c.latestStatus(leader)!.droppedTotal - s0.droppedTotal;
    let sent = 0;
    const t0 = Date.now();
    while (sent < fuzz.length) {
      // Flow control on the replica's own count, so the kernel's buffer never overflows.
      if (sent - dropped() > 3000) {
        await sleep(20);
        if (Date.now() - t0 > 60_000) throw new Error(`fuzzing stalled at ${sent} sent, ${dropped()} dropped`);
        continue;
      }
      const chunk = fuzz.slice(sent, sent + 500);
      await Promise.all(chunk.map((d) => new Promise<void>((resolve) => stranger.send(d, Number(port), address, () => resolve()))));
      sent += chunk.length;
    }
    stranger.close();
    await c.waitForStatus(leader, (s) => s.droppedTotal - s0.droppedTotal >= 100_000, 20_000);
    await sleep(300);
    const s1 = c.latestStatus(leader)!;
    console.log(
      `fuzz: ${s1.droppedTotal - s0.droppedTotal} dropped in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(s1.dropped)}`,
    );
    expect(s1.droppedTotal - s0.droppedTotal).toBe(100_000);
    expect(s1.status.view).toEqual(s0.status.view);
    expect(s1.status.app).toBe(s0.status.app);
    expect(s1.status.opsComplete).toBe(s0.status.opsComplete);
    for (const i of [0, 1, 2]) expect(c.latestStatus(i)!.status.app).toBe(s0.status.app);

    // The service continues, and the counter goes on exactly where it was.
    const after = await runBench({ replicas: c.spec.replicas, clients: 1, durationMs: 1000, timeoutMs: 250, recordHistory: true });
    expect(after.completed).toBeGreaterThan(10);
    // Exactly one more than before the fuzzing, unless an attempt timed out first (and ran).
    const first = after.history.find((o) => o.value !== undefined)!;
    const timedOutBefore = after.history.filter((o) => o.value === undefined && o.start < first.start).length;
    expect(first.value!).toBeGreaterThanOrEqual(s0.status.app + 1);
    expect(first.value!).toBeLessThanOrEqual(s0.status.app + 1 + timedOutBefore);
    const stats = await settled(c, [0, 1, 2]);
    expectSafe([before, after], probeOps, stats[0]!.status.app);
  }, 90_000);

  it('loss, duplication and reordering between replicas: safe throughout, and progress once they stop', async () => {
    const faultsMs = 5000;
    const { c, probeOps } = await cluster(() => ['--faults', `loss=0.2,dup=0.2,reorder=0.3,reorder-ms=15,for-ms=${faultsMs}`]);
    const t0 = performance.now();
    const r = await runBench({ replicas: c.spec.replicas, clients: 8, durationMs: 10_000, recordHistory: true });
    const late = r.history.filter((o) => o.value !== undefined && o.start > t0 + faultsMs + 3000);
    const injected = [0, 1, 2].map((i) => c.latestStatus(i)!.dropped['injected-loss'] ?? 0);
    // A replica that lost every 2b of a slot never decides it: IronRSL re-sends no 2b, and such a
    // replica catches up only by the state transfer of a new view (StartingPhase2), which a stable
    // leader never starts (one replica's suspicion is not a quorum). Seen: one replica at 7
    // operations for 30 s while the others reached 458. So the leader is killed, as a leader
    // failure would: every live replica must then settle, the one left behind included.
    const leader = leaderOf(c);
    await c.kill(leader);
    const live = [0, 1, 2].filter((i) => i !== leader);
    const after = await runBench({ replicas: c.spec.replicas, clients: 4, durationMs: 8000, recordHistory: true });
    const stats = await settled(c, live, 30_000);
    console.log(
      `faults: ${r.completed} completed, ${r.timeouts} timeouts, ${late.length} after the faults stopped; injected losses ${injected.join(' ')}`,
    );
    expect(injected.every((n) => n > 0)).toBe(true);
    expect(late.length).toBeGreaterThan(100);
    expect(after.completed).toBeGreaterThan(100);
    expectSafe([r, after], probeOps, stats[0]!.status.app);
  }, 90_000);

  it('a replica restarted with empty state rejoins through state transfer', async () => {
    const { c, probeOps } = await cluster();
    await sleep(300);
    const leader = leaderOf(c);
    const lagging = (leader + 2) % 3;
    const runs: BenchResult[] = [];
    runs.push(await runBench({ replicas: c.spec.replicas, clients: 4, durationMs: 1000, recordHistory: true }));
    await c.kill(lagging);
    runs.push(await runBench({ replicas: c.spec.replicas, clients: 4, durationMs: 1000, recordHistory: true }));
    await c.restart(lagging);
    await c.waitForStatus(lagging, () => true, 10_000);
    // The restarted replica learns of the executed prefix when a leader enters phase 2: kill the
    // leader, so that the remaining two (one of them empty) must form the quorum of the next view.
    await c.kill(leader);
    runs.push(await runBench({ replicas: c.spec.replicas, clients: 4, durationMs: 8000, recordHistory: true }));
    const live = [0, 1, 2].filter((i) => i !== leader);
    const stats = await settled(c, live);
    const rejoined = c.latestStatus(lagging)!;
    console.log(
      `state transfer: replica ${lagging} restarted empty, now at op ${rejoined.status.opsComplete}, counter ${rejoined.status.app}; ` +
        `received ${JSON.stringify(rejoined.received)}`,
    );
    expect(rejoined.received['AppStateSupply'] ?? 0).toBeGreaterThan(0);
    expect(rejoined.status.app).toBe(stats[0]!.status.app);
    expect(runs[2]!.completed).toBeGreaterThan(100);
    expectSafe(runs, probeOps, stats[0]!.status.app);
  }, 60_000);
});
