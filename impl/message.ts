/**
 * Concrete values <-> spec values (the Verus `@` on ballots, requests, votes, messages and
 * packets), ballot order on concrete ballots, and the concrete broadcast (rsl-protocol.md §1, §2, §4).
 *
 * Messages, packets, requests, replies, votes and ballots are never mutated once built (the
 * ownership rule of impl/types.ts), so their abstractions are memoised per object: a packet that
 * travels unchanged through a step is abstracted once. Mutable containers (a host's vote map,
 * request queue) are never memoised.
 */
import { List, Map } from 'immutable';
import type { AppMessage, Ballot, Packet, Reply, Request, RequestBatch, RslMessage, Vote, Votes } from '../spec/index.js';
import {
  appIncrementReply,
  appIncrementRequest,
  appInvalidReply,
  ballot,
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
} from '../spec/index.js';
import type {
  CAppMessage,
  CBallot,
  CConfiguration,
  CEndPoint,
  CMessage,
  CPacket,
  CReply,
  CRequest,
  CRequestBatch,
  CVote,
  CVotes,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Ballots (§1.1)

export function cBallot(seqno: number, proposerId: number): CBallot {
  return { seqno, proposerId };
}

export function cBalLt(a: CBallot, b: CBallot): boolean {
  return a.seqno < b.seqno || (a.seqno === b.seqno && a.proposerId < b.proposerId);
}

export function cBalLeq(a: CBallot, b: CBallot): boolean {
  return a.seqno < b.seqno || (a.seqno === b.seqno && a.proposerId <= b.proposerId);
}

/** Baleq: field-wise equality. */
export function cBalEq(a: CBallot, b: CBallot): boolean {
  return a.seqno === b.seqno && a.proposerId === b.proposerId;
}

/** LBroadcastToEveryone: one packet per replica in configuration order, self included; none for a bad index. */
export function cBroadcastToEveryone<M extends CMessage>(c: CConfiguration, myIndex: number, msg: M): CPacket<M>[] {
  const src = c.replicaIds[myIndex];
  if (src === undefined || myIndex < 0) return [];
  return c.replicaIds.map((dst) => ({ dst, src, msg }));
}

// ---------------------------------------------------------------------------------------------
// Abstraction (concrete -> spec)

const ballotMemo = new WeakMap<CBallot, Ballot>();
const requestMemo = new WeakMap<CRequest, Request>();
const voteMemo = new WeakMap<CVote, Vote>();
const packetMemo = new WeakMap<CPacket, Packet>();
const messageMemo = new WeakMap<CMessage, RslMessage>();

export function abstractBallot(b: CBallot): Ballot {
  let a = ballotMemo.get(b);
  if (a === undefined) ballotMemo.set(b, (a = ballot(b.seqno, b.proposerId)));
  return a;
}

export function abstractAppMessage(m: CAppMessage): AppMessage {
  switch (m.type) {
    case 'AppIncrementRequest':
      return appIncrementRequest();
    case 'AppIncrementReply':
      return appIncrementReply(m.response);
    case 'AppInvalidReply':
      return appInvalidReply();
  }
}

export function abstractRequest(r: CRequest): Request {
  let a = requestMemo.get(r);
  if (a === undefined) requestMemo.set(r, (a = request(r.client, r.seqno, abstractAppMessage(r.request))));
  return a;
}

export function abstractReply(r: CReply): Reply {
  return reply(r.client, r.seqno, abstractAppMessage(r.reply));
}

export function abstractBatch(b: CRequestBatch): RequestBatch {
  return List(b.map(abstractRequest));
}

export function abstractVote(v: CVote): Vote {
  let a = voteMemo.get(v);
  if (a === undefined) voteMemo.set(v, (a = vote(abstractBallot(v.maxValueBal), abstractBatch(v.maxVal))));
  return a;
}

export function abstractVotes(votes: ReadonlyMap<number, CVote>): Votes {
  return Map<number, Vote>().withMutations((m) => {
    for (const [opn, v] of votes) m.set(opn, abstractVote(v));
  });
}

export function abstractReplyCache(cache: ReadonlyMap<CEndPoint, CReply>): Map<CEndPoint, Reply> {
  return Map<CEndPoint, Reply>().withMutations((m) => {
    for (const [client, r] of cache) m.set(client, abstractReply(r));
  });
}

function abstractMessageUncached(m: CMessage): RslMessage {
  switch (m.type) {
    case 'Invalid':
      return messageInvalid();
    case 'Request':
      return messageRequest(m.seqnoReq, abstractAppMessage(m.val));
    case '1a':
      return message1a(abstractBallot(m.bal1a));
    case '1b':
      return message1b(abstractBallot(m.bal1b), m.logTruncationPoint, abstractVotes(m.votes));
    case '2a':
      return message2a(abstractBallot(m.bal2a), m.opn2a, abstractBatch(m.val2a));
    case '2b':
      return message2b(abstractBallot(m.bal2b), m.opn2b, abstractBatch(m.val2b));
    case 'Heartbeat':
      return messageHeartbeat(abstractBallot(m.balHeartbeat), m.suspicious, m.opnCkpt);
    case 'Reply':
      return messageReply(m.seqnoReply, abstractAppMessage(m.reply));
    case 'AppStateRequest':
      return messageAppStateRequest(abstractBallot(m.balStateReq), m.opnStateReq);
    case 'AppStateSupply':
      return messageAppStateSupply(abstractBallot(m.balStateSupply), m.opnStateSupply, m.appState, abstractReplyCache(m.replyCache));
    case 'StartingPhase2':
      return messageStartingPhase2(abstractBallot(m.bal2), m.logTruncationPoint2);
  }
}

export function abstractMessage(m: CMessage): RslMessage {
  let a = messageMemo.get(m);
  if (a === undefined) messageMemo.set(m, (a = abstractMessageUncached(m)));
  return a;
}

/** The spec packet of a concrete packet (the Verus `p@`). */
export function abstractPacket(p: CPacket): Packet {
  let a = packetMemo.get(p);
  if (a === undefined) {
    a = packet(p.dst, p.src, abstractMessage(p.msg));
    packetMemo.set(p, a);
    concretePacketMemo.set(a, p);
  }
  return a;
}

export function abstractPackets(ps: readonly CPacket[]): List<Packet> {
  return List(ps.map(abstractPacket));
}

// ---------------------------------------------------------------------------------------------
// Concretization (spec -> fresh concrete values); immutable inputs give immutable outputs, so
// these are memoised too, and each result remembers its abstraction.

const concreteBallotMemo = new WeakMap<Ballot, CBallot>();
const concreteRequestMemo = new WeakMap<Request, CRequest>();
const concreteVoteMemo = new WeakMap<Vote, CVote>();
const concreteBatchMemo = new WeakMap<RequestBatch, CRequestBatch>();
const concretePacketMemo = new WeakMap<Packet, CPacket>();

export function concreteBallot(b: Ballot): CBallot {
  let c = concreteBallotMemo.get(b);
  if (c === undefined) {
    c = cBallot(b.seqno, b.proposerId);
    concreteBallotMemo.set(b, c);
    ballotMemo.set(c, b);
  }
  return c;
}

export function concreteAppMessage(m: AppMessage): CAppMessage {
  switch (m.type) {
    case 'AppIncrementRequest':
      return { type: 'AppIncrementRequest' };
    case 'AppIncrementReply':
      return { type: 'AppIncrementReply', response: m.response };
    case 'AppInvalidReply':
      return { type: 'AppInvalidReply' };
  }
}

export function concreteRequest(r: Request): CRequest {
  let c = concreteRequestMemo.get(r);
  if (c === undefined) {
    c = { client: r.client, seqno: r.seqno, request: concreteAppMessage(r.request) };
    concreteRequestMemo.set(r, c);
    requestMemo.set(c, r);
  }
  return c;
}

export function concreteReply(r: Reply): CReply {
  return { client: r.client, seqno: r.seqno, reply: concreteAppMessage(r.reply) };
}

/** An immutable concrete batch (for votes and messages). Use `concreteRequests` for a mutable list. */
export function concreteBatch(b: RequestBatch): CRequestBatch {
  let c = concreteBatchMemo.get(b);
  if (c === undefined) concreteBatchMemo.set(b, (c = Object.freeze(b.toArray().map(concreteRequest))));
  return c;
}

/** A fresh mutable array of concrete requests. */
export function concreteRequests(b: List<Request>): CRequest[] {
  return b.toArray().map(concreteRequest);
}

export function concreteVote(v: Vote): CVote {
  let c = concreteVoteMemo.get(v);
  if (c === undefined) {
    c = { maxValueBal: concreteBallot(v.maxValueBal), maxVal: concreteBatch(v.maxVal) };
    concreteVoteMemo.set(v, c);
    voteMemo.set(c, v);
  }
  return c;
}

/** A fresh mutable vote map. */
export function concreteVotes(votes: Votes): CVotes {
  const out = new globalThis.Map<number, CVote>();
  for (const [opn, v] of votes) out.set(opn, concreteVote(v));
  return out;
}

/** A fresh mutable reply cache. */
export function concreteReplyCache(cache: Map<CEndPoint, Reply>): globalThis.Map<CEndPoint, CReply> {
  const out = new globalThis.Map<CEndPoint, CReply>();
  for (const [client, r] of cache) out.set(client, concreteReply(r));
  return out;
}

export function concreteMessage(m: RslMessage): CMessage {
  switch (m.type) {
    case 'Invalid':
      return { type: 'Invalid' };
    case 'Request':
      return { type: 'Request', seqnoReq: m.seqnoReq, val: concreteAppMessage(m.val) };
    case '1a':
      return { type: '1a', bal1a: concreteBallot(m.bal1a) };
    case '1b':
      return { type: '1b', bal1b: concreteBallot(m.bal1b), logTruncationPoint: m.logTruncationPoint, votes: concreteVotes(m.votes) };
    case '2a':
      return { type: '2a', bal2a: concreteBallot(m.bal2a), opn2a: m.opn2a, val2a: concreteBatch(m.val2a) };
    case '2b':
      return { type: '2b', bal2b: concreteBallot(m.bal2b), opn2b: m.opn2b, val2b: concreteBatch(m.val2b) };
    case 'Heartbeat':
      return { type: 'Heartbeat', balHeartbeat: concreteBallot(m.balHeartbeat), suspicious: m.suspicious, opnCkpt: m.opnCkpt };
    case 'Reply':
      return { type: 'Reply', seqnoReply: m.seqnoReply, reply: concreteAppMessage(m.reply) };
    case 'AppStateRequest':
      return { type: 'AppStateRequest', balStateReq: concreteBallot(m.balStateReq), opnStateReq: m.opnStateReq };
    case 'AppStateSupply':
      return {
        type: 'AppStateSupply',
        balStateSupply: concreteBallot(m.balStateSupply),
        opnStateSupply: m.opnStateSupply,
        appState: m.appState,
        replyCache: concreteReplyCache(m.replyCache),
      };
    case 'StartingPhase2':
      return { type: 'StartingPhase2', bal2: concreteBallot(m.bal2), logTruncationPoint2: m.logTruncationPoint2 };
  }
}

/** A concrete packet for a spec packet (memoised: both are immutable). */
export function concretePacket(p: Packet): CPacket {
  let c = concretePacketMemo.get(p);
  if (c === undefined) {
    c = { dst: p.dst, src: p.src, msg: concreteMessage(p.msg) };
    concretePacketMemo.set(p, c);
    packetMemo.set(c, p);
  }
  return c;
}
