/**
 * Verdicts and obligation shapes: what every obligation of rsl-protocol.md §12 returns, and the
 * two constructors every obligation uses.
 */
import type { Constants } from '../configuration.js';
import type { RslSystem } from '../system.js';

/**
 * The result of one obligation on one state or step (structurally the checker's `Verdict`).
 * `premise`: the obligation's hypothesis held somewhere in this state (it was not vacuous).
 */
export type ObligationVerdict =
  | { readonly holds: true; readonly premise: boolean }
  | { readonly holds: false; readonly premise: true; readonly explanation: string };

/** A named predicate on one global state. */
export interface StateObligation {
  readonly name: string;
  readonly description: string;
  check(c: Constants, s: RslSystem): ObligationVerdict;
}

/** A named predicate on one step `from -> to`. */
export interface StepObligation {
  readonly name: string;
  readonly description: string;
  check(c: Constants, from: RslSystem, to: RslSystem): ObligationVerdict;
}


export const HOLDS: ObligationVerdict = Object.freeze({ holds: true, premise: true });
export const VACUOUS: ObligationVerdict = Object.freeze({ holds: true, premise: false });

/** Holds; `premise` says whether the hypothesis was exercised. */
export function holds(premise: boolean): ObligationVerdict {
  return premise ? HOLDS : VACUOUS;
}

/** Violated, with the one-paragraph explanation the CLI prints. */
export function violation(explanation: string): ObligationVerdict {
  return { holds: false, premise: true, explanation };
}
