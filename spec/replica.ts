/** The replica and its round-robin scheduler (rsl-protocol.md §10). Every function is pure. */
import { Record, type RecordOf } from 'immutable';
import { acceptorInit, type AcceptorState } from './acceptor.js';
import type { ReplicaConstants } from './configuration.js';
import { executorInit, type ExecutorState } from './executor.js';
import { learnerInit, type LearnerState } from './learner.js';
import { proposerInit, type ProposerState } from './proposer.js';

export interface ReplicaStateProps {
  readonly nextHeartbeatTime: number;
  readonly proposer: ProposerState;
  readonly acceptor: AcceptorState;
  readonly learner: LearnerState;
  readonly executor: ExecutorState;
}
export type ReplicaState = RecordOf<ReplicaStateProps>;
export const ReplicaStateRecord = Record<ReplicaStateProps>(
  {
    nextHeartbeatTime: 0,
    proposer: undefined as unknown as ProposerState,
    acceptor: undefined as unknown as AcceptorState,
    learner: undefined as unknown as LearnerState,
    executor: undefined as unknown as ExecutorState,
  },
  'ReplicaState',
);

/** LReplicaInit. */
export function replicaInit(c: ReplicaConstants): ReplicaState {
  return ReplicaStateRecord({
    nextHeartbeatTime: 0,
    proposer: proposerInit(c),
    acceptor: acceptorInit(c),
    learner: learnerInit(c),
    executor: executorInit(c),
  });
}

export interface SchedulerStateProps {
  readonly replica: ReplicaState;
  readonly nextActionIndex: number;
}
export type SchedulerState = RecordOf<SchedulerStateProps>;
export const SchedulerStateRecord = Record<SchedulerStateProps>(
  { replica: undefined as unknown as ReplicaState, nextActionIndex: 0 },
  'SchedulerState',
);

/** LSchedulerInit. */
export function schedulerInit(c: ReplicaConstants): SchedulerState {
  return SchedulerStateRecord({ replica: replicaInit(c), nextActionIndex: 0 });
}

/** LReplicaNumActions. */
export const replicaNumActions = 10;

// ACTIONS-BELOW
