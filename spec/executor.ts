/** The executor and its reply cache (rsl-protocol.md §9). Every function is pure. */
import { Map, Record, type RecordOf } from 'immutable';
import { appInitialize, handleRequestBatch } from './app.js';
import { broadcastToEveryone } from './broadcast.js';
import { isReplica, me, replicaConstantsValid, type ReplicaConstants } from './configuration.js';
import {
  messageAppStateRequest,
  messageAppStateSupply,
  messageReply,
  outcome,
  packet,
  type MessageAppStateRequest,
  type MessageAppStateSupply,
  type MessageRequest,
  type MessageStartingPhase2,
  type Outcome,
  type Packet,
} from './message.js';
import {
  balLeq,
  ballot,
  ltUpperBound,
  type AppState,
  type Ballot,
  type EndPoint,
  type OperationNumber,
  type Reply,
  type ReplyCache,
  type RequestBatch,
} from './types.js';
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

/**
 * LExecutorGetDecision (§9.3): remember the decided batch of the next slot.
 * Precondition (checked by the replica): `opn == opsComplete` and the next op is Unknown.
 */
export function executorGetDecision(
  _c: ReplicaConstants,
  s: ExecutorState,
  bal: Ballot,
  _opn: OperationNumber,
  v: RequestBatch,
): ExecutorState {
  return s.set('nextOpToExecute', outstandingOpKnown(v, bal));
}

/**
 * [V] ClientsInReplies: one reply per client; when a client has several replies in a batch the
 * earliest one wins.
 */
function clientsInReplies(replies: List<Reply>): Map<EndPoint, Reply> {
  return Map<EndPoint, Reply>().withMutations((m) => {
    for (const r of replies) if (!m.has(r.client)) m.set(r.client, r);
  });
}

/** [V] UpdateNewCache: add the batch's replies for clients not yet cached; never overwrite an entry. */
function updateNewCache(cache: ReplyCache, replies: List<Reply>): ReplyCache {
  let next = cache;
  for (const [client, r] of clientsInReplies(replies)) if (!next.has(client)) next = next.set(client, r);
  return next;
}

/**
 * LExecutorExecute (§9.3): apply the known batch to the app, advance `opsComplete`, update the
 * reply cache ([V] UpdateNewCache) and send one reply per request, in batch order.
 * Disabled (no-op) unless the next op is Known, `opsComplete < max_integer_val` and the constants are valid.
 */
export function executorExecute(c: ReplicaConstants, s: ExecutorState): Outcome<ExecutorState> {
  const next = s.nextOpToExecute;
  if (next.type !== 'Known' || !ltUpperBound(s.opsComplete, c.all.params.maxIntegerVal) || !replicaConstantsValid(c)) {
    return outcome(s);
  }
  const { states, replies } = handleRequestBatch(s.app, next.v);
  const self = me(c);
  const sent = replies.map((r) => packet(r.client, self, messageReply(r.seqno, r.reply)));
  const state = s.merge({
    app: states.last(s.app),
    opsComplete: s.opsComplete + 1,
    maxBalReflected: balLeq(s.maxBalReflected, next.bal) ? next.bal : s.maxBalReflected,
    nextOpToExecute: outstandingOpUnknown(),
    replyCache: updateNewCache(s.replyCache, replies),
  });
  return outcome(state, sent);
}

/**
 * LExecutorProcessAppStateSupply (§9.3): adopt the supplied app state, slot count, ballot and
 * ([V]) reply cache. Precondition (checked by the replica): `src` is a replica and
 * `opnStateSupply > opsComplete`.
 */
export function executorProcessAppStateSupply(_c: ReplicaConstants, s: ExecutorState, inp: Packet<MessageAppStateSupply>): ExecutorState {
  const m = inp.msg;
  return s.merge({
    app: m.appState,
    opsComplete: m.opnStateSupply,
    maxBalReflected: m.balStateSupply,
    nextOpToExecute: outstandingOpUnknown(),
    replyCache: m.replyCache,
  });
}

/**
 * LExecutorProcessAppStateRequest (§9.3): a replica at least as far along (in slots and in
 * ballot) answers with its state. The state never changes.
 */
export function executorProcessAppStateRequest(
  c: ReplicaConstants,
  s: ExecutorState,
  inp: Packet<MessageAppStateRequest>,
): Outcome<ExecutorState> {
  const m = inp.msg;
  if (
    isReplica(inp.src, c.all.config) &&
    balLeq(s.maxBalReflected, m.balStateReq) &&
    s.opsComplete >= m.opnStateReq &&
    replicaConstantsValid(c)
  ) {
    const supply = messageAppStateSupply(s.maxBalReflected, s.opsComplete, s.app, s.replyCache);
    return outcome(s, List([packet(inp.src, me(c), supply)]));
  }
  return outcome(s);
}

/**
 * LExecutorProcessStartingPhase2 (§9.3): an executor behind the new leader's log truncation point
 * broadcasts a request for state transfer. The state never changes.
 */
export function executorProcessStartingPhase2(
  c: ReplicaConstants,
  s: ExecutorState,
  inp: Packet<MessageStartingPhase2>,
): Outcome<ExecutorState> {
  const m = inp.msg;
  if (isReplica(inp.src, c.all.config) && m.logTruncationPoint2 > s.opsComplete) {
    return outcome(s, broadcastToEveryone(c.all.config, c.myIndex, messageAppStateRequest(m.bal2, m.logTruncationPoint2)));
  }
  return outcome(s);
}

/**
 * LExecutorProcessRequest (§9.3, [V]/[D15]): resend the cached reply, but only when the request's
 * seqno is exactly the cached one. Precondition (checked by the replica): `src` has a cache entry
 * with `seqno >= seqnoReq`. The state never changes.
 */
export function executorProcessRequest(c: ReplicaConstants, s: ExecutorState, inp: Packet<MessageRequest>): Outcome<ExecutorState> {
  const cached = s.replyCache.get(inp.src);
  if (cached !== undefined && inp.msg.seqnoReq === cached.seqno && replicaConstantsValid(c)) {
    return outcome(s, List([packet(cached.client, me(c), messageReply(cached.seqno, cached.reply))]));
  }
  return outcome(s);
}
