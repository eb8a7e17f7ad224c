/**
 * `rsl cluster --replicas 3`: a local cluster on loopback (impl/node/localCluster.ts). Starts the
 * replicas as child processes on free ports, waits until a leader serves requests, prints the
 * cluster file's path, and stops the replicas when it is stopped (SIGINT/SIGTERM).
 *
 * Exit codes: 0 stopped by a signal; 1 bad flag; 2 no leader served a request in time.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rslReplicaCommand, startLocalCluster, waitForService } from '../../impl/node/localCluster.js';
import type { EngineName } from '../../impl/node/engine.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../output.js';

export interface ClusterFlags {
  readonly replicas: number;
  readonly engine: EngineName;
  readonly dir?: string;
  readonly maxBatchDelay?: number;
  readonly maxBatchSize?: number;
  /** Seconds to wait for a leader. */
  readonly startTimeout: number;
}

/** Exit code when no leader answered within --start-timeout. */
export const noLeader = 2;

export async function runCluster(flags: ClusterFlags, out: Output): Promise<number> {
  if (flags.replicas < 1 || flags.replicas > 9) {
    out.stderr(`rsl cluster: --replicas must be in 1..9, got ${flags.replicas}\n`);
    return ExitCode.usage;
  }
  const params = {
    ...(flags.maxBatchDelay === undefined ? {} : { maxBatchDelay: flags.maxBatchDelay }),
    ...(flags.maxBatchSize === undefined ? {} : { maxBatchSize: flags.maxBatchSize }),
  };
  const dir = flags.dir ?? join(tmpdir(), `rsl-cluster-${process.pid}`);
  const cluster = await startLocalCluster({
    replicas: flags.replicas,
    mode: flags.engine,
    dir,
    replicaCommand: rslReplicaCommand(),
    params,
    statusIntervalMs: 5000,
    onLine: (i, line) => {
      if (!line.startsWith('{')) out.stderr(`[replica ${i}] ${line}\n`);
    },
  });
  // Listeners stay until exit: through `npx` a Ctrl-C arrives twice, and the replicas must still be stopped.
  const stopped = new Promise<string>((resolve) => {
    process.on('SIGINT', () => resolve('SIGINT'));
    process.on('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    const probe = await Promise.race([waitForService(cluster.spec.replicas, flags.startTimeout * 1000), stopped]);
    if (typeof probe === 'string') {
      await cluster.stop();
      return ExitCode.ok;
    }
    out.stderr(
      `a leader answered after ${(probe.elapsedMs / 1000).toFixed(1)} s; ${flags.replicas} replicas on ${cluster.spec.replicas.join(' ')}\n`,
    );
    out.stdout(`${cluster.file}\n`);
  } catch (e) {
    out.stderr(`rsl cluster: ${(e as Error).message}\n`);
    await cluster.stop();
    return noLeader;
  }
  const why = await stopped;
  out.stderr(`stopping the replicas (${why})\n`);
  await cluster.stop();
  return ExitCode.ok;
}
