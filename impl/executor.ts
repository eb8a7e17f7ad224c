/** The concrete executor and reply cache (rsl-protocol.md §9): updated in place, and its abstraction. */
import type { ExecutorState, OutstandingOperation } from '../spec/index.js';
import { ExecutorStateRecord, outstandingOpKnown, outstandingOpUnknown } from '../spec/index.js';
import { cAppHandleRequest, cAppInitialize } from './app.js';
import { cIsReplica, cMe, cReplicaConstantsValid } from './configuration.js';
import {
  abstractBallot,
  abstractBatch,
  abstractReplyCache,
  cBallot,
  cBalLeq,
  cBroadcastToEveryone,
  concreteBallot,
  concreteBatch,
  concreteReplyCache,
} from './message.js';
import type { CBallot, CEndPoint, CMessageOf, COperationNumber, CPacket, CReply, CReplicaConstants, CRequestBatch } from './types.js';

export type COutstandingOperation =
  { readonly type: 'Known'; readonly v: CRequestBatch; readonly bal: CBallot } | { readonly type: 'Unknown' };

export interface CExecutor {
  app: number;
  opsComplete: COperationNumber;
  maxBalReflected: CBallot;
  nextOpToExecute: COutstandingOperation;
  replyCache: Map<CEndPoint, CReply>;
}

const unknown: COutstandingOperation = Object.freeze({ type: 'Unknown' });

/** CExecutorInit. */
export function cExecutorInit(_c: CReplicaConstants): CExecutor {
  return { app: cAppInitialize(), opsComplete: 0, maxBalReflected: cBallot(0, 0), nextOpToExecute: unknown, replyCache: new Map() };
}

/** CExecutorGetDecision: remember the decided batch of the next slot (the replica checked `opn == opsComplete`). */
export function cExecutorGetDecision(_c: CReplicaConstants, s: CExecutor, bal: CBallot, _opn: COperationNumber, v: CRequestBatch): void {
  s.nextOpToExecute = { type: 'Known', v, bal };
}

/**
 * CExecutorExecute: run the known batch, one reply per request in batch order; a client not yet
 * in the reply cache gets its first reply of the batch cached, a cached client keeps its entry
 * ([V] UpdateNewCache).
 */
export function cExecutorExecute(c: CReplicaConstants, s: CExecutor): CPacket[] {
  const next = s.nextOpToExecute;
  if (next.type !== 'Known' || !(s.opsComplete < c.params.maxIntegerVal) || !cReplicaConstantsValid(c)) return [];
  const self = cMe(c);
  const sent: CPacket[] = [];
  let app = s.app;
  for (const req of next.v) {
    const [state, reply] = cAppHandleRequest(app, req.request);
    app = state;
    sent.push({ dst: req.client, src: self, msg: { type: 'Reply', seqnoReply: req.seqno, reply } });
    if (!s.replyCache.has(req.client)) s.replyCache.set(req.client, { client: req.client, seqno: req.seqno, reply });
  }
  s.app = app;
  s.opsComplete += 1;
  if (cBalLeq(s.maxBalReflected, next.bal)) s.maxBalReflected = next.bal;
  s.nextOpToExecute = unknown;
  return sent;
}

/** CExecutorProcessAppStateSupply: adopt the supplied state (the replica checked the gate). */
export function cExecutorProcessAppStateSupply(_c: CReplicaConstants, s: CExecutor, inp: CPacket<CMessageOf<'AppStateSupply'>>): void {
  const m = inp.msg;
  s.app = m.appState;
  s.opsComplete = m.opnStateSupply;
  s.maxBalReflected = m.balStateSupply;
  s.nextOpToExecute = unknown;
  s.replyCache = new Map(m.replyCache);
}

/** CExecutorProcessAppStateRequest: a replica at least as far along answers with (a copy of) its state. */
export function cExecutorProcessAppStateRequest(
  c: CReplicaConstants,
  s: CExecutor,
  inp: CPacket<CMessageOf<'AppStateRequest'>>,
): CPacket[] {
  const m = inp.msg;
  if (
    !cIsReplica(inp.src, c.config) ||
    !cBalLeq(s.maxBalReflected, m.balStateReq) ||
    s.opsComplete < m.opnStateReq ||
    !cReplicaConstantsValid(c)
  ) {
    return [];
  }
  const supply: CMessageOf<'AppStateSupply'> = {
    type: 'AppStateSupply',
    balStateSupply: s.maxBalReflected,
    opnStateSupply: s.opsComplete,
    appState: s.app,
    replyCache: new Map(s.replyCache),
  };
  return [{ dst: inp.src, src: cMe(c), msg: supply }];
}

/** CExecutorProcessStartingPhase2: behind the new leader's truncation point: ask for state transfer. */
export function cExecutorProcessStartingPhase2(c: CReplicaConstants, s: CExecutor, inp: CPacket<CMessageOf<'StartingPhase2'>>): CPacket[] {
  const m = inp.msg;
  if (!cIsReplica(inp.src, c.config) || m.logTruncationPoint2 <= s.opsComplete) return [];
  return cBroadcastToEveryone(c.config, c.myIndex, { type: 'AppStateRequest', balStateReq: m.bal2, opnStateReq: m.logTruncationPoint2 });
}

/** CExecutorProcessRequest: resend the cached reply on an exact seqno match. */
export function cExecutorProcessRequest(c: CReplicaConstants, s: CExecutor, inp: CPacket<CMessageOf<'Request'>>): CPacket[] {
  const cached = s.replyCache.get(inp.src);
  if (cached === undefined || inp.msg.seqnoReq !== cached.seqno || !cReplicaConstantsValid(c)) return [];
  return [{ dst: cached.client, src: cMe(c), msg: { type: 'Reply', seqnoReply: cached.seqno, reply: cached.reply } }];
}

// ---------------------------------------------------------------------------------------------
// Abstraction

function abstractOutstanding(o: COutstandingOperation): OutstandingOperation {
  return o.type === 'Known' ? outstandingOpKnown(abstractBatch(o.v), abstractBallot(o.bal)) : outstandingOpUnknown();
}

export function abstractExecutor(s: CExecutor): ExecutorState {
  return ExecutorStateRecord({
    app: s.app,
    opsComplete: s.opsComplete,
    maxBalReflected: abstractBallot(s.maxBalReflected),
    nextOpToExecute: abstractOutstanding(s.nextOpToExecute),
    replyCache: abstractReplyCache(s.replyCache),
  });
}

export function concreteExecutor(s: ExecutorState): CExecutor {
  const o = s.nextOpToExecute;
  return {
    app: s.app,
    opsComplete: s.opsComplete,
    maxBalReflected: concreteBallot(s.maxBalReflected),
    nextOpToExecute: o.type === 'Known' ? { type: 'Known', v: concreteBatch(o.v), bal: concreteBallot(o.bal) } : unknown,
    replyCache: concreteReplyCache(s.replyCache),
  };
}
