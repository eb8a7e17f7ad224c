/**
 * The vocabulary of compositional exploration (checker/compositional.ts): how a model splits its
 * states, and what the closure records about each part, for the rebuilding of runs
 * (checker/compositionalTrace.ts).
 */
import type { Fingerprint } from './fingerprint.js';
import type { Successor } from './model.js';

/** How a model splits its states for compositional exploration (see the module comment). */
export interface Decomposition<S, A, L> {
  readonly components: number;
  /** The shared part of a state, as a value the model's codec fingerprints. */
  sharedPart(state: S): unknown;
  /** Component i's local part of a state, as a value the model's codec fingerprints. */
  localPart(state: S, i: number): L;
  /** `state` with component i's local part replaced by `local`. */
  withLocal(state: S, i: number, local: L): S;
  /** The successors of `state` in which component i moves (-1: the environment). */
  successorsOf(state: S, i: number): readonly Successor<S, A>[];
  /** Whether component i's local part (with the shared part) puts the state outside the bounds. */
  outsideBounds(state: S, i: number): string | undefined;
  /** How many components an invariant or a witness reads jointly, by name. */
  arity(property: string): 0 | 1 | 2;
  /**
   * Optional: what of a local part the properties of arity 2 read (a value the codec
   * fingerprints). Two local parts with the same projection pair alike with every other, so only
   * one of them is paired. Absent: the whole local part.
   */
  pairProjection?(local: L, i: number): unknown;
}

/** Where a local part came from, for rebuilding a run that reaches it. */
export type Origin<S, A> =
  | { readonly kind: 'init' }
  | { readonly kind: 'carry'; readonly from: Entry<S, A> }
  | {
      readonly kind: 'step';
      readonly from: Entry<S, A>;
      /**
       * The step's sub-steps' actions (its `via` and its own), which identify it among the
       * successors of a state; kept instead of the successor, whose states would stay alive.
       */
      readonly actions: readonly A[];
      /** How many of those sub-steps lead to this local part (all of them, or fewer inside a round). */
      readonly subSteps: number;
    };

export interface Entry<S, A> {
  readonly key: Fingerprint;
  readonly local: unknown;
  readonly origin: Origin<S, A>;
  /**
   * Set when it is its part's representative for the pairwise properties (an entry belongs to one
   * part; a via part shares its source's, with their marks).
   */
  representative: boolean;
}

export interface Part<S, A> {
  readonly key: string;
  /** Its number, in order of creation. */
  readonly id: number;
  /** The shared part's fingerprint. */
  readonly shared: Fingerprint;
  /** A member of the product at this part: its local parts are members of `locals`. */
  readonly template: S;
  /** Via and cut parts hold states that are checked but never expanded. */
  readonly kind: 'boundary' | 'via' | 'cut';
  /** Via and cut parts: the component whose step led here. */
  readonly mover: number;
  /** A via part whose source has the same shared part: only combinations with the mover's local parts are new. */
  readonly sameShared: boolean;
  /** Via and cut parts: the keys of every local part of the mover here (`locals` holds only some of their entries). */
  readonly moverKeys: Set<Fingerprint>;
  /** Per component, its local parts here; a via part shares its source's maps for the other components. */
  readonly locals: Map<Fingerprint, Entry<S, A>>[];
  /** Per component, the local parts with distinct projections for the pairwise properties. */
  readonly reps: Entry<S, A>[][];
  readonly repKeys: Set<Fingerprint>[];
  /** Parts a step from here leads to, with the component that moved (-1: the environment). */
  readonly links: { readonly to: Part<S, A>; readonly mover: number }[];
  /** The links made, as `to.id * (components + 1) + mover + 1`. */
  readonly linked: Set<number>;
  /** The via parts of steps from here, which share this part's local parts. */
  readonly derived: Part<S, A>[];
}

/** Where a property's verdict was first seen: the part and, per component, the local part used. */
export interface Locator<S, A> {
  readonly part: Part<S, A>;
  readonly entries: readonly Entry<S, A>[];
  /** For a step property: the step taken from that state, and how many of its sub-steps. */
  readonly step?: { readonly actions: readonly A[]; readonly subSteps: number; readonly mover: number };
}
