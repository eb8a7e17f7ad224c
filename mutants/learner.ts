/** Seeded bugs in the learner (rsl-protocol.md §8 and MaybeMakeDecision, §10.3). */
import type { Configuration } from '../spec/index.js';
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

export const learnerMutants = [learnerDecidesOnHalf] as const;
