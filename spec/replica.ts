/** The replica and its round-robin scheduler (rsl-protocol.md §10). Every function is pure. */
import { is, Record, type RecordOf } from 'immutable';
import {
  acceptorInit,
  acceptorProcess1a,
  acceptorProcess2a,
  acceptorProcessHeartbeat,
  acceptorTruncateLog,
  isLogTruncationPointValid,
  type AcceptorState,
} from './acceptor.js';
import { broadcastToEveryone } from './broadcast.js';
import { isReplica, minQuorumSize, replicaConstantsValid, type ReplicaConstants } from './configuration.js';
import {
  executorExecute,
  executorGetDecision,
  executorInit,
  executorProcessAppStateRequest,
  executorProcessAppStateSupply,
  executorProcessRequest,
  executorProcessStartingPhase2,
  type ExecutorState,
} from './executor.js';
import { learnerForgetDecision, learnerForgetOperationsBefore, learnerInit, learnerProcess2b, type LearnerState } from './learner.js';
import {
  isPacketOf,
  messageHeartbeat,
  outcome,
  type Message1a,
  type Message1b,
  type Message2a,
  type Message2b,
  type MessageAppStateRequest,
  type MessageAppStateSupply,
  type MessageHeartbeat,
  type MessageRequest,
  type MessageStartingPhase2,
  type Outcome,
  type Packet,
} from './message.js';
import {
  proposerCheckForQuorumOfViewSuspicions,
  proposerCheckForViewTimeout,
  proposerInit,
  proposerMaybeEnterNewViewAndSend1a,
  proposerMaybeEnterPhase2,
  proposerMaybeNominateValueAndSend2a,
  proposerProcess1b,
  proposerProcessHeartbeat,
  proposerProcessRequest,
  proposerResetViewTimerDueToExecution,
  type ProposerState,
} from './proposer.js';
import { balLeq, leqUpperBound, ltUpperBound, upperBoundedAddition } from './types.js';

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

// ---------------------------------------------------------------------------------------------
// The table of component functions the replica calls

/**
 * Every component-level function a replica action calls. The replica actions take this table as
 * their last parameter so that a deliberately broken variant of one function can be swapped in
 * (mutation testing) without touching the correct spec.
 */
export interface SpecActions {
  readonly acceptorProcess1a: typeof acceptorProcess1a;
  readonly acceptorProcess2a: typeof acceptorProcess2a;
  readonly acceptorProcessHeartbeat: typeof acceptorProcessHeartbeat;
  readonly acceptorTruncateLog: typeof acceptorTruncateLog;
  readonly isLogTruncationPointValid: typeof isLogTruncationPointValid;
  readonly proposerProcessRequest: typeof proposerProcessRequest;
  readonly proposerMaybeEnterNewViewAndSend1a: typeof proposerMaybeEnterNewViewAndSend1a;
  readonly proposerProcess1b: typeof proposerProcess1b;
  readonly proposerMaybeEnterPhase2: typeof proposerMaybeEnterPhase2;
  readonly proposerMaybeNominateValueAndSend2a: typeof proposerMaybeNominateValueAndSend2a;
  readonly proposerProcessHeartbeat: typeof proposerProcessHeartbeat;
  readonly proposerCheckForViewTimeout: typeof proposerCheckForViewTimeout;
  readonly proposerCheckForQuorumOfViewSuspicions: typeof proposerCheckForQuorumOfViewSuspicions;
  readonly proposerResetViewTimerDueToExecution: typeof proposerResetViewTimerDueToExecution;
  readonly learnerProcess2b: typeof learnerProcess2b;
  readonly learnerForgetDecision: typeof learnerForgetDecision;
  readonly learnerForgetOperationsBefore: typeof learnerForgetOperationsBefore;
  readonly executorGetDecision: typeof executorGetDecision;
  readonly executorExecute: typeof executorExecute;
  readonly executorProcessAppStateSupply: typeof executorProcessAppStateSupply;
  readonly executorProcessAppStateRequest: typeof executorProcessAppStateRequest;
  readonly executorProcessStartingPhase2: typeof executorProcessStartingPhase2;
  readonly executorProcessRequest: typeof executorProcessRequest;
  readonly minQuorumSize: typeof minQuorumSize;
}

/** The correct spec's component functions. */
export const defaultSpecActions: SpecActions = Object.freeze({
  acceptorProcess1a,
  acceptorProcess2a,
  acceptorProcessHeartbeat,
  acceptorTruncateLog,
  isLogTruncationPointValid,
  proposerProcessRequest,
  proposerMaybeEnterNewViewAndSend1a,
  proposerProcess1b,
  proposerMaybeEnterPhase2,
  proposerMaybeNominateValueAndSend2a,
  proposerProcessHeartbeat,
  proposerCheckForViewTimeout,
  proposerCheckForQuorumOfViewSuspicions,
  proposerResetViewTimerDueToExecution,
  learnerProcess2b,
  learnerForgetDecision,
  learnerForgetOperationsBefore,
  executorGetDecision,
  executorExecute,
  executorProcessAppStateSupply,
  executorProcessAppStateRequest,
  executorProcessStartingPhase2,
  executorProcessRequest,
  minQuorumSize,
});

type Outcomes = readonly Outcome<ReplicaState>[];

function unchanged(s: ReplicaState): Outcomes {
  return [outcome(s)];
}

// ---------------------------------------------------------------------------------------------
// Packet-driven actions (§10.2), one per message type

/**
 * LReplicaNextProcessRequest, [V]/[D15] deterministic routing: a client with a cached reply for
 * this seqno or a later one goes to the executor (which may resend the reply) and never reaches
 * the proposer; everyone else goes to the proposer.
 */
function processRequest(c: ReplicaConstants, s: ReplicaState, p: Packet<MessageRequest>, P: SpecActions): Outcomes {
  const cached = s.executor.replyCache.get(p.src);
  if (cached !== undefined && p.msg.seqnoReq <= cached.seqno) {
    return [outcome(s, P.executorProcessRequest(c, s.executor, p).sent)];
  }
  return unchanged(s.set('proposer', P.proposerProcessRequest(c, s.proposer, p)));
}

function process1a(c: ReplicaConstants, s: ReplicaState, p: Packet<Message1a>, P: SpecActions): Outcomes {
  const o = P.acceptorProcess1a(c, s.acceptor, p);
  return [outcome(s.set('acceptor', o.state), o.sent)];
}

/**
 * LReplicaNextProcess1b: only a 1b for the ballot this proposer is collecting promises for, while
 * it is in phase 1, and only the first one from each sender. The leader's own acceptor also
 * catches up to the sender's log truncation point.
 */
function process1b(c: ReplicaConstants, s: ReplicaState, p: Packet<Message1b>, P: SpecActions): Outcomes {
  const pr = s.proposer;
  const gate =
    isReplica(p.src, c.all.config) &&
    is(p.msg.bal1b, pr.maxBallotISent1a) &&
    pr.currentState === 1 &&
    !pr.received1bPackets.some((q) => q.src === p.src);
  if (!gate) return unchanged(s);
  return unchanged(
    s.merge({
      proposer: P.proposerProcess1b(c, pr, p),
      acceptor: P.acceptorTruncateLog(c, s.acceptor, p.msg.logTruncationPoint),
    }),
  );
}

function processStartingPhase2(c: ReplicaConstants, s: ReplicaState, p: Packet<MessageStartingPhase2>, P: SpecActions): Outcomes {
  const o = P.executorProcessStartingPhase2(c, s.executor, p);
  return [outcome(s.set('executor', o.state), o.sent)];
}

/** LReplicaNextProcess2a: the acceptor sees only 2as from replicas, at or above its promise. */
function process2a(c: ReplicaConstants, s: ReplicaState, p: Packet<Message2a>, P: SpecActions): Outcomes {
  const gate =
    isReplica(p.src, c.all.config) && balLeq(s.acceptor.maxBal, p.msg.bal2a) && leqUpperBound(p.msg.opn2a, c.all.params.maxIntegerVal);
  if (!gate) return unchanged(s);
  const o = P.acceptorProcess2a(c, s.acceptor, p);
  return [outcome(s.set('acceptor', o.state), o.sent)];
}

/** LReplicaNextProcess2b: the learner only tallies slots the executor has not yet decided. */
function process2b(c: ReplicaConstants, s: ReplicaState, p: Packet<Message2b>, P: SpecActions): Outcomes {
  const ex = s.executor;
  const opLearnable = ex.opsComplete < p.msg.opn2b || (ex.opsComplete === p.msg.opn2b && ex.nextOpToExecute.type === 'Unknown');
  if (!opLearnable) return unchanged(s);
  return unchanged(s.set('learner', P.learnerProcess2b(c, s.learner, p)));
}

function processAppStateRequest(c: ReplicaConstants, s: ReplicaState, p: Packet<MessageAppStateRequest>, P: SpecActions): Outcomes {
  const o = P.executorProcessAppStateRequest(c, s.executor, p);
  return [outcome(s.set('executor', o.state), o.sent)];
}

/** LReplicaNextProcessAppStateSupply: adopt a supplied state that is ahead of ours. */
function processAppStateSupply(c: ReplicaConstants, s: ReplicaState, p: Packet<MessageAppStateSupply>, P: SpecActions): Outcomes {
  if (!isReplica(p.src, c.all.config) || p.msg.opnStateSupply <= s.executor.opsComplete) return unchanged(s);
  return unchanged(
    s.merge({
      learner: P.learnerForgetOperationsBefore(c, s.learner, p.msg.opnStateSupply),
      executor: P.executorProcessAppStateSupply(c, s.executor, p),
    }),
  );
}

/** LReplicaNextProcessHeartbeat: proposer and acceptor both update from the same pre-state. */
function processHeartbeat(c: ReplicaConstants, s: ReplicaState, p: Packet<MessageHeartbeat>, clock: number, P: SpecActions): Outcomes {
  return unchanged(
    s.merge({
      proposer: P.proposerProcessHeartbeat(c, s.proposer, p, clock),
      acceptor: P.acceptorProcessHeartbeat(c, s.acceptor, p),
    }),
  );
}

/**
 * LReplicaNextProcessPacket (§10.2): dispatch a received packet by message type, with every gate
 * of the reference. `clock` is read only for a Heartbeat. Invalid and Reply packets are ignored.
 */
export function replicaNextProcessPacket(
  c: ReplicaConstants,
  s: ReplicaState,
  p: Packet,
  clock: number,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  if (isPacketOf(p, 'Request')) return processRequest(c, s, p, P);
  if (isPacketOf(p, '1a')) return process1a(c, s, p, P);
  if (isPacketOf(p, '1b')) return process1b(c, s, p, P);
  if (isPacketOf(p, 'StartingPhase2')) return processStartingPhase2(c, s, p, P);
  if (isPacketOf(p, '2a')) return process2a(c, s, p, P);
  if (isPacketOf(p, '2b')) return process2b(c, s, p, P);
  if (isPacketOf(p, 'AppStateRequest')) return processAppStateRequest(c, s, p, P);
  if (isPacketOf(p, 'AppStateSupply')) return processAppStateSupply(c, s, p, P);
  if (isPacketOf(p, 'Heartbeat')) return processHeartbeat(c, s, p, clock, P);
  return unchanged(s);
}

// ---------------------------------------------------------------------------------------------
// Spontaneous and clock-reading actions (§10.3)

/** LReplicaNextSpontaneousMaybeEnterNewViewAndSend1a (§10.3). */
export function replicaNextSpontaneousMaybeEnterNewViewAndSend1a(
  c: ReplicaConstants,
  s: ReplicaState,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  const o = P.proposerMaybeEnterNewViewAndSend1a(c, s.proposer);
  return [outcome(s.set('proposer', o.state), o.sent)];
}

/** LReplicaNextSpontaneousMaybeEnterPhase2 (§10.3): uses the own acceptor's log truncation point. */
export function replicaNextSpontaneousMaybeEnterPhase2(
  c: ReplicaConstants,
  s: ReplicaState,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  const o = P.proposerMaybeEnterPhase2(c, s.proposer, s.acceptor.logTruncationPoint);
  return [outcome(s.set('proposer', o.state), o.sent)];
}

/**
 * LReplicaNextReadClockMaybeNominateValueAndSend2a (§10.3): a relation; one outcome per outcome
 * the proposer permits (none when it permits none).
 */
export function replicaNextReadClockMaybeNominateValueAndSend2a(
  c: ReplicaConstants,
  s: ReplicaState,
  clock: number,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  return P.proposerMaybeNominateValueAndSend2a(c, s.proposer, clock, s.acceptor.logTruncationPoint).map((o) =>
    outcome(s.set('proposer', o.state), o.sent),
  );
}

/**
 * LReplicaNextSpontaneousTruncateLogBasedOnCheckpoints (§10.3): truncate the own acceptor's log
 * at the quorum-th highest checkpoint heard, if that is ahead of its truncation point.
 * The reference states it as "there exists a valid opn"; one outcome is returned per valid value
 * (there is at most one). Deviation, as §10.3 recommends: when no valid value exists (e.g. n <= 2
 * under the [V] strict bound) the reference has no successor, but here the step is a no-op.
 */
export function replicaNextSpontaneousTruncateLogBasedOnCheckpoints(
  c: ReplicaConstants,
  s: ReplicaState,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  const lco = s.acceptor.lastCheckpointedOperation;
  const valid = lco
    .toOrderedSet()
    .sort()
    .filter((opn) => P.isLogTruncationPointValid(opn, lco, c.all.config))
    .toArray();
  if (valid.length === 0) return unchanged(s);
  return valid.map((opn) =>
    outcome(opn > s.acceptor.logTruncationPoint ? s.set('acceptor', P.acceptorTruncateLog(c, s.acceptor, opn)) : s),
  );
}

/**
 * LReplicaNextSpontaneousMaybeMakeDecision (§10.3): once a quorum of 2bs for the next slot has
 * been tallied, hand the learned value to the executor.
 */
export function replicaNextSpontaneousMaybeMakeDecision(
  c: ReplicaConstants,
  s: ReplicaState,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  const opn = s.executor.opsComplete;
  const tuple = s.learner.unexecutedLearnerState.get(opn);
  if (
    s.executor.nextOpToExecute.type !== 'Unknown' ||
    tuple === undefined ||
    tuple.received2bMessageSenders.size < P.minQuorumSize(c.all.config)
  ) {
    return unchanged(s);
  }
  const executor = P.executorGetDecision(c, s.executor, s.learner.maxBallotSeen, opn, tuple.candidateLearnedValue);
  return unchanged(s.set('executor', executor));
}

/**
 * LReplicaNextSpontaneousMaybeExecute (§10.3): execute the decided batch; the proposer's view
 * timer learns which requests were served, and the learner forgets the slot.
 */
export function replicaNextSpontaneousMaybeExecute(c: ReplicaConstants, s: ReplicaState, P: SpecActions = defaultSpecActions): Outcomes {
  const ex = s.executor;
  const next = ex.nextOpToExecute;
  if (next.type !== 'Known' || !ltUpperBound(ex.opsComplete, c.all.params.maxIntegerVal) || !replicaConstantsValid(c)) {
    return unchanged(s);
  }
  const o = P.executorExecute(c, ex);
  const state = s.merge({
    proposer: P.proposerResetViewTimerDueToExecution(c, s.proposer, next.v),
    learner: P.learnerForgetDecision(c, s.learner, ex.opsComplete),
    executor: o.state,
  });
  return [outcome(state, o.sent)];
}

/** LReplicaNextReadClockCheckForViewTimeout (§10.3). */
export function replicaNextReadClockCheckForViewTimeout(
  c: ReplicaConstants,
  s: ReplicaState,
  clock: number,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  return unchanged(s.set('proposer', P.proposerCheckForViewTimeout(c, s.proposer, clock)));
}

/** LReplicaNextReadClockCheckForQuorumOfViewSuspicions (§10.3). */
export function replicaNextReadClockCheckForQuorumOfViewSuspicions(
  c: ReplicaConstants,
  s: ReplicaState,
  clock: number,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  return unchanged(s.set('proposer', P.proposerCheckForQuorumOfViewSuspicions(c, s.proposer, clock)));
}

/**
 * LReplicaNextReadClockMaybeSendHeartbeat (§10.3): when the heartbeat time has come, broadcast
 * the current view, whether this replica suspects it, and the executed-ops count (checkpoint).
 * The `P` parameter is accepted for uniformity; this action calls no component function.
 */
export function replicaNextReadClockMaybeSendHeartbeat(
  c: ReplicaConstants,
  s: ReplicaState,
  clock: number,
  _P: SpecActions = defaultSpecActions,
): Outcomes {
  if (clock < s.nextHeartbeatTime) return unchanged(s);
  const es = s.proposer.electionState;
  const hb = messageHeartbeat(es.currentView, es.currentViewSuspectors.has(c.myIndex), s.executor.opsComplete);
  const state = s.set('nextHeartbeatTime', upperBoundedAddition(clock, c.all.params.heartbeatPeriod, c.all.params.maxIntegerVal));
  return [outcome(state, broadcastToEveryone(c.all.config, c.myIndex, hb))];
}

// ---------------------------------------------------------------------------------------------
// The scheduler (§10.4)

/** One of the ten scheduler slots. */
export interface SchedulerSlot {
  readonly index: number;
  readonly name: string;
  /** Reads the clock every time it runs. (Slot 0 reads it only when it receives a Heartbeat.) */
  readonly readsClock: boolean;
  readonly receivesPacket: boolean;
}

/** The ten scheduler slots by name (§10.4): `Slot.MaybeExecute` is slot 6. */
export const Slot = {
  ProcessPacket: 0,
  MaybeEnterNewViewAndSend1a: 1,
  MaybeEnterPhase2: 2,
  MaybeNominateValueAndSend2a: 3,
  TruncateLogBasedOnCheckpoints: 4,
  MaybeMakeDecision: 5,
  MaybeExecute: 6,
  CheckForViewTimeout: 7,
  CheckForQuorumOfViewSuspicions: 8,
  MaybeSendHeartbeat: 9,
} as const;
export type SlotName = keyof typeof Slot;

/** The ten actions of LReplicaNumActions, in slot order (§10.4). */
export const schedulerSlots: readonly SchedulerSlot[] = Object.freeze(
  (
    [
      ['ProcessPacket', false, true],
      ['MaybeEnterNewViewAndSend1a', false, false],
      ['MaybeEnterPhase2', false, false],
      ['MaybeNominateValueAndSend2a', true, false],
      ['TruncateLogBasedOnCheckpoints', false, false],
      ['MaybeMakeDecision', false, false],
      ['MaybeExecute', false, false],
      ['CheckForViewTimeout', true, false],
      ['CheckForQuorumOfViewSuspicions', true, false],
      ['MaybeSendHeartbeat', true, false],
    ] as const satisfies readonly (readonly [SlotName, boolean, boolean])[]
  ).map(([name, readsClock, receivesPacket]) => Object.freeze({ index: Slot[name], name, readsClock, receivesPacket })),
);

/** What the environment gives one scheduler slot. */
export interface SlotInput {
  /** Slot 0 only: the received packet; absent means TimeoutReceive. */
  readonly packet?: Packet;
  /** The clock reading; required exactly when `slotReadsClock` says so. */
  readonly clock?: number;
}

/** Whether running `slot` on `input` reads the clock: the slots marked `readsClock`, and ProcessPacket receiving a Heartbeat. */
export function slotReadsClock(slot: number, packet?: Packet): boolean {
  if (slot === Slot.ProcessPacket) return packet !== undefined && packet.msg.type === 'Heartbeat';
  return schedulerSlots[slot]?.readsClock ?? false;
}

function requireClock(slot: number, input: SlotInput): number {
  if (input.clock === undefined) {
    throw new RangeError(`scheduler slot ${slot} (${schedulerSlots[slot]?.name}) reads the clock, but no reading was given`);
  }
  return input.clock;
}

/**
 * Runs scheduler slot `slot` on a replica without touching the scheduler index (LReplicaNext for
 * one action). Throws on a slot outside 0..9 or a missing clock reading, which are caller bugs.
 */
export function replicaNextAction(
  c: ReplicaConstants,
  s: ReplicaState,
  slot: number,
  input: SlotInput,
  P: SpecActions = defaultSpecActions,
): Outcomes {
  switch (slot) {
    case Slot.ProcessPacket:
      if (input.packet === undefined) return unchanged(s);
      return replicaNextProcessPacket(
        c,
        s,
        input.packet,
        slotReadsClock(Slot.ProcessPacket, input.packet) ? requireClock(Slot.ProcessPacket, input) : 0,
        P,
      );
    case Slot.MaybeEnterNewViewAndSend1a:
      return replicaNextSpontaneousMaybeEnterNewViewAndSend1a(c, s, P);
    case Slot.MaybeEnterPhase2:
      return replicaNextSpontaneousMaybeEnterPhase2(c, s, P);
    case Slot.MaybeNominateValueAndSend2a:
      return replicaNextReadClockMaybeNominateValueAndSend2a(c, s, requireClock(Slot.MaybeNominateValueAndSend2a, input), P);
    case Slot.TruncateLogBasedOnCheckpoints:
      return replicaNextSpontaneousTruncateLogBasedOnCheckpoints(c, s, P);
    case Slot.MaybeMakeDecision:
      return replicaNextSpontaneousMaybeMakeDecision(c, s, P);
    case Slot.MaybeExecute:
      return replicaNextSpontaneousMaybeExecute(c, s, P);
    case Slot.CheckForViewTimeout:
      return replicaNextReadClockCheckForViewTimeout(c, s, requireClock(Slot.CheckForViewTimeout, input), P);
    case Slot.CheckForQuorumOfViewSuspicions:
      return replicaNextReadClockCheckForQuorumOfViewSuspicions(c, s, requireClock(Slot.CheckForQuorumOfViewSuspicions, input), P);
    case Slot.MaybeSendHeartbeat:
      return replicaNextReadClockMaybeSendHeartbeat(c, s, requireClock(Slot.MaybeSendHeartbeat, input), P);
    default:
      throw new RangeError(`scheduler slot ${slot} does not exist (0..${replicaNumActions - 1})`);
  }
}

/**
 * LSchedulerNext (§10.4): run the slot `nextActionIndex` selects, then advance it modulo 10, even
 * when the action changed nothing.
 */
export function schedulerNext(
  c: ReplicaConstants,
  s: SchedulerState,
  input: SlotInput,
  P: SpecActions = defaultSpecActions,
): readonly Outcome<SchedulerState>[] {
  const nextActionIndex = (s.nextActionIndex + 1) % replicaNumActions;
  return replicaNextAction(c, s.replica, s.nextActionIndex, input, P).map((o) =>
    outcome(s.merge({ replica: o.state, nextActionIndex }), o.sent),
  );
}
