/**
 * A local cluster on loopback: n replica child processes on free ports, a cluster file describing
 * them, a probe that waits until a leader serves requests, and a stop that always ends the
 * children (SIGTERM, then SIGKILL after a grace period). The children also exit when this process
 * goes away, because each watches its stdin pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CParameters } from '../types.js';
import { bindAddress, formatClusterFile, parseClusterFile, type ClusterSpec } from './cluster.js';
import type { ShellStats } from './shell.js';
import { decodeClientReply, encodeClientRequest } from './wire.js';

export type ReplicaMode = 'impl' | 'spec' | 'bare';

export interface LocalClusterOptions {
  readonly replicas: number;
  readonly mode: ReplicaMode;
  /** Folder for the cluster file. */
  readonly dir: string;
  /** How to start one replica: the argv before `--cluster FILE --index I ...`. */
  readonly replicaCommand: readonly string[];
  readonly params?: Partial<Omit<CParameters, 'maxIntegerVal'>>;
  /** Extra flags for replica i (e.g. fault injection). */
  readonly extraArgs?: (index: number) => readonly string[];
  /** Status line period of the replicas, in ms (they print JSON status lines). */
  readonly statusIntervalMs?: number;
  /** Every line a replica prints (stdout and stderr). */
  readonly onLine?: (index: number, line: string) => void;
}

export interface LocalCluster {
  readonly file: string;
  readonly spec: ClusterSpec;
  /** The latest JSON status each replica printed (undefined before its first). */
  latestStatus(index: number): ShellStats | undefined;
  /** Waits for the next status line of replica `index` that satisfies `pred`. */
  waitForStatus(index: number, pred: (s: ShellStats) => boolean, timeoutMs: number): Promise<ShellStats>;
  /** The replicas' process ids (undefined for one that is not running). */
  pids(): (number | undefined)[];
  /** Kills one replica (SIGKILL: no goodbye) and waits for it to exit. */
  kill(index: number): Promise<void>;
  /** Starts replica `index` again, with empty state. */
  restart(index: number): Promise<void>;
  /** Stops every replica: SIGTERM, SIGKILL after `graceMs`. Returns their final summaries. */
  stop(graceMs?: number): Promise<(ShellStats | undefined)[]>;
}

/** Free UDP ports on loopback: bound to port 0, read, released. */
export async function freeUdpPorts(n: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createSocket>>((resolve, reject) => {
          const s = createSocket('udp4');
          s.once('error', reject);
          s.bind(0, bindAddress, () => resolve(s));
        }),
    ),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

interface Child {
  proc: ChildProcess;
  exited: Promise<void>;
  latest: ShellStats | undefined;
  final: ShellStats | undefined;
  waiters: { pred: (s: ShellStats) => boolean; resolve: (s: ShellStats) => void }[];
}

export async function startLocalCluster(o: LocalClusterOptions): Promise<LocalCluster> {
  mkdirSync(o.dir, { recursive: true });
  const ports = await freeUdpPorts(o.replicas);
  const file = join(o.dir, 'cluster.json');
  writeFileSync(
    file,
    formatClusterFile(
      ports.map((p) => `${bindAddress}:${p}`),
      o.params,
    ),
  );
  const spec = parseClusterFile(
    formatClusterFile(
      ports.map((p) => `${bindAddress}:${p}`),
      o.params,
    ),
    file,
  );
  const children: Child[] = [];

  const launch = (index: number): Child => {
    const mode = o.mode === 'bare' ? ['--bare-pattern'] : ['--engine', o.mode];
    const args = [
      ...o.replicaCommand.slice(1),
      '--cluster',
      file,
      '--index',
      String(index),
      ...mode,
      '--json-status',
      '--status-interval-ms',
      String(o.statusIntervalMs ?? 1000),
      '--exit-with-stdin',
      ...(o.extraArgs?.(index) ?? []),
    ];
    const proc = spawn(o.replicaCommand[0]!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const child: Child = {
      proc,
      exited: new Promise((resolve) => proc.once('exit', () => resolve())),
      latest: undefined,
      final: undefined,
      waiters: [],
    };
    const onText = (stream: NodeJS.ReadableStream): void => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          o.onLine?.(index, line);
          if (!line.startsWith('{')) continue;
          let parsed: { final?: boolean; stats?: ShellStats };
          try {
            parsed = JSON.parse(line) as { final?: boolean; stats?: ShellStats };
          } catch {
            continue;
          }
          // Only a protocol replica's status (the bare pattern's has no `status`: nothing to wait for).
          if (parsed.stats === undefined || !('status' in parsed.stats)) continue;
          child.latest = parsed.stats;
          if (parsed.final === true) child.final = parsed.stats;
          child.waiters = child.waiters.filter((w) => {
            if (!w.pred(parsed.stats!)) return true;
            w.resolve(parsed.stats!);
            return false;
          });
        }
      });
    };
    onText(proc.stdout!);
    onText(proc.stderr!);
    return child;
  };

  for (let i = 0; i < o.replicas; i++) children.push(launch(i));

  const stopOne = async (c: Child, graceMs: number): Promise<void> => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
    c.proc.kill('SIGTERM');
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), graceMs);
    await c.exited;
    clearTimeout(timer);
  };

  return {
    file,
    spec,
    latestStatus: (i) => children[i]!.latest,
    pids: () => children.map((c) => (c.proc.exitCode === null && c.proc.signalCode === null ? c.proc.pid : undefined)),
    waitForStatus: (i, pred, timeoutMs) =>
      new Promise((resolve, reject) => {
        const c = children[i]!;
        const timer = setTimeout(() => reject(new Error(`replica ${i}: no matching status within ${timeoutMs} ms`)), timeoutMs);
        c.waiters.push({
          pred,
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      }),
    kill: async (i) => {
      const c = children[i]!;
      c.proc.kill('SIGKILL');
      await c.exited;
    },
    restart: async (i) => {
      await stopOne(children[i]!, 1000);
      children[i] = launch(i);
    },
    stop: async (graceMs = 3000) => {
      await Promise.all(children.map((c) => stopOne(c, graceMs)));
      return children.map((c) => c.final);
    },
  };
}

export interface ServiceProbe {
  readonly elapsedMs: number;
  /** Increments sent by the probe (each may have been executed). */
  readonly attempts: number;
}

/**
 * Waits until the cluster answers a client request: one increment at a time, a fresh seqno each
 * attempt, rotating over the replicas every `retryMs`. Rejects after `timeoutMs`.
 */
export async function waitForService(replicas: readonly string[], timeoutMs: number, retryMs = 250): Promise<ServiceProbe> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, bindAddress, () => resolve()));
  const t0 = performance.now();
  let seqno = Date.now() * 1000;
  let attempts = 0;
  try {
    return await new Promise<ServiceProbe>((resolve, reject) => {
      const attempt = (): void => {
        if (performance.now() - t0 > timeoutMs) {
          clearInterval(timer);
          reject(new Error(`no replica answered a request within ${timeoutMs} ms`));
          return;
        }
        seqno++;
        const [address, port] = replicas[attempts % replicas.length]!.split(':');
        attempts++;
        socket.send(encodeClientRequest(seqno), Number(port), address);
      };
      const timer = setInterval(attempt, retryMs);
      socket.on('message', (buf) => {
        const r = decodeClientReply(buf);
        if (r === undefined || r[0] !== seqno) return;
        clearInterval(timer);
        resolve({ elapsedMs: performance.now() - t0, attempts });
      });
      attempt();
    });
  } finally {
    socket.close();
  }
}

/** `node <repo>/bin/rsl.js replica`: found by walking up from this module to the package root. */
export function rslReplicaCommand(): readonly string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bin = join(dir, 'bin', 'rsl.js');
    if (existsSync(join(dir, 'package.json')) && existsSync(bin)) return [process.execPath, bin, 'replica'];
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find bin/rsl.js above impl/node/');
    dir = up;
  }
}
