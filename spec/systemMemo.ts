/**
 * The memo tables and shared values behind the successor function (spec/system.ts): what a
 * replica can do, memoised by the identity of immutable values, and the tables that make equal
 * replica states, replica components and packet sets one object (hash-consing), so that those
 * memos hit on values rather than on the paths that built them. Only speed depends on this
 * module: every function returns values equal to what recomputing them would give.
 *
 * Every table that keeps values alive is bounded (spec/boundedMemo.ts says why and how): a run's
 * memory is then its seen set and frontier plus a constant, whatever its length. The capacities
 * below are in cells (entries, or inner entries). They were measured on `npm run bench:rsl`'s
 * workloads: with them one more distinct state of the 3-view model costs 37 bytes (the seen set
 * 27.5 of them), with twice as much 43; the price is speed where a model's working set is larger
 * than that (about a quarter of the one-thread rate on that model; README, the engine section).
 */
import { is, isList, isMap, isRecord, isSet, List, Record, type Set } from 'immutable';
import { BoundedMemo } from './boundedMemo.js';
import type { Outcome, Packet, Sent } from './message.js';
import type { SchedulerState, SpecActions } from './replica.js';
import type { CheckpointStep, ReplicaStep, SystemConfig, ViewChangeStep } from './systemState.js';

/**
 * Replica states per generation of each per-replica memo keyed by replica state (its inner table,
 * by slot and input, is bounded by the configuration).
 */
const REPLICA_CAPACITY = 1 << 10;
/** Inner entries per generation of the memos whose inner tables grow with the run (moves by receivable list, unions by sent list). */
const INNER_CAPACITY = 1 << 12;
/** Values per generation of each hash-consing table. */
const SHARED_CAPACITY = 1 << 12;

/** Nested tables count one cell for the entry and one per inner entry. */
const innerCells = (m: { readonly size: number }): number => 1 + m.size;

/** Recent lists of receivable packets, by their replica and packets' canonical keys (one array per value). */
export const receivableLists = new BoundedMemo<string, readonly Packet[]>(SHARED_CAPACITY);

const keyCache = new WeakMap<object, string>();

/**
 * A canonical string for an immutable value: equal values (by `Immutable.is`) get equal keys,
 * whatever their insertion history, because Map and Set entries are sorted. Memoised per object,
 * which is safe because the values are immutable.
 */
export function canonicalKey(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'undefined' : JSON.stringify(v);
  const hit = keyCache.get(v);
  if (hit !== undefined) return hit;
  let key: string;
  if (isRecord(v)) {
    const fields: string[] = [];
    v.toSeq().forEach((x, k) => void fields.push(`${String(k)}:${canonicalKey(x)}`));
    key = `${Record.getDescriptiveName(v)}{${fields.join(',')}}`;
  } else if (isMap(v)) {
    key = `Map{${sortedStrings(v.entrySeq().map(([k, x]) => `${canonicalKey(k)}=>${canonicalKey(x)}`))}}`;
  } else if (isSet(v)) {
    key = `Set{${sortedStrings(v.toSeq().map((x) => canonicalKey(x)))}}`;
  } else if (isList(v)) {
    key = `[${v.map((x) => canonicalKey(x)).join(',')}]`;
  } else {
    key = JSON.stringify(v);
  }
  keyCache.set(v, key);
  return key;
}

function sortedStrings(xs: Iterable<string>): string {
  return Array.from(xs)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join(',');
}

/**
 * The memo tables of one system configuration and one set of spec actions. The tables keyed by
 * replica state are bounded: their values lead to other replica states (successors), so weak keys
 * alone would keep alive everything reachable from any live state.
 */
export interface Memo {
  /** Per replica: outcomes by replica state, then by slot and input. */
  readonly outcomes: BoundedMemo<SchedulerState, globalThis.Map<number | string, readonly Outcome<SchedulerState>[]>>[];
  /** Per replica: moves by replica state, then by receivable list, then by last clock reading. */
  readonly moves: BoundedMemo<SchedulerState, globalThis.Map<readonly Packet[], globalThis.Map<number, readonly ReplicaMove[]>>>[];
  /**
   * Receivable lists per packet set, by replica. Weak keys suffice: the lists hold packets of the
   * set itself, nothing that outlives it.
   */
  readonly receivable: WeakMap<Set<Packet>, (readonly Packet[] | undefined)[]>;
  /** Per replica: its oracle steps and the states they lead to, by replica state and executed counts. */
  readonly oracleMoves: BoundedMemo<SchedulerState, globalThis.Map<string, readonly OracleMove[]>>[];
  /** Per replica: the state an oracle step leads to (null: none), by replica state and step. */
  readonly oracle: BoundedMemo<SchedulerState, globalThis.Map<string, SchedulerState | null>>[];
  /** Per replica: recent scheduler states an outcome or oracle step produced, by hash (see `sharedReplicaState`). */
  readonly states: BoundedMemo<number, SchedulerState[]>[];
}

const memos = new WeakMap<SystemConfig, WeakMap<SpecActions, Memo>>();

export function memoOf(cfg: SystemConfig, P: SpecActions): Memo {
  let byActions = memos.get(cfg);
  if (byActions === undefined) memos.set(cfg, (byActions = new WeakMap()));
  let memo = byActions.get(P);
  if (memo === undefined) {
    const n = cfg.constants.config.replicaIds.size;
    const perReplica = <K, V>(): BoundedMemo<K, V>[] => Array.from({ length: n }, () => new BoundedMemo<K, V>(REPLICA_CAPACITY));
    memo = {
      outcomes: perReplica(),
      moves: Array.from(
        { length: n },
        () =>
          new BoundedMemo<SchedulerState, globalThis.Map<readonly Packet[], globalThis.Map<number, readonly ReplicaMove[]>>>(
            INNER_CAPACITY,
            innerCells,
          ),
      ),
      receivable: new WeakMap(),
      oracle: perReplica(),
      oracleMoves: perReplica(),
      states: Array.from({ length: n }, () => new BoundedMemo<number, SchedulerState[]>(SHARED_CAPACITY, (b) => b.length)),
    };
    byActions.set(P, memo);
  }
  return memo;
}

/** Recent packet values, by canonical key: a number (for memo keys) and the one object. */
const packetTable = new BoundedMemo<string, { readonly id: number; readonly packet: Packet }>(SHARED_CAPACITY);
/**
 * The next packet number. Never reused: a packet dropped from the table and made again gets a new
 * number, so a number always names one value (memo entries under the old number just stop hitting).
 */
let nextPacketId = 0;

function packetEntry(p: Packet): { readonly id: number; readonly packet: Packet } {
  const key = canonicalKey(p);
  let e = packetTable.get(key);
  if (e === undefined) packetTable.set(key, (e = { id: nextPacketId++, packet: p }));
  return e;
}

/** A number for a packet value, for memo keys: equal numbers mean equal packets. */
export function packetId(p: Packet): number {
  return packetEntry(p).id;
}

/**
 * The one object for the value of packet `p` (hash-consing). The packet sets are built from these,
 * so a membership test or a comparison of two packets mostly ends at `===` instead of comparing
 * messages field by field.
 */
export function sharedPacket(p: Packet): Packet {
  return packetEntry(p).packet;
}

/** `sent` with every packet its one object (`sent` itself when they already are). */
export function sharedSent(sent: Sent): Sent {
  if (sent.every((p) => sharedPacket(p) === p)) return sent;
  return sent.map(sharedPacket);
}

/**
 * The one object for the value of scheduler state `s` among those made so far (`s` itself if it is
 * new). Equal replica states reached along different paths are then one object, so the memos keyed
 * by replica state hit on the value, not on the path.
 */
export function sharedReplicaState(states: BoundedMemo<number, SchedulerState[]>, s: SchedulerState): SchedulerState {
  const h = s.hashCode();
  const bucket = states.get(h);
  const same = bucket?.find((q) => is(q, s));
  if (same !== undefined) return same;
  // A new replica state: its components are made shared too, so that what reads one component
  // (an obligation on acceptors, say) also hits on the value.
  const r = s.replica;
  const acceptor = shared(sharedComponents, r.acceptor);
  const proposer = shared(sharedComponents, r.proposer);
  const learner = shared(sharedComponents, r.learner);
  const executor = shared(sharedComponents, r.executor);
  const canonical =
    acceptor === r.acceptor && proposer === r.proposer && learner === r.learner && executor === r.executor
      ? s
      : s.set('replica', r.merge({ acceptor, proposer, learner, executor }));
  if (bucket === undefined) states.set(h, [canonical]);
  else {
    bucket.push(canonical);
    states.grew(1);
  }
  return canonical;
}

/** Recent replica components, by hash (components carry no replica id, so all replicas share them). */
const sharedComponents = new BoundedMemo<number, object[]>(SHARED_CAPACITY, (b) => b.length);

/** The one object for the value of `v` in `table` (`v` itself if it is new). */
function shared<T extends { hashCode(): number }>(table: BoundedMemo<number, object[]>, v: T): T {
  const h = v.hashCode();
  const bucket = table.get(h);
  if (bucket === undefined) {
    table.set(h, [v]);
    return v;
  }
  const same = bucket.find((q) => is(q, v));
  if (same !== undefined) return same as T;
  bucket.push(v);
  table.grew(1);
  return v;
}

/** One thing a replica can do: a slot, an input, an outcome choice, and what it leads to. */
export interface ReplicaMove {
  readonly step: ReplicaStep;
  readonly outcome: Outcome<SchedulerState>;
  /** The replica's state is unchanged and its clock does not move: a stutter unless it sends something new. */
  readonly still: boolean;
}

/** `sent` added to the packet set `packets`: memoised, and equal results are one object. */
export function withPackets(packets: Set<Packet>, sent: Sent): Set<Packet> {
  if (sent.size === 0) return packets;
  let bySent = unions.get(packets);
  if (bySent === undefined) unions.set(packets, (bySent = new globalThis.Map()));
  let union = bySent.get(sent);
  if (union === undefined) {
    // Set.add replaces an equal element by the new object: add only what is missing, keep identity.
    const missing = sent.filter((p) => !packets.has(p));
    union = missing.size === 0 ? packets : sharedPacketSet(packets.union(missing));
    bySent.set(sent, union);
    unions.grew(1);
  }
  return union;
}

/** Unions by packet set and sent list: bounded, since each union is itself a key (a chain to ever larger sets). */
const unions = new BoundedMemo<Set<Packet>, globalThis.Map<Sent, Set<Packet>>>(INNER_CAPACITY, innerCells);
export const noPackets: Sent = List();
/** Recent packet sets made by `withPackets`, by hash: equal sets are made one object. */
const packetSets = new BoundedMemo<number, object[]>(SHARED_CAPACITY, (b) => b.length);

function sharedPacketSet(packets: Set<Packet>): Set<Packet> {
  return shared(packetSets, packets);
}

/** An oracle step of one replica and the scheduler state it leads to. */
export interface OracleMove {
  readonly step: ViewChangeStep | CheckpointStep;
  readonly after: SchedulerState;
}
