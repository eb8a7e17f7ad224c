/** Leader election and view change (rsl-protocol.md §6). Every function is pure. */
import { List, Record, Set, type RecordOf } from 'immutable';
import { boundRequestSequence } from './collections.js';
import { getReplicaIndex, isReplica, minQuorumSize, type Configuration, type ReplicaConstants } from './configuration.js';
import type { MessageHeartbeat, Packet } from './message.js';
import { balLt, ballot, ltUpperBound, upperBoundedAddition, type Ballot, type Request, type RequestBatch } from './types.js';

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

// ---------------------------------------------------------------------------------------------
// Helpers (§6.2)

/** ComputeSuccessorView (§6.2): the next proposer in replica order, wrapping to a higher seqno. */
export function computeSuccessorView(b: Ballot, config: Configuration): Ballot {
  const [seqno, proposerId] = successorViewFields(b.seqno, b.proposerId, config);
  return ballot(seqno, proposerId);
}

/** The seqno and proposer id of ComputeSuccessorView's result, without building the ballot. */
export function successorViewFields(seqno: number, proposerId: number, config: Configuration): readonly [number, number] {
  return proposerId + 1 < config.replicaIds.size ? [seqno, proposerId + 1] : [seqno + 1, 0];
}

/** RequestsMatch (§6.2): same client and same seqno (the payload is not compared). */
export function requestsMatch(r1: Request, r2: Request): boolean {
  return r1.client === r2.client && r1.seqno === r2.seqno;
}

/** RequestSatisfiedBy (§6.2): executing `r2` satisfies `r1` (same client, seqno not above). */
export function requestSatisfiedBy(r1: Request, r2: Request): boolean {
  return r1.client === r2.client && r1.seqno <= r2.seqno;
}

/**
 * RemoveAllSatisfiedRequestsInSequence (§6.2): drop every request satisfied by `r`, keeping order.
 * Returns `s` itself when nothing is dropped.
 */
export function removeAllSatisfiedRequestsInSequence(s: List<Request>, r: Request): List<Request> {
  const kept = s.filter((x) => !requestSatisfiedBy(x, r));
  return kept.size === s.size ? s : kept;
}

/** RemoveExecutedRequestBatch (§6.2): apply RemoveAllSatisfiedRequestsInSequence for each request of `batch`, in order. */
export function removeExecutedRequestBatch(reqs: List<Request>, batch: RequestBatch): List<Request> {
  return batch.reduce((acc, r) => removeAllSatisfiedRequestsInSequence(acc, r), reqs);
}

/** Start a new epoch: both request lists merge into the "previous epochs" list (bounded by MAXI). */
function requestsIntoPrevEpochs(c: ReplicaConstants, es: ElectionState): List<Request> {
  return boundRequestSequence(es.requestsReceivedPrevEpochs.concat(es.requestsReceivedThisEpoch), c.all.params.maxIntegerVal);
}

// ---------------------------------------------------------------------------------------------
// Actions (§6.3)

/**
 * ElectionStateProcessHeartbeat (§6.3): a suspicious heartbeat about the current view adds its
 * sender to the suspectors; a heartbeat from a higher view moves to that view (doubling the epoch
 * length). Nothing else changes anything: in particular a non-suspicious heartbeat about the
 * current view never removes a suspector (§15.9).
 */
export function electionStateProcessHeartbeat(
  c: ReplicaConstants,
  es: ElectionState,
  p: Packet<MessageHeartbeat>,
  clock: number,
): ElectionState {
  if (!isReplica(p.src, c.all.config)) return es;
  const k = getReplicaIndex(p.src, c.all.config);
  const m = p.msg;
  if (m.balHeartbeat.equals(es.currentView) && m.suspicious) {
    return es.set('currentViewSuspectors', es.currentViewSuspectors.add(k));
  }
  if (!balLt(es.currentView, m.balHeartbeat)) return es;
  const maxi = c.all.params.maxIntegerVal;
  const epochLength = upperBoundedAddition(es.epochLength, es.epochLength, maxi);
  return es.merge({
    currentView: m.balHeartbeat,
    currentViewSuspectors: m.suspicious ? Set([k]) : Set(),
    epochLength,
    epochEndTime: upperBoundedAddition(clock, epochLength, maxi),
    requestsReceivedPrevEpochs: requestsIntoPrevEpochs(c, es),
    requestsReceivedThisEpoch: List(),
  });
}

/**
 * ElectionStateCheckForViewTimeout (§6.3): at the end of an epoch, either start a quiet epoch of
 * baseline length (no request has waited a whole epoch) or suspect the current view.
 */
export function electionStateCheckForViewTimeout(c: ReplicaConstants, es: ElectionState, clock: number): ElectionState {
  if (clock < es.epochEndTime) return es;
  const params = c.all.params;
  if (es.requestsReceivedPrevEpochs.size === 0) {
    return es.merge({
      epochLength: params.baselineViewTimeoutPeriod,
      epochEndTime: upperBoundedAddition(clock, params.baselineViewTimeoutPeriod, params.maxIntegerVal),
      requestsReceivedPrevEpochs: es.requestsReceivedThisEpoch,
      requestsReceivedThisEpoch: List(),
    });
  }
  return es.merge({
    currentViewSuspectors: es.currentViewSuspectors.add(c.myIndex),
    epochEndTime: upperBoundedAddition(clock, es.epochLength, params.maxIntegerVal),
    requestsReceivedPrevEpochs: requestsIntoPrevEpochs(c, es),
    requestsReceivedThisEpoch: List(),
  });
}

/**
 * ElectionStateCheckForQuorumOfViewSuspicions (§6.3): once a quorum suspects the current view,
 * move to its successor view with a doubled epoch length.
 */
export function electionStateCheckForQuorumOfViewSuspicions(c: ReplicaConstants, es: ElectionState, clock: number): ElectionState {
  const maxi = c.all.params.maxIntegerVal;
  if (es.currentViewSuspectors.size < minQuorumSize(c.all.config) || !ltUpperBound(es.currentView.seqno, maxi)) {
    return es;
  }
  const epochLength = upperBoundedAddition(es.epochLength, es.epochLength, maxi);
  return es.merge({
    currentView: computeSuccessorView(es.currentView, c.all.config),
    currentViewSuspectors: Set(),
    epochLength,
    epochEndTime: upperBoundedAddition(clock, epochLength, maxi),
    requestsReceivedPrevEpochs: requestsIntoPrevEpochs(c, es),
    requestsReceivedThisEpoch: List(),
  });
}

/**
 * ElectionStateReflectReceivedRequest (§6.3): remember a request not seen before (matched by
 * client and seqno in either epoch list) in this epoch's list.
 */
export function electionStateReflectReceivedRequest(c: ReplicaConstants, es: ElectionState, req: Request): ElectionState {
  const seen = (r: Request): boolean => requestsMatch(r, req);
  if (es.requestsReceivedPrevEpochs.some(seen) || es.requestsReceivedThisEpoch.some(seen)) return es;
  return es.set('requestsReceivedThisEpoch', boundRequestSequence(es.requestsReceivedThisEpoch.push(req), c.all.params.maxIntegerVal));
}

/** ElectionStateReflectExecutedRequestBatch (§6.3): forget every request the executed batch satisfies. */
export function electionStateReflectExecutedRequestBatch(_c: ReplicaConstants, es: ElectionState, batch: RequestBatch): ElectionState {
  return es.merge({
    requestsReceivedPrevEpochs: removeExecutedRequestBatch(es.requestsReceivedPrevEpochs, batch),
    requestsReceivedThisEpoch: removeExecutedRequestBatch(es.requestsReceivedThisEpoch, batch),
  });
}
