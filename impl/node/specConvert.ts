/**
 * Concrete <-> spec values for the `--engine spec` adapter: structural copies between impl/types.ts
 * and the spec's immutable records (the Verus `@` and its inverse), for packets and constants.
 */
import { List, Map as IMap } from 'immutable';
import {
  appIncrementReply,
  appIncrementRequest,
  appInvalidReply,
  ballot,
  configuration,
  message1a,
  message1b,
  message2a,
  message2b,
  messageAppStateRequest,
  messageAppStateSupply,
  messageHeartbeat,
  messageInvalid,
  messageReply,
  messageRequest,
  messageStartingPhase2,
  packet,
  reply,
  request,
  vote,
  type AppMessage,
  type Ballot,
  type Packet,
  type ReplicaConstants,
  type RequestBatch,
  type RslMessage,
} from '../../spec/index.js';
import type { CAppMessage, CBallot, CMessage, CPacket, CReplicaConstants, CRequestBatch } from '../types.js';

function absBallot(b: CBallot): Ballot {
  return ballot(b.seqno, b.proposerId);
}

function absApp(m: CAppMessage): AppMessage {
  if (m.type === 'AppIncrementRequest') return appIncrementRequest();
  if (m.type === 'AppIncrementReply') return appIncrementReply(m.response);
  return appInvalidReply();
}

function absBatch(v: CRequestBatch): RequestBatch {
  return List(v.map((q) => request(q.client, q.seqno, absApp(q.request))));
}

export function abstractMessage(m: CMessage): RslMessage {
  switch (m.type) {
    case 'Invalid':
      return messageInvalid();
    case 'Request':
      return messageRequest(m.seqnoReq, absApp(m.val));
    case '1a':
      return message1a(absBallot(m.bal1a));
    case '1b':
      return message1b(
        absBallot(m.bal1b),
        m.logTruncationPoint,
        IMap([...m.votes].map(([opn, v]) => [opn, vote(absBallot(v.maxValueBal), absBatch(v.maxVal))] as const)),
      );
    case '2a':
      return message2a(absBallot(m.bal2a), m.opn2a, absBatch(m.val2a));
    case '2b':
      return message2b(absBallot(m.bal2b), m.opn2b, absBatch(m.val2b));
    case 'Heartbeat':
      return messageHeartbeat(absBallot(m.balHeartbeat), m.suspicious, m.opnCkpt);
    case 'Reply':
      return messageReply(m.seqnoReply, absApp(m.reply));
    case 'AppStateRequest':
      return messageAppStateRequest(absBallot(m.balStateReq), m.opnStateReq);
    case 'AppStateSupply':
      return messageAppStateSupply(
        absBallot(m.balStateSupply),
        m.opnStateSupply,
        m.appState,
        IMap([...m.replyCache].map(([ep, r]) => [ep, reply(r.client, r.seqno, absApp(r.reply))] as const)),
      );
    case 'StartingPhase2':
      return messageStartingPhase2(absBallot(m.bal2), m.logTruncationPoint2);
  }
}

export function abstractPacket(p: CPacket): Packet {
  return packet(p.dst, p.src, abstractMessage(p.msg));
}

function conBallot(b: Ballot): CBallot {
  return { seqno: b.seqno, proposerId: b.proposerId };
}

function conApp(m: AppMessage): CAppMessage {
  if (m.type === 'AppIncrementRequest') return { type: 'AppIncrementRequest' };
  if (m.type === 'AppIncrementReply') return { type: 'AppIncrementReply', response: m.response };
  return { type: 'AppInvalidReply' };
}

function conBatch(v: RequestBatch): CRequestBatch {
  return v.toArray().map((q) => ({ client: q.client, seqno: q.seqno, request: conApp(q.request) }));
}

export function concreteMessage(m: RslMessage): CMessage {
  switch (m.type) {
    case 'Invalid':
      return { type: 'Invalid' };
    case 'Request':
      return { type: 'Request', seqnoReq: m.seqnoReq, val: conApp(m.val) };
    case '1a':
      return { type: '1a', bal1a: conBallot(m.bal1a) };
    case '1b':
      return {
        type: '1b',
        bal1b: conBallot(m.bal1b),
        logTruncationPoint: m.logTruncationPoint,
        votes: new Map([...m.votes].map(([opn, v]) => [opn, { maxValueBal: conBallot(v.maxValueBal), maxVal: conBatch(v.maxVal) }] as const)),
      };
    case '2a':
      return { type: '2a', bal2a: conBallot(m.bal2a), opn2a: m.opn2a, val2a: conBatch(m.val2a) };
    case '2b':
      return { type: '2b', bal2b: conBallot(m.bal2b), opn2b: m.opn2b, val2b: conBatch(m.val2b) };
    case 'Heartbeat':
      return { type: 'Heartbeat', balHeartbeat: conBallot(m.balHeartbeat), suspicious: m.suspicious, opnCkpt: m.opnCkpt };
    case 'Reply':
      return { type: 'Reply', seqnoReply: m.seqnoReply, reply: conApp(m.reply) };
    case 'AppStateRequest':
      return { type: 'AppStateRequest', balStateReq: conBallot(m.balStateReq), opnStateReq: m.opnStateReq };
    case 'AppStateSupply':
      return {
        type: 'AppStateSupply',
        balStateSupply: conBallot(m.balStateSupply),
        opnStateSupply: m.opnStateSupply,
        appState: m.appState,
        replyCache: new Map([...m.replyCache].map(([ep, r]) => [ep, { client: r.client, seqno: r.seqno, reply: conApp(r.reply) }] as const)),
      };
    case 'StartingPhase2':
      return { type: 'StartingPhase2', bal2: conBallot(m.bal2), logTruncationPoint2: m.logTruncationPoint2 };
  }
}

export function concretePacket(p: Packet): CPacket {
  return { dst: p.dst, src: p.src, msg: concreteMessage(p.msg) };
}

/** The spec's constants for concrete ones (`Infinity` = an unbounded counter). */
export function abstractConstants(c: CReplicaConstants): ReplicaConstants {
  const { maxIntegerVal, ...rest } = c.params;
  return {
    myIndex: c.myIndex,
    all: {
      config: configuration(c.config.replicaIds),
      params: { ...rest, maxIntegerVal: Number.isFinite(maxIntegerVal) ? { kind: 'Finite', n: maxIntegerVal } : { kind: 'Infinite' } },
    },
  };
}
