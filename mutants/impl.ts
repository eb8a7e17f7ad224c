/**
 * Seeded bugs in the implementation (impl/): each is the correct implementation table with ONE
 * entry replaced by a broken copy. The model explores the correct spec; refinement (run at every
 * explored transition and on every stuttering replica action) must catch each one, naming the
 * function at fault. test/impl/mutants.test.ts pins the obligation and the trace length.
 */
import { cAddVoteAndRemoveOldOnes, type CAcceptor } from '../impl/acceptor.js';
import { defaultImplActions, type ImplActions, type ImplFunctionName } from '../impl/actions.js';
import {
  cBoundSequenceInPlace,
  cGetReplicaIndex,
  cIsReplica,
  cMe,
  cMinQuorumSize,
  cReplicaConstantsValid,
  cUpperBoundedAddition,
} from '../impl/configuration.js';
import { cComputeSuccessorView, type CElectionState } from '../impl/election.js';
import { cBalEq, cBalLeq, cBalLt, cBroadcastToEveryone } from '../impl/message.js';
import type { CProposer } from '../impl/proposer.js';
import type { CReplica, ReplicaTable } from '../impl/replica.js';
import type { CMessageOf, COperationNumber, CPacket, CReplicaConstants, CRequest } from '../impl/types.js';

export interface ImplMutant {
  /** The `--mutant` name: `impl-<role>-<what is broken>`. */
  readonly name: string;
  readonly description: string;
  /** The one entry of the implementation table that is replaced. */
  readonly entry: ImplFunctionName;
  readonly impl: ImplActions;
}

function implMutant<K extends ImplFunctionName>(name: string, description: string, entry: K, broken: ImplActions[K]): ImplMutant {
  return Object.freeze({ name, description, entry, impl: Object.freeze({ ...defaultImplActions, [entry]: broken }) });
}

/** CAcceptorTruncateLog keeping the vote just below the new truncation point. */
function truncateLogOffByOne(_c: CReplicaConstants, s: CAcceptor, opn: COperationNumber): void {
  if (opn <= s.logTruncationPoint) return;
  s.logTruncationPoint = opn;
  for (const k of s.votes.keys()) if (k < opn - 1) s.votes.delete(k);
  let min = Infinity;
  for (const k of s.votes.keys()) if (k < min) min = k;
  s.minVoteOpn = min;
}

/** CAcceptorProcess1a writing the promise before comparing ballots: a lower 1a lowers max_bal. */
function process1aPromiseBeforeCheck(c: CReplicaConstants, s: CAcceptor, inp: CPacket<CMessageOf<'1a'>>): CPacket[] {
  const bal = inp.msg.bal1a;
  const before = s.maxBal;
  if (cIsReplica(inp.src, c.config)) s.maxBal = bal;
  if (!cIsReplica(inp.src, c.config) || !cBalLt(before, bal) || !cReplicaConstantsValid(c)) return [];
  return [
    { dst: inp.src, src: cMe(c), msg: { type: '1b', bal1b: bal, logTruncationPoint: s.logTruncationPoint, votes: new Map(s.votes) } },
  ];
}

/** CAcceptorProcessHeartbeat without the `>` test: an old heartbeat lowers a checkpoint. */
function heartbeatLowersCheckpoint(c: CReplicaConstants, s: CAcceptor, inp: CPacket<CMessageOf<'Heartbeat'>>): void {
  if (!cIsReplica(inp.src, c.config)) return;
  const k = cGetReplicaIndex(inp.src, c.config);
  if (k >= 0 && k < s.lastCheckpointedOperation.length) s.lastCheckpointedOperation[k] = inp.msg.opnCkpt;
}

/** The replica's 2a handler recording the vote before its ballot check (the vote stays when the check fails). */
function voteBeforeGate(c: CReplicaConstants, r: CReplica, p: CPacket<CMessageOf<'2a'>>, T: ReplicaTable): CPacket[] {
  const a = r.acceptor;
  if (cIsReplica(p.src, c.config) && a.logTruncationPoint <= p.msg.opn2a) {
    cAddVoteAndRemoveOldOnes(a, p.msg.opn2a, { maxValueBal: p.msg.bal2a, maxVal: p.msg.val2a }, a.logTruncationPoint);
  }
  if (!cIsReplica(p.src, c.config) || !cBalLeq(a.maxBal, p.msg.bal2a) || !(p.msg.opn2a <= c.params.maxIntegerVal)) return [];
  return T.cAcceptorProcess2a(c, a, p);
}

/** The replica's 1b gate without the one-per-sender test: a repeated 1b enters the set twice. */
function oneBFromSameSenderTwice(c: CReplicaConstants, r: CReplica, p: CPacket<CMessageOf<'1b'>>, T: ReplicaTable): CPacket[] {
  const pr = r.proposer;
  if (!cIsReplica(p.src, c.config) || !cBalEq(p.msg.bal1b, pr.maxBallotISent1a) || pr.currentState !== 1) return [];
  T.cProposerProcess1b(c, pr, p);
  T.cAcceptorTruncateLog(c, r.acceptor, p.msg.logTruncationPoint);
  return [];
}

/** CProposerNominateNewValueAndSend2a cutting the batch one request short (the request stays queued). */
function batchOneShort(c: CReplicaConstants, s: CProposer, clock: number, _ltp: COperationNumber): CPacket[] {
  const p = c.params;
  const opn = s.nextOperationNumberToPropose;
  const k = Math.min(s.requestQueue.length, p.maxBatchSize);
  const batch = s.requestQueue.splice(0, Math.max(0, k - 1));
  s.nextOperationNumberToPropose = opn + 1;
  s.incompleteBatchTimer =
    s.requestQueue.length > 0 ? { type: 'On', when: cUpperBoundedAddition(clock, p.maxBatchDelay, p.maxIntegerVal) } : { type: 'Off' };
  return cBroadcastToEveryone(c.config, c.myIndex, { type: '2a', bal2a: s.maxBallotISent1a, opn2a: opn, val2a: batch });
}

/** CElectionStateReflectReceivedRequest looking for the request in the earlier epochs only: a repeat is recorded again. */
function reflectRequestTwice(c: CReplicaConstants, es: CElectionState, req: CRequest): void {
  for (const r of es.requestsReceivedPrevEpochs) if (r.client === req.client && r.seqno === req.seqno) return;
  es.requestsReceivedThisEpoch.push(req);
  cBoundSequenceInPlace(es.requestsReceivedThisEpoch, c.params.maxIntegerVal);
}

/** CElectionStateCheckForQuorumOfViewSuspicions moving to the next view without clearing the suspectors of the old one. */
function viewChangeKeepsSuspectors(c: CReplicaConstants, es: CElectionState, clock: number): void {
  const maxi = c.params.maxIntegerVal;
  if (es.currentViewSuspectors.size < cMinQuorumSize(c.config) || !(es.currentView.seqno < maxi)) return;
  const epochLength = cUpperBoundedAddition(es.epochLength, es.epochLength, maxi);
  es.currentView = cComputeSuccessorView(es.currentView, c.config);
  es.epochLength = epochLength;
  es.epochEndTime = cUpperBoundedAddition(clock, epochLength, maxi);
  for (const r of es.requestsReceivedThisEpoch) es.requestsReceivedPrevEpochs.push(r);
  cBoundSequenceInPlace(es.requestsReceivedPrevEpochs, maxi);
  es.requestsReceivedThisEpoch = [];
}

export const implMutants: readonly ImplMutant[] = Object.freeze([
  implMutant(
    'impl-acceptor-truncates-one-short',
    'CAcceptorTruncateLog removes the votes below opn-1 instead of opn (off by one)',
    'cAcceptorTruncateLog',
    truncateLogOffByOne,
  ),
  implMutant(
    'impl-acceptor-promises-before-check',
    'CAcceptorProcess1a sets max_bal before comparing ballots, so a lower 1a lowers the promise',
    'cAcceptorProcess1a',
    process1aPromiseBeforeCheck,
  ),
  implMutant(
    'impl-acceptor-heartbeat-lowers-checkpoint',
    'CAcceptorProcessHeartbeat stores opn_ckpt without checking that it is higher',
    'cAcceptorProcessHeartbeat',
    heartbeatLowersCheckpoint,
  ),
  implMutant(
    'impl-replica-votes-before-ballot-check',
    'the 2a handler records the vote before the ballot check, and keeps it when the check fails',
    'cReplicaNextProcess2a',
    voteBeforeGate,
  ),
  implMutant(
    'impl-replica-1b-twice-from-one-sender',
    'the 1b gate does not check the sender, so a repeated 1b enters the received set again',
    'cReplicaNextProcess1b',
    oneBFromSameSenderTwice,
  ),
  implMutant(
    'impl-proposer-batch-one-short',
    'CProposerNominateNewValueAndSend2a proposes one request fewer than min(|queue|, max_batch_size)',
    'cProposerNominateNewValueAndSend2a',
    batchOneShort,
  ),
  implMutant(
    'impl-election-records-request-twice',
    'CElectionStateReflectReceivedRequest looks only in the earlier epochs, so a repeated request is recorded again',
    'cElectionStateReflectReceivedRequest',
    reflectRequestTwice,
  ),
  implMutant(
    'impl-election-view-change-keeps-suspectors',
    "CElectionStateCheckForQuorumOfViewSuspicions moves to the next view but keeps the old view's suspectors",
    'cElectionStateCheckForQuorumOfViewSuspicions',
    viewChangeKeepsSuspectors,
  ),
]);

export function findImplMutant(name: string): ImplMutant | undefined {
  return implMutants.find((m) => m.name === name);
}
