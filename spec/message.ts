/**
 * RSL messages and packets (rsl-protocol.md §1.2, §2), as a tagged union of immutable Records.
 * Field names are the reference's, in camelCase (`bal_1a` -> `bal1a`). Narrow on `msg.type`.
 */
import { List, Map, Record, type RecordOf } from 'immutable';
import {
  appIncrementRequest,
  ballot,
  type AppMessage,
  type AppState,
  type Ballot,
  type EndPoint,
  type OperationNumber,
  type ReplyCache,
  type RequestBatch,
  type Votes,
} from './types.js';

export interface MessageInvalidProps {
  readonly type: 'Invalid';
}
export interface MessageRequestProps {
  readonly type: 'Request';
  readonly seqnoReq: number;
  readonly val: AppMessage;
}
export interface Message1aProps {
  readonly type: '1a';
  readonly bal1a: Ballot;
}
export interface Message1bProps {
  readonly type: '1b';
  readonly bal1b: Ballot;
  readonly logTruncationPoint: OperationNumber;
  readonly votes: Votes;
}
export interface Message2aProps {
  readonly type: '2a';
  readonly bal2a: Ballot;
  readonly opn2a: OperationNumber;
  readonly val2a: RequestBatch;
}
export interface Message2bProps {
  readonly type: '2b';
  readonly bal2b: Ballot;
  readonly opn2b: OperationNumber;
  readonly val2b: RequestBatch;
}
export interface MessageHeartbeatProps {
  readonly type: 'Heartbeat';
  readonly balHeartbeat: Ballot;
  readonly suspicious: boolean;
  readonly opnCkpt: OperationNumber;
}
export interface MessageReplyProps {
  readonly type: 'Reply';
  readonly seqnoReply: number;
  readonly reply: AppMessage;
}
export interface MessageAppStateRequestProps {
  readonly type: 'AppStateRequest';
  readonly balStateReq: Ballot;
  readonly opnStateReq: OperationNumber;
}
export interface MessageAppStateSupplyProps {
  readonly type: 'AppStateSupply';
  readonly balStateSupply: Ballot;
  readonly opnStateSupply: OperationNumber;
  readonly appState: AppState;
  readonly replyCache: ReplyCache;
}
export interface MessageStartingPhase2Props {
  readonly type: 'StartingPhase2';
  readonly bal2: Ballot;
  readonly logTruncationPoint2: OperationNumber;
}

export type MessageInvalid = RecordOf<MessageInvalidProps>;
export type MessageRequest = RecordOf<MessageRequestProps>;
export type Message1a = RecordOf<Message1aProps>;
export type Message1b = RecordOf<Message1bProps>;
export type Message2a = RecordOf<Message2aProps>;
export type Message2b = RecordOf<Message2bProps>;
export type MessageHeartbeat = RecordOf<MessageHeartbeatProps>;
export type MessageReply = RecordOf<MessageReplyProps>;
export type MessageAppStateRequest = RecordOf<MessageAppStateRequestProps>;
export type MessageAppStateSupply = RecordOf<MessageAppStateSupplyProps>;
export type MessageStartingPhase2 = RecordOf<MessageStartingPhase2Props>;

export type RslMessage =
  | MessageInvalid
  | MessageRequest
  | Message1a
  | Message1b
  | Message2a
  | Message2b
  | MessageHeartbeat
  | MessageReply
  | MessageAppStateRequest
  | MessageAppStateSupply
  | MessageStartingPhase2;

export type MessageType = RslMessage['type'];

const zeroBallot = ballot(0, 0);

export const InvalidRecord = Record<MessageInvalidProps>({ type: 'Invalid' }, 'MessageInvalid');
export const MessageRequestRecord = Record<MessageRequestProps>(
  { type: 'Request', seqnoReq: 0, val: appIncrementRequest() },
  'MessageRequest',
);
export const M1aRecord = Record<Message1aProps>({ type: '1a', bal1a: zeroBallot }, 'Message1a');
export const M1bRecord = Record<Message1bProps>({ type: '1b', bal1b: zeroBallot, logTruncationPoint: 0, votes: Map() }, 'Message1b');
export const M2aRecord = Record<Message2aProps>({ type: '2a', bal2a: zeroBallot, opn2a: 0, val2a: List() }, 'Message2a');
export const M2bRecord = Record<Message2bProps>({ type: '2b', bal2b: zeroBallot, opn2b: 0, val2b: List() }, 'Message2b');
export const HeartbeatRecord = Record<MessageHeartbeatProps>(
  { type: 'Heartbeat', balHeartbeat: zeroBallot, suspicious: false, opnCkpt: 0 },
  'MessageHeartbeat',
);
export const MessageReplyRecord = Record<MessageReplyProps>({ type: 'Reply', seqnoReply: 0, reply: appIncrementRequest() }, 'MessageReply');
export const AppStateRequestRecord = Record<MessageAppStateRequestProps>(
  { type: 'AppStateRequest', balStateReq: zeroBallot, opnStateReq: 0 },
  'MessageAppStateRequest',
);
export const AppStateSupplyRecord = Record<MessageAppStateSupplyProps>(
  { type: 'AppStateSupply', balStateSupply: zeroBallot, opnStateSupply: 0, appState: 0, replyCache: Map() },
  'MessageAppStateSupply',
);
export const StartingPhase2Record = Record<MessageStartingPhase2Props>(
  { type: 'StartingPhase2', bal2: zeroBallot, logTruncationPoint2: 0 },
  'MessageStartingPhase2',
);

export function messageInvalid(): MessageInvalid {
  return InvalidRecord();
}
export function messageRequest(seqnoReq: number, val: AppMessage): MessageRequest {
  return MessageRequestRecord({ seqnoReq, val });
}
export function message1a(bal1a: Ballot): Message1a {
  return M1aRecord({ bal1a });
}
export function message1b(bal1b: Ballot, logTruncationPoint: OperationNumber, votes: Votes): Message1b {
  return M1bRecord({ bal1b, logTruncationPoint, votes });
}
export function message2a(bal2a: Ballot, opn2a: OperationNumber, val2a: RequestBatch): Message2a {
  return M2aRecord({ bal2a, opn2a, val2a });
}
export function message2b(bal2b: Ballot, opn2b: OperationNumber, val2b: RequestBatch): Message2b {
  return M2bRecord({ bal2b, opn2b, val2b });
}
export function messageHeartbeat(balHeartbeat: Ballot, suspicious: boolean, opnCkpt: OperationNumber): MessageHeartbeat {
  return HeartbeatRecord({ balHeartbeat, suspicious, opnCkpt });
}
export function messageReply(seqnoReply: number, reply: AppMessage): MessageReply {
  return MessageReplyRecord({ seqnoReply, reply });
}
export function messageAppStateRequest(balStateReq: Ballot, opnStateReq: OperationNumber): MessageAppStateRequest {
  return AppStateRequestRecord({ balStateReq, opnStateReq });
}
export function messageAppStateSupply(
  balStateSupply: Ballot,
  opnStateSupply: OperationNumber,
  appState: AppState,
  replyCache: ReplyCache,
): MessageAppStateSupply {
  return AppStateSupplyRecord({ balStateSupply, opnStateSupply, appState, replyCache });
}
export function messageStartingPhase2(bal2: Ballot, logTruncationPoint2: OperationNumber): MessageStartingPhase2 {
  return StartingPhase2Record({ bal2, logTruncationPoint2 });
}

// ---------------------------------------------------------------------------------------------
// Packets (§1.2): field order dst, src, msg.

export interface PacketProps<M extends RslMessage = RslMessage> {
  readonly dst: EndPoint;
  readonly src: EndPoint;
  readonly msg: M;
}
export type Packet<M extends RslMessage = RslMessage> = RecordOf<PacketProps<M>>;
export const PacketRecord = Record<PacketProps>({ dst: '', src: '', msg: InvalidRecord() }, 'Packet');

export function packet<M extends RslMessage>(dst: EndPoint, src: EndPoint, msg: M): Packet<M> {
  return PacketRecord({ dst, src, msg }) as Packet<M>;
}

/** Type guard: narrows a packet by its message's tag. */
export function isPacketOf<T extends MessageType>(p: Packet, type: T): p is Packet<Extract<RslMessage, { readonly type: T }>> {
  return p.msg.type === type;
}

/** The packets an action emits, in order (the Send IoOps of a step). */
export type Sent = List<Packet>;

/** The result of one action: the new state and the packets it sent. */
export interface Outcome<S> {
  readonly state: S;
  readonly sent: Sent;
}

export function outcome<S>(state: S, sent: Sent = List()): Outcome<S> {
  return { state, sent };
}
