/**
 * Core value types of IronRSL (rsl-protocol.md §1, §8, §9), as immutable.js values.
 *
 * Every value that can appear inside a state is an immutable Record or collection, so two values
 * are equal exactly when `Immutable.is` says so, and they can be members of Sets and keys of Maps.
 * Integers are plain JS numbers: the bounded model never comes near 2^53, and the upper bound the
 * protocol saturates at (`max_integer_val`) is a parameter (§3), not a language limit.
 */
import { is, List, Map, Record, Set, type RecordOf } from 'immutable';

interface RecordInstance {
  get(key: string): unknown;
}

/**
 * Speeds up `Immutable.is` on the records `factory` makes (perf only, no change of meaning; see
 * rsl-protocol.md §1 for the values). immutable.js compares two Records by building a keyed Seq
 * of each and looking every key of one up, linearly, in the other: it allocates and is quadratic
 * in the number of fields, and the model checker compares states and packets constantly. For two
 * records of the same type (same keys, same order) that comparison amounts to `Immutable.is` on
 * each field, which is what this does; anything else still goes to immutable's own `equals`.
 */
export function fastRecordEquality<T extends object>(factory: Record.Factory<T>): void {
  const proto = (factory as unknown as { readonly prototype: { equals(this: RecordInstance, other: unknown): boolean } }).prototype;
  const keys = factory().toSeq().keySeq().toArray() as string[];
  const recordEquals = proto.equals;
  proto.equals = function equals(this: RecordInstance, other: unknown): boolean {
    if (this === other) return true;
    if (typeof other !== 'object' || other === null || Object.getPrototypeOf(other) !== proto) return recordEquals.call(this, other);
    const that = other as RecordInstance;
    for (const key of keys) if (!is(this.get(key), that.get(key))) return false;
    return true;
  };
}

/**
 * Makes the records `factory` makes remember their `hashCode` (perf only, no change of meaning).
 * immutable.js recomputes a Record's hash from a fresh keyed Seq of its fields on every call, and
 * every `Set.has` or `Map.get` keyed by a packet, ballot or vote calls it; Records are immutable,
 * so the hash of one object never changes and can be kept, by identity, after the first call.
 */
export function cachedRecordHash<T extends object>(factory: Record.Factory<T>): void {
  const proto = (factory as unknown as { readonly prototype: { hashCode(this: object): number } }).prototype;
  const recordHash = proto.hashCode;
  const hashes = new WeakMap<object, number>();
  proto.hashCode = function hashCode(this: object): number {
    let h = hashes.get(this);
    if (h === undefined) {
      h = recordHash.call(this);
      hashes.set(this, h);
    }
    return h;
  };
}

/**
 * Makes field reads on the records `factory` makes cheaper (perf only, no change of meaning).
 * immutable.js reads a Record field through `get`, which first tests the key with
 * `hasOwnProperty` and then looks its index up by name; the models read fields on every step of
 * every obligation. The `get` installed here (which the field accessors call) finds the index in
 * a Map built once per type and reads the record's value list directly, with the same default.
 */
export function fastRecordFields<T extends object>(factory: Record.Factory<T>): void {
  const proto = (factory as unknown as { readonly prototype: object }).prototype as {
    get(this: FieldsInstance, key: string, notSetValue?: unknown): unknown;
  };
  const keys = factory().toSeq().keySeq().toArray() as string[];
  const defaults = factory().toObject() as { [key: string]: unknown };
  const indices = new globalThis.Map(keys.map((k, i) => [k, i]));
  proto.get = function get(this: FieldsInstance, key: string, notSetValue?: unknown): unknown {
    const i = indices.get(key);
    if (i === undefined) return notSetValue;
    const v = this._values.get(i);
    return v === undefined ? defaults[key] : v;
  };
}

/** What `fastRecordFields` relies on: immutable.js keeps a Record's values in a List, in key order. */
interface FieldsInstance {
  readonly _values: { get(index: number): unknown };
}

/** An operation (log slot) number. */
export type OperationNumber = number;

/** A node identity. Opaque to the protocol; the UDP shell uses `ip:port`, the model `r0`, `c1`. */
export type EndPoint = string;

// ---------------------------------------------------------------------------------------------
// Ballots (§1.1)

export interface BallotProps {
  readonly seqno: number;
  readonly proposerId: number;
}
export type Ballot = RecordOf<BallotProps>;
export const BallotRecord = Record<BallotProps>({ seqno: 0, proposerId: 0 }, 'Ballot');

/** `Bal(seqno, proposerId)`. */
export function ballot(seqno: number, proposerId: number): Ballot {
  return BallotRecord({ seqno, proposerId });
}

/** BalLt: lexicographic order, seqno first. */
export function balLt(a: Ballot, b: Ballot): boolean {
  return a.seqno < b.seqno || (a.seqno === b.seqno && a.proposerId < b.proposerId);
}

/** BalLeq: `balLt(a, b) || a == b`. */
export function balLeq(a: Ballot, b: Ballot): boolean {
  return a.seqno < b.seqno || (a.seqno === b.seqno && a.proposerId <= b.proposerId);
}

// ---------------------------------------------------------------------------------------------
// Application messages of the counter service (§1, §9.2, [V])

export interface AppIncrementRequestProps {
  readonly type: 'AppIncrementRequest';
}
export interface AppIncrementReplyProps {
  readonly type: 'AppIncrementReply';
  readonly response: number;
}
export interface AppInvalidReplyProps {
  readonly type: 'AppInvalidReply';
}
export type AppIncrementRequest = RecordOf<AppIncrementRequestProps>;
export type AppIncrementReply = RecordOf<AppIncrementReplyProps>;
export type AppInvalidReply = RecordOf<AppInvalidReplyProps>;
export type AppMessage = AppIncrementRequest | AppIncrementReply | AppInvalidReply;

export const AppIncrementRequestRecord = Record<AppIncrementRequestProps>({ type: 'AppIncrementRequest' }, 'AppIncrementRequest');
export const AppIncrementReplyRecord = Record<AppIncrementReplyProps>({ type: 'AppIncrementReply', response: 0 }, 'AppIncrementReply');
export const AppInvalidReplyRecord = Record<AppInvalidReplyProps>({ type: 'AppInvalidReply' }, 'AppInvalidReply');

export function appIncrementRequest(): AppIncrementRequest {
  return AppIncrementRequestRecord();
}
export function appIncrementReply(response: number): AppIncrementReply {
  return AppIncrementReplyRecord({ response });
}
export function appInvalidReply(): AppInvalidReply {
  return AppInvalidReplyRecord();
}

/** The counter's state (`AppState = u64` in [V]). */
export type AppState = number;

// ---------------------------------------------------------------------------------------------
// Requests, replies, batches, votes

export interface RequestProps {
  readonly client: EndPoint;
  readonly seqno: number;
  readonly request: AppMessage;
}
export type Request = RecordOf<RequestProps>;
export const RequestRecord = Record<RequestProps>({ client: '', seqno: 0, request: AppIncrementRequestRecord() }, 'Request');
export function request(client: EndPoint, seqno: number, req: AppMessage): Request {
  return RequestRecord({ client, seqno, request: req });
}

export interface ReplyProps {
  readonly client: EndPoint;
  readonly seqno: number;
  readonly reply: AppMessage;
}
export type Reply = RecordOf<ReplyProps>;
export const ReplyRecord = Record<ReplyProps>({ client: '', seqno: 0, reply: AppInvalidReplyRecord() }, 'Reply');
export function reply(client: EndPoint, seqno: number, rep: AppMessage): Reply {
  return ReplyRecord({ client, seqno, reply: rep });
}

export type RequestBatch = List<Request>;
export type ReplyCache = Map<EndPoint, Reply>;

export interface VoteProps {
  readonly maxValueBal: Ballot;
  readonly maxVal: RequestBatch;
}
export type Vote = RecordOf<VoteProps>;
export const VoteRecord = Record<VoteProps>({ maxValueBal: ballot(0, 0), maxVal: List() }, 'Vote');
export function vote(maxValueBal: Ballot, maxVal: RequestBatch): Vote {
  return VoteRecord({ maxValueBal, maxVal });
}
export type Votes = Map<OperationNumber, Vote>;

export interface LearnerTupleProps {
  readonly received2bMessageSenders: Set<EndPoint>;
  readonly candidateLearnedValue: RequestBatch;
}
export type LearnerTuple = RecordOf<LearnerTupleProps>;
export const LearnerTupleRecord = Record<LearnerTupleProps>(
  { received2bMessageSenders: Set(), candidateLearnedValue: List() },
  'LearnerTuple',
);
export function learnerTuple(senders: Set<EndPoint>, value: RequestBatch): LearnerTuple {
  return LearnerTupleRecord({ received2bMessageSenders: senders, candidateLearnedValue: value });
}
/** The reference's `LearnerState` type: the learner's per-slot tallies. */
export type LearnerTuples = Map<OperationNumber, LearnerTuple>;

// ---------------------------------------------------------------------------------------------
// UpperBound (§4; Protocol/Common/UpperBound.s.dfy)

export type UpperBound = { readonly kind: 'Finite'; readonly n: number } | { readonly kind: 'Infinite' };

export function leqUpperBound(x: number, u: UpperBound): boolean {
  return u.kind === 'Infinite' || x <= u.n;
}
export function ltUpperBound(x: number, u: UpperBound): boolean {
  return u.kind === 'Infinite' || x < u.n;
}
/** Saturating addition: `x + y`, or `u.n` when the sum would exceed it. */
export function upperBoundedAddition(x: number, y: number, u: UpperBound): number {
  if (u.kind === 'Infinite') return x + y;
  return x + y <= u.n ? x + y : u.n;
}
