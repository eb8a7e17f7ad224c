/** Leader election and view change (rsl-protocol.md §6). Every function is pure. */
import { List, Record, Set, type RecordOf } from 'immutable';
import type { ReplicaConstants } from './configuration.js';
import { ballot, type Ballot, type Request } from './types.js';

export interface ElectionStateProps {
  readonly currentView: Ballot;
  /** Replica indices that suspect `currentView`. */
  readonly currentViewSuspectors: Set<number>;
  readonly epochEndTime: number;
  readonly epochLength: number;
  readonly requestsReceivedThisEpoch: List<Request>;
  readonly requestsReceivedPrevEpochs: List<Request>;
}
export type ElectionState = RecordOf<ElectionStateProps>;
export const ElectionStateRecord = Record<ElectionStateProps>(
  {
    currentView: ballot(1, 0),
    currentViewSuspectors: Set(),
    epochEndTime: 0,
    epochLength: 0,
    requestsReceivedThisEpoch: List(),
    requestsReceivedPrevEpochs: List(),
  },
  'ElectionState',
);

/** ElectionStateInit: view (1,0), so replica 0 is the first leader. */
export function electionStateInit(c: ReplicaConstants): ElectionState {
  return ElectionStateRecord({
    currentView: ballot(1, 0),
    currentViewSuspectors: Set(),
    epochEndTime: 0,
    epochLength: c.all.params.baselineViewTimeoutPeriod,
    requestsReceivedThisEpoch: List(),
    requestsReceivedPrevEpochs: List(),
  });
}

// ACTIONS-BELOW
