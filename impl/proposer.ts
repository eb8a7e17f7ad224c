/**
 * The concrete proposer (rsl-protocol.md §7, §13.2 #9-#21): the six predicates over a set of 1b
 * packets, the seven actions of the seed, the given helpers, and the abstraction.
 *
 * A set of 1b packets is an array. The proposer's own set holds at most one packet per sender
 * (the replica's 1b gate, §10.2), hence no two equal packets: its length is the spec set's size.
 * The predicates accept any array (duplicates do not change a for-all or an exists). Functions
 * that call other implementation functions do so through the table `T`, so that a call recorder
 * or a mutant can be slotted in (impl/actions.ts; `ProposerTable` lists what this module calls).
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import type { IncompleteBatchTimer, Message1b, Packet, ProposerPhase, ProposerState } from '../spec/index.js';
import { incompleteBatchTimerOff, incompleteBatchTimerOn, ProposerStateRecord } from '../spec/index.js';
import { cMinQuorumSize, cUpperBoundedAddition } from './configuration.js';
import {
  abstractElectionState,
  cElectionStateInit,
  concreteElectionState,
  type cElectionStateCheckForQuorumOfViewSuspicions,
  type cElectionStateCheckForViewTimeout,
  type cElectionStateProcessHeartbeat,
  type cElectionStateReflectExecutedRequestBatch,
  type cElectionStateReflectReceivedRequest,
  type CElectionState,
} from './election.js';
import {
  abstractBallot,
  abstractPacket,
  abstractRequest,
  cBalEq,
  cBalLeq,
  cBallot,
  cBalLt,
  cBroadcastToEveryone,
  concreteBallot,
  concretePacket,
  concreteRequests,
} from './message.js';
import type { CBallot, CEndPoint, CMessageOf, COperationNumber, CPacket, CReplicaConstants, CRequest, CVote } from './types.js';

export type CIncompleteBatchTimer = { readonly type: 'On'; readonly when: number } | { readonly type: 'Off' };

export type C1bPacket = CPacket<CMessageOf<'1b'>>;

/**
 * The implementation functions the proposer calls through its table argument `T` (a part of
 * impl/actions.ts's `ImplActions`; declared here so that no module imports the table's module).
 */
export interface ProposerTable {
  readonly cElectionStateReflectReceivedRequest: typeof cElectionStateReflectReceivedRequest;
  readonly cElectionStateCheckForViewTimeout: typeof cElectionStateCheckForViewTimeout;
  readonly cElectionStateCheckForQuorumOfViewSuspicions: typeof cElectionStateCheckForQuorumOfViewSuspicions;
  readonly cElectionStateProcessHeartbeat: typeof cElectionStateProcessHeartbeat;
  readonly cElectionStateReflectExecutedRequestBatch: typeof cElectionStateReflectExecutedRequestBatch;
  readonly cIsAfterLogTruncationPoint: typeof cIsAfterLogTruncationPoint;
  readonly cSetOfMessage1b: typeof cSetOfMessage1b;
  readonly cSetOfMessage1bAboutBallot: typeof cSetOfMessage1bAboutBallot;
  readonly cAllAcceptorsHadNoProposal: typeof cAllAcceptorsHadNoProposal;
  readonly cExistsAcceptorHasProposalLargeThanOpn: typeof cExistsAcceptorHasProposalLargeThanOpn;
  readonly cmax_balInS: typeof cmax_balInS;
  readonly cProposerProcessRequest: typeof cProposerProcessRequest;
  readonly cProposerProcess1b: typeof cProposerProcess1b;
  readonly cProposerMaybeEnterNewViewAndSend1a: typeof cProposerMaybeEnterNewViewAndSend1a;
  readonly cProposerMaybeEnterPhase2: typeof cProposerMaybeEnterPhase2;
  readonly cProposerMaybeNominateValueAndSend2a: typeof cProposerMaybeNominateValueAndSend2a;
  readonly cProposerNominateNewValueAndSend2a: typeof cProposerNominateNewValueAndSend2a;
  readonly cProposerNominateOldValueAndSend2a: typeof cProposerNominateOldValueAndSend2a;
  readonly cProposerCanNominateUsingOperationNumber: typeof cProposerCanNominateUsingOperationNumber;
  readonly cProposerProcessHeartbeat: typeof cProposerProcessHeartbeat;
  readonly cProposerCheckForViewTimeout: typeof cProposerCheckForViewTimeout;
  readonly cProposerCheckForQuorumOfViewSuspicions: typeof cProposerCheckForQuorumOfViewSuspicions;
  readonly cProposerResetViewTimerDueToExecution: typeof cProposerResetViewTimerDueToExecution;
}

export interface CProposer {
  currentState: ProposerPhase;
  requestQueue: CRequest[];
  maxBallotISent1a: CBallot;
  nextOperationNumberToPropose: COperationNumber;
  received1bPackets: C1bPacket[];
  readonly highestSeqnoRequestedByClientThisView: Map<CEndPoint, number>;
  incompleteBatchTimer: CIncompleteBatchTimer;
  readonly electionState: CElectionState;
}

const timerOff: CIncompleteBatchTimer = Object.freeze({ type: 'Off' });

/** CProposerInit. */
export function cProposerInit(c: CReplicaConstants): CProposer {
  return {
    currentState: 0,
    requestQueue: [],
    maxBallotISent1a: cBallot(0, c.myIndex),
    nextOperationNumberToPropose: 0,
    received1bPackets: [],
    highestSeqnoRequestedByClientThisView: new Map(),
    incompleteBatchTimer: timerOff,
    electionState: cElectionStateInit(c),
  };
}

/** The representation invariant: at most one 1b per sender in the received set. */
export function cProposerValid(s: CProposer): boolean {
  return new Set(s.received1bPackets.map((p) => p.src)).size === s.received1bPackets.length;
}

// ---------------------------------------------------------------------------------------------
// The six predicates (#9-#14)

function voteAt(p: CPacket, opn: COperationNumber): CVote | undefined {
  return p.msg.type === '1b' ? p.msg.votes.get(opn) : undefined;
}

/**
 * The highest slot a 1b has a vote for (-Infinity for none), memoised per message: a message is
 * never mutated once sent, so the vote keys are scanned once per 1b, not once per slot-3 step.
 */
const maxVoteOpnMemo = new WeakMap<object, number>();
function maxVoteOpn(m: CMessageOf<'1b'>): number {
  let max = maxVoteOpnMemo.get(m);
  if (max === undefined) {
    max = -Infinity;
    for (const opn of m.votes.keys()) if (opn > max) max = opn;
    maxVoteOpnMemo.set(m, max);
  }
  return max;
}

/** #9 CIsAfterLogTruncationPoint: no 1b of S has truncated beyond `opn`. */
export function cIsAfterLogTruncationPoint(opn: COperationNumber, S: readonly CPacket[]): boolean {
  for (const p of S) if (p.msg.type === '1b' && p.msg.logTruncationPoint > opn) return false;
  return true;
}

/** #10 CSetOfMessage1b: every packet of S is a 1b. */
export function cSetOfMessage1b(S: readonly CPacket[]): boolean {
  for (const p of S) if (p.msg.type !== '1b') return false;
  return true;
}

/** #11 CSetOfMessage1bAboutBallot: S is a set of 1bs (#10) and every one is for ballot `b`. */
export function cSetOfMessage1bAboutBallot(S: readonly CPacket[], b: CBallot, T: ProposerTable): boolean {
  if (!T.cSetOfMessage1b(S)) return false;
  for (const p of S) if (p.msg.type !== '1b' || !cBalEq(p.msg.bal1b, b)) return false;
  return true;
}

/** #12 CAllAcceptorsHadNoProposal: no 1b of S has a vote for `opn`. */
export function cAllAcceptorsHadNoProposal(S: readonly CPacket[], opn: COperationNumber): boolean {
  for (const p of S) if (voteAt(p, opn) !== undefined) return false;
  return true;
}

/** CExistVotesHasProposalLargeThanOpn (given): the packet's 1b has a vote for a slot above `op`. */
export function cExistVotesHasProposalLargeThanOpn(p: CPacket, op: COperationNumber): boolean {
  return p.msg.type === '1b' && maxVoteOpn(p.msg) > op;
}

/** #13 CExistsAcceptorHasProposalLargeThanOpn: some 1b of S has a vote for a slot above `op`. */
export function cExistsAcceptorHasProposalLargeThanOpn(S: readonly CPacket[], op: COperationNumber): boolean {
  for (const p of S) if (cExistVotesHasProposalLargeThanOpn(p, op)) return true;
  return false;
}

/** #14 Cmax_balInS: every vote for slot `opn` in S (that slot only, §15.6) has a ballot `<= c`. */
export function cmax_balInS(c: CBallot, S: readonly CPacket[], opn: COperationNumber): boolean {
  for (const p of S) {
    const w = voteAt(p, opn);
    if (w !== undefined && !cBalLeq(w.maxValueBal, c)) return false;
  }
  return true;
}

/** CProposerCanNominateUsingOperationNumber (given). */
export function cProposerCanNominateUsingOperationNumber(
  c: CReplicaConstants,
  s: CProposer,
  ltp: COperationNumber,
  opn: COperationNumber,
  T: ProposerTable,
): boolean {
  const p = c.params;
  const S = s.received1bPackets;
  return (
    cBalEq(s.electionState.currentView, s.maxBallotISent1a) &&
    s.currentState === 2 &&
    S.length >= cMinQuorumSize(c.config) &&
    T.cSetOfMessage1bAboutBallot(S, s.maxBallotISent1a, T) &&
    T.cIsAfterLogTruncationPoint(opn, S) &&
    opn < cUpperBoundedAddition(ltp, p.maxLogLength, p.maxIntegerVal) &&
    opn >= 0 &&
    opn < p.maxIntegerVal
  );
}

// ---------------------------------------------------------------------------------------------
// The seven actions (#15-#21)

/** #15 CProposerProcessRequest: every replica records the request; a leader also queues a new one. */
export function cProposerProcessRequest(c: CReplicaConstants, s: CProposer, p: CPacket<CMessageOf<'Request'>>, T: ProposerTable): void {
  const val: CRequest = { client: p.src, seqno: p.msg.seqnoReq, request: p.msg.val };
  T.cElectionStateReflectReceivedRequest(c, s.electionState, val);
  const highest = s.highestSeqnoRequestedByClientThisView.get(val.client);
  if (s.currentState !== 0 && (highest === undefined || val.seqno > highest)) {
    s.requestQueue.push(val);
    s.highestSeqnoRequestedByClientThisView.set(val.client, val.seqno);
  }
}

/** #16 CProposerProcess1b: add the 1b to the received set (the replica checked the gate). */
export function cProposerProcess1b(_c: CReplicaConstants, s: CProposer, p: C1bPacket): void {
  s.received1bPackets.push(p);
}

/** #17 CProposerMaybeEnterNewViewAndSend1a: start phase 1 of my newer view and broadcast the 1a. */
export function cProposerMaybeEnterNewViewAndSend1a(c: CReplicaConstants, s: CProposer): CPacket[] {
  const es = s.electionState;
  const v = es.currentView;
  if (v.proposerId !== c.myIndex || !cBalLt(s.maxBallotISent1a, v)) return [];
  s.currentState = 1;
  s.maxBallotISent1a = v;
  s.received1bPackets = [];
  s.highestSeqnoRequestedByClientThisView.clear();
  s.requestQueue = es.requestsReceivedPrevEpochs.concat(es.requestsReceivedThisEpoch);
  return cBroadcastToEveryone(c.config, c.myIndex, { type: '1a', bal1a: v });
}

/** #18 CProposerMaybeEnterPhase2: with a quorum of 1bs for my ballot in phase 1, enter phase 2 at `ltp`. */
export function cProposerMaybeEnterPhase2(c: CReplicaConstants, s: CProposer, ltp: COperationNumber, T: ProposerTable): CPacket[] {
  if (
    s.received1bPackets.length < cMinQuorumSize(c.config) ||
    !T.cSetOfMessage1bAboutBallot(s.received1bPackets, s.maxBallotISent1a, T) ||
    s.currentState !== 1
  ) {
    return [];
  }
  s.currentState = 2;
  s.nextOperationNumberToPropose = ltp;
  return cBroadcastToEveryone(c.config, c.myIndex, { type: 'StartingPhase2', bal2: s.maxBallotISent1a, logTruncationPoint2: ltp });
}

/** #19 CProposerMaybeNominateValueAndSend2a: the dispatcher (§7.3); the first matching branch wins. */
export function cProposerMaybeNominateValueAndSend2a(
  c: CReplicaConstants,
  s: CProposer,
  clock: number,
  ltp: COperationNumber,
  T: ProposerTable,
): CPacket[] {
  const p = c.params;
  const opn = s.nextOperationNumberToPropose;
  const S = s.received1bPackets;
  const queued = s.requestQueue.length;
  const timer = s.incompleteBatchTimer;
  if (!T.cProposerCanNominateUsingOperationNumber(c, s, ltp, opn, T)) return [];
  if (!T.cAllAcceptorsHadNoProposal(S, opn)) return T.cProposerNominateOldValueAndSend2a(c, s, ltp, T);
  if (
    T.cExistsAcceptorHasProposalLargeThanOpn(S, opn) ||
    queued >= p.maxBatchSize ||
    (queued > 0 && timer.type === 'On' && clock >= timer.when)
  ) {
    return T.cProposerNominateNewValueAndSend2a(c, s, clock, ltp);
  }
  if (queued > 0 && timer.type === 'Off') {
    s.incompleteBatchTimer = { type: 'On', when: cUpperBoundedAddition(clock, p.maxBatchDelay, p.maxIntegerVal) };
  }
  return [];
}

/**
 * #20 CProposerNominateNewValueAndSend2a: propose the first `min(|queue|, maxBatchSize)` requests
 * (possibly none) for the next slot, cut off the queue in one splice; re-arm the batch timer
 * exactly when requests are left.
 */
export function cProposerNominateNewValueAndSend2a(c: CReplicaConstants, s: CProposer, clock: number, _ltp: COperationNumber): CPacket[] {
  const p = c.params;
  const opn = s.nextOperationNumberToPropose;
  const k = Math.min(s.requestQueue.length, p.maxBatchSize);
  const batch = s.requestQueue.splice(0, k);
  s.nextOperationNumberToPropose = opn + 1;
  s.incompleteBatchTimer =
    s.requestQueue.length > 0 ? { type: 'On', when: cUpperBoundedAddition(clock, p.maxBatchDelay, p.maxIntegerVal) } : timerOff;
  return cBroadcastToEveryone(c.config, c.myIndex, { type: '2a', bal2a: s.maxBallotISent1a, opn2a: opn, val2a: batch });
}

/**
 * #21 CProposerNominateOldValueAndSend2a: re-propose, for the next slot, the value of a vote whose
 * ballot no other vote for that slot exceeds (the first such 1b in the set is the witness, so the
 * choice is one of the spec relation's outcomes). Queue and timer are unchanged. Precondition:
 * CanNominate and some 1b has a vote for the slot; without a vote nothing happens.
 */
export function cProposerNominateOldValueAndSend2a(
  c: CReplicaConstants,
  s: CProposer,
  _ltp: COperationNumber,
  T: ProposerTable,
): CPacket[] {
  const opn = s.nextOperationNumberToPropose;
  const S = s.received1bPackets;
  let witness: CVote | undefined;
  for (const p of S) {
    const w = p.msg.votes.get(opn);
    if (w !== undefined && T.cmax_balInS(w.maxValueBal, S, opn)) {
      witness = w;
      break;
    }
  }
  if (witness === undefined) return [];
  s.nextOperationNumberToPropose = opn + 1;
  return cBroadcastToEveryone(c.config, c.myIndex, { type: '2a', bal2a: s.maxBallotISent1a, opn2a: opn, val2a: witness.maxVal });
}

// ---------------------------------------------------------------------------------------------
// Given helpers: the election-driven actions

/** After the election state moved to a later view: step down (only phase and queue are cleared, §15.8). */
function stepDownIfViewMoved(s: CProposer, before: CBallot): void {
  if (cBalLt(before, s.electionState.currentView)) {
    s.currentState = 0;
    s.requestQueue = [];
  }
}

/** CProposerProcessHeartbeat. */
export function cProposerProcessHeartbeat(
  c: CReplicaConstants,
  s: CProposer,
  p: CPacket<CMessageOf<'Heartbeat'>>,
  clock: number,
  T: ProposerTable,
): void {
  const before = s.electionState.currentView;
  T.cElectionStateProcessHeartbeat(c, s.electionState, p, clock);
  stepDownIfViewMoved(s, before);
}

/** CProposerCheckForViewTimeout. */
export function cProposerCheckForViewTimeout(c: CReplicaConstants, s: CProposer, clock: number, T: ProposerTable): void {
  T.cElectionStateCheckForViewTimeout(c, s.electionState, clock);
}

/** CProposerCheckForQuorumOfViewSuspicions. */
export function cProposerCheckForQuorumOfViewSuspicions(c: CReplicaConstants, s: CProposer, clock: number, T: ProposerTable): void {
  const before = s.electionState.currentView;
  T.cElectionStateCheckForQuorumOfViewSuspicions(c, s.electionState, clock);
  stepDownIfViewMoved(s, before);
}

/** CProposerResetViewTimerDueToExecution. */
export function cProposerResetViewTimerDueToExecution(
  c: CReplicaConstants,
  s: CProposer,
  batch: readonly CRequest[],
  T: ProposerTable,
): void {
  T.cElectionStateReflectExecutedRequestBatch(c, s.electionState, batch);
}

// ---------------------------------------------------------------------------------------------
// Abstraction

function abstractTimer(t: CIncompleteBatchTimer): IncompleteBatchTimer {
  return t.type === 'On' ? incompleteBatchTimerOn(t.when) : incompleteBatchTimerOff();
}

export function abstractProposer(s: CProposer): ProposerState {
  return ProposerStateRecord({
    currentState: s.currentState,
    requestQueue: List(s.requestQueue.map(abstractRequest)),
    maxBallotISent1a: abstractBallot(s.maxBallotISent1a),
    nextOperationNumberToPropose: s.nextOperationNumberToPropose,
    received1bPackets: ISet(s.received1bPackets.map((p) => abstractPacket(p) as Packet<Message1b>)),
    highestSeqnoRequestedByClientThisView: IMap(s.highestSeqnoRequestedByClientThisView),
    incompleteBatchTimer: abstractTimer(s.incompleteBatchTimer),
    electionState: abstractElectionState(s.electionState),
  });
}

export function concreteProposer(s: ProposerState): CProposer {
  const t = s.incompleteBatchTimer;
  return {
    currentState: s.currentState,
    requestQueue: concreteRequests(s.requestQueue),
    maxBallotISent1a: concreteBallot(s.maxBallotISent1a),
    nextOperationNumberToPropose: s.nextOperationNumberToPropose,
    received1bPackets: s.received1bPackets.toArray().map((p) => concretePacket(p) as C1bPacket),
    highestSeqnoRequestedByClientThisView: new Map(s.highestSeqnoRequestedByClientThisView),
    incompleteBatchTimer: t.type === 'On' ? { type: 'On', when: t.when } : timerOff,
    electionState: concreteElectionState(s.electionState),
  };
}
