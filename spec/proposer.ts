/** The proposer, i.e. the leader role (rsl-protocol.md §7). Every function is pure. */
import { List, Map, Record, Set, type RecordOf } from 'immutable';
import { broadcastToEveryone } from './broadcast.js';
import { minQuorumSize, type ReplicaConstants } from './configuration.js';
import {
  electionStateCheckForQuorumOfViewSuspicions,
  electionStateCheckForViewTimeout,
  electionStateInit,
  electionStateProcessHeartbeat,
  electionStateReflectExecutedRequestBatch,
  electionStateReflectReceivedRequest,
  type ElectionState,
} from './election.js';
import {
  message1a,
  message2a,
  messageStartingPhase2,
  outcome,
  type Message1b,
  type MessageHeartbeat,
  type MessageRequest,
  type Outcome,
  type Packet,
} from './message.js';
import {
  balLeq,
  balLt,
  ballot,
  ltUpperBound,
  request,
  upperBoundedAddition,
  type AppMessage,
  type Ballot,
  type EndPoint,
  type OperationNumber,
  type Request,
  type RequestBatch,
  type Vote,
} from './types.js';

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

// ---------------------------------------------------------------------------------------------
// Predicates over a set S of 1b packets (§7.2). S may hold any packets: a packet whose message is
// not a 1b carries no votes and no truncation point.

/** The vote a packet's 1b reports for slot `opn`, if any. */
function voteAt(p: Packet, opn: OperationNumber): Vote | undefined {
  return p.msg.type === '1b' ? p.msg.votes.get(opn) : undefined;
}

/** LIsAfterLogTruncationPoint (§7.2): no 1b in S has truncated its log beyond `opn`. */
export function isAfterLogTruncationPoint(opn: OperationNumber, S: Set<Packet>): boolean {
  return S.every((p) => p.msg.type !== '1b' || p.msg.logTruncationPoint <= opn);
}

/** LSetOfMessage1b (§7.2): every packet of S is a 1b. */
export function setOfMessage1b(S: Set<Packet>): boolean {
  return S.every((p) => p.msg.type === '1b');
}

/** LSetOfMessage1bAboutBallot (§7.2): every packet of S is a 1b for ballot `b`. */
export function setOfMessage1bAboutBallot(S: Set<Packet>, b: Ballot): boolean {
  return S.every((p) => p.msg.type === '1b' && p.msg.bal1b.equals(b));
}

/** LAllAcceptorsHadNoProposal (§7.2): no packet of S (every one is inspected) has a vote for `opn`. */
export function allAcceptorsHadNoProposal(S: Set<Packet>, opn: OperationNumber): boolean {
  return S.every((p) => voteAt(p, opn) === undefined);
}

/** LExistVotesHasProposalLargeThanOpn [V] (§7.2): the packet's 1b has a vote for some slot above `op`. */
export function existVotesHasProposalLargeThanOpn(p: Packet, op: OperationNumber): boolean {
  return p.msg.type === '1b' && p.msg.votes.keySeq().some((o) => o > op);
}

/** LExistsAcceptorHasProposalLargeThanOpn [V] (§7.2): some 1b of S has a vote for a slot above `op`. */
export function existsAcceptorHasProposalLargeThanOpn(S: Set<Packet>, op: OperationNumber): boolean {
  return S.some((p) => existVotesHasProposalLargeThanOpn(p, op));
}

/**
 * Lmax_balInS [V] (D: LMaxBallotInS, §7.2): every vote for slot `opn` in S has a ballot `<= c`.
 * Only the votes for `opn` are compared, never those of other slots (§15.6).
 */
export function maxBalInS(c: Ballot, S: Set<Packet>, opn: OperationNumber): boolean {
  return S.every((p) => {
    const w = voteAt(p, opn);
    return w === undefined || balLeq(w.maxValueBal, c);
  });
}

/** LExistsBallotInS (§7.2): some 1b of S voted for value `v` at ballot `c` in slot `opn`. */
export function existsBallotInS(v: RequestBatch, c: Ballot, S: Set<Packet>, opn: OperationNumber): boolean {
  return S.some((p) => {
    const w = voteAt(p, opn);
    return w !== undefined && w.maxValueBal.equals(c) && w.maxVal.equals(v);
  });
}

/** LValIsHighestNumberedProposalAtBallot (§7.2): `v` was voted at `c`, and `c` is the highest ballot voted for `opn`. */
export function valIsHighestNumberedProposalAtBallot(v: RequestBatch, c: Ballot, S: Set<Packet>, opn: OperationNumber): boolean {
  return maxBalInS(c, S, opn) && existsBallotInS(v, c, S, opn);
}

/**
 * LValIsHighestNumberedProposal (§7.2): `∃c: LValIsHighestNumberedProposalAtBallot(v, c, S, opn)`.
 * Only a ballot at which `v` was actually voted can witness it, so those are the ones tried.
 */
export function valIsHighestNumberedProposal(v: RequestBatch, S: Set<Packet>, opn: OperationNumber): boolean {
  return S.some((p) => {
    const w = voteAt(p, opn);
    return w !== undefined && w.maxVal.equals(v) && maxBalInS(w.maxValueBal, S, opn);
  });
}

/**
 * LProposerCanNominateUsingOperationNumber (§7.2): the leader of the current view, in phase 2 with
 * a quorum of 1bs for its ballot, may propose for `opn` (not truncated by any 1b, and fewer than
 * `maxLogLength` slots ahead of its own acceptor's truncation point `ltp`).
 */
export function proposerCanNominateUsingOperationNumber(
  c: ReplicaConstants,
  s: ProposerState,
  ltp: OperationNumber,
  opn: OperationNumber,
): boolean {
  const params = c.all.params;
  return (
    s.electionState.currentView.equals(s.maxBallotISent1a) &&
    s.currentState === 2 &&
    s.received1bPackets.size >= minQuorumSize(c.all.config) &&
    setOfMessage1bAboutBallot(s.received1bPackets, s.maxBallotISent1a) &&
    isAfterLogTruncationPoint(opn, s.received1bPackets) &&
    opn < upperBoundedAddition(ltp, params.maxLogLength, params.maxIntegerVal) &&
    opn >= 0 &&
    ltUpperBound(opn, params.maxIntegerVal)
  );
}

// ---------------------------------------------------------------------------------------------
// Actions (§7.3)

/**
 * LProposerProcessRequest (§7.3): every replica records the request in its election state; a
 * leader (phase 1 or 2) also queues it unless the client already sent this seqno or a higher one
 * in this view.
 */
export function proposerProcessRequest(c: ReplicaConstants, s: ProposerState, p: Packet<MessageRequest>): ProposerState {
  const val = request(p.src, p.msg.seqnoReq, p.msg.val);
  const electionState = electionStateReflectReceivedRequest(c, s.electionState, val);
  const highest = s.highestSeqnoRequestedByClientThisView.get(val.client);
  if (s.currentState !== 0 && (highest === undefined || val.seqno > highest)) {
    return s.merge({
      electionState,
      requestQueue: s.requestQueue.push(val),
      highestSeqnoRequestedByClientThisView: s.highestSeqnoRequestedByClientThisView.set(val.client, val.seqno),
    });
  }
  return s.set('electionState', electionState);
}

/**
 * LProposerMaybeEnterNewViewAndSend1a (§7.3): when the current view is mine and newer than my
 * last 1a, start phase 1 of it: forget the old view's 1bs and per-client seqnos, queue every
 * request the election state is waiting for, and broadcast the 1a. The next slot and the batch
 * timer are left alone.
 */
export function proposerMaybeEnterNewViewAndSend1a(c: ReplicaConstants, s: ProposerState): Outcome<ProposerState> {
  const es = s.electionState;
  const v = es.currentView;
  if (v.proposerId !== c.myIndex || !balLt(s.maxBallotISent1a, v)) return outcome(s);
  const state = s.merge({
    currentState: 1,
    maxBallotISent1a: v,
    received1bPackets: Set(),
    highestSeqnoRequestedByClientThisView: Map(),
    requestQueue: es.requestsReceivedPrevEpochs.concat(es.requestsReceivedThisEpoch),
  });
  return outcome(state, broadcastToEveryone(c.all.config, c.myIndex, message1a(v)));
}

/** LProposerProcess1b (§7.3): add the 1b to the received set. The caller checks the replica-level gate (§10.2). */
export function proposerProcess1b(_c: ReplicaConstants, s: ProposerState, p: Packet<Message1b>): ProposerState {
  return s.set('received1bPackets', s.received1bPackets.add(p));
}

/**
 * LProposerMaybeEnterPhase2 (§7.3): with a quorum of 1bs for my ballot while in phase 1, enter
 * phase 2 at slot `ltp` (my own acceptor's truncation point) and announce it.
 */
export function proposerMaybeEnterPhase2(c: ReplicaConstants, s: ProposerState, ltp: OperationNumber): Outcome<ProposerState> {
  if (
    s.received1bPackets.size < minQuorumSize(c.all.config) ||
    !setOfMessage1bAboutBallot(s.received1bPackets, s.maxBallotISent1a) ||
    s.currentState !== 1
  ) {
    return outcome(s);
  }
  const state = s.merge({ currentState: 2, nextOperationNumberToPropose: ltp });
  return outcome(state, broadcastToEveryone(c.all.config, c.myIndex, messageStartingPhase2(s.maxBallotISent1a, ltp)));
}

/**
 * LProposerNominateNewValueAndSend2a (§7.3): propose the first `min(|queue|, maxBatchSize)` queued
 * requests (possibly none: an empty batch fills a hole) for the next slot. The batch timer is
 * re-armed exactly when requests are left in the queue. Precondition (checked by the dispatcher):
 * CanNominate and AllAcceptorsHadNoProposal for the next slot; `ltp` only appears there.
 */
export function proposerNominateNewValueAndSend2a(
  c: ReplicaConstants,
  s: ProposerState,
  clock: number,
  _ltp: OperationNumber,
): Outcome<ProposerState> {
  const params = c.all.params;
  const opn = s.nextOperationNumberToPropose;
  const queue = s.requestQueue;
  const k = Math.min(queue.size, params.maxBatchSize);
  const timer =
    queue.size > k
      ? incompleteBatchTimerOn(upperBoundedAddition(clock, params.maxBatchDelay, params.maxIntegerVal))
      : incompleteBatchTimerOff();
  const state = s.merge({
    requestQueue: queue.skip(k),
    nextOperationNumberToPropose: opn + 1,
    incompleteBatchTimer: timer,
  });
  const sent = broadcastToEveryone(c.all.config, c.myIndex, message2a(s.maxBallotISent1a, opn, queue.take(k)));
  return outcome(state, sent);
}

/**
 * LProposerNominateOldValueAndSend2a [V] (§7.3, §15.4), a relation: for some 1b `p` in the
 * received set whose vote for the next slot is a highest-numbered proposal, re-propose that vote's
 * value. Returns one outcome per distinct such value, ordered by value (canonical, independent of
 * how the set was built); none when no 1b has a vote for the slot. Queue and timer are unchanged.
 * Precondition (checked by the dispatcher): CanNominate for the next slot; `ltp` only appears there.
 */
export function proposerNominateOldValueAndSend2a(
  c: ReplicaConstants,
  s: ProposerState,
  _ltp: OperationNumber,
): readonly Outcome<ProposerState>[] {
  const opn = s.nextOperationNumberToPropose;
  const S: Set<Packet> = s.received1bPackets;
  const values = S.toList()
    .map((p) => voteAt(p, opn)?.maxVal)
    .filter((v): v is RequestBatch => v !== undefined && valIsHighestNumberedProposal(v, S, opn))
    .toSet()
    .sort(compareBatches);
  const state = s.set('nextOperationNumberToPropose', opn + 1);
  return values.toArray().map((v) => outcome(state, broadcastToEveryone(c.all.config, c.myIndex, message2a(s.maxBallotISent1a, opn, v))));
}

/**
 * LProposerMaybeNominateValueAndSend2a (§7.3): the dispatcher; the first matching branch wins.
 * (1) cannot nominate: no-op; (2) some 1b voted for the slot: NominateOld (a relation);
 * (3) a later slot has a vote, a full batch is queued, or the batch timer expired: NominateNew;
 * (4) requests queued and no timer: arm it; (5) otherwise no-op. Branches other than (2) give
 * exactly one outcome.
 */
export function proposerMaybeNominateValueAndSend2a(
  c: ReplicaConstants,
  s: ProposerState,
  clock: number,
  ltp: OperationNumber,
): readonly Outcome<ProposerState>[] {
  const params = c.all.params;
  const opn = s.nextOperationNumberToPropose;
  const S: Set<Packet> = s.received1bPackets;
  const queued = s.requestQueue.size;
  const timer = s.incompleteBatchTimer;
  if (!proposerCanNominateUsingOperationNumber(c, s, ltp, opn)) return [outcome(s)];
  if (!allAcceptorsHadNoProposal(S, opn)) return proposerNominateOldValueAndSend2a(c, s, ltp);
  if (
    existsAcceptorHasProposalLargeThanOpn(S, opn) ||
    queued >= params.maxBatchSize ||
    (queued > 0 && timer.type === 'On' && clock >= timer.when)
  ) {
    return [proposerNominateNewValueAndSend2a(c, s, clock, ltp)];
  }
  if (queued > 0 && timer.type === 'Off') {
    const when = upperBoundedAddition(clock, params.maxBatchDelay, params.maxIntegerVal);
    return [outcome(s.set('incompleteBatchTimer', incompleteBatchTimerOn(when)))];
  }
  return [outcome(s)];
}

/**
 * A new election state; if its view is newer than the old one, step down: only the phase and the
 * request queue are cleared (§15.8), 1bs, ballot, next slot, seqnos and timer are kept.
 */
function withElectionState(s: ProposerState, electionState: ElectionState): ProposerState {
  if (balLt(s.electionState.currentView, electionState.currentView)) {
    return s.merge({ electionState, currentState: 0, requestQueue: List() });
  }
  return s.set('electionState', electionState);
}

/** LProposerProcessHeartbeat (§7.3): let the election state process the heartbeat; step down if the view moved. */
export function proposerProcessHeartbeat(c: ReplicaConstants, s: ProposerState, p: Packet<MessageHeartbeat>, clock: number): ProposerState {
  return withElectionState(s, electionStateProcessHeartbeat(c, s.electionState, p, clock));
}

/** LProposerCheckForViewTimeout (§7.3): the election state's view-timeout check; nothing else changes. */
export function proposerCheckForViewTimeout(c: ReplicaConstants, s: ProposerState, clock: number): ProposerState {
  return s.set('electionState', electionStateCheckForViewTimeout(c, s.electionState, clock));
}

/** LProposerCheckForQuorumOfViewSuspicions (§7.3): the election state's check; step down if the view moved. */
export function proposerCheckForQuorumOfViewSuspicions(c: ReplicaConstants, s: ProposerState, clock: number): ProposerState {
  return withElectionState(s, electionStateCheckForQuorumOfViewSuspicions(c, s.electionState, clock));
}

/** LProposerResetViewTimerDueToExecution (§7.3): the election state forgets the requests the batch satisfies. */
export function proposerResetViewTimerDueToExecution(c: ReplicaConstants, s: ProposerState, batch: RequestBatch): ProposerState {
  return s.set('electionState', electionStateReflectExecutedRequestBatch(c, s.electionState, batch));
}

// ---------------------------------------------------------------------------------------------
// A total order on batches, so that the outcomes of the NominateOld relation come in an order that
// depends only on their values (immutable's Set iteration order depends on how the set was built).

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareAppMessages(a: AppMessage, b: AppMessage): number {
  const response = (m: AppMessage): number => (m.type === 'AppIncrementReply' ? m.response : 0);
  return compareStrings(a.type, b.type) || compareNumbers(response(a), response(b));
}

function compareRequests(a: Request, b: Request): number {
  return compareStrings(a.client, b.client) || compareNumbers(a.seqno, b.seqno) || compareAppMessages(a.request, b.request);
}

/** Lexicographic; a proper prefix comes first. */
function compareBatches(a: RequestBatch, b: RequestBatch): number {
  const first = a.zipWith(compareRequests, b).find((d) => d !== 0);
  return first ?? compareNumbers(a.size, b.size);
}
