/**
 * The concrete election state (rsl-protocol.md §6, §13.2 #5-#8): the seed's
 * CElectionStateReflectReceivedRequest, CElectionStateCheckForViewTimeout,
 * CElectionStateCheckForQuorumOfViewSuspicions and CElectionStateProcessHeartbeat, the given
 * helpers, and the abstraction. Request lists are arrays appended and filtered in place.
 */
import { Set as ISet } from 'immutable';
import type { ElectionState } from '../spec/index.js';
import { ElectionStateRecord } from '../spec/index.js';
import { cBoundSequenceInPlace, cGetReplicaIndex, cIsReplica, cMinQuorumSize, cUpperBoundedAddition } from './configuration.js';
import { abstractBallot, abstractRequest, cBalEq, cBallot, cBalLt, concreteBallot, concreteRequests } from './message.js';
import type { CBallot, CConfiguration, CEndPoint, CMessageOf, CPacket, CReplicaConstants, CRequest, CRequestBatch } from './types.js';
import { List } from 'immutable';

export interface CElectionState {
  currentView: CBallot;
  /** Replica indices that suspect `currentView`. */
  readonly currentViewSuspectors: Set<number>;
  epochEndTime: number;
  epochLength: number;
  requestsReceivedThisEpoch: CRequest[];
  requestsReceivedPrevEpochs: CRequest[];
}

/** CElectionStateInit: view (1,0). */
export function cElectionStateInit(c: CReplicaConstants): CElectionState {
  return {
    currentView: cBallot(1, 0),
    currentViewSuspectors: new Set(),
    epochEndTime: 0,
    epochLength: c.params.baselineViewTimeoutPeriod,
    requestsReceivedThisEpoch: [],
    requestsReceivedPrevEpochs: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Given helpers

/** CComputeSuccessorView. */
export function cComputeSuccessorView(b: CBallot, c: CConfiguration): CBallot {
  return b.proposerId + 1 < c.replicaIds.length ? cBallot(b.seqno, b.proposerId + 1) : cBallot(b.seqno + 1, 0);
}

/** CRequestsMatch: same client and seqno. */
export function cRequestsMatch(r1: CRequest, r2: CRequest): boolean {
  return r1.client === r2.client && r1.seqno === r2.seqno;
}

/**
 * CRemoveExecutedRequestBatch, one pass and in place: the spec folds RemoveAllSatisfiedRequests
 * over the batch, which removes exactly the requests some batch request satisfies (same client,
 * seqno not above), i.e. those at or below their client's highest seqno in the batch.
 */
export function cRemoveExecutedRequestBatch(reqs: CRequest[], highest: ReadonlyMap<CEndPoint, number>): void {
  let kept = 0;
  for (const r of reqs) {
    const h = highest.get(r.client);
    if (h === undefined || r.seqno > h) reqs[kept++] = r;
  }
  reqs.length = kept;
}

/** CElectionStateReflectExecutedRequestBatch: forget the requests the executed batch satisfies. */
export function cElectionStateReflectExecutedRequestBatch(_c: CReplicaConstants, es: CElectionState, batch: CRequestBatch): void {
  if (batch.length === 0) return;
  const highest = new Map<CEndPoint, number>();
  for (const r of batch) {
    const h = highest.get(r.client);
    if (h === undefined || r.seqno > h) highest.set(r.client, r.seqno);
  }
  cRemoveExecutedRequestBatch(es.requestsReceivedPrevEpochs, highest);
  cRemoveExecutedRequestBatch(es.requestsReceivedThisEpoch, highest);
}

/** A new epoch: this epoch's requests are appended to the earlier epochs' (bounded by MAXI). */
function requestsIntoPrevEpochs(c: CReplicaConstants, es: CElectionState): void {
  const prev = es.requestsReceivedPrevEpochs;
  for (const r of es.requestsReceivedThisEpoch) prev.push(r);
  cBoundSequenceInPlace(prev, c.params.maxIntegerVal);
  es.requestsReceivedThisEpoch = [];
}

// ---------------------------------------------------------------------------------------------
// The seed's four functions

/** #5 CElectionStateReflectReceivedRequest: remember a request not seen in either list. */
export function cElectionStateReflectReceivedRequest(c: CReplicaConstants, es: CElectionState, req: CRequest): void {
  for (const r of es.requestsReceivedPrevEpochs) if (cRequestsMatch(r, req)) return;
  for (const r of es.requestsReceivedThisEpoch) if (cRequestsMatch(r, req)) return;
  es.requestsReceivedThisEpoch.push(req);
  cBoundSequenceInPlace(es.requestsReceivedThisEpoch, c.params.maxIntegerVal);
}

/** #6 CElectionStateCheckForViewTimeout: end of epoch: a quiet epoch, or suspect the view. */
export function cElectionStateCheckForViewTimeout(c: CReplicaConstants, es: CElectionState, clock: number): void {
  if (clock < es.epochEndTime) return;
  const p = c.params;
  if (es.requestsReceivedPrevEpochs.length === 0) {
    es.epochLength = p.baselineViewTimeoutPeriod;
    es.epochEndTime = cUpperBoundedAddition(clock, p.baselineViewTimeoutPeriod, p.maxIntegerVal);
    es.requestsReceivedPrevEpochs = es.requestsReceivedThisEpoch;
    es.requestsReceivedThisEpoch = [];
    return;
  }
  es.currentViewSuspectors.add(c.myIndex);
  es.epochEndTime = cUpperBoundedAddition(clock, es.epochLength, p.maxIntegerVal);
  requestsIntoPrevEpochs(c, es);
}

/** #7 CElectionStateCheckForQuorumOfViewSuspicions: a quorum suspects the view: move to its successor. */
export function cElectionStateCheckForQuorumOfViewSuspicions(c: CReplicaConstants, es: CElectionState, clock: number): void {
  const maxi = c.params.maxIntegerVal;
  if (es.currentViewSuspectors.size < cMinQuorumSize(c.config) || !(es.currentView.seqno < maxi)) return;
  const epochLength = cUpperBoundedAddition(es.epochLength, es.epochLength, maxi);
  es.currentView = cComputeSuccessorView(es.currentView, c.config);
  es.currentViewSuspectors.clear();
  es.epochLength = epochLength;
  es.epochEndTime = cUpperBoundedAddition(clock, epochLength, maxi);
  requestsIntoPrevEpochs(c, es);
}

/** #8 CElectionStateProcessHeartbeat: a suspicion of the current view, or a move to a later view. */
export function cElectionStateProcessHeartbeat(
  c: CReplicaConstants,
  es: CElectionState,
  p: CPacket<CMessageOf<'Heartbeat'>>,
  clock: number,
): void {
  if (!cIsReplica(p.src, c.config)) return;
  const k = cGetReplicaIndex(p.src, c.config);
  const m = p.msg;
  if (cBalEq(m.balHeartbeat, es.currentView) && m.suspicious) {
    es.currentViewSuspectors.add(k);
    return;
  }
  if (!cBalLt(es.currentView, m.balHeartbeat)) return;
  const maxi = c.params.maxIntegerVal;
  const epochLength = cUpperBoundedAddition(es.epochLength, es.epochLength, maxi);
  es.currentView = m.balHeartbeat;
  es.currentViewSuspectors.clear();
  if (m.suspicious) es.currentViewSuspectors.add(k);
  es.epochLength = epochLength;
  es.epochEndTime = cUpperBoundedAddition(clock, epochLength, maxi);
  requestsIntoPrevEpochs(c, es);
}

// ---------------------------------------------------------------------------------------------
// Abstraction

export function abstractElectionState(es: CElectionState): ElectionState {
  return ElectionStateRecord({
    currentView: abstractBallot(es.currentView),
    currentViewSuspectors: ISet(es.currentViewSuspectors),
    epochEndTime: es.epochEndTime,
    epochLength: es.epochLength,
    requestsReceivedThisEpoch: List(es.requestsReceivedThisEpoch.map(abstractRequest)),
    requestsReceivedPrevEpochs: List(es.requestsReceivedPrevEpochs.map(abstractRequest)),
  });
}

export function concreteElectionState(es: ElectionState): CElectionState {
  return {
    currentView: concreteBallot(es.currentView),
    currentViewSuspectors: new Set(es.currentViewSuspectors),
    epochEndTime: es.epochEndTime,
    epochLength: es.epochLength,
    requestsReceivedThisEpoch: concreteRequests(es.requestsReceivedThisEpoch),
    requestsReceivedPrevEpochs: concreteRequests(es.requestsReceivedPrevEpochs),
  };
}
