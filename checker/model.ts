/**
 * The contract between a model and the checker. The checker knows nothing else about a model.
 *
 * A model is a finitely branching transition system: initial states, and for each state the list
 * of its successors, each labelled with the action that produced it (a successor may also be a
 * composite of several sub-steps: see `Successor.via`). Properties are evaluated on every distinct
 * reachable state (invariants), on every explored transition (step properties), and witnesses
 * ("sometimes") must each hold in at least one reachable state.
 */

/** A JSON value; actions and trace metadata must be expressible as JSON. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * The result of evaluating a property on one state (or one step).
 * `premise` says whether the property's hypothesis held there: a property whose premise never held
 * on any explored state is reported as vacuous, not as proved.
 */
export type Verdict =
  { readonly holds: true; readonly premise: boolean } | { readonly holds: false; readonly premise: true; readonly explanation: string };

export const HOLDS_VACUOUSLY: Verdict = Object.freeze({ holds: true, premise: false });
export const HOLDS: Verdict = Object.freeze({ holds: true, premise: true });
export function violated(explanation: string): Verdict {
  return { holds: false, premise: true, explanation };
}

/** A state invariant: must hold in every reachable state. */
export interface Invariant<S> {
  readonly name: string;
  readonly description?: string;
  check(state: S): Verdict;
  /**
   * Optional, for compositional exploration (checker/compositional.ts): when the invariant is a
   * conjunction over the components of the model's decomposition, the conjunct of component `i`
   * alone (its premise: that conjunct's). The exploration then evaluates only the conjunct of the
   * component whose local part is new.
   */
  componentCheck?(state: S, i: number): Verdict;
}

/** A transition property: must hold on every explored step `from --action--> to`. */
export interface StepProperty<S, A> {
  readonly name: string;
  readonly description?: string;
  check(from: S, action: A, to: S): Verdict;
}

/** A reachability witness ("sometimes"): some reachable state must satisfy it. */
export interface Witness<S> {
  readonly name: string;
  readonly description?: string;
  holds(state: S): boolean;
}

/**
 * One successor of a state. A composite successor (several sub-steps taken as one transition, e.g.
 * a round) lists in `via` the intermediate steps, in order, from the source state to the last one
 * before `state`; `action` is the last sub-step's. The checker evaluates every invariant and
 * witness on each intermediate state and every step property on each sub-step (source → via[0] →
 * … → state), but stores and expands only `state`; traces list the sub-steps one by one.
 */
export interface Successor<S, A> {
  readonly action: A;
  readonly state: S;
  readonly via?: readonly { readonly action: A; readonly state: S }[];
}

/** Canonical, lossless serialisation of states. Equal states must encode to equal bytes. */
export interface StateCodec<S> {
  encode(state: S): Uint8Array;
  decode(bytes: Uint8Array): S;
  /**
   * Optional fast path: the same bytes as `encode`, but possibly a view of a buffer that the next
   * call overwrites. The checker copies them at once, saving an allocation per state.
   */
  encodeTransient?(state: S): Uint8Array;
  /**
   * Optional: the state's 64-bit fingerprint into `out` = [high, low], when the codec can compute
   * it more cheaply than by hashing `encode(state)` (e.g. from memoised hashes of its parts). It
   * must be a function of the state's value alone (equal states, equal fingerprints, in every
   * thread) and spread distinct states over 2^64 values. The default hashes `encode(state)`.
   */
  fingerprint?(state: S, out: Uint32Array): void;
}

export interface Model<S, A> {
  readonly name: string;
  initStates(): readonly S[];
  /** Every successor of `state`, in a deterministic order (the same on every call and process). */
  successors(state: S): readonly Successor<S, A>[];
  /** Groups actions for coverage reports (e.g. the action's kind without its arguments). */
  actionName(action: A): string;
  /** One line for humans. */
  formatAction(action: A): string;
  /** JSON form of an action, stored in trace files; two actions are the same iff their JSON is equal. */
  actionToJson(action: A): Json;
  readonly invariants: readonly Invariant<S>[];
  readonly stepProperties?: readonly StepProperty<S, A>[];
  readonly witnesses?: readonly Witness<S>[];
  /**
   * State constraint (TLC's CONSTRAINT): undefined if the state is within the bounds, else the
   * name of the bound it exceeds. Such a state is counted and checked but not expanded.
   */
  outsideBounds?(state: S): string | undefined;
  /** Symmetry: a canonical member of the state's orbit. Deduplication uses it; the original is kept. */
  representative?(state: S): S;
  readonly codec: StateCodec<S>;
  /** The model's configuration (optional), recorded in the metadata of trace files. */
  readonly configuration?: Json;
  /**
   * Optional, for `census` runs: the state's components, by name (e.g. one replica's acceptor, the
   * packet set): the checker counts how many distinct values each takes over the distinct states
   * it finds, by fingerprinting each value with the codec (which must accept them).
   */
  readonly census?: {
    readonly dimensions: readonly string[];
    values(state: S): readonly unknown[];
  };
  /** The state as an ITF value map (variable name -> value) for trace files. */
  toItf(state: S): { readonly [variable: string]: Json };
}

/**
 * How a worker thread builds the same model: a compiled ES module exporting a function that
 * takes `options` and returns the model. Models used with workers > 0 must provide one.
 */
export interface ModelFactory {
  /** Absolute path or file: URL of a compiled .js module. */
  readonly module: string;
  /** Name of the exported factory function; defaults to `createModel`. */
  readonly exportName?: string;
  readonly options: Json;
}
