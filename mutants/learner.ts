/** Seeded bugs in the learner (rsl-protocol.md §8 and MaybeMakeDecision, §10.3). */
import {
  balLt,
  isReplica,
  learnerProcess2b,
  type Configuration,
  type LearnerState,
  type Message2b,
  type Packet,
  type ReplicaConstants,
} from '../spec/index.js';
import { mutant } from './mutant.js';

/** LMinQuorumSize (§3) off by one: `floor(n/2)` instead of `floor(n/2) + 1`. */
function minQuorumSizeOfHalf(c: Configuration): number {
  return Math.floor(c.replicaIds.size / 2);
}

/** The table's `minQuorumSize` entry is read only by MaybeMakeDecision, so this breaks the learner alone. */
export const learnerDecidesOnHalf = mutant(
  'learner-decides-on-half',
  'learner',
  'MaybeMakeDecision decides a slot once floor(n/2) 2bs are tallied instead of a quorum of floor(n/2)+1',
  'minQuorumSize',
  minQuorumSizeOfHalf,
);

/**
 * LLearnerProcess2b (§8) that, on a 2b of a newer ballot, raises max_ballot_seen but keeps every
 * tally of the older ballots: the 2b is then tallied as one of the current ballot, so its sender
 * joins the older ballot's senders for the slot (whose value stays the older one).
 */
function learnerProcess2bKeepingOlderTallies(c: ReplicaConstants, s: LearnerState, p: Packet<Message2b>): LearnerState {
  if (!isReplica(p.src, c.all.config) || !balLt(s.maxBallotSeen, p.msg.bal2b)) return learnerProcess2b(c, s, p);
  return learnerProcess2b(c, s.set('maxBallotSeen', p.msg.bal2b), p);
}

export const learnerCountsAcrossBallots = mutant(
  'learner-counts-across-ballots',
  'learner',
  'Process2b keeps the tallies of older ballots when a 2b of a newer ballot arrives, so a slot is decided on a quorum of 2bs from mixed ballots',
  'learnerProcess2b',
  learnerProcess2bKeepingOlderTallies,
);

export const learnerMutants = [learnerDecidesOnHalf, learnerCountsAcrossBallots] as const;
