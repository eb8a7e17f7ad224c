/** The executor and its reply cache (rsl-protocol.md §9). Every function is pure. */
import { Map, Record, type RecordOf } from 'immutable';
import { appInitialize } from './app.js';
import type { ReplicaConstants } from './configuration.js';
import { ballot, type AppState, type Ballot, type OperationNumber, type ReplyCache, type RequestBatch } from './types.js';
import { List } from 'immutable';

export interface OutstandingOpKnownProps {
  readonly type: 'Known';
  readonly v: RequestBatch;
  readonly bal: Ballot;
}
export interface OutstandingOpUnknownProps {
  readonly type: 'Unknown';
}
export type OutstandingOperation = RecordOf<OutstandingOpKnownProps> | RecordOf<OutstandingOpUnknownProps>;
export const KnownRecord = Record<OutstandingOpKnownProps>({ type: 'Known', v: List(), bal: ballot(0, 0) }, 'OutstandingOpKnown');
export const UnknownRecord = Record<OutstandingOpUnknownProps>({ type: 'Unknown' }, 'OutstandingOpUnknown');
export function outstandingOpKnown(v: RequestBatch, bal: Ballot): OutstandingOperation {
  return KnownRecord({ v, bal });
}
export function outstandingOpUnknown(): OutstandingOperation {
  return UnknownRecord();
}

export interface ExecutorStateProps {
  readonly app: AppState;
  readonly opsComplete: OperationNumber;
  readonly maxBalReflected: Ballot;
  readonly nextOpToExecute: OutstandingOperation;
  readonly replyCache: ReplyCache;
}
export type ExecutorState = RecordOf<ExecutorStateProps>;
export const ExecutorStateRecord = Record<ExecutorStateProps>(
  { app: 0, opsComplete: 0, maxBalReflected: ballot(0, 0), nextOpToExecute: UnknownRecord(), replyCache: Map() },
  'ExecutorState',
);

/** LExecutorInit. */
export function executorInit(_c: ReplicaConstants): ExecutorState {
  return ExecutorStateRecord({
    app: appInitialize(),
    opsComplete: 0,
    maxBalReflected: ballot(0, 0),
    nextOpToExecute: outstandingOpUnknown(),
    replyCache: Map(),
  });
}

// ACTIONS-BELOW
