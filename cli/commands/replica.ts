/**
 * `rsl replica --cluster FILE --index I [--engine impl|spec]`: one replica of a cluster as a
 * long-running process (impl/node/shell.ts). Prints a status line every few seconds and a final
 * summary on SIGINT/SIGTERM (JSON lines with --json-status). `--bare-pattern` runs the message
 * pattern without protocol logic instead (the benchmark's ceiling, impl/node/bare.ts).
 *
 * Exit codes: 0 stopped by a signal; 1 bad flag or cluster file, or the port is taken.
 */
import { BarePatternNode } from '../../impl/node/bare.js';
import { ClusterError, parseClusterFile, readClusterFile, replicaConstantsOf } from '../../impl/node/cluster.js';
import { makeEngine, type EngineName } from '../../impl/node/engine.js';
import { formatStatus, ReplicaShell, requestedSocketBuffer, type FaultInjection } from '../../impl/node/shell.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../output.js';

export interface ReplicaFlags {
  readonly cluster: string;
  readonly index: number;
  readonly engine: EngineName;
  readonly jsonStatus?: boolean;
  readonly statusIntervalMs: number;
  readonly barePattern?: boolean;
  readonly exitWithStdin?: boolean;
  readonly faults?: string;
}

/** Parses `loss=0.2,dup=0.1,reorder=0.2,reorder-ms=20,for-ms=10000` (absent keys: 0; for-ms: forever). */
export function parseFaults(text: string): FaultInjection {
  const f: Record<string, number> = { loss: 0, dup: 0, reorder: 0, 'reorder-ms': 20, 'for-ms': Infinity };
  for (const part of text.split(',')) {
    const [key, value] = part.split('=');
    const n = Number(value);
    if (key === undefined || !(key in f) || value === undefined || value === '' || !Number.isFinite(n) || n < 0) {
      throw new ClusterError(`--faults: "${part}" is not one of loss=P, dup=P, reorder=P, reorder-ms=MS, for-ms=MS`);
    }
    if (['loss', 'dup', 'reorder'].includes(key) && n > 1) throw new ClusterError(`--faults: ${key} is a probability, got ${n}`);
    f[key] = n;
  }
  return { loss: f['loss']!, dup: f['dup']!, reorder: f['reorder']!, reorderMs: f['reorder-ms']!, forMs: f['for-ms']! };
}

/**
 * Resolves when the process is asked to stop: SIGINT, SIGTERM, or (if asked) the end of stdin.
 * The listeners stay (`on`, not `once`): through `npx` a Ctrl-C arrives twice, and the second must
 * not end the process before the final summary is printed.
 */
function stopRequested(exitWithStdin: boolean): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => () => resolve(why);
    process.on('SIGINT', done('SIGINT'));
    process.on('SIGTERM', done('SIGTERM'));
    if (exitWithStdin) {
      process.stdin.once('end', done('stdin closed'));
      process.stdin.once('close', done('stdin closed'));
      process.stdin.resume();
    }
  });
}

export async function runReplica(flags: ReplicaFlags, out: Output): Promise<number> {
  let node: ReplicaShell | BarePatternNode;
  try {
    const spec = parseClusterFile(readClusterFile(flags.cluster), flags.cluster);
    const constants = replicaConstantsOf(spec, flags.index);
    const faults = flags.faults === undefined ? undefined : parseFaults(flags.faults);
    node =
      flags.barePattern === true
        ? new BarePatternNode(constants)
        : new ReplicaShell({ constants, engine: makeEngine(flags.engine, constants), faults });
    await node.start();
  } catch (e) {
    out.stderr(`rsl replica: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const json = flags.jsonStatus === true;
  const print = (final: boolean): void => {
    const stats = node.stats();
    if (json) out.stdout(`${JSON.stringify({ final, stats })}\n`);
    else if ('status' in stats) out.stdout(`${final ? 'final: ' : ''}${formatStatus(stats)}\n`);
    else
      out.stdout(
        `${final ? 'final: ' : ''}${stats.replica} [bare] requests ${stats.requests} batches ${stats.batches} replies ${stats.replies}\n`,
      );
  };
  const s0 = node.stats();
  const mode = flags.barePattern === true ? 'bare message pattern' : `engine ${flags.engine}`;
  const started = `replica ${flags.index} on ${s0.replica}, ${mode}, receive buffer ${s0.recvBufferBytes} bytes granted (${requestedSocketBuffer} requested)`;
  out.stdout(json ? `${JSON.stringify({ started })}\n` : `${started}\n`);
  const timer = setInterval(() => print(false), flags.statusIntervalMs);
  const why = await stopRequested(flags.exitWithStdin === true);
  clearInterval(timer);
  await node.stop();
  if (!json) out.stdout(`stopping (${why})\n`);
  print(true);
  return ExitCode.ok;
}
