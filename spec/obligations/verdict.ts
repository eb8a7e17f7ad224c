/**
 * Verdicts and obligation shapes: what every obligation of rsl-protocol.md §12 returns, and the
 * two constructors every obligation uses.
 */
import type { Constants } from '../configuration.js';
import type { ReplicaState } from '../replica.js';
import type { RslSystem } from '../system.js';

/**
 * The result of one obligation on one state or step (structurally the checker's `Verdict`).
 * `premise`: the obligation's hypothesis held somewhere in this state (it was not vacuous).
 */
export type ObligationVerdict =
  { readonly holds: true; readonly premise: boolean } | { readonly holds: false; readonly premise: true; readonly explanation: string };

/**
 * A part of a global state an obligation may read: the packet set, one component of every
 * replica (acceptors, proposers, learners, executors), or the ghost history of executed batches.
 */
export type StatePart = 'sentPackets' | 'acceptors' | 'proposers' | 'learners' | 'executors' | 'executedBatches';

/** A named predicate on one global state. */
export interface StateObligation {
  readonly name: string;
  readonly description: string;
  /**
   * Everything `check` reads of the state: its verdict is a function of these parts alone (tested
   * in test/spec/obligationParts.test.ts), so a checker may compute it once per distinct parts.
   */
  readonly reads: readonly StatePart[];
  /**
   * How it reads the replicas' parts: by default it is a conjunction over replicas of a condition
   * on one replica's parts (and the packet set), with a premise that holds when it holds for some
   * replica; `pairwise` obligations are such conjunctions over pairs of replicas instead. The
   * per-replica exploration (cli/rslDecomposition.ts) relies on it.
   */
  readonly pairwise?: boolean;
  check(c: Constants, s: RslSystem): ObligationVerdict;
}

/**
 * The values of `parts` in `s`, in a fixed order (per replica for a component): two states with
 * the same values there (by identity, or equal) get the same verdict from an obligation that
 * reads only those parts.
 */
export function statePartValues(s: RslSystem, parts: readonly StatePart[]): object[] {
  const out: object[] = [];
  const replicas = s.replicas;
  for (const part of parts) {
    if (part === 'sentPackets') out.push(s.sentPackets);
    else if (part === 'executedBatches') out.push(s.executedBatches);
    // By index: a List's iterator allocates, and this runs for every state and every memo.
    else for (let i = 0; i < replicas.size; i++) out.push(replicaPart(replicas.get(i)!.replica, part));
  }
  return out;
}

function replicaPart(r: ReplicaState, part: 'acceptors' | 'proposers' | 'learners' | 'executors'): object {
  switch (part) {
    case 'acceptors':
      return r.acceptor;
    case 'proposers':
      return r.proposer;
    case 'learners':
      return r.learner;
    case 'executors':
      return r.executor;
  }
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
