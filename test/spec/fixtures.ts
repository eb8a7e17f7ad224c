/**
 * Shared builders for the spec tests: a three-replica configuration ('r0', 'r1', 'r2'), small
 * parameters, value and packet builders, and assertions on immutable values.
 *
 * Packet builders take `(dst, src, ...fields)`, the reference's field order (§1.2).
 */
import { is, List, Map } from 'immutable';
import { expect } from 'vitest';
import type { Constants, Parameters, ReplicaConstants } from '../../spec/configuration.js';
import {
  message1a,
  message1b,
  message2a,
  message2b,
  messageHeartbeat,
  messageRequest,
  messageStartingPhase2,
  packet,
  type Message1a,
  type Message1b,
  type Message2a,
  type Message2b,
  type MessageHeartbeat,
  type MessageRequest,
  type MessageStartingPhase2,
  type Outcome,
  type Packet,
  type RslMessage,
} from '../../spec/message.js';
import {
  appIncrementRequest,
  ballot,
  request,
  vote,
  type Ballot,
  type EndPoint,
  type OperationNumber,
  type Request,
  type RequestBatch,
  type UpperBound,
  type Votes,
} from '../../spec/types.js';

// ---------------------------------------------------------------------------------------------
// Constants

export const R0: EndPoint = 'r0';
export const R1: EndPoint = 'r1';
export const R2: EndPoint = 'r2';
export const replicaIds: readonly EndPoint[] = [R0, R1, R2];
/** Client end points (not replicas). */
export const C0: EndPoint = 'c0';
export const C1: EndPoint = 'c1';

export function finite(n: number): UpperBound {
  return { kind: 'Finite', n };
}

/**
 * Small, well-formed parameters (§3) so that truncation, batching and saturation show up with
 * small numbers: logs of 4 slots, batches of 2 requests, integers saturating at 1000.
 */
export const testParams: Parameters = {
  maxLogLength: 4,
  baselineViewTimeoutPeriod: 100,
  heartbeatPeriod: 30,
  maxIntegerVal: finite(1000),
  maxBatchSize: 2,
  maxBatchDelay: 10,
};

export function makeParams(overrides: Partial<Parameters> = {}): Parameters {
  return { ...testParams, ...overrides };
}

export function makeConstants(ids: readonly EndPoint[] = replicaIds, overrides: Partial<Parameters> = {}): Constants {
  return { config: { replicaIds: List(ids) }, params: makeParams(overrides) };
}

/** The constants of replica `myIndex`, by default in the three-replica configuration. */
export function rc(myIndex: number, overrides: Partial<Parameters> = {}, ids: readonly EndPoint[] = replicaIds): ReplicaConstants {
  return { myIndex, all: makeConstants(ids, overrides) };
}

export const rc0 = rc(0);
export const rc1 = rc(1);
export const rc2 = rc(2);

// ---------------------------------------------------------------------------------------------
// Values

export const bal = ballot;

/** An increment request of `client` with sequence number `seqno`. */
export function req(client: EndPoint, seqno: number): Request {
  return request(client, seqno, appIncrementRequest());
}

export function batchOf(...reqs: Request[]): RequestBatch {
  return List(reqs);
}

/** A vote map from `[opn, ballot, value]` triples. */
export function votesOf(...entries: readonly (readonly [OperationNumber, Ballot, RequestBatch])[]): Votes {
  return Map(entries.map(([opn, b, v]) => [opn, vote(b, v)] as const));
}

// ---------------------------------------------------------------------------------------------
// Packets

export function packet1a(dst: EndPoint, src: EndPoint, b: Ballot): Packet<Message1a> {
  return packet(dst, src, message1a(b));
}

export function packet1b(dst: EndPoint, src: EndPoint, b: Ballot, ltp: OperationNumber, votes: Votes = Map()): Packet<Message1b> {
  return packet(dst, src, message1b(b, ltp, votes));
}

export function packet2a(dst: EndPoint, src: EndPoint, b: Ballot, opn: OperationNumber, v: RequestBatch): Packet<Message2a> {
  return packet(dst, src, message2a(b, opn, v));
}

export function packet2b(dst: EndPoint, src: EndPoint, b: Ballot, opn: OperationNumber, v: RequestBatch): Packet<Message2b> {
  return packet(dst, src, message2b(b, opn, v));
}

export function packetHeartbeat(
  dst: EndPoint,
  src: EndPoint,
  b: Ballot,
  suspicious: boolean,
  opnCkpt: OperationNumber,
): Packet<MessageHeartbeat> {
  return packet(dst, src, messageHeartbeat(b, suspicious, opnCkpt));
}

/** A client's increment request with sequence number `seqno`. */
export function packetRequest(dst: EndPoint, src: EndPoint, seqno: number): Packet<MessageRequest> {
  return packet(dst, src, messageRequest(seqno, appIncrementRequest()));
}

export function packetStartingPhase2(dst: EndPoint, src: EndPoint, b: Ballot, ltp: OperationNumber): Packet<MessageStartingPhase2> {
  return packet(dst, src, messageStartingPhase2(b, ltp));
}

/**
 * LBroadcastToEveryone written out from its definition (§4): one packet per replica of `ids`, in
 * order, including the one to the sender.
 */
export function toEveryone(src: EndPoint, msg: RslMessage, ids: readonly EndPoint[] = replicaIds): List<Packet> {
  return List(ids.map((dst) => packet(dst, src, msg)));
}

// ---------------------------------------------------------------------------------------------
// Assertions

/** A readable rendering of an immutable (or plain) value for failure messages. */
export function show(x: unknown): string {
  return JSON.stringify(x);
}

/** Value equality in the sense of `Immutable.is`, with both values printed on failure. */
export function expectSame(actual: unknown, expected: unknown): void {
  expect(is(actual, expected), `expected ${show(expected)}\n     got ${show(actual)}`).toBe(true);
}

/** An outcome with exactly this state (by value) and exactly these packets, in order. */
export function expectOutcome<S>(actual: Outcome<S>, state: S, sent: Iterable<Packet> = []): void {
  expectSame(actual.state, state);
  expectSame(actual.sent, List<Packet>(sent));
}
