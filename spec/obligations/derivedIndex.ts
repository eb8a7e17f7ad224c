/**
 * The derived indices of rsl-protocol.md §12.0 ("useful derived indices"): P2a, P2b, P1b and the
 * chosen triples, built in one pass over `sentPackets` and memoised on that Set's identity, and
 * every replica's components unpacked once per `replicas` List. Shared by every obligation.
 */
import type { AcceptorState } from '../acceptor.js';
import { minQuorumSize, type Constants } from '../configuration.js';
import type { ExecutorState } from '../executor.js';
import type { LearnerState } from '../learner.js';
import type { Message1b, Message2a, Message2b, MessageReply, Packet } from '../message.js';
import type { ProposerState } from '../proposer.js';
import type { RslSystem } from '../system.js';
import type { AppMessage, Ballot, EndPoint, OperationNumber, RequestBatch } from '../types.js';

/** Packets from R carrying one (bal, opn, val): who sent them, and every such packet. */
export interface ValueGroup<P> {
  readonly val: RequestBatch;
  /** `batchKey(val)`. */
  readonly key: string;
  readonly senders: ReadonlySet<number>;
  readonly packets: readonly P[];
}

/** Everything sent from R for one (opn, bal), split by value. */
export interface BallotGroup<P> {
  readonly bal: Ballot;
  readonly values: readonly ValueGroup<P>[];
}

/** P1b[bal]: the 1b packets from R about one ballot. */
export interface OneBGroup {
  readonly bal: Ballot;
  readonly packets: readonly Packet<Message1b>[];
}

/** A chosen triple with the indices of the replicas whose 2bs form its quorum (§12.1). */
export interface ChosenValue {
  readonly bal: Ballot;
  readonly opn: OperationNumber;
  readonly val: RequestBatch;
  readonly indices: ReadonlySet<number>;
}

export interface DerivedIndex {
  readonly constants: Constants;
  readonly n: number;
  readonly quorumSize: number;
  /** `GetReplicaIndex` as a map. */
  readonly replicaIndex: ReadonlyMap<EndPoint, number>;
  /** P2a[opn][ballotKey(bal)]. */
  readonly p2a: ReadonlyMap<OperationNumber, ReadonlyMap<string, BallotGroup<Packet<Message2a>>>>;
  /** P2b[opn][ballotKey(bal)]; a value group's senders are the replicas that accepted it. */
  readonly p2b: ReadonlyMap<OperationNumber, ReadonlyMap<string, BallotGroup<Packet<Message2b>>>>;
  /** P1b[ballotKey(bal)]. */
  readonly p1b: ReadonlyMap<string, OneBGroup>;
  /** 1b packets from R, by sender index. */
  readonly oneBsBySender: readonly (readonly Packet<Message1b>[])[];
  /** Every 2a packet from R (one per destination of each broadcast). */
  readonly packets2a: readonly Packet<Message2a>[];
  /** Every Reply packet from R. */
  readonly replies: readonly Packet<MessageReply>[];
  readonly chosen: readonly ChosenValue[];
}

function appKey(m: AppMessage): string {
  if (m.type === 'AppIncrementReply') return `R${m.response}`;
  return m.type === 'AppIncrementRequest' ? 'I' : 'V';
}

/**
 * A string that identifies a batch by value (injective: client ids are length-prefixed). Grouping
 * by key instead of `Immutable.is` matters: states decoded from bytes share no objects, and deep
 * comparisons dominated the cost of building the index.
 */
export function batchKey(v: RequestBatch): string {
  let key = '';
  for (const r of v) key += `${r.client.length}:${r.client}${r.seqno},${appKey(r.request)};`;
  return key;
}

/** Ballot equality by fields (cheaper than a deep Record comparison). */
export function balEq(a: Ballot, b: Ballot): boolean {
  return a.seqno === b.seqno && a.proposerId === b.proposerId;
}

/** A string key identifying a ballot, for the maps of the index. */
export function ballotKey(b: Ballot): string {
  return `${b.seqno}/${b.proposerId}`;
}

interface MutableValueGroup<P> {
  readonly val: RequestBatch;
  readonly key: string;
  readonly senders: Set<number>;
  readonly packets: P[];
}
interface MutableBallotGroup<P> {
  readonly bal: Ballot;
  readonly values: MutableValueGroup<P>[];
}
type MutableSlotIndex<P> = Map<OperationNumber, Map<string, MutableBallotGroup<P>>>;

function addToSlotIndex<P>(ix: MutableSlotIndex<P>, opn: number, bal: Ballot, val: RequestBatch, k: number, p: P): void {
  let byBal = ix.get(opn);
  if (byBal === undefined) ix.set(opn, (byBal = new Map()));
  const key = ballotKey(bal);
  let group = byBal.get(key);
  if (group === undefined) byBal.set(key, (group = { bal, values: [] }));
  // The copies of one broadcast usually share their batch object; only then is the key skipped.
  let vg = group.values.find((g) => g.val === val);
  if (vg === undefined) {
    const vk = batchKey(val);
    vg = group.values.find((g) => g.key === vk);
    if (vg === undefined) group.values.push((vg = { val, key: vk, senders: new Set(), packets: [] }));
  }
  vg.senders.add(k);
  vg.packets.push(p);
}

const replicaIndexMemo = new WeakMap<Constants, ReadonlyMap<EndPoint, number>>();

/** `GetReplicaIndex` as a map from end point to index (memoised per constants). */
export function replicaIndexOf(c: Constants): ReadonlyMap<EndPoint, number> {
  let m = replicaIndexMemo.get(c);
  if (m === undefined) {
    const built = new Map<EndPoint, number>();
    // GetReplicaIndex is the FIRST occurrence of an id.
    c.config.replicaIds.forEach((id, k) => {
      if (!built.has(id)) built.set(id, k);
    });
    replicaIndexMemo.set(c, (m = built));
  }
  return m;
}

function buildIndex(c: Constants, s: RslSystem): DerivedIndex {
  const replicaIndex = replicaIndexOf(c);
  const n = c.config.replicaIds.size;
  const quorumSize = minQuorumSize(c.config);
  const p2a: MutableSlotIndex<Packet<Message2a>> = new Map();
  const p2b: MutableSlotIndex<Packet<Message2b>> = new Map();
  const p1b = new Map<string, { bal: Ballot; packets: Packet<Message1b>[] }>();
  const oneBsBySender: Packet<Message1b>[][] = Array.from({ length: n }, () => []);
  const packets2a: Packet<Message2a>[] = [];
  const replies: Packet<MessageReply>[] = [];
  for (const p of s.sentPackets) {
    const k = replicaIndex.get(p.src);
    if (k === undefined) continue;
    // `msg` is read once: every Record field access is a List lookup, and this loop is hot.
    const m = p.msg;
    switch (m.type) {
      case '2a':
        addToSlotIndex(p2a, m.opn2a, m.bal2a, m.val2a, k, p as Packet<Message2a>);
        packets2a.push(p as Packet<Message2a>);
        break;
      case '2b':
        addToSlotIndex(p2b, m.opn2b, m.bal2b, m.val2b, k, p as Packet<Message2b>);
        break;
      case '1b': {
        const key = ballotKey(m.bal1b);
        let group = p1b.get(key);
        if (group === undefined) p1b.set(key, (group = { bal: m.bal1b, packets: [] }));
        group.packets.push(p as Packet<Message1b>);
        oneBsBySender[k]?.push(p as Packet<Message1b>);
        break;
      }
      case 'Reply':
        replies.push(p as Packet<MessageReply>);
        break;
      default:
        break;
    }
  }
  const chosen: ChosenValue[] = [];
  for (const [opn, byBal] of p2b)
    for (const group of byBal.values())
      for (const vg of group.values)
        if (vg.senders.size >= quorumSize) chosen.push({ bal: group.bal, opn, val: vg.val, indices: vg.senders });
  return { constants: c, n, quorumSize, replicaIndex, p2a, p2b, p1b, oneBsBySender, packets2a, replies, chosen };
}

// Keyed by the sentPackets Set: all obligations of one state reuse one index.
const indexMemo = new WeakMap<object, DerivedIndex>();

/** The derived indices of §12.0 for a state, built in one pass over `sentPackets` and memoised. */
export function derivedIndex(c: Constants, s: RslSystem): DerivedIndex {
  const cached = indexMemo.get(s.sentPackets);
  if (cached !== undefined && cached.constants === c) return cached;
  const built = buildIndex(c, s);
  indexMemo.set(s.sentPackets, built);
  return built;
}

/** Every triple `(bal, opn, v)` with `Chosen(Σ, bal, opn, v)` (§12.1, QuorumOf2bs). */
export function chosenValues(c: Constants, s: RslSystem): readonly ChosenValue[] {
  return derivedIndex(c, s).chosen;
}

/** The group of P2a or P2b at (opn, bal), if anything was sent there. */
export function groupsAt<P>(
  ix: ReadonlyMap<OperationNumber, ReadonlyMap<string, BallotGroup<P>>>,
  opn: OperationNumber,
  bal: Ballot,
): BallotGroup<P> | undefined {
  return ix.get(opn)?.get(ballotKey(bal));
}

/** `val ∈ P2a[opn][bal]`, for `key = batchKey(val)`. */
export function has2a(ix: DerivedIndex, opn: OperationNumber, bal: Ballot, key: string): boolean {
  return groupsAt(ix.p2a, opn, bal)?.values.some((g) => g.key === key) ?? false;
}

/** How many packets a ballot group holds, over all its values. */
export function countPackets<P>(group: BallotGroup<P>): number {
  let total = 0;
  for (const vg of group.values) total += vg.packets.length;
  return total;
}

/** Calls `f(sender index, opn, 2b value group at bal)` for every distinct 2b from R. */
export function forEach2bBySender(
  ix: DerivedIndex,
  f: (k: number, opn: OperationNumber, bal: Ballot, vg: ValueGroup<Packet<Message2b>>) => string | undefined,
): string | undefined {
  for (const [opn, byBal] of ix.p2b)
    for (const group of byBal.values())
      for (const vg of group.values)
        for (const k of vg.senders) {
          const failure = f(k, opn, group.bal, vg);
          if (failure !== undefined) return failure;
        }
  return undefined;
}

/** The packet of `packets` sent by `src` (the first one when none is). */
export function packetFrom<P extends Packet>(packets: readonly P[], src: EndPoint): P {
  return (packets.find((p) => p.src === src) ?? packets[0]) as P;
}

/** Every replica's components, unpacked once per `replicas` list (Record reads are List lookups). */
export interface Components {
  readonly acceptors: readonly AcceptorState[];
  readonly proposers: readonly ProposerState[];
  readonly learners: readonly LearnerState[];
  readonly executors: readonly ExecutorState[];
}

/**
 * The last `replicas` List unpacked, and its components. One entry is enough: the obligations of
 * a state are evaluated one after another. A table by List would be keyed by a new List in almost
 * every state, and a WeakMap's table keeps the size of its largest moment after its keys die.
 */
let lastReplicas: object | undefined;
let lastComponents: Components | undefined;

/** The components of every replica of `s`, computed once for consecutive calls on one `replicas` List. */
export function componentsOf(s: RslSystem): Components {
  if (s.replicas === lastReplicas && lastComponents !== undefined) return lastComponents;
  const replicas = s.replicas.toArray().map((sch) => sch.replica);
  const comps = {
    acceptors: replicas.map((r) => r.acceptor),
    proposers: replicas.map((r) => r.proposer),
    learners: replicas.map((r) => r.learner),
    executors: replicas.map((r) => r.executor),
  };
  lastReplicas = s.replicas;
  lastComponents = comps;
  return comps;
}
