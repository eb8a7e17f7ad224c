/**
 * The concrete replica (rsl-protocol.md §10): the packet dispatch of slot 0 with every gate, the
 * spontaneous and clock-reading actions, one function per scheduler slot, and the abstraction.
 * Components are updated in place; each action returns the packets it sends, in order.
 */
import type { ReplicaState } from '../spec/index.js';
import { ReplicaStateRecord } from '../spec/index.js';
import {
  abstractAcceptor,
  cAcceptorInit,
  concreteAcceptor,
  type cAcceptorProcess1a,
  type cAcceptorProcess2a,
  type cAcceptorProcessHeartbeat,
  type cAcceptorTruncateLog,
  type CAcceptor,
} from './acceptor.js';
import { cIsReplica, cMinQuorumSize, cReplicaConstantsValid, cUpperBoundedAddition } from './configuration.js';
import {
  abstractExecutor,
  cExecutorInit,
  concreteExecutor,
  type cExecutorExecute,
  type cExecutorGetDecision,
  type cExecutorProcessAppStateRequest,
  type cExecutorProcessAppStateSupply,
  type cExecutorProcessRequest,
  type cExecutorProcessStartingPhase2,
  type CExecutor,
} from './executor.js';
import {
  abstractLearner,
  cLearnerInit,
  concreteLearner,
  type cLearnerForgetDecision,
  type cLearnerForgetOperationsBefore,
  type cLearnerProcess2b,
  type CLearner,
} from './learner.js';
import { cBalEq, cBalLeq, cBroadcastToEveryone } from './message.js';
import { abstractProposer, concreteProposer, cProposerInit, type CProposer, type ProposerTable } from './proposer.js';
import type { CMessageOf, CPacket, CReplicaConstants } from './types.js';

export interface CReplica {
  nextHeartbeatTime: number;
  readonly proposer: CProposer;
  readonly acceptor: CAcceptor;
  readonly learner: CLearner;
  readonly executor: CExecutor;
}

/**
 * Every implementation function, as the replica's table argument `T` carries them: the
 * proposer's and election's (ProposerTable), the other components', and the replica's own.
 * impl/actions.ts builds the default table and the instrumented ones.
 */
export interface ReplicaTable extends ProposerTable {
  readonly cAcceptorTruncateLog: typeof cAcceptorTruncateLog;
  readonly cAcceptorProcessHeartbeat: typeof cAcceptorProcessHeartbeat;
  readonly cAcceptorProcess1a: typeof cAcceptorProcess1a;
  readonly cAcceptorProcess2a: typeof cAcceptorProcess2a;
  readonly cLearnerProcess2b: typeof cLearnerProcess2b;
  readonly cLearnerForgetDecision: typeof cLearnerForgetDecision;
  readonly cLearnerForgetOperationsBefore: typeof cLearnerForgetOperationsBefore;
  readonly cExecutorGetDecision: typeof cExecutorGetDecision;
  readonly cExecutorExecute: typeof cExecutorExecute;
  readonly cExecutorProcessAppStateSupply: typeof cExecutorProcessAppStateSupply;
  readonly cExecutorProcessAppStateRequest: typeof cExecutorProcessAppStateRequest;
  readonly cExecutorProcessStartingPhase2: typeof cExecutorProcessStartingPhase2;
  readonly cExecutorProcessRequest: typeof cExecutorProcessRequest;
  readonly cReplicaNextProcessPacket: typeof cReplicaNextProcessPacket;
  readonly cReplicaNextProcessRequest: typeof cReplicaNextProcessRequest;
  readonly cReplicaNextProcess1b: typeof cReplicaNextProcess1b;
  readonly cReplicaNextProcess2a: typeof cReplicaNextProcess2a;
  readonly cReplicaNextProcess2b: typeof cReplicaNextProcess2b;
  readonly cReplicaNextProcessAppStateSupply: typeof cReplicaNextProcessAppStateSupply;
  readonly cReplicaNextProcessHeartbeat: typeof cReplicaNextProcessHeartbeat;
  readonly cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints: typeof cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints;
  readonly cReplicaNextSpontaneousMaybeMakeDecision: typeof cReplicaNextSpontaneousMaybeMakeDecision;
  readonly cReplicaNextSpontaneousMaybeExecute: typeof cReplicaNextSpontaneousMaybeExecute;
  readonly cReplicaNextReadClockMaybeSendHeartbeat: typeof cReplicaNextReadClockMaybeSendHeartbeat;
}

/** CReplicaInit. */
export function cReplicaInit(c: CReplicaConstants): CReplica {
  return {
    nextHeartbeatTime: 0,
    proposer: cProposerInit(c),
    acceptor: cAcceptorInit(c),
    learner: cLearnerInit(c),
    executor: cExecutorInit(c),
  };
}

// ---------------------------------------------------------------------------------------------
// Packet-driven actions (§10.2)

/** [V] routing: a cached reply at or after this seqno goes to the executor, everything else to the proposer. */
export function cReplicaNextProcessRequest(
  c: CReplicaConstants,
  r: CReplica,
  p: CPacket<CMessageOf<'Request'>>,
  T: ReplicaTable,
): CPacket[] {
  const cached = r.executor.replyCache.get(p.src);
  if (cached !== undefined && p.msg.seqnoReq <= cached.seqno) return T.cExecutorProcessRequest(c, r.executor, p);
  T.cProposerProcessRequest(c, r.proposer, p, T);
  return [];
}

/** The 1b gate: from a replica, for the ballot being collected, in phase 1, first from that sender. */
export function cReplicaNextProcess1b(c: CReplicaConstants, r: CReplica, p: CPacket<CMessageOf<'1b'>>, T: ReplicaTable): CPacket[] {
  const pr = r.proposer;
  if (!cIsReplica(p.src, c.config) || !cBalEq(p.msg.bal1b, pr.maxBallotISent1a) || pr.currentState !== 1) return [];
  for (const q of pr.received1bPackets) if (q.src === p.src) return [];
  T.cProposerProcess1b(c, pr, p);
  T.cAcceptorTruncateLog(c, r.acceptor, p.msg.logTruncationPoint);
  return [];
}

/** The 2a gate: from a replica, at or above the promise, slot within MAXI. */
export function cReplicaNextProcess2a(c: CReplicaConstants, r: CReplica, p: CPacket<CMessageOf<'2a'>>, T: ReplicaTable): CPacket[] {
  if (!cIsReplica(p.src, c.config) || !cBalLeq(r.acceptor.maxBal, p.msg.bal2a) || !(p.msg.opn2a <= c.params.maxIntegerVal)) {
    return [];
  }
  return T.cAcceptorProcess2a(c, r.acceptor, p);
}

/** The learner tallies only slots the executor has not decided. */
export function cReplicaNextProcess2b(c: CReplicaConstants, r: CReplica, p: CPacket<CMessageOf<'2b'>>, T: ReplicaTable): CPacket[] {
  const ex = r.executor;
  const opn = p.msg.opn2b;
  if (ex.opsComplete < opn || (ex.opsComplete === opn && ex.nextOpToExecute.type === 'Unknown')) {
    T.cLearnerProcess2b(c, r.learner, p);
  }
  return [];
}

/** Adopt a supplied state that is ahead. */
export function cReplicaNextProcessAppStateSupply(
  c: CReplicaConstants,
  r: CReplica,
  p: CPacket<CMessageOf<'AppStateSupply'>>,
  T: ReplicaTable,
): CPacket[] {
  if (!cIsReplica(p.src, c.config) || p.msg.opnStateSupply <= r.executor.opsComplete) return [];
  T.cLearnerForgetOperationsBefore(c, r.learner, p.msg.opnStateSupply);
  T.cExecutorProcessAppStateSupply(c, r.executor, p);
  return [];
}

/** Proposer and acceptor both take the heartbeat (disjoint components, so the order is immaterial). */
export function cReplicaNextProcessHeartbeat(
  c: CReplicaConstants,
  r: CReplica,
  p: CPacket<CMessageOf<'Heartbeat'>>,
  clock: number,
  T: ReplicaTable,
): CPacket[] {
  T.cProposerProcessHeartbeat(c, r.proposer, p, clock, T);
  T.cAcceptorProcessHeartbeat(c, r.acceptor, p);
  return [];
}

/** Slot 0: dispatch a received packet by type. Invalid and Reply packets are ignored. */
export function cReplicaNextProcessPacket(c: CReplicaConstants, r: CReplica, p: CPacket, clock: number, T: ReplicaTable): CPacket[] {
  switch (p.msg.type) {
    case 'Request':
      return T.cReplicaNextProcessRequest(c, r, p as CPacket<CMessageOf<'Request'>>, T);
    case '1a':
      return T.cAcceptorProcess1a(c, r.acceptor, p as CPacket<CMessageOf<'1a'>>);
    case '1b':
      return T.cReplicaNextProcess1b(c, r, p as CPacket<CMessageOf<'1b'>>, T);
    case 'StartingPhase2':
      return T.cExecutorProcessStartingPhase2(c, r.executor, p as CPacket<CMessageOf<'StartingPhase2'>>);
    case '2a':
      return T.cReplicaNextProcess2a(c, r, p as CPacket<CMessageOf<'2a'>>, T);
    case '2b':
      return T.cReplicaNextProcess2b(c, r, p as CPacket<CMessageOf<'2b'>>, T);
    case 'AppStateRequest':
      return T.cExecutorProcessAppStateRequest(c, r.executor, p as CPacket<CMessageOf<'AppStateRequest'>>);
    case 'AppStateSupply':
      return T.cReplicaNextProcessAppStateSupply(c, r, p as CPacket<CMessageOf<'AppStateSupply'>>, T);
    case 'Heartbeat':
      return T.cReplicaNextProcessHeartbeat(c, r, p as CPacket<CMessageOf<'Heartbeat'>>, clock, T);
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Spontaneous and clock-reading actions (§10.3)

/**
 * The quorum-th highest checkpoint, or undefined when there is none under the [V] strict bound
 * `Q < n` (the spec's existential then has no witness and the step is a no-op, §10.3).
 */
export function cQuorumCheckpoint(c: CReplicaConstants, lco: readonly number[]): number | undefined {
  const q = cMinQuorumSize(c.config);
  if (q <= 0 || q >= lco.length) return undefined;
  return [...lco].sort((a, b) => b - a)[q - 1];
}

export function cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints(c: CReplicaConstants, r: CReplica, T: ReplicaTable): CPacket[] {
  const opn = cQuorumCheckpoint(c, r.acceptor.lastCheckpointedOperation);
  if (opn !== undefined && opn > r.acceptor.logTruncationPoint) T.cAcceptorTruncateLog(c, r.acceptor, opn);
  return [];
}

export function cReplicaNextSpontaneousMaybeMakeDecision(c: CReplicaConstants, r: CReplica, T: ReplicaTable): CPacket[] {
  const ex = r.executor;
  const opn = ex.opsComplete;
  const tuple = r.learner.unexecutedLearnerState.get(opn);
  if (ex.nextOpToExecute.type !== 'Unknown' || tuple === undefined || tuple.received2bMessageSenders.size < cMinQuorumSize(c.config)) {
    return [];
  }
  T.cExecutorGetDecision(c, ex, r.learner.maxBallotSeen, opn, tuple.candidateLearnedValue);
  return [];
}

export function cReplicaNextSpontaneousMaybeExecute(c: CReplicaConstants, r: CReplica, T: ReplicaTable): CPacket[] {
  const ex = r.executor;
  const next = ex.nextOpToExecute;
  if (next.type !== 'Known' || !(ex.opsComplete < c.params.maxIntegerVal) || !cReplicaConstantsValid(c)) return [];
  T.cProposerResetViewTimerDueToExecution(c, r.proposer, next.v, T);
  T.cLearnerForgetDecision(c, r.learner, ex.opsComplete);
  return T.cExecutorExecute(c, ex);
}

export function cReplicaNextReadClockMaybeSendHeartbeat(c: CReplicaConstants, r: CReplica, clock: number): CPacket[] {
  if (clock < r.nextHeartbeatTime) return [];
  const es = r.proposer.electionState;
  const hb: CMessageOf<'Heartbeat'> = {
    type: 'Heartbeat',
    balHeartbeat: es.currentView,
    suspicious: es.currentViewSuspectors.has(c.myIndex),
    opnCkpt: r.executor.opsComplete,
  };
  r.nextHeartbeatTime = cUpperBoundedAddition(clock, c.params.heartbeatPeriod, c.params.maxIntegerVal);
  return cBroadcastToEveryone(c.config, c.myIndex, hb);
}

// ---------------------------------------------------------------------------------------------
// The scheduler slots (§10.4)

export const cReplicaNumActions = 10;

/**
 * Runs scheduler slot `slot` (0..9) on the replica. Slot 0 consumes `received` (null: nothing
 * arrived); `clock` is read only by the slots that read it (3, 7, 8, 9, and 0 for a Heartbeat).
 */
export function cReplicaRunSlot(
  c: CReplicaConstants,
  r: CReplica,
  slot: number,
  clock: number,
  received: CPacket | null,
  T: ReplicaTable,
): CPacket[] {
  switch (slot) {
    case 0:
      return received === null ? [] : T.cReplicaNextProcessPacket(c, r, received, clock, T);
    case 1:
      return T.cProposerMaybeEnterNewViewAndSend1a(c, r.proposer);
    case 2:
      return T.cProposerMaybeEnterPhase2(c, r.proposer, r.acceptor.logTruncationPoint, T);
    case 3:
      return T.cProposerMaybeNominateValueAndSend2a(c, r.proposer, clock, r.acceptor.logTruncationPoint, T);
    case 4:
      return T.cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints(c, r, T);
    case 5:
      return T.cReplicaNextSpontaneousMaybeMakeDecision(c, r, T);
    case 6:
      return T.cReplicaNextSpontaneousMaybeExecute(c, r, T);
    case 7:
      T.cProposerCheckForViewTimeout(c, r.proposer, clock, T);
      return [];
    case 8:
      T.cProposerCheckForQuorumOfViewSuspicions(c, r.proposer, clock, T);
      return [];
    case 9:
      return T.cReplicaNextReadClockMaybeSendHeartbeat(c, r, clock);
    default:
      throw new RangeError(`scheduler slot ${slot} does not exist (0..${cReplicaNumActions - 1})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Abstraction

export function abstractReplica(r: CReplica): ReplicaState {
  return ReplicaStateRecord({
    nextHeartbeatTime: r.nextHeartbeatTime,
    proposer: abstractProposer(r.proposer),
    acceptor: abstractAcceptor(r.acceptor),
    learner: abstractLearner(r.learner),
    executor: abstractExecutor(r.executor),
  });
}

export function concreteReplica(s: ReplicaState): CReplica {
  return {
    nextHeartbeatTime: s.nextHeartbeatTime,
    proposer: concreteProposer(s.proposer),
    acceptor: concreteAcceptor(s.acceptor),
    learner: concreteLearner(s.learner),
    executor: concreteExecutor(s.executor),
  };
}
