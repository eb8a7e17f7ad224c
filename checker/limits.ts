/**
 * Time, abort and memory limits and the periodic progress report, shared by `check` and
 * `simulate`. Checked between units of work (batches, walks), never inside the model.
 */
import { getHeapStatistics } from 'node:v8';
import type { LimitOptions } from './options.js';
import type { Progress, StopReason } from './result.js';

/** How often the (not free) memory figures are read. */
const MEMORY_CHECK_MS = 100;
/** How long the in-thread loop may run before letting the event loop deliver signals and timers. */
const YIELD_MS = 25;

export interface ProgressFacts {
  readonly distinct: number;
  readonly generated: number;
  readonly queue: number;
  readonly depth: number;
  readonly walks?: number;
}

export class Limits {
  private readonly start = performance.now();
  private nextMemoryCheck = 0;
  private lastYield = performance.now();
  private readonly progressEvery: number;
  private nextProgress: number;
  private last = { at: 0, distinct: 0, generated: 0 };
  private memoryDetail = '';

  constructor(private readonly options: LimitOptions) {
    this.progressEvery = Math.max(1, options.progressIntervalMs ?? 10_000);
    this.nextProgress = this.progressEvery;
  }

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /** The reason to stop now, if any; also emits a progress report when one is due. */
  check(facts: ProgressFacts): StopReason | undefined {
    const elapsed = this.elapsedMs();
    if (this.options.onProgress !== undefined && elapsed >= this.nextProgress) {
      this.nextProgress = elapsed + this.progressEvery;
      this.report(elapsed, facts);
    }
    if (this.options.signal?.aborted === true) return 'aborted';
    if (this.options.timeoutMs !== undefined && elapsed >= this.options.timeoutMs) return 'timeout';
    if (elapsed >= this.nextMemoryCheck) {
      this.nextMemoryCheck = elapsed + MEMORY_CHECK_MS;
      if (this.memoryExhausted()) return 'memory';
    }
    return undefined;
  }

  /** Lets the event loop run (signals, timers) if the caller has kept it busy for a while. */
  async yieldIfDue(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = performance.now();
  }

  describe(reason: StopReason): string {
    switch (reason) {
      case 'maxStates':
        return 'reached the maximum number of distinct states';
      case 'maxDepth':
        return 'states at the depth limit were checked but not expanded';
      case 'timeout':
        return `stopped after the time limit of ${(this.options.timeoutMs ?? 0) / 1000} s`;
      case 'aborted':
        return 'interrupted';
      case 'memory':
        return `stopped before running out of memory (${this.memoryDetail})`;
    }
  }

  private memoryExhausted(): boolean {
    const heap = getHeapStatistics();
    const fraction = this.options.heapLimitFraction ?? 0.9;
    if (heap.used_heap_size > fraction * heap.heap_size_limit) {
      this.memoryDetail = `heap ${mib(heap.used_heap_size)} of ${mib(heap.heap_size_limit)} limit`;
      return true;
    }
    const max = this.options.maxMemoryBytes;
    if (max !== undefined) {
      const used = heap.used_heap_size + process.memoryUsage().arrayBuffers;
      if (used > max) {
        this.memoryDetail = `heap and typed arrays ${mib(used)} over the ${mib(max)} limit`;
        return true;
      }
    }
    return false;
  }

  private report(elapsed: number, facts: ProgressFacts): void {
    const seconds = Math.max(elapsed - this.last.at, 1) / 1000;
    const progress: Progress = {
      elapsedMs: elapsed,
      distinct: facts.distinct,
      generated: facts.generated,
      queue: facts.queue,
      depth: facts.depth,
      distinctPerSecond: (facts.distinct - this.last.distinct) / seconds,
      generatedPerSecond: (facts.generated - this.last.generated) / seconds,
      heapUsedBytes: getHeapStatistics().used_heap_size,
      arrayBufferBytes: process.memoryUsage().arrayBuffers,
      ...(facts.walks === undefined ? {} : { walks: facts.walks }),
    };
    this.last = { at: elapsed, distinct: facts.distinct, generated: facts.generated };
    this.options.onProgress!(progress);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
