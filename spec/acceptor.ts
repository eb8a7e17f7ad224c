/** The acceptor (rsl-protocol.md §5). Every function is pure. */
import { List, Map, Record, type RecordOf } from 'immutable';
import { broadcastToEveryone } from './broadcast.js';
import { isNthHighestValueInSequence } from './collections.js';
import {
  getReplicaIndex,
  isReplica,
  me,
  minQuorumSize,
  replicaConstantsValid,
  type Configuration,
  type ReplicaConstants,
} from './configuration.js';
import {
  message1b,
  message2b,
  outcome,
  packet,
  type Message1a,
  type Message2a,
  type MessageHeartbeat,
  type Outcome,
  type Packet,
} from './message.js';
import { balLt, ballot, vote, type Ballot, type OperationNumber, type Vote, type Votes } from './types.js';

export interface AcceptorStateProps {
  readonly maxBal: Ballot;
  readonly votes: Votes;
  readonly lastCheckpointedOperation: List<OperationNumber>;
  readonly logTruncationPoint: OperationNumber;
}
export type AcceptorState = RecordOf<AcceptorStateProps>;
export const AcceptorStateRecord = Record<AcceptorStateProps>(
  { maxBal: ballot(0, 0), votes: Map(), lastCheckpointedOperation: List(), logTruncationPoint: 0 },
  'AcceptorState',
);

/** LAcceptorInit: no promise, no votes, one zero checkpoint per replica. */
export function acceptorInit(c: ReplicaConstants): AcceptorState {
  return AcceptorStateRecord({
    maxBal: ballot(0, 0),
    votes: Map(),
    lastCheckpointedOperation: List(Array.from({ length: c.all.config.replicaIds.size }, () => 0)),
    logTruncationPoint: 0,
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers (§5.2)

/**
 * RemoveVotesBeforeLogTruncationPoint (§5.2): the votes of slots `>= ltp`. Returns `votes` itself
 * when nothing is removed, so an unchanged map keeps its identity.
 */
export function removeVotesBeforeLogTruncationPoint(votes: Votes, ltp: OperationNumber): Votes {
  const kept = votes.filter((_v, opn) => opn >= ltp);
  return kept.size === votes.size ? votes : kept;
}

/**
 * LAddVoteAndRemoveOldOnes (§5.2): record `newVote` at `newOpn`, then keep only slots `>= ltp`
 * (so a vote below `ltp` is not stored at all).
 */
export function addVoteAndRemoveOldOnes(votes: Votes, newOpn: OperationNumber, newVote: Vote, ltp: OperationNumber): Votes {
  return removeVotesBeforeLogTruncationPoint(votes.set(newOpn, newVote), ltp);
}

/**
 * IsLogTruncationPointValid (§5.2): `ltp` is the Q-th highest checkpoint of `lco`, with the [V]
 * strict bound `Q < |lco|` (§15.1: never true when n is 1 or 2).
 */
export function isLogTruncationPointValid(ltp: OperationNumber, lco: List<OperationNumber>, config: Configuration): boolean {
  return isNthHighestValueInSequence(ltp, lco, minQuorumSize(config));
}

// ---------------------------------------------------------------------------------------------
// Actions (§5.3)

/**
 * LAcceptorProcess1a (§5.3): promise a strictly higher ballot from a replica and answer with a 1b
 * carrying the whole vote log; otherwise a no-op. Strict `<`: each ballot is answered at most once.
 */
export function acceptorProcess1a(c: ReplicaConstants, s: AcceptorState, inp: Packet<Message1a>): Outcome<AcceptorState> {
  const bal = inp.msg.bal1a;
  if (!isReplica(inp.src, c.all.config) || !balLt(s.maxBal, bal) || !replicaConstantsValid(c)) return outcome(s);
  const reply = packet(inp.src, me(c), message1b(bal, s.logTruncationPoint, s.votes));
  return outcome(s.set('maxBal', bal), List([reply]));
}

/**
 * LAcceptorProcess2a (§5.3): accept the proposal and broadcast the 2b to every replica. The caller
 * checks the replica-level gate (sender is a replica, `maxBal <= bal2a`, `opn2a <= MAXI`, §10.2).
 * Accepting slot `opn` truncates the log to at most `maxLogLength` slots ending at `opn`. A slot
 * already below the truncation point still gets its 2b broadcast, but its vote is not stored (§15.7).
 */
export function acceptorProcess2a(c: ReplicaConstants, s: AcceptorState, inp: Packet<Message2a>): Outcome<AcceptorState> {
  const m = inp.msg;
  const newLtp = Math.max(s.logTruncationPoint, m.opn2a - c.all.params.maxLogLength + 1);
  const votes = s.logTruncationPoint <= m.opn2a ? addVoteAndRemoveOldOnes(s.votes, m.opn2a, vote(m.bal2a, m.val2a), newLtp) : s.votes;
  const sent = broadcastToEveryone(c.all.config, c.myIndex, message2b(m.bal2a, m.opn2a, m.val2a));
  return outcome(s.merge({ maxBal: m.bal2a, logTruncationPoint: newLtp, votes }), sent);
}

/**
 * LAcceptorProcessHeartbeat (§5.3): raise the sender's last checkpointed operation to the
 * heartbeat's `opnCkpt` when that is higher; otherwise a no-op.
 */
export function acceptorProcessHeartbeat(c: ReplicaConstants, s: AcceptorState, inp: Packet<MessageHeartbeat>): AcceptorState {
  if (!isReplica(inp.src, c.all.config)) return s;
  const k = getReplicaIndex(inp.src, c.all.config);
  const current = s.lastCheckpointedOperation.get(k);
  if (k < 0 || current === undefined || inp.msg.opnCkpt <= current) return s;
  return s.set('lastCheckpointedOperation', s.lastCheckpointedOperation.set(k, inp.msg.opnCkpt));
}

/** LAcceptorTruncateLog (§5.3): move the truncation point up to `opn` and drop the older votes. */
export function acceptorTruncateLog(_c: ReplicaConstants, s: AcceptorState, opn: OperationNumber): AcceptorState {
  if (opn <= s.logTruncationPoint) return s;
  return s.merge({ logTruncationPoint: opn, votes: removeVotesBeforeLogTruncationPoint(s.votes, opn) });
}
