/** The acceptor (rsl-protocol.md §5). Every function is pure. */
import { List, Map, Record, type RecordOf } from 'immutable';
import type { ReplicaConstants } from './configuration.js';
import { ballot, type Ballot, type OperationNumber, type Votes } from './types.js';

export interface AcceptorStateProps {
  readonly maxBal: Ballot;
  readonly votes: Votes;
  readonly lastCheckpointedOperation: List<OperationNumber>;
  readonly logTruncationPoint: OperationNumber;
}
export type AcceptorState = RecordOf<AcceptorStateProps>;
export const AcceptorStateRecord = Record<AcceptorStateProps>(
  { maxBal: ballot(0, 0), votes: Map(), lastCheckpointedOperation: List(), logTruncationPoint: 0 },
  'AcceptorState',
);

/** LAcceptorInit: no promise, no votes, one zero checkpoint per replica. */
export function acceptorInit(c: ReplicaConstants): AcceptorState {
  return AcceptorStateRecord({
    maxBal: ballot(0, 0),
    votes: Map(),
    lastCheckpointedOperation: List(Array.from({ length: c.all.config.replicaIds.size }, () => 0)),
    logTruncationPoint: 0,
  });
}

// ACTIONS-BELOW (acceptorProcess1a, acceptorProcess2a, acceptorProcessHeartbeat, acceptorTruncateLog, helpers)
