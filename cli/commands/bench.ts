/**
 * `rsl bench --cluster FILE --clients 32 --duration 30`: closed-loop clients with the lab client's
 * behaviour (impl/node/bench.ts). A progress line per second on stderr; the figures on stdout.
 *
 * Exit codes: 0 the run completed (whatever its figures); 1 bad flag or cluster file.
 */
import { formatBench, runBench } from '../../impl/node/bench.js';
import { parseClusterFile, readClusterFile } from '../../impl/node/cluster.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../output.js';

export interface BenchFlags {
  readonly cluster: string;
  readonly clients: number;
  /** Seconds. */
  readonly duration: number;
  /** Per-request timeout, ms. */
  readonly timeout: number;
  readonly json?: boolean;
}

export async function runBenchCommand(flags: BenchFlags, out: Output): Promise<number> {
  let replicas: readonly string[];
  try {
    replicas = parseClusterFile(readClusterFile(flags.cluster), flags.cluster).replicas;
  } catch (e) {
    out.stderr(`rsl bench: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  if (flags.clients < 1 || flags.duration < 1 || flags.timeout < 1) {
    out.stderr('rsl bench: --clients, --duration and --timeout must be at least 1\n');
    return ExitCode.usage;
  }
  const r = await runBench({
    replicas,
    clients: flags.clients,
    durationMs: flags.duration * 1000,
    timeoutMs: flags.timeout,
    onProgress: (p) =>
      out.stderr(`${(p.elapsedMs / 1000).toFixed(0)} s: ${p.lastSecond} req/s, ${p.completed} completed, ${p.timeouts} timeouts\n`),
  });
  if (flags.json === true) {
    const { history: _history, ...figures } = r;
    out.stdout(`${JSON.stringify(figures)}\n`);
  } else out.stdout(`${formatBench(r).join('\n')}\n`);
  return ExitCode.ok;
}
