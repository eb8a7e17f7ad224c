/**
 * Running batch expansion on a workerpool of threads (style-anchors §7.7). The main thread keeps
 * the seen set and merges results in batch order; this module only ships batches out and results
 * back, transferring the underlying buffers instead of copying them.
 */
import workerpool from 'workerpool';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModelFactory } from './model.js';
import type { Batch, BatchResult, ExpandSettings } from './expand.js';

/** Expands batches somewhere; results come back in any order but are merged in batch order. */
export interface Expander {
  run(batch: Batch): Promise<BatchResult>;
  /** Lets idle workers expand a copy of `batch` as practice (its result is dropped). */
  practise?(batch: Batch): void;
  close(): Promise<void>;
}

/**
 * The compiled worker entry. Next to this module when running from dist/; when running from the
 * TypeScript sources (tests), the build output in dist/checker/ (`npm run build` first).
 */
export function defaultWorkerScript(): string {
  const beside = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../dist/checker/worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`cannot find the compiled worker (looked for ${beside} and ${built}); run npm run build`);
}

/** A pool of `workers` threads running `script` (see worker.ts). */
export function poolExpander(script: string, workers: number, factory: ModelFactory, settings: ExpandSettings): Expander {
  const pool = workerpool.pool(script, { maxWorkers: workers, minWorkers: workers, workerType: 'thread' });
  // One warm-up task per idle worker: each loads the model while the first levels are expanded here.
  for (let i = 0; i < workers; i++) pool.exec('warm', [factory, settings]).catch(() => undefined);
  let practising = 0;
  return {
    run: async (batch) =>
      (await pool.exec('expand', [factory, settings, batch], {
        transfer: [batch.bytes.buffer, batch.offsets.buffer],
      })) as BatchResult,
    practise: (batch) => {
      const stats = pool.stats();
      if (practising >= workers || stats.activeTasks + stats.pendingTasks >= workers) return;
      practising++;
      // A copy: the batch itself is expanded in the main thread.
      const copy = { bytes: batch.bytes.slice(), offsets: batch.offsets.slice() };
      pool
        .exec('warm', [factory, settings, copy])
        .catch(() => undefined)
        .then(() => practising--);
    },
    close: async () => {
      // Forced: after an early stop, batches still being expanded are of no use.
      await pool.terminate(true);
    },
  };
}
