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
 * Two mutants that need a view change are not shipped, because no configuration the test budget
 * can exhaust catches them (test/helpers/mutantRuns.ts lists where each shipped one is hunted):
 * a learner that keeps its tallies of older ballots on a newer one, and NominateOld picking the
 * lowest-ballot vote. With one replica every quorum is that replica, so every vote for a slot has
 * the value first voted and both behave exactly like the correct spec; the learner bug needs two
 * replicas and the proposer bug three (with two, every 1b quorum is every replica, so the votes for
 * a slot still agree), and those models with two views and a clock were not exhausted in 90 s.
 * The election oracle (`"election": "oracle"`, requests up front) does not bring them within the
 * test budget either. The learner bug is caught on 2 replicas, 2 views, 1 slot, one client with one
 * request, maxLogLength 1, by lemma_GetSent2bMessageFromLearnerState with a 21-state trace, but only
 * after 29,042 states (8 s on two cores shared with another check), and the correct spec needs
 * 80,696 states (31 s) to exhaust that model. The proposer bug needs three views and two values (the
 * shortest scenario found by hand takes 27 steps); with 3 replicas, 3 views and two clients the
 * exhaustive search is at depth 9 after 30 s, and host-by-host search finds nothing in 40 s
 * (105,000 states, depth 21).
 */
import { acceptorMutants } from './acceptor.js';
import { executorMutants } from './executor.js';
import { learnerMutants } from './learner.js';
import type { Mutant } from './mutant.js';
import { proposerMutants } from './proposer.js';

export { mutant, type Mutant, type MutantRole } from './mutant.js';

/** Every mutant, by role. */
export const mutants: readonly Mutant[] = Object.freeze([
  ...acceptorMutants,
  ...proposerMutants,
  ...learnerMutants,
  ...executorMutants,
]);

/** The mutant called `name`, if any. */
export function findMutant(name: string): Mutant | undefined {
  return mutants.find((m) => m.name === name);
}
