/**
 * The replica shell in-process: three shells on loopback, real sockets, real clients. Short runs
 * only (the long fault runs with child processes are in faults.test.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../impl/node/bench.js';
import { formatClusterFile, parseClusterFile, replicaConstantsOf } from '../../../impl/node/cluster.js';
import { makeEngine, type EngineName } from '../../../impl/node/engine.js';
import { checkCounterHistory } from '../../../impl/node/history.js';
import { freeUdpPorts, waitForService } from '../../../impl/node/localCluster.js';
import { ReplicaShell } from '../../../impl/node/shell.js';
import { encodeClientRequest, encodeMessage } from '../../../impl/node/wire.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startCluster(engine: EngineName): Promise<ReplicaShell[]> {
  const ports = await freeUdpPorts(3);
  const spec = parseClusterFile(formatClusterFile(ports.map((p) => `127.0.0.1:${p}`)), 'test');
  const shells = spec.replicas.map((_, i) => {
    const constants = replicaConstantsOf(spec, i);
    return new ReplicaShell({ constants, engine: makeEngine(engine, constants) });
  });
  await Promise.all(shells.map((s) => s.start()));
  return shells;
}

function send(socket: Socket, bytes: Uint8Array, to: string): Promise<void> {
  const [address, port] = to.split(':');
  return new Promise((resolve) => socket.send(bytes, Number(port), address, () => resolve()));
}

describe.each(['impl', 'spec'] as const)('replica shell, engine %s', (engine) => {
  let shells: ReplicaShell[];
  let replicas: string[];
  let probeAttempts = 0;

  beforeAll(async () => {
    shells = await startCluster(engine);
    replicas = shells.map((s) => s.stats().replica);
    probeAttempts = (await waitForService(replicas, 20_000)).attempts;
  });
  afterAll(async () => {
    await Promise.all(shells.map((s) => s.stop()));
  });

  it('serves closed-loop clients; the history is linearizable and every replica ends at the same counter', async () => {
    const r = await runBench({ replicas, clients: 4, durationMs: 1500, timeoutMs: 250, recordHistory: true });
    expect(r.completed).toBeGreaterThan(50);
    await sleep(300);
    const finals = shells.map((s) => s.stats().status.app);
    expect(new Set(finals).size).toBe(1);
    // The probe's increments ran before the bench: operations with unknown outcome, started first.
    const probe = Array.from({ length: probeAttempts }, () => ({ start: -Infinity, end: Infinity, value: undefined }));
    expect(checkCounterHistory([...probe, ...r.history], finals[0]!)).toEqual({ ok: true });
    expect(r.ackedValues).toBe(r.completed);
  });

  it('drops and counts malformed datagrams and replica messages from strangers, changing nothing', async () => {
    const leader = shells.findIndex((s) => s.stats().status.leader);
    expect(leader).toBeGreaterThanOrEqual(0);
    const target = shells[leader]!;
    const before = target.stats();
    const stranger = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', () => resolve()));
    const twoA = encodeMessage({ type: '2a', bal2a: { seqno: 99, proposerId: 0 }, opn2a: 0, val2a: [] });
    const heartbeat = encodeMessage({ type: 'Heartbeat', balHeartbeat: { seqno: 99, proposerId: 1 }, suspicious: true, opnCkpt: 5 });
    if (!twoA.ok || !heartbeat.ok) throw new Error('encoding failed');
    const datagrams: [Uint8Array, string][] = [
      [Uint8Array.of(), 'empty'],
      [Uint8Array.of(42, 1, 2), 'unknown-tag'],
      [Uint8Array.of(0), 'invalid-message'],
      [encodeClientRequest(1).subarray(0, 7), 'truncated'],
      [Buffer.concat([encodeClientRequest(1), Uint8Array.of(0)]), 'trailing-bytes'],
      [twoA.bytes, 'stranger'],
      [heartbeat.bytes, 'stranger'],
      [Uint8Array.of(7, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0), 'reply-to-replica'],
    ];
    for (const [bytes] of datagrams) await send(stranger, bytes, replicas[leader]!);
    stranger.close();
    await sleep(200);
    const after = target.stats();
    const expected: Record<string, number> = {};
    for (const [, kind] of datagrams) expected[kind] = (expected[kind] ?? 0) + 1;
    for (const [kind, n] of Object.entries(expected)) expect((after.dropped[kind] ?? 0) - (before.dropped[kind] ?? 0)).toBe(n);
    expect(after.droppedTotal - before.droppedTotal).toBe(datagrams.length);
    expect(after.status.view).toEqual(before.status.view);
    expect(after.status.app).toBe(before.status.app);
  });

  it('sleeps when idle: an idle replica runs a few dozen rounds a second, not a spinning loop', async () => {
    await sleep(200);
    const r0 = shells.map((s) => s.stats().rounds);
    await sleep(1000);
    const perSecond = shells.map((s, i) => s.stats().rounds - r0[i]!);
    // Heartbeats every 30 ms wake each replica ~33 times a second (and deliver 2 heartbeats each).
    for (const n of perSecond) {
      expect(n).toBeGreaterThan(3);
      expect(n).toBeLessThan(1000);
    }
  });
});
