/**
 * What a run returns: a value, never printed text (style-anchors §7.8). Counts follow TLC's
 * conventions so figures can be compared with TLC's:
 * - generated: initial states plus every successor produced, duplicates included;
 * - distinct: the number of distinct fingerprints seen;
 * - depth: the number of BFS levels reached, the initial states being level 1.
 */
import type { Fingerprint } from './fingerprint.js';

/** A behaviour: `states[0]` is initial and `actions[i]` leads from `states[i]` to `states[i + 1]`. */
export interface Trace<S, A> {
  readonly states: readonly S[];
  readonly actions: readonly A[];
  /** Fingerprint of each state (of its representative when symmetry was used to find it). */
  readonly fingerprints: readonly Fingerprint[];
}

/** Why a run stopped before it had explored everything. */
export type StopReason = 'maxStates' | 'maxDepth' | 'timeout' | 'aborted' | 'memory';

export type ViolationKind = 'invariant' | 'stepProperty' | 'deadlock' | 'witness';

export interface Violation<S, A> {
  readonly kind: ViolationKind;
  /** The property's name; `deadlock` for deadlocks. */
  readonly property: string;
  readonly explanation: string;
  /**
   * The violating state's BFS level (for a step property, the level of the step's target), the
   * initial states being level 1: the length of the trace in states when no successor is
   * composite (a composite one adds one level but several trace steps; a violation inside it is at
   * the level it leads to). 0 for a witness that was never reached.
   */
  readonly depth: number;
  /** Shortest trace to the violation (BFS); absent for an unreached witness. */
  readonly trace?: Trace<S, A>;
}

export type PropertyKind = 'invariant' | 'stepProperty' | 'witness';

/**
 * How a property fared. `holds` and `vacuous` describe only the explored states: an incomplete run
 * proves nothing beyond them. `vacuous` means it held but its premise never did.
 */
export type PropertyStatus = 'holds' | 'vacuous' | 'violated' | 'witnessed' | 'unwitnessed';

export interface PropertyReport {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly description?: string;
  readonly status: PropertyStatus;
  /** States, intermediate ones included (for a step property: transitions, sub-steps included), it was evaluated on. */
  readonly checked: number;
  /** Of those, how many had its premise hold (for a witness: how many satisfied it). */
  readonly premise: number;
  /** Of those, how many violated it (continue mode counts them all; otherwise at most 1). */
  readonly violations: number;
  /** BFS level (or walk depth) of the first state that satisfied a witness. */
  readonly firstDepth?: number;
}

export interface ActionStats {
  /** The model's `actionName`. */
  readonly name: string;
  /** States in which it produced at least one successor. */
  readonly enabled: number;
  /** Successors it produced (duplicates included). */
  readonly fired: number;
  /** Successors it produced that were new distinct states. */
  readonly distinct: number;
}

export interface Stats {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  /** Distinct states found (and checked) but not yet expanded (TLC's "states left on queue"). */
  readonly frontier: number;
  /** Distinct states on which the properties were evaluated: all of them, as each is checked when found. */
  readonly checked: number;
  /**
   * Distinct intermediate states of composite successors (`Successor.via`) on which the invariants
   * and witnesses were evaluated; not counted in `distinct`, never stored or expanded.
   */
  readonly intermediate: number;
  readonly initial: number;
  /**
   * Breadth-first search only (empty for a simulation): how many distinct states were first found
   * at each depth, from depth 1 (the initial states). Every level but the deepest is complete, so
   * the ratio of the last two complete levels tells an unfinished run how fast the model grows.
   */
  readonly levelSizes: readonly number[];
  readonly elapsedMs: number;
  readonly distinctPerSecond: number;
  readonly generatedPerSecond: number;
  readonly actions: readonly ActionStats[];
  /** States outside the model's bounds (checked but not expanded), by the name of the bound. */
  readonly cutByBound: { readonly [bound: string]: number };
  /**
   * Fingerprint-collision probability estimates (see `collisionProbability`): TLC's optimistic
   * distinct × (generated − distinct) / 2^64 and the birthday bound distinct² / 2^65.
   */
  readonly collisionProbability: { readonly tlcOptimistic: number; readonly birthday: number };
  /** Typed-array bytes of the seen set and parent pointers, and that divided by `distinct`. */
  readonly seenSetBytes: number;
  readonly bytesPerState: number;
  /**
   * Typed-array bytes of the set of intermediate states checked (composite steps), in breadth-first
   * runs and simulations; absent where a run keeps no such set.
   */
  readonly intermediateSetBytes?: number;
  readonly workers: number;
  readonly symmetry: boolean;
  /** With `census`: per dimension of the model's census, how many distinct values it took. */
  readonly census?: readonly { readonly name: string; readonly distinct: number }[];
}

interface ResultBase {
  readonly model: string;
  readonly mode: 'exhaustive' | 'simulation';
  readonly stats: Stats;
  readonly properties: readonly PropertyReport[];
  /** The simulation seed (simulation mode only); the same seed replays the same walks. */
  readonly seed?: number;
}

export type CheckResult<S, A> =
  | (ResultBase & { readonly kind: 'ok' })
  | (ResultBase & {
      readonly kind: 'violation';
      /** In discovery order; with continueAfterViolation, one (shortest) per violated property. */
      readonly violations: readonly Violation<S, A>[];
      /** Set when the run also hit a limit before finishing. */
      readonly stoppedBy?: StopReason;
    })
  | (ResultBase & { readonly kind: 'incomplete'; readonly reason: StopReason; readonly detail: string })
  | (ResultBase & {
      readonly kind: 'error';
      readonly message: string;
      readonly stack?: string;
      /** Where the model failed, e.g. `successors`, `invariant agreement`, `decode`. */
      readonly phase: string;
      /** A trace to the state on which the model failed, when it could be rebuilt. */
      readonly trace?: Trace<S, A>;
    });

/** A periodic progress report (stateright's `Checking. states=…` line, TLC's progress line). */
export interface Progress {
  readonly elapsedMs: number;
  readonly distinct: number;
  readonly generated: number;
  /** States found and checked but not yet expanded. */
  readonly queue: number;
  readonly depth: number;
  /** Rates over the interval since the previous report. */
  readonly distinctPerSecond: number;
  readonly generatedPerSecond: number;
  readonly heapUsedBytes: number;
  /** Bytes outside the JS heap held by typed arrays (seen set, frontier, batches). */
  readonly arrayBufferBytes: number;
  /** Simulation only: walks finished so far. */
  readonly walks?: number;
}
