/**
 * The memo tables and shared values behind the successor function (spec/system.ts): what a
 * replica can do, memoised by the identity of immutable values, and the tables that make equal
 * replica states, replica components and packet sets one object (hash-consing), so that those
 * memos hit on values rather than on the paths that built them. Only speed depends on this
 * module: every function returns values equal to what recomputing them would give.
 */
import { is, isList, isMap, isRecord, isSet, List, Record, type Set } from 'immutable';
import type { Outcome, Packet, Sent } from './message.js';
import type { SchedulerState, SpecActions } from './replica.js';
import type { CheckpointStep, ReplicaStep, SystemConfig, ViewChangeStep } from './systemState.js';

/** Every list of receivable packets made so far, by its replica and packets' canonical keys. */
export const receivableLists = new globalThis.Map<string, readonly Packet[]>();

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

/** The memo tables of one system configuration and one set of spec actions. */
export interface Memo {
  /** Per replica: outcomes by replica state, then by slot and input. */
  readonly outcomes: WeakMap<SchedulerState, globalThis.Map<number | string, readonly Outcome<SchedulerState>[]>>[];
  /** Per replica: moves by replica state, then by receivable list, then by last clock reading. */
  readonly moves: WeakMap<SchedulerState, globalThis.Map<readonly Packet[], globalThis.Map<number, readonly ReplicaMove[]>>>[];
  /** Receivable lists per packet set, by replica. */
  readonly receivable: WeakMap<Set<Packet>, (readonly Packet[] | undefined)[]>;
  /** Per replica: its oracle steps and the states they lead to, by replica state and executed counts. */
  readonly oracleMoves: WeakMap<SchedulerState, globalThis.Map<string, readonly OracleMove[]>>[];
  /** Per replica: the state an oracle step leads to (null: none), by replica state and step. */
  readonly oracle: WeakMap<SchedulerState, globalThis.Map<string, SchedulerState | null>>[];
  /** Per replica: every scheduler state an outcome or oracle step produced, by hash (see `sharedReplicaState`). */
  readonly states: globalThis.Map<number, SchedulerState[]>[];
}

const memos = new WeakMap<SystemConfig, WeakMap<SpecActions, Memo>>();

export function memoOf(cfg: SystemConfig, P: SpecActions): Memo {
  let byActions = memos.get(cfg);
  if (byActions === undefined) memos.set(cfg, (byActions = new WeakMap()));
  let memo = byActions.get(P);
  if (memo === undefined) {
    const n = cfg.constants.config.replicaIds.size;
    memo = {
      outcomes: Array.from({ length: n }, () => new WeakMap()),
      moves: Array.from({ length: n }, () => new WeakMap()),
      receivable: new WeakMap(),
      oracle: Array.from({ length: n }, () => new WeakMap()),
      oracleMoves: Array.from({ length: n }, () => new WeakMap()),
      states: Array.from({ length: n }, () => new globalThis.Map()),
    };
    byActions.set(P, memo);
  }
  return memo;
}

/** Every distinct packet value made so far, by canonical key: its number (for memo keys) and its one object. */
const packetTable = new globalThis.Map<string, { readonly id: number; readonly packet: Packet }>();

function packetEntry(p: Packet): { readonly id: number; readonly packet: Packet } {
  const key = canonicalKey(p);
  let e = packetTable.get(key);
  if (e === undefined) packetTable.set(key, (e = { id: packetTable.size, packet: p }));
  return e;
}

/** A number for each distinct packet value, for memo keys. */
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
export function sharedReplicaState(states: globalThis.Map<number, SchedulerState[]>, s: SchedulerState): SchedulerState {
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
  else bucket.push(canonical);
  return canonical;
}

/** Replica components made so far, by hash (components carry no replica id, so all replicas share them). */
const sharedComponents = new globalThis.Map<number, object[]>();

/** The one object for the value of `v` in `table` (`v` itself if it is new). */
function shared<T extends { hashCode(): number }>(table: globalThis.Map<number, object[]>, v: T): T {
  const h = v.hashCode();
  const bucket = table.get(h);
  if (bucket === undefined) {
    table.set(h, [v]);
    return v;
  }
  const same = bucket.find((q) => is(q, v));
  if (same !== undefined) return same as T;
  bucket.push(v);
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
  if (bySent === undefined) unions.set(packets, (bySent = new WeakMap()));
  let union = bySent.get(sent);
  if (union === undefined) {
    // Set.add replaces an equal element by the new object: add only what is missing, keep identity.
    const missing = sent.filter((p) => !packets.has(p));
    union = missing.size === 0 ? packets : sharedPacketSet(packets.union(missing));
    bySent.set(sent, union);
  }
  return union;
}

const unions = new WeakMap<Set<Packet>, WeakMap<Sent, Set<Packet>>>();
export const noPackets: Sent = List();
/** Every packet set made by `withPackets`, by hash: equal sets are made one object. */
const packetSets = new globalThis.Map<number, object[]>();

function sharedPacketSet(packets: Set<Packet>): Set<Packet> {
  return shared(packetSets, packets);
}

/** An oracle step of one replica and the scheduler state it leads to. */
export interface OracleMove {
  readonly step: ViewChangeStep | CheckpointStep;
  readonly after: SchedulerState;
}
