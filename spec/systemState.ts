/**
 * The shape of the distributed system of rsl-protocol.md §11: the global state (replicas, clocks,
 * the grow-only packet set, clients, the ghost history), the configuration of one bounded system,
 * and the steps between states. spec/system.ts defines the transitions over them.
 */
import { List, Map, Record, Set, type RecordOf } from 'immutable';
import { AcceptorStateRecord } from './acceptor.js';
import type { Constants } from './configuration.js';
import { ElectionStateRecord } from './election.js';
import { ExecutorStateRecord, KnownRecord, UnknownRecord } from './executor.js';
import { LearnerStateRecord } from './learner.js';
import {
  AppStateRequestRecord,
  AppStateSupplyRecord,
  HeartbeatRecord,
  InvalidRecord,
  M1aRecord,
  M1bRecord,
  M2aRecord,
  M2bRecord,
  MessageReplyRecord,
  MessageRequestRecord,
  PacketRecord,
  StartingPhase2Record,
  type Packet,
  type Sent,
} from './message.js';
import { ProposerStateRecord, TimerOffRecord, TimerOnRecord } from './proposer.js';
import { ReplicaStateRecord, SchedulerStateRecord, type SchedulerState } from './replica.js';
import {
  AppIncrementReplyRecord,
  AppIncrementRequestRecord,
  AppInvalidReplyRecord,
  BallotRecord,
  cachedRecordHash,
  fastRecordEquality,
  fastRecordFields,
  LearnerTupleRecord,
  ReplyRecord,
  RequestRecord,
  VoteRecord,
  type Ballot,
  type EndPoint,
  type OperationNumber,
  type RequestBatch,
} from './types.js';

export interface ClientStateProps {
  /** The sequence number of the next new request; requests `0 .. nextSeqno-1` were sent. */
  readonly nextSeqno: number;
}
export type ClientState = RecordOf<ClientStateProps>;
export const ClientStateRecord = Record<ClientStateProps>({ nextSeqno: 0 }, 'ClientState');

export interface RslSystemProps {
  /** One scheduler state per replica, in `replica_ids` order. */
  readonly replicas: List<SchedulerState>;
  /** Last clock reading of each replica (only meaningful when clocks are monotone). */
  readonly clocks: List<number>;
  /** Every packet ever sent (environment.sentPackets). Only grows. */
  readonly sentPackets: Set<Packet>;
  /** One state per client, in `SystemConfig.clientIds` order. */
  readonly clients: List<ClientState>;
  /**
   * Ghost history, not part of the protocol: per replica, the batch it executed for each slot
   * (written by each MaybeExecute step; a slot skipped by state transfer has no entry). Used only
   * by the obligations (agreement of executed batches); no action reads it.
   */
  readonly executedBatches: List<Map<OperationNumber, RequestBatch>>;
}
export type RslSystem = RecordOf<RslSystemProps>;
export const RslSystemRecord = Record<RslSystemProps>(
  { replicas: List(), clocks: List(), sentPackets: Set(), clients: List(), executedBatches: List() },
  'RslSystem',
);

/** Which of the ten actions a replica may take next (§10.4). */
export type SchedulerMode = 'round-robin' | 'any';

/** Everything fixed for one bounded system: constants plus the environment's generation bounds. */
export interface SystemConfig {
  readonly constants: Constants;
  readonly clientIds: List<EndPoint>;
  /** Each client sends requests with seqno `0 .. requestsPerClient-1`. */
  readonly requestsPerClient: number;
  /** Clock readings are drawn from `0 .. clockMax`. */
  readonly clockMax: number;
  /** Monotone: a replica never reads a smaller value than it read before. Free: any reading. */
  readonly monotoneClocks: boolean;
  readonly scheduler: SchedulerMode;
  /**
   * Present: the election oracle (spec/electionOracle.ts) replaces clocks, timers and heartbeats,
   * and may move a replica to any of the first `views` views. Absent: the faithful election.
   * Requires the `any` scheduler.
   */
  readonly electionOracle?: {
    readonly views: number;
    /**
     * Round granularity only (spec/rounds.ts): checkpoint news reach an acceptor only in a bundle
     * that makes the same round's TruncateLogBasedOnCheckpoints truncate (configs/README.md).
     */
    readonly lazyCheckpoints?: boolean;
  };
  /**
   * Every request every client will ever send is in the network from the start (see
   * `systemInit`); clients then take no steps.
   */
  readonly requestsUpFront?: boolean;
  /**
   * `one`: client `i` sends its requests only to replica `i mod n` (a bound on the environment).
   * Absent or `all`: to any replica.
   */
  readonly requestTargets?: 'all' | 'one';
}

/** Whether client `client` may send requests to replica `dst` under `cfg.requestTargets`. */
export function clientMaySendTo(cfg: SystemConfig, client: number, dst: number): boolean {
  return cfg.requestTargets !== 'one' || dst === client % cfg.constants.config.replicaIds.size;
}

// ---------------------------------------------------------------------------------------------
// Steps

/** One replica runs one scheduler slot (§10.4, RslNextOneReplica). */
export interface ReplicaStep {
  readonly kind: 'replica';
  /** Index of the replica in `replica_ids`. */
  readonly replica: number;
  /** The scheduler slot, 0..9. */
  readonly action: number;
  /** Slot 0 only: the packet received; absent means TimeoutReceive. */
  readonly packet?: Packet;
  /** The clock reading, present exactly when the slot reads the clock (see `slotReadsClock`). */
  readonly clock?: number;
  /** Which of the action's permitted outcomes was taken (0 for actions that are functions). */
  readonly choice: number;
}

/** A client sends `Request(seqno, AppIncrementRequest)` to one replica (RslNextOneExternal). */
export interface ClientStep {
  readonly kind: 'client';
  /** Index of the client in `SystemConfig.clientIds`. */
  readonly client: number;
  readonly seqno: number;
  /** Index of the destination replica in `replica_ids`. */
  readonly dst: number;
}

/** The election oracle moves replica `replica` to the later view `view`. */
export interface ViewChangeStep {
  readonly kind: 'view';
  readonly replica: number;
  readonly view: Ballot;
}

/** The election oracle tells replica `replica` that replica `from` has executed `opn` operations. */
export interface CheckpointStep {
  readonly kind: 'checkpoint';
  readonly replica: number;
  readonly from: number;
  readonly opn: OperationNumber;
}

export type SystemStep = ReplicaStep | ClientStep | ViewChangeStep | CheckpointStep;

/** A step, the state it leads to, and the packets it sent. */
export interface SystemSuccessor {
  readonly step: SystemStep;
  readonly state: RslSystem;
  readonly sent: Sent;
}

/**
 * Every Record type that occurs in a system state, by a stable name (the one list: the checker's
 * codec names record types by these keys, and the loop below registers each one).
 */
export const systemRecordTypes = {
  AcceptorState: AcceptorStateRecord,
  AppIncrementReply: AppIncrementReplyRecord,
  AppIncrementRequest: AppIncrementRequestRecord,
  AppInvalidReply: AppInvalidReplyRecord,
  Ballot: BallotRecord,
  ClientState: ClientStateRecord,
  ElectionState: ElectionStateRecord,
  ExecutorState: ExecutorStateRecord,
  LearnerState: LearnerStateRecord,
  LearnerTuple: LearnerTupleRecord,
  Message1a: M1aRecord,
  Message1b: M1bRecord,
  Message2a: M2aRecord,
  Message2b: M2bRecord,
  MessageAppStateRequest: AppStateRequestRecord,
  MessageAppStateSupply: AppStateSupplyRecord,
  MessageHeartbeat: HeartbeatRecord,
  MessageInvalid: InvalidRecord,
  MessageReply: MessageReplyRecord,
  MessageRequest: MessageRequestRecord,
  MessageStartingPhase2: StartingPhase2Record,
  OutstandingOpKnown: KnownRecord,
  OutstandingOpUnknown: UnknownRecord,
  Packet: PacketRecord,
  ProposerState: ProposerStateRecord,
  ReplicaState: ReplicaStateRecord,
  Reply: ReplyRecord,
  Request: RequestRecord,
  RslSystem: RslSystemRecord,
  SchedulerState: SchedulerStateRecord,
  TimerOff: TimerOffRecord,
  TimerOn: TimerOnRecord,
  Vote: VoteRecord,
} as const;

// Every Record type of a system state compares field by field (see `fastRecordEquality`) and
// remembers its hash (see `cachedRecordHash`) and reads its fields directly (`fastRecordFields`):
// the stuttering test, the packet-set operations and the obligations do all three on every state.
for (const factory of Object.values(systemRecordTypes) as ReadonlyArray<Record.Factory<object>>) {
  fastRecordEquality(factory);
  cachedRecordHash(factory);
  fastRecordFields(factory);
}
