/**
 * Concrete values of the implementation layer (rsl-protocol.md §13.1): the structures a running
 * replica holds, chosen for speed. They mirror the spec's immutable values field for field (same
 * names, same tags), so the abstraction functions (the Verus `@`) are plain structural copies.
 *
 * Ownership rule: a message is never mutated once it has been placed in a packet. A host that keeps
 * a received packet (the proposer's 1b set) keeps the object it was given; a host that sends its
 * own mutable data (the acceptor's votes in a 1b) sends a copy.
 */

/** A node identity: `ip:port` in the UDP shell, `r0` / `c1` in the bounded model (opaque here). */
export type CEndPoint = string;

export type COperationNumber = number;

export interface CBallot {
  readonly seqno: number;
  readonly proposerId: number;
}

export type CAppMessage =
  | { readonly type: 'AppIncrementRequest' }
  | { readonly type: 'AppIncrementReply'; readonly response: number }
  | { readonly type: 'AppInvalidReply' };

export interface CRequest {
  readonly client: CEndPoint;
  readonly seqno: number;
  readonly request: CAppMessage;
}

export interface CReply {
  readonly client: CEndPoint;
  readonly seqno: number;
  readonly reply: CAppMessage;
}

export type CRequestBatch = readonly CRequest[];

export interface CVote {
  readonly maxValueBal: CBallot;
  readonly maxVal: CRequestBatch;
}

export type CVotes = Map<COperationNumber, CVote>;
export type CReplyCache = Map<CEndPoint, CReply>;

export type CMessage =
  | { readonly type: 'Invalid' }
  | { readonly type: 'Request'; readonly seqnoReq: number; readonly val: CAppMessage }
  | { readonly type: '1a'; readonly bal1a: CBallot }
  | {
      readonly type: '1b';
      readonly bal1b: CBallot;
      readonly logTruncationPoint: COperationNumber;
      readonly votes: ReadonlyMap<COperationNumber, CVote>;
    }
  | { readonly type: '2a'; readonly bal2a: CBallot; readonly opn2a: COperationNumber; readonly val2a: CRequestBatch }
  | { readonly type: '2b'; readonly bal2b: CBallot; readonly opn2b: COperationNumber; readonly val2b: CRequestBatch }
  | {
      readonly type: 'Heartbeat';
      readonly balHeartbeat: CBallot;
      readonly suspicious: boolean;
      readonly opnCkpt: COperationNumber;
    }
  | { readonly type: 'Reply'; readonly seqnoReply: number; readonly reply: CAppMessage }
  | { readonly type: 'AppStateRequest'; readonly balStateReq: CBallot; readonly opnStateReq: COperationNumber }
  | {
      readonly type: 'AppStateSupply';
      readonly balStateSupply: CBallot;
      readonly opnStateSupply: COperationNumber;
      readonly appState: number;
      readonly replyCache: ReadonlyMap<CEndPoint, CReply>;
    }
  | { readonly type: 'StartingPhase2'; readonly bal2: CBallot; readonly logTruncationPoint2: COperationNumber };

export type CMessageType = CMessage['type'];

/** A message of one type, narrowed by its tag. */
export type CMessageOf<T extends CMessageType> = Extract<CMessage, { readonly type: T }>;

export interface CPacket<M extends CMessage = CMessage> {
  readonly dst: CEndPoint;
  readonly src: CEndPoint;
  readonly msg: M;
}

/** The replica set and the parameters (§3), as plain values. */
export interface CConfiguration {
  readonly replicaIds: readonly CEndPoint[];
}

export interface CParameters {
  readonly maxLogLength: number;
  readonly baselineViewTimeoutPeriod: number;
  readonly heartbeatPeriod: number;
  /** `max_integer_val`; `Infinity` for an unbounded counter. */
  readonly maxIntegerVal: number;
  readonly maxBatchSize: number;
  readonly maxBatchDelay: number;
}

export interface CReplicaConstants {
  readonly myIndex: number;
  readonly config: CConfiguration;
  readonly params: CParameters;
}
