/** The learner (rsl-protocol.md §8). Every function is pure. */
import { Map, Record, type RecordOf } from 'immutable';
import type { ReplicaConstants } from './configuration.js';
import { ballot, type Ballot, type LearnerTuples } from './types.js';

export interface LearnerStateProps {
  readonly maxBallotSeen: Ballot;
  readonly unexecutedLearnerState: LearnerTuples;
}
export type LearnerState = RecordOf<LearnerStateProps>;
export const LearnerStateRecord = Record<LearnerStateProps>(
  { maxBallotSeen: ballot(0, 0), unexecutedLearnerState: Map() },
  'LearnerState',
);

/** LLearnerInit. */
export function learnerInit(_c: ReplicaConstants): LearnerState {
  return LearnerStateRecord();
}

// ACTIONS-BELOW
