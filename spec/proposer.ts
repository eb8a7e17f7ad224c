/** The proposer, i.e. the leader role (rsl-protocol.md §7). Every function is pure. */
import { List, Map, Record, Set, type RecordOf } from 'immutable';
import type { ReplicaConstants } from './configuration.js';
import { electionStateInit, type ElectionState } from './election.js';
import type { Message1b, Packet } from './message.js';
import { ballot, type Ballot, type EndPoint, type OperationNumber, type Request } from './types.js';

export interface IncompleteBatchTimerOnProps {
  readonly type: 'On';
  readonly when: number;
}
export interface IncompleteBatchTimerOffProps {
  readonly type: 'Off';
}
export type IncompleteBatchTimer = RecordOf<IncompleteBatchTimerOnProps> | RecordOf<IncompleteBatchTimerOffProps>;
export const TimerOnRecord = Record<IncompleteBatchTimerOnProps>({ type: 'On', when: 0 }, 'IncompleteBatchTimerOn');
export const TimerOffRecord = Record<IncompleteBatchTimerOffProps>({ type: 'Off' }, 'IncompleteBatchTimerOff');
export function incompleteBatchTimerOn(when: number): IncompleteBatchTimer {
  return TimerOnRecord({ when });
}
export function incompleteBatchTimerOff(): IncompleteBatchTimer {
  return TimerOffRecord();
}

/** 0 = not leader, 1 = leader in phase 1, 2 = leader in phase 2. */
export type ProposerPhase = 0 | 1 | 2;

export interface ProposerStateProps {
  readonly currentState: ProposerPhase;
  readonly requestQueue: List<Request>;
  readonly maxBallotISent1a: Ballot;
  readonly nextOperationNumberToPropose: OperationNumber;
  /** Whole 1b packets received for `maxBallotISent1a`. */
  readonly received1bPackets: Set<Packet<Message1b>>;
  readonly highestSeqnoRequestedByClientThisView: Map<EndPoint, number>;
  readonly incompleteBatchTimer: IncompleteBatchTimer;
  readonly electionState: ElectionState;
}
export type ProposerState = RecordOf<ProposerStateProps>;
export const ProposerStateRecord = Record<ProposerStateProps>(
  {
    currentState: 0,
    requestQueue: List(),
    maxBallotISent1a: ballot(0, 0),
    nextOperationNumberToPropose: 0,
    received1bPackets: Set(),
    highestSeqnoRequestedByClientThisView: Map(),
    incompleteBatchTimer: TimerOffRecord(),
    electionState: undefined as unknown as ElectionState,
  },
  'ProposerState',
);

/** LProposerInit. */
export function proposerInit(c: ReplicaConstants): ProposerState {
  return ProposerStateRecord({
    currentState: 0,
    requestQueue: List(),
    maxBallotISent1a: ballot(0, c.myIndex),
    nextOperationNumberToPropose: 0,
    received1bPackets: Set(),
    highestSeqnoRequestedByClientThisView: Map(),
    incompleteBatchTimer: incompleteBatchTimerOff(),
    electionState: electionStateInit(c),
  });
}

// ACTIONS-BELOW
