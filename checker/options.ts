/** Options of `check` and `simulate`, passed explicitly (no globals; style-anchors §2 "Avoid"). */
import type { ModelFactory } from './model.js';
import type { Progress } from './result.js';

export interface LimitOptions {
  /** Stop (result `incomplete`) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Aborting it stops the run (result `incomplete`, reason `aborted`); the CLI wires Ctrl-C to it. */
  readonly signal?: AbortSignal;
  /**
   * Stop (reason `memory`) when the V8 heap in use passes this fraction of its limit
   * (`v8.getHeapStatistics().heap_size_limit`). Default 0.9.
   */
  readonly heapLimitFraction?: number;
  /** Stop (reason `memory`) when heap plus typed-array memory passes this many bytes. */
  readonly maxMemoryBytes?: number;
  /** Called every `progressIntervalMs` (default 10 s) while the run lasts. */
  readonly onProgress?: (progress: Progress) => void;
  readonly progressIntervalMs?: number;
}

export interface CheckOptions extends LimitOptions {
  /**
   * Worker threads that expand states. 0 (the default) expands in the calling thread. Any value
   * gives the same counts, verdicts and traces.
   */
  readonly workers?: number;
  /** How workers build the model; required when `workers > 0`. */
  readonly factory?: ModelFactory;
  /** Deduplicate on `model.representative(state)` (the model must define it). Default false. */
  readonly symmetry?: boolean;
  /** Stop (reason `maxStates`) once this many distinct states have been found. */
  readonly maxStates?: number;
  /** Check states down to this BFS level (initial states are level 1) but expand none beyond it. */
  readonly maxDepth?: number;
  /** Keep going after a violation, keeping one shortest trace per violated property. */
  readonly continueAfterViolation?: boolean;
  /** Report a state that has no successors and is within bounds as a deadlock. Default false. */
  readonly checkDeadlock?: boolean;
  /** States per batch handed to a worker (default 1024). Results do not depend on it. */
  readonly batchSize?: number;
  /**
   * Count the distinct values of each of the model's census dimensions over the distinct states
   * found (`stats.census`; the model must define `census`). Default false.
   */
  readonly census?: boolean;
  /** Path of the compiled worker entry (default: `worker.js` next to the compiled checker). */
  readonly workerScript?: string;
}

export interface SimulateOptions extends LimitOptions {
  /** PRNG seed (an unsigned 32-bit integer); a random one is drawn and returned when absent. */
  readonly seed?: number;
  /** Number of random walks (default 1000). */
  readonly walks?: number;
  /** Longest walk, in states (default 100). */
  readonly maxDepth?: number;
  readonly continueAfterViolation?: boolean;
  readonly checkDeadlock?: boolean;
  /** Count distinct states up to symmetry (only affects `distinct`). */
  readonly symmetry?: boolean;
}
