/**
 * Seeded bugs: deliberately broken variants of single spec actions, used to show that the
 * obligations catch real mistakes. A mutant is the correct action table with ONE entry replaced;
 * the correct spec is never touched. test/mutants.test.ts pins which obligation catches each one
 * first, and how long the shortest counterexample is; traces/ holds those counterexamples.
 *
 * There is no election mutant. The election state (rsl-protocol.md §6) is read by the proposer in
 * three places only: MaybeEnterNewViewAndSend1a leads the current view only when it is the replica's
 * own (`proposer_id == my_index`) and newer than its last 1a, so every ballot is led at most once,
 * by its owner, whatever view the election hands it; CanNominate only compares the view with that
 * ballot, which can only block proposals; and the election's request lists only seed the new
 * leader's queue, and any batch of requests is a valid proposal for a free slot. Paxos is safe for
 * every such sequence of ballots, so a bug confined to the election can cost liveness but cannot
 * falsify any safety obligation of §12 (a view handed to the wrong proposer is refused by that
 * check; removing the check is the proposer mutant `proposer-leads-any-view`).
 *
 * Two bugs need a view change with more than one replica (with one replica every quorum is that
 * replica, so every vote for a slot has the value first voted). `learner-counts-across-ballots`
 * (a learner that keeps its tallies of older ballots on a newer one) needs two replicas; it is
 * caught exhaustively on configs/mutants-oracle-r2.json, the election oracle with requests up
 * front, where a view change is one step (the correct spec's run of that model, 80,696 states,
 * takes about 30 s of the test budget). `proposer-nominates-lowest-vote` (NominateOld re-proposing a
 * vote of the lowest ballot) needs three replicas, three views and two values: two values voted at
 * two ballots, then a third ballot's leader that hears both, 18 rounds. The exhaustive search of
 * those bounds in rounds is at depth 11 after five minutes, so it is caught by a directed search on
 * configs/mutants-directed-r3.json (test/helpers/mutantRuns.ts: breadth-first along a schedule of
 * which replica moves and what it receives), in about a second.
 */
import { acceptorMutants } from './acceptor.js';
import { executorMutants } from './executor.js';
import { learnerMutants } from './learner.js';
import type { Mutant } from './mutant.js';
import { proposerMutants } from './proposer.js';

export { mutant, type Mutant, type MutantRole } from './mutant.js';
export { findImplMutant, implMutants, type ImplMutant } from './impl.js';

/** Every mutant, by role. */
export const mutants: readonly Mutant[] = Object.freeze([...acceptorMutants, ...proposerMutants, ...learnerMutants, ...executorMutants]);

/** The mutant called `name`, if any. */
export function findMutant(name: string): Mutant | undefined {
  return mutants.find((m) => m.name === name);
}
