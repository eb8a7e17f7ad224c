/**
 * The concrete acceptor (rsl-protocol.md §5, §13.2 #1-#4): mutable state, updated in place.
 * The seed's CAcceptorTruncateLog, CAcceptorProcessHeartbeat, CAcceptorProcess1a and
 * CAcceptorProcess2a, the given helpers, and the abstraction to the spec's AcceptorState.
 */
import { List } from 'immutable';
import type { AcceptorState } from '../spec/index.js';
import { AcceptorStateRecord } from '../spec/index.js';
import { cGetReplicaIndex, cIsReplica, cMe, cReplicaConstantsValid } from './configuration.js';
import { abstractBallot, abstractVotes, cBallot, cBalLt, cBroadcastToEveryone, concreteBallot, concreteVotes } from './message.js';
import type { CBallot, CMessageOf, COperationNumber, CPacket, CReplicaConstants, CVote, CVotes } from './types.js';

export interface CAcceptor {
  maxBal: CBallot;
  readonly votes: CVotes;
  readonly lastCheckpointedOperation: COperationNumber[];
  logTruncationPoint: COperationNumber;
  /**
   * Cache (the lab authors' `min_vote_opn`): the smallest slot that has a vote, `Infinity` when
   * there is none. Truncating at or below it removes nothing, so the vote map is scanned only
   * when something will be removed. Not part of the abstraction.
   */
  minVoteOpn: COperationNumber;
}

/** CAcceptorInit. */
export function cAcceptorInit(c: CReplicaConstants): CAcceptor {
  return {
    maxBal: cBallot(0, 0),
    votes: new Map(),
    lastCheckpointedOperation: c.config.replicaIds.map(() => 0),
    logTruncationPoint: 0,
    minVoteOpn: Infinity,
  };
}

/** The cache invariant: `minVoteOpn` is exactly the smallest vote slot. */
export function cAcceptorValid(s: CAcceptor): boolean {
  let min = Infinity;
  for (const opn of s.votes.keys()) if (opn < min) min = opn;
  return min === s.minVoteOpn;
}

// ---------------------------------------------------------------------------------------------
// Given helpers, in place

/** CRemoveVotesBeforeLogTruncationPoint, in place: drop the votes of slots below `ltp` (one pass, only if any). */
export function cRemoveVotesBeforeLogTruncationPoint(s: CAcceptor, ltp: COperationNumber): void {
  if (s.minVoteOpn >= ltp) return;
  let min = Infinity;
  for (const opn of s.votes.keys()) {
    if (opn < ltp) s.votes.delete(opn);
    else if (opn < min) min = opn;
  }
  s.minVoteOpn = min;
}

/** CAddVoteAndRemoveOldOnes, in place: record the vote at `opn`, then drop the slots below `ltp`. */
export function cAddVoteAndRemoveOldOnes(s: CAcceptor, opn: COperationNumber, v: CVote, ltp: COperationNumber): void {
  s.votes.set(opn, v);
  if (opn < s.minVoteOpn) s.minVoteOpn = opn;
  cRemoveVotesBeforeLogTruncationPoint(s, ltp);
}

// ---------------------------------------------------------------------------------------------
// The seed's four functions

/** #1 CAcceptorTruncateLog: move the truncation point up to `opn`, dropping older votes. */
export function cAcceptorTruncateLog(_c: CReplicaConstants, s: CAcceptor, opn: COperationNumber): void {
  if (opn <= s.logTruncationPoint) return;
  s.logTruncationPoint = opn;
  cRemoveVotesBeforeLogTruncationPoint(s, opn);
}

/** #2 CAcceptorProcessHeartbeat: raise the sender's last checkpointed operation. */
export function cAcceptorProcessHeartbeat(c: CReplicaConstants, s: CAcceptor, inp: CPacket<CMessageOf<'Heartbeat'>>): void {
  if (!cIsReplica(inp.src, c.config)) return;
  const k = cGetReplicaIndex(inp.src, c.config);
  const current = s.lastCheckpointedOperation[k];
  if (k < 0 || current === undefined || inp.msg.opnCkpt <= current) return;
  s.lastCheckpointedOperation[k] = inp.msg.opnCkpt;
}

/** #3 CAcceptorProcess1a: promise a strictly higher ballot and answer with a 1b carrying a copy of the votes. */
export function cAcceptorProcess1a(c: CReplicaConstants, s: CAcceptor, inp: CPacket<CMessageOf<'1a'>>): CPacket[] {
  const bal = inp.msg.bal1a;
  if (!cIsReplica(inp.src, c.config) || !cBalLt(s.maxBal, bal) || !cReplicaConstantsValid(c)) return [];
  // The 1b gets its own copy: the vote map goes on changing, the message never does.
  const reply: CPacket = {
    dst: inp.src,
    src: cMe(c),
    msg: { type: '1b', bal1b: bal, logTruncationPoint: s.logTruncationPoint, votes: new Map(s.votes) },
  };
  s.maxBal = bal;
  return [reply];
}

/**
 * #4 CAcceptorProcess2a: accept, keep at most `maxLogLength` slots ending at `opn2a`, broadcast
 * the 2b. A slot already truncated still gets its 2b, but no vote (§15.7). The replica checks the
 * gate (sender is a replica, `maxBal <= bal2a`, `opn2a <= MAXI`).
 */
export function cAcceptorProcess2a(c: CReplicaConstants, s: CAcceptor, inp: CPacket<CMessageOf<'2a'>>): CPacket[] {
  const m = inp.msg;
  const newLtp = Math.max(s.logTruncationPoint, m.opn2a - c.params.maxLogLength + 1);
  if (s.logTruncationPoint <= m.opn2a) cAddVoteAndRemoveOldOnes(s, m.opn2a, { maxValueBal: m.bal2a, maxVal: m.val2a }, newLtp);
  s.maxBal = m.bal2a;
  s.logTruncationPoint = newLtp;
  return cBroadcastToEveryone(c.config, c.myIndex, { type: '2b', bal2b: m.bal2a, opn2b: m.opn2a, val2b: m.val2a });
}

// ---------------------------------------------------------------------------------------------
// Abstraction

/** The spec value of a concrete acceptor (the Verus `@`). */
export function abstractAcceptor(s: CAcceptor): AcceptorState {
  return AcceptorStateRecord({
    maxBal: abstractBallot(s.maxBal),
    votes: abstractVotes(s.votes),
    lastCheckpointedOperation: List(s.lastCheckpointedOperation),
    logTruncationPoint: s.logTruncationPoint,
  });
}

/** A fresh concrete acceptor for a spec value. */
export function concreteAcceptor(a: AcceptorState): CAcceptor {
  const votes = concreteVotes(a.votes);
  let minVoteOpn = Infinity;
  for (const opn of votes.keys()) if (opn < minVoteOpn) minVoteOpn = opn;
  return {
    maxBal: concreteBallot(a.maxBal),
    votes,
    lastCheckpointedOperation: a.lastCheckpointedOperation.toArray(),
    logTruncationPoint: a.logTruncationPoint,
    minVoteOpn,
  };
}
