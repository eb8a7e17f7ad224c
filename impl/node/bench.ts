/**
 * Closed-loop benchmark clients with the lab client's behaviour (rsl-protocol.md §14.3): each
 * client has one socket and exactly one outstanding increment; it sends to replica 0 first; after
 * 1 s without a matching reply it rotates to the next replica and moves on to the next sequence
 * number (it does not retransmit); it accepts only an 18-byte Reply with the outstanding seqno
 * and ignores everything else (the other replicas' copies, stale replies).
 *
 * All clients run in this one process, one socket each, on one event loop: a client costs a
 * socket and a closure, not a thread.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { bindAddress } from './cluster.js';
import { decodeClientReply, encodeClientRequest } from './wire.js';

export interface BenchOptions {
  readonly replicas: readonly string[];
  readonly clients: number;
  readonly durationMs: number;
  readonly timeoutMs?: number;
  /** First sequence number of every client (default: derived from the wall clock, so a rerun never reuses one). */
  readonly initialSeqno?: number;
  /** Called about once a second while running. */
  readonly onProgress?: (p: BenchProgress) => void;
  /** Keep every operation (for the history checks of the tests). */
  readonly recordHistory?: boolean;
}

export interface BenchProgress {
  readonly elapsedMs: number;
  readonly completed: number;
  readonly lastSecond: number;
  readonly timeouts: number;
}

/** One client operation: invoked at `start`; acknowledged with `value` at `end`, or timed out. */
export interface Operation {
  readonly client: number;
  readonly seqno: number;
  readonly start: number;
  readonly end: number;
  /** The counter value the reply carried; undefined = no reply within the timeout. */
  readonly value: number | undefined;
}

export interface BenchResult {
  readonly clients: number;
  readonly durationMs: number;
  readonly completed: number;
  readonly timeouts: number;
  /** Replies ignored: another replica's copy of an answered request, or a stale seqno. */
  readonly ignoredReplies: number;
  readonly ratePerSec: number;
  /** The C# client's figure: completed / (duration - 8 s). */
  readonly csharpRate: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  /** Distinct counter values acknowledged (each an increment the cluster executed). */
  readonly ackedValues: number;
  readonly maxAckedValue: number;
  readonly history: readonly Operation[];
  /** Per outage: from the moment the first client timed out to the next acknowledged reply (ms). */
  readonly outagesMs: readonly number[];
}

interface Client {
  readonly id: number;
  readonly socket: Socket;
  seqno: number;
  target: number;
  sentAt: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function bindClient(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    s.once('error', reject);
    s.bind(0, bindAddress, () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const timeoutMs = o.timeoutMs ?? 1000;
  const dests = o.replicas.map((r) => {
    const i = r.lastIndexOf(':');
    return { address: r.slice(0, i), port: Number(r.slice(i + 1)) };
  });
  const initial = o.initialSeqno ?? Date.now() * 1000;
  const sockets = await Promise.all(Array.from({ length: o.clients }, () => bindClient()));
  let latencies = new Float64Array(1 << 16);
  let completed = 0;
  let timeouts = 0;
  let ignored = 0;
  const acked = new Set<number>();
  let maxAcked = -1;
  const history: Operation[] = [];
  const outages: number[] = [];
  let outageStart: number | undefined;
  let running = true;

  const clients: Client[] = sockets.map((socket, id) => ({ id, socket, seqno: initial, target: 0, sentAt: 0 }));
  const send = (c: Client): void => {
    const d = dests[c.target]!;
    c.sentAt = performance.now();
    c.socket.send(encodeClientRequest(c.seqno), d.port, d.address);
  };
  for (const c of clients) {
    c.socket.on('message', (buf) => {
      const r = decodeClientReply(buf);
      if (r === undefined || r[0] !== c.seqno || !running) {
        ignored++;
        return;
      }
      const now = performance.now();
      if (completed === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[completed++] = now - c.sentAt;
      acked.add(r[1]);
      if (r[1] > maxAcked) maxAcked = r[1];
      if (o.recordHistory === true) history.push({ client: c.id, seqno: c.seqno, start: c.sentAt, end: now, value: r[1] });
      if (outageStart !== undefined) {
        outages.push(now - outageStart);
        outageStart = undefined;
      }
      c.seqno++;
      send(c);
    });
  }

  const t0 = performance.now();
  let lastCompleted = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const c of clients) {
      if (now - c.sentAt < timeoutMs) continue;
      timeouts++;
      outageStart ??= c.sentAt + timeoutMs;
      // A timed-out increment may still be executed at any later time: its interval never closes.
      if (o.recordHistory === true) history.push({ client: c.id, seqno: c.seqno, start: c.sentAt, end: Infinity, value: undefined });
      c.target = (c.target + 1) % dests.length;
      c.seqno++;
      send(c);
    }
  }, 50);
  const progress = setInterval(() => {
    o.onProgress?.({ elapsedMs: performance.now() - t0, completed, lastSecond: completed - lastCompleted, timeouts });
    lastCompleted = completed;
  }, 1000);
  for (const c of clients) send(c);
  await new Promise((resolve) => setTimeout(resolve, o.durationMs));
  running = false;
  const elapsed = performance.now() - t0;
  clearInterval(ticker);
  clearInterval(progress);
  // Operations still outstanding at the end may or may not have been executed: record them as unacknowledged.
  if (o.recordHistory === true) {
    for (const c of clients) history.push({ client: c.id, seqno: c.seqno, start: c.sentAt, end: Infinity, value: undefined });
  }
  await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.socket.close(() => resolve()))));

  const sorted = latencies.slice(0, completed).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  const seconds = elapsed / 1000;
  return {
    clients: o.clients,
    durationMs: elapsed,
    completed,
    timeouts,
    ignoredReplies: ignored,
    ratePerSec: completed / seconds,
    csharpRate: seconds >= 9 ? completed / (seconds - 8) : Number.NaN,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: completed === 0 ? 0 : sorted[completed - 1]!,
      mean: completed === 0 ? 0 : sum / completed,
    },
    ackedValues: acked.size,
    maxAckedValue: maxAcked,
    history,
    outagesMs: outages,
  };
}

/** The bench's summary, in lines. */
export function formatBench(r: BenchResult): string[] {
  const l = r.latencyMs;
  return [
    `clients ${r.clients}, ${(r.durationMs / 1000).toFixed(1)} s: ${r.completed} completed, ${r.timeouts} timeouts, ${r.ignoredReplies} duplicate/stale replies ignored`,
    `throughput ${r.ratePerSec.toFixed(0)} req/s (C# formula completed/(duration-8): ${Number.isNaN(r.csharpRate) ? 'n/a' : r.csharpRate.toFixed(0)} req/s)`,
    `latency ms p50 ${l.p50.toFixed(3)} p90 ${l.p90.toFixed(3)} p99 ${l.p99.toFixed(3)} max ${l.max.toFixed(3)} mean ${l.mean.toFixed(3)}`,
    `acknowledged increments ${r.ackedValues} (distinct counter values; highest ${r.maxAckedValue})`,
  ];
}
