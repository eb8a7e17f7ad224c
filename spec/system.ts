/**
 * The distributed system (rsl-protocol.md §11) as a bounded, finitely branching transition system.
 *
 * The network is the grow-only set of every packet ever sent: a host may receive any sent packet
 * addressed to it, any number of times, which models loss, duplication and reordering at once.
 * Clients are hosts outside `replica_ids` that send requests from a bounded pool.
 */
import { List, Map, Record, Set, type RecordOf } from 'immutable';
import type { Constants } from './configuration.js';
import type { Packet } from './message.js';
import type { SchedulerState } from './replica.js';
import type { EndPoint, OperationNumber, RequestBatch } from './types.js';

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
}

// ACTIONS-BELOW (systemInit, systemSuccessors, applySystemStep, SystemStep)
