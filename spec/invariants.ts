/**
 * The safety obligations of rsl-protocol.md §12 as pure predicates over one global state (or, for
 * the WLOG lemma, one step), with vacuity: every verdict says whether the obligation's hypothesis
 * was exercised non-vacuously in that state.
 *
 * Conventions of §12.0: `R = replica_ids`, `Q = LMinQuorumSize`, "from R" means `src ∈ R`, and
 * `Chosen(b, o, v) := |{k : 2b(b, o, v) from R[k] ∈ sent}| >= Q` (§12.1). All obligations of one
 * state share a single derived index (P2a, P2b, P1b, chosen triples) built in one pass over
 * `sentPackets` and memoised on that Set's identity; replica components are unpacked once per
 * `replicas` List. Each obligation's description states its premise.
 *
 * §12.3 helpers: besides those named in issue 3, lemma_1bMessageWithOpnImplicationsFor2b (the L9
 * proof's companion of L5) and lemma_Received2bMessageSendersAlwaysNonempty are included. Left out:
 * - lemma_CurrentVoteDoesNotExceedMaxBal: the same statement as lemma_VotePrecedesMaxBal.
 * - lemma_PacketInReceived1bWasSent: implied by lemma_Received1bPacketsAreFrommax_balISent1a.
 * - lemma_ActionThatOverwritesVoteWithSameBallotDoesntChangeValue, lemma_MaxBallotISent1aMonotonic:
 *   transition facts about one component's fields, used inside proofs; not state invariants.
 * - The Dafny-only extras (Message1a/2aLeqMaxBallotSenderSent1a, ...ShowsPrimaryReachedState2,
 *   ExecutedOperationAndAllBeforeItWereChosen, TransferredStateBasedOnChosenOperations): not in the
 *   lab's helper set; executed slots are covered by `agreement` and `replyCorrectness`.
 * Every helper included was checked by hand to be an invariant of the [V] protocol as written
 * (§5–§10), including lemma_MaxBalLeqMaxBallotPrimarySent1a (see its comment); none had to be
 * dropped. A scripted two-view run of the spec in the tests exercises every premise without a
 * violation.
 */
import { is } from 'immutable';
import { minQuorumSize, type Constants } from './configuration.js';
import { type Message1b, type Message2a, type Message2b, type MessageReply, type Packet } from './message.js';
import type { AcceptorState } from './acceptor.js';
import type { ExecutorState } from './executor.js';
import type { LearnerState } from './learner.js';
import type { ProposerState } from './proposer.js';
import type { RslSystem } from './system.js';
import {
  appIncrementReply,
  appInvalidReply,
  balLeq,
  balLt,
  type AppMessage,
  type Ballot,
  type EndPoint,
  type OperationNumber,
  type Request,
  type RequestBatch,
  type Votes,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Verdicts and obligation shapes

/**
 * The result of one obligation on one state or step (structurally the checker's `Verdict`).
 * `premise`: the obligation's hypothesis held somewhere in this state (it was not vacuous).
 */
export type ObligationVerdict =
  | { readonly holds: true; readonly premise: boolean }
  | { readonly holds: false; readonly premise: true; readonly explanation: string };

/** A named predicate on one global state. */
export interface StateObligation {
  readonly name: string;
  readonly description: string;
  check(c: Constants, s: RslSystem): ObligationVerdict;
}

/** A named predicate on one step `from -> to`. */
export interface StepObligation {
  readonly name: string;
  readonly description: string;
  check(c: Constants, from: RslSystem, to: RslSystem): ObligationVerdict;
}

const HOLDS: ObligationVerdict = Object.freeze({ holds: true, premise: true });
const VACUOUS: ObligationVerdict = Object.freeze({ holds: true, premise: false });

function holds(premise: boolean): ObligationVerdict {
  return premise ? HOLDS : VACUOUS;
}

function violation(explanation: string): ObligationVerdict {
  return { holds: false, premise: true, explanation };
}

// ---------------------------------------------------------------------------------------------
// Short renderings for explanations

function fmtBallot(b: Ballot): string {
  return `(${b.seqno},${b.proposerId})`;
}

function fmtRequest(r: Request): string {
  const base = `${r.client}#${r.seqno}`;
  return r.request.type === 'AppIncrementRequest' ? base : `${base}:${fmtApp(r.request)}`;
}

function fmtBatch(v: RequestBatch): string {
  return `[${v.map(fmtRequest).join(',')}]`;
}

function fmtApp(m: AppMessage): string {
  return m.type === 'AppIncrementReply' ? `AppIncrementReply(${m.response})` : m.type;
}

function fmtVotes(votes: Votes): string {
  const entries = [...votes.entries()].sort(([a], [b]) => a - b);
  return `{${entries.map(([o, v]) => `${o}:${fmtBallot(v.maxValueBal)}${fmtBatch(v.maxVal)}`).join(', ')}}`;
}

function fmt2a(m: Message2a): string {
  return `2a(bal=${fmtBallot(m.bal2a)}, opn=${m.opn2a}, val=${fmtBatch(m.val2a)})`;
}

function fmt2b(m: Message2b): string {
  return `2b(bal=${fmtBallot(m.bal2b)}, opn=${m.opn2b}, val=${fmtBatch(m.val2b)})`;
}

function fmt1b(m: Message1b): string {
  return `1b(bal=${fmtBallot(m.bal1b)}, ltp=${m.logTruncationPoint}, votes=${fmtVotes(m.votes)})`;
}

function fmtIndices(indices: Iterable<number>): string {
  return `{${[...indices].sort((a, b) => a - b).join(',')}}`;
}

function fmtChosen(ch: ChosenValue): string {
  return `val=${fmtBatch(ch.val)} chosen at bal=${fmtBallot(ch.bal)} for opn=${ch.opn} by quorum ${fmtIndices(ch.indices)}`;
}

function from2a(p: Packet<Message2a>): string {
  return `${fmt2a(p.msg)} from ${p.src}`;
}

function from2b(p: Packet<Message2b>): string {
  return `${fmt2b(p.msg)} from ${p.src}`;
}

function from1b(p: Packet<Message1b>): string {
  return `${fmt1b(p.msg)} from ${p.src}`;
}

// ---------------------------------------------------------------------------------------------
// The derived index (§12.0 "useful derived indices")

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
function balEq(a: Ballot, b: Ballot): boolean {
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

function replicaIndexOf(c: Constants): ReadonlyMap<EndPoint, number> {
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

function groupsAt<P>(
  ix: ReadonlyMap<OperationNumber, ReadonlyMap<string, BallotGroup<P>>>,
  opn: OperationNumber,
  bal: Ballot,
): BallotGroup<P> | undefined {
  return ix.get(opn)?.get(ballotKey(bal));
}

/** `val ∈ P2a[opn][bal]`, for `key = batchKey(val)`. */
function has2a(ix: DerivedIndex, opn: OperationNumber, bal: Ballot, key: string): boolean {
  return groupsAt(ix.p2a, opn, bal)?.values.some((g) => g.key === key) ?? false;
}

function describe2asAt(ix: DerivedIndex, opn: OperationNumber, bal: Ballot): string {
  const values = groupsAt(ix.p2a, opn, bal)?.values ?? [];
  return values.length === 0 ? 'none' : values.map((g) => fmtBatch(g.val)).join(' ');
}

function countPackets<P>(group: BallotGroup<P>): number {
  let total = 0;
  for (const vg of group.values) total += vg.packets.length;
  return total;
}

function replicaName(c: Constants, k: number): string {
  return c.config.replicaIds.get(k) ?? `#${k}`;
}

// ---------------------------------------------------------------------------------------------
// The ten lemmas of the lab (§12.2)

/**
 * L1 lemma_2bMessageHasCorresponding2aMessage (§12.2): every 2b from R has a 2a from R with the same
 * bal, opn and val. Premise: some 2b from R exists.
 */
export function lemma2bMessageHasCorresponding2aMessage(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const [opn, byBal] of ix.p2b)
    for (const group of byBal.values())
      for (const vg of group.values) {
        premise = true;
        if (!has2a(ix, opn, group.bal, vg.key)) {
          const witness = vg.packets[0] as Packet<Message2b>;
          return violation(
            `${from2b(witness)} has no matching 2a from a replica; 2a values at bal=${fmtBallot(group.bal)}, opn=${opn}: ${describe2asAt(ix, opn, group.bal)}`,
          );
        }
      }
  return holds(premise);
}

/**
 * L2 lemma_Vote1bMessageIsFromEarlierBallot (§12.2): every vote carried by a 1b from R has a ballot
 * strictly below the 1b's. Premise: some 1b from R carries a vote.
 */
export function lemmaVote1bMessageIsFromEarlierBallot(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const ones of ix.oneBsBySender)
    for (const p of ones)
      for (const [opn, v] of p.msg.votes) {
        premise = true;
        if (!balLt(v.maxValueBal, p.msg.bal1b))
          return violation(
            `${from1b(p)}: its vote for opn=${opn} is at bal=${fmtBallot(v.maxValueBal)}, not below the 1b's bal=${fmtBallot(p.msg.bal1b)}`,
          );
      }
  return holds(premise);
}

/** A set of replica indices, as a JS or immutable.js Set. */
export type IndexSet = Iterable<number> & { has(k: number): boolean };

/**
 * L3 lemma_QuorumIndexOverlap (§12.2), the arithmetic core: the smallest `common ∈ q1 ∩ q2` with
 * `0 <= common < n`, or undefined if there is none (which the lemma excludes when
 * `|q1| + |q2| > n` and both are subsets of `[0, n)`).
 */
export function quorumIndexOverlap(q1: IndexSet, q2: IndexSet, n: number): number | undefined {
  let common: number | undefined;
  for (const k of q1) if (k >= 0 && k < n && q2.has(k) && (common === undefined || k < common)) common = k;
  return common;
}

/** A quorum present in a state: a chosen triple's 2b senders, or the senders of P1b[bal]. */
export type FoundQuorum =
  | { readonly kind: '2b'; readonly bal: Ballot; readonly opn: OperationNumber; readonly val: RequestBatch; readonly indices: ReadonlySet<number> }
  | { readonly kind: '1b'; readonly bal: Ballot; readonly indices: ReadonlySet<number> };

function fmtQuorum(q: FoundQuorum): string {
  const what =
    q.kind === '2b'
      ? `2b quorum (bal=${fmtBallot(q.bal)}, opn=${q.opn}, val=${fmtBatch(q.val)})`
      : `1b quorum (bal=${fmtBallot(q.bal)})`;
  return `${what} with indices ${fmtIndices(q.indices)}`;
}

/** The quorums of a state (index sets of size >= Q): every chosen triple's and every P1b[bal]'s. */
export function quorumsInState(c: Constants, s: RslSystem): readonly FoundQuorum[] {
  const ix = derivedIndex(c, s);
  const found: FoundQuorum[] = ix.chosen.map((ch) => ({ kind: '2b', ...ch }));
  for (const group of ix.p1b.values()) {
    const indices = new Set<number>();
    for (const p of group.packets) {
      const k = ix.replicaIndex.get(p.src);
      if (k !== undefined) indices.add(k);
    }
    if (indices.size >= ix.quorumSize) found.push({ kind: '1b', bal: group.bal, indices });
  }
  return found;
}

/**
 * L3 on given quorums: every pair overlaps in `[0, n)`. Premise: at least two quorums.
 * Split from the state form so that its failure branch can be exercised directly.
 */
export function checkQuorumsOverlap(quorums: readonly FoundQuorum[], n: number): ObligationVerdict {
  for (let i = 0; i < quorums.length; i++)
    for (let j = i + 1; j < quorums.length; j++) {
      const a = quorums[i] as FoundQuorum;
      const b = quorums[j] as FoundQuorum;
      if (quorumIndexOverlap(a.indices, b.indices, n) === undefined)
        return violation(`${fmtQuorum(a)} and ${fmtQuorum(b)} have no common index in [0,${n})`);
    }
  return holds(quorums.length >= 2);
}

/**
 * L3 lemma_QuorumIndexOverlap (§12.2) on the quorums actually present in a state. With
 * `Q = floor(n/2) + 1` it cannot fail; it guards the arithmetic the other lemmas rely on.
 * Premise: two quorums (2b or 1b) exist.
 */
export function lemmaQuorumIndexOverlap(c: Constants, s: RslSystem): ObligationVerdict {
  return checkQuorumsOverlap(quorumsInState(c, s), c.config.replicaIds.size);
}

/**
 * L4 lemma_1bMessageWithOpnImplies2aSent (§12.2): every vote carried by a 1b from R was proposed
 * by a 2a from R (same opn, ballot and value). Premise: some 1b from R carries a vote.
 */
export function lemma1bMessageWithOpnImplies2aSent(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const ones of ix.oneBsBySender)
    for (const p of ones)
      for (const [opn, v] of p.msg.votes) {
        premise = true;
        if (!has2a(ix, opn, v.maxValueBal, batchKey(v.maxVal)))
          return violation(
            `${from1b(p)}: no 2a from a replica proposes its vote for opn=${opn} (bal=${fmtBallot(v.maxValueBal)}, val=${fmtBatch(v.maxVal)}); 2a values there: ${describe2asAt(ix, opn, v.maxValueBal)}`,
          );
      }
  return holds(premise);
}

/** Calls `f(sender index, opn, 2b value group at bal)` for every distinct 2b from R. */
function forEach2bBySender(
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

function packetFrom<P extends Packet>(packets: readonly P[], src: EndPoint): P {
  return (packets.find((p) => p.src === src) ?? packets[0]) as P;
}

/**
 * L5 lemma_1bMessageWithoutOpnImplicationsFor2b (§12.2): if a replica's 1b reports no vote for opn
 * and opn is not below its truncation point, every 2b of that replica for opn has a ballot at least
 * the 1b's. Premise: such a (1b, 2b) pair from one replica exists.
 */
export function lemma1bMessageWithoutOpnImplicationsFor2b(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  const failure = forEach2bBySender(ix, (k, opn, bal, vg) => {
    for (const p1 of ix.oneBsBySender[k] ?? []) {
      if (p1.msg.votes.has(opn) || opn < p1.msg.logTruncationPoint) continue;
      premise = true;
      if (!balLeq(p1.msg.bal1b, bal))
        return `${from1b(p1)} reports no vote for opn=${opn}, but the same replica sent ${from2b(packetFrom(vg.packets, p1.src))} at a lower ballot`;
    }
    return undefined;
  });
  return failure === undefined ? holds(premise) : violation(failure);
}

/**
 * L6 lemma_2aMessagesFromSameBallotAndOperationMatch (§12.2): `|P2a[opn][bal]| <= 1`.
 * Premise: two distinct 2a packets from R share a (bal, opn).
 */
export function lemma2aMessagesFromSameBallotAndOperationMatch(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const byBal of ix.p2a.values())
    for (const group of byBal.values()) {
      if (countPackets(group) >= 2) premise = true;
      const [first, second] = group.values;
      if (first !== undefined && second !== undefined)
        return violation(
          `${from2a(first.packets[0] as Packet<Message2a>)} and ${from2a(second.packets[0] as Packet<Message2a>)} propose different values for the same bal and opn`,
        );
    }
  return holds(premise);
}

/**
 * L7 lemma_2aMessagesFromSameBallotAndOperationMatchWLOG (§12.2), transition form: every 2a from R
 * newly sent in the step agrees with every 2a from R (old or new) with the same bal and opn.
 * Premise: the step sent a 2a from R and another 2a from R with its bal and opn exists afterwards.
 * Because `sentPackets` only grows, an unchanged size means nothing was sent.
 */
export function lemma2aMessagesFromSameBallotAndOperationMatchWLOG(
  c: Constants,
  from: RslSystem,
  to: RslSystem,
): ObligationVerdict {
  if (to.sentPackets.size === from.sentPackets.size) return VACUOUS;
  const ix = derivedIndex(c, to);
  let premise = false;
  for (const p2 of ix.packets2a) {
    if (from.sentPackets.has(p2)) continue;
    const group = groupsAt(ix.p2a, p2.msg.opn2a, p2.msg.bal2a);
    if (group === undefined) continue;
    if (countPackets(group) >= 2) premise = true;
    const key = batchKey(p2.msg.val2a);
    for (const vg of group.values) {
      if (vg.key === key) continue;
      const p1 = vg.packets.find((p) => from.sentPackets.has(p)) ?? (vg.packets[0] as Packet<Message2a>);
      const age = from.sentPackets.has(p1) ? 'already sent' : 'also new';
      return violation(`newly sent ${from2a(p2)} disagrees with ${from2a(p1)} (${age})`);
    }
  }
  return holds(premise);
}

/**
 * The checkable form of L8's existential: is there `q ⊆ oneBs` with pairwise distinct sources,
 * `|q| >= quorumSize`, every member's truncation point `<= opn`, and (no member has a vote for opn,
 * or `val` is the highest-numbered proposal for opn in q)? `oneBs` must be P1b[bal].
 *
 * Instead of enumerating subsets: membership conditions are per packet and monotone, so for each
 * disjunct the best q takes one eligible packet per source. For "highest-numbered proposal", try
 * each ballot c* at which an eligible packet voted `val`; eligible are the packets with no vote for
 * opn or a vote at most c*.
 */
export function has1bQuorumPermitting(
  oneBs: readonly Packet<Message1b>[],
  opn: OperationNumber,
  val: RequestBatch,
  quorumSize: number,
): boolean {
  const afterTruncation = oneBs.filter((p) => p.msg.logTruncationPoint <= opn);
  const distinctSources = (ps: readonly Packet<Message1b>[]): number => new Set(ps.map((p) => p.src)).size;
  if (distinctSources(afterTruncation.filter((p) => !p.msg.votes.has(opn))) >= quorumSize) return true;
  for (const w of afterTruncation) {
    const vw = w.msg.votes.get(opn);
    if (vw === undefined || !is(vw.maxVal, val)) continue;
    const eligible = afterTruncation.filter((p) => {
      const v = p.msg.votes.get(opn);
      return v === undefined || balLeq(v.maxValueBal, vw.maxValueBal);
    });
    if (distinctSources(eligible) >= quorumSize) return true;
  }
  return false;
}

/**
 * L8 lemma_2aMessageHas1bQuorumPermittingIt (§12.2): every 2a from R has a quorum of 1bs from R
 * about its ballot that permits its value (see `has1bQuorumPermitting`). Premise: a 2a from R exists.
 */
export function lemma2aMessageHas1bQuorumPermittingIt(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const [opn, byBal] of ix.p2a)
    for (const group of byBal.values()) {
      const oneBs = ix.p1b.get(ballotKey(group.bal))?.packets ?? [];
      for (const vg of group.values) {
        premise = true;
        if (!has1bQuorumPermitting(oneBs, opn, vg.val, ix.quorumSize)) {
          const listed = oneBs.length === 0 ? 'none' : oneBs.map(from1b).join('; ');
          return violation(
            `${from2a(vg.packets[0] as Packet<Message2a>)} has no quorum (Q=${ix.quorumSize}) of 1bs permitting it; 1bs at bal=${fmtBallot(group.bal)}: ${listed}`,
          );
        }
      }
    }
  return holds(premise);
}

/**
 * L9 lemma_ChosenQuorumAnd2aFromLaterBallotMatchValues (§12.2): a 2a from R at a ballot above one
 * at which a value was chosen for its slot proposes that value. Premise: a value is chosen at some
 * bal for opn and a 2a from R for opn at a later ballot exists.
 */
export function lemmaChosenQuorumAnd2aFromLaterBallotMatchValues(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const ch of ix.chosen) {
    const byBal = ix.p2a.get(ch.opn);
    if (byBal === undefined) continue;
    for (const group of byBal.values()) {
      if (!balLt(ch.bal, group.bal)) continue;
      premise = true;
      const other = group.values.find((vg) => !is(vg.val, ch.val));
      if (other !== undefined)
        return violation(`${fmtChosen(ch)}, but ${from2a(other.packets[0] as Packet<Message2a>)} proposes a different value`);
    }
  }
  return holds(premise);
}

/**
 * L10 lemma_ChosenQuorumsMatchValue (§12.2), the agreement theorem: all values chosen for one slot
 * are equal. Premise: some slot is chosen at two different ballots (the case where agreement is
 * not trivial; two quorums at one ballot agree by L1 and L6 alone).
 */
export function lemmaChosenQuorumsMatchValue(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  const firstBySlot = new Map<OperationNumber, ChosenValue>();
  for (const ch of ix.chosen) {
    const first = firstBySlot.get(ch.opn);
    if (first === undefined) {
      firstBySlot.set(ch.opn, ch);
      continue;
    }
    if (!balEq(first.bal, ch.bal)) premise = true;
    if (!is(first.val, ch.val)) return violation(`opn=${ch.opn}: ${fmtChosen(first)}, and ${fmtChosen(ch)}`);
  }
  return holds(premise);
}

// ---------------------------------------------------------------------------------------------
// Service-level obligations (§12.4 item 1, issue 3)

/**
 * Agreement of executed batches (§12.4 item 1): two replicas that both executed a slot (ghost
 * `executedBatches`) executed the same batch there. Premise: two replicas executed the same slot.
 */
export function agreement(c: Constants, s: RslSystem): ObligationVerdict {
  let premise = false;
  const executed = s.executedBatches;
  for (let i = 0; i < executed.size; i++)
    for (let j = i + 1; j < executed.size; j++) {
      const ei = executed.get(i);
      const ej = executed.get(j);
      if (ei === undefined || ej === undefined) continue;
      for (const [opn, bi] of ei) {
        const bj = ej.get(opn);
        if (bj === undefined) continue;
        premise = true;
        if (!is(bi, bj))
          return violation(
            `slot ${opn}: ${replicaName(c, i)} executed ${fmtBatch(bi)} but ${replicaName(c, j)} executed ${fmtBatch(bj)}`,
          );
      }
    }
  return holds(premise);
}

/** The decided order: slots 0, 1, ... while each has exactly one chosen value (L10). */
function decidedPrefix(ix: DerivedIndex): RequestBatch[] {
  // null marks a slot with two different chosen values: it has no decided value.
  const bySlot = new Map<OperationNumber, RequestBatch | null>();
  for (const ch of ix.chosen) {
    const seen = bySlot.get(ch.opn);
    if (seen === undefined) bySlot.set(ch.opn, ch.val);
    else if (seen !== null && !is(seen, ch.val)) bySlot.set(ch.opn, null);
  }
  const prefix: RequestBatch[] = [];
  for (let k = 0; ; k++) {
    const v = bySlot.get(k);
    if (v === undefined || v === null) return prefix;
    prefix.push(v);
  }
}

interface DecidedPosition {
  readonly slot: number;
  readonly index: number;
  readonly expected: AppMessage;
}

/**
 * For each (client, seqno), the positions of that request in the decided order and the reply the
 * counter (§9.2) gives there: an increment returns the count of increments up to and including it;
 * any other request gets AppInvalidReply and leaves the counter unchanged. Written from §9.2 rather
 * than by calling spec/app.ts, so a broken application is caught rather than trusted.
 */
function decidedPositions(prefix: readonly RequestBatch[]): Map<EndPoint, Map<number, DecidedPosition[]>> {
  const positions = new Map<EndPoint, Map<number, DecidedPosition[]>>();
  let counter = 0;
  prefix.forEach((batch, slot) =>
    batch.forEach((r, index) => {
      let expected: AppMessage;
      if (r.request.type === 'AppIncrementRequest') {
        counter += 1;
        expected = appIncrementReply(counter);
      } else {
        expected = appInvalidReply();
      }
      let byClient = positions.get(r.client);
      if (byClient === undefined) positions.set(r.client, (byClient = new Map()));
      let list = byClient.get(r.seqno);
      if (list === undefined) byClient.set(r.seqno, (list = []));
      list.push({ slot, index, expected });
    }),
  );
  return positions;
}

/**
 * Reply correctness (issue 3): every Reply from R to `dst` for seqno answers a request
 * `(dst, seqno)` that sits at some position (slot k, index i) of the decided order (slots 0..k all
 * chosen, each with one value) and carries the counter's reply for that position: for an increment,
 * `AppIncrementReply(sizes of the decided batches before k + i + 1)` when every request is an
 * increment. Premise: a Reply from R exists.
 */
export function replyCorrectness(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  if (ix.replies.length === 0) return VACUOUS;
  const prefix = decidedPrefix(ix);
  const positions = decidedPositions(prefix);
  for (const p of ix.replies) {
    const found = positions.get(p.dst)?.get(p.msg.seqnoReply) ?? [];
    if (found.some((pos) => is(p.msg.reply, pos.expected))) continue;
    const rendered = `Reply(seqno=${p.msg.seqnoReply}, ${fmtApp(p.msg.reply)}) ${p.src}->${p.dst}`;
    const req = `${p.dst}#${p.msg.seqnoReply}`;
    if (found.length === 0) {
      const decided = prefix.length === 0 ? 'no slot is decided' : `decided slots 0..${prefix.length - 1}`;
      return violation(`${rendered}: request ${req} is in no slot of the decided order (${decided})`);
    }
    const expected = found.map((pos) => `slot ${pos.slot} index ${pos.index} -> ${fmtApp(pos.expected)}`).join('; ');
    return violation(`${rendered}: request ${req} is decided at ${expected}`);
  }
  return HOLDS;
}

// ---------------------------------------------------------------------------------------------
// Helper invariants of §12.3

/** Every replica's components, unpacked once per `replicas` list (Record reads are List lookups). */
interface Components {
  readonly acceptors: readonly AcceptorState[];
  readonly proposers: readonly ProposerState[];
  readonly learners: readonly LearnerState[];
  readonly executors: readonly ExecutorState[];
}

const componentsMemo = new WeakMap<object, Components>();

function componentsOf(s: RslSystem): Components {
  let comps = componentsMemo.get(s.replicas);
  if (comps === undefined) {
    const replicas = s.replicas.toArray().map((sch) => sch.replica);
    comps = {
      acceptors: replicas.map((r) => r.acceptor),
      proposers: replicas.map((r) => r.proposer),
      learners: replicas.map((r) => r.learner),
      executors: replicas.map((r) => r.executor),
    };
    componentsMemo.set(s.replicas, comps);
  }
  return comps;
}

/**
 * lemma_VotePrecedesMaxBal (§12.3): every vote an acceptor holds has a ballot at most its max_bal.
 * Premise: some acceptor holds a vote.
 */
export function lemmaVotePrecedesMaxBal(c: Constants, s: RslSystem): ObligationVerdict {
  let premise = false;
  for (const [k, a] of componentsOf(s).acceptors.entries()) {
    for (const [opn, v] of a.votes) {
      premise = true;
      if (!balLeq(v.maxValueBal, a.maxBal))
        return violation(
          `${replicaName(c, k)}'s acceptor votes for opn=${opn} at bal=${fmtBallot(v.maxValueBal)} above its max_bal=${fmtBallot(a.maxBal)}`,
        );
    }
  }
  return holds(premise);
}

/**
 * lemma_VoteWithOpnImplies2aSent (§12.3, = lemma_Find2aThatCausedVote): every vote an acceptor holds
 * was proposed by a 2a from R. Premise: some acceptor holds a vote.
 */
export function lemmaVoteWithOpnImplies2aSent(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const [k, a] of componentsOf(s).acceptors.entries()) {
    for (const [opn, v] of a.votes) {
      premise = true;
      if (!has2a(ix, opn, v.maxValueBal, batchKey(v.maxVal)))
        return violation(
          `${replicaName(c, k)}'s acceptor votes for opn=${opn} (bal=${fmtBallot(v.maxValueBal)}, val=${fmtBatch(v.maxVal)}) but no 2a from a replica proposes it; 2a values there: ${describe2asAt(ix, opn, v.maxValueBal)}`,
        );
    }
  }
  return holds(premise);
}

/**
 * lemma_2bMessageImplicationsForAcceptorState (§12.3): for a 2b from R[k] and k's acceptor:
 * `bal_2b <= max_bal`, and if opn is not below the truncation point, the acceptor holds a vote for
 * opn at a ballot at least bal_2b, with the 2b's value when the ballots are equal.
 * Premise: some 2b from R exists.
 */
export function lemma2bMessageImplicationsForAcceptorState(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  const failure = forEach2bBySender(ix, (k, opn, bal, vg) => {
    const a = componentsOf(s).acceptors[k];
    if (a === undefined) return undefined;
    premise = true;
    const p = (): string => from2b(packetFrom(vg.packets, replicaName(c, k)));
    if (!balLeq(bal, a.maxBal)) return `${p()}, but its acceptor's max_bal=${fmtBallot(a.maxBal)} is lower`;
    if (opn < a.logTruncationPoint) return undefined;
    const v = a.votes.get(opn);
    if (v === undefined) return `${p()}, but its acceptor (ltp=${a.logTruncationPoint}) holds no vote for opn=${opn}`;
    if (!balLeq(bal, v.maxValueBal))
      return `${p()}, but its acceptor's vote for opn=${opn} is at the lower bal=${fmtBallot(v.maxValueBal)}`;
    if (balEq(bal, v.maxValueBal) && !is(v.maxVal, vg.val))
      return `${p()}, but its acceptor's vote at that ballot is val=${fmtBatch(v.maxVal)}`;
    return undefined;
  });
  return failure === undefined ? holds(premise) : violation(failure);
}

/**
 * lemma_1bMessageImplicationsForAcceptorState (§12.3): for a 1b from R[k] and k's acceptor s:
 * `bal_1b <= s.max_bal`; for opn >= s.ltp: a vote carried by the 1b is still held, either unchanged
 * or at a ballot >= bal_1b; a slot the 1b had no vote for is either still unvoted or voted at a
 * ballot >= bal_1b. Premise: some 1b from R exists.
 */
export function lemma1bMessageImplicationsForAcceptorState(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (let k = 0; k < ix.oneBsBySender.length; k++) {
    const a = componentsOf(s).acceptors[k];
    if (a === undefined) continue;
    for (const p of ix.oneBsBySender[k] ?? []) {
      premise = true;
      const m = p.msg;
      const who = (): string =>
        `${from1b(p)}; acceptor has max_bal=${fmtBallot(a.maxBal)}, ltp=${a.logTruncationPoint}, votes=${fmtVotes(a.votes)}`;
      if (!balLeq(m.bal1b, a.maxBal)) return violation(`${who()}: max_bal is below the 1b's ballot`);
      for (const [opn, pv] of m.votes) {
        if (opn < a.logTruncationPoint) continue;
        const sv = a.votes.get(opn);
        if (sv === undefined) return violation(`${who()}: the vote for opn=${opn} was lost without truncation`);
        if (!balLeq(m.bal1b, sv.maxValueBal) && !is(sv, pv))
          return violation(`${who()}: the vote for opn=${opn} changed below the 1b's ballot`);
      }
      for (const [opn, sv] of a.votes) {
        if (m.votes.has(opn) || opn < a.logTruncationPoint) continue;
        if (!balLeq(m.bal1b, sv.maxValueBal))
          return violation(`${who()}: opn=${opn} was unvoted in the 1b but is now voted below the 1b's ballot`);
      }
    }
  }
  return holds(premise);
}

/**
 * lemma_1bMessageWithOpnImplicationsFor2b (§12.3, used by L9): for a 1b and a 2b from the same
 * replica with the 1b carrying a vote for the 2b's opn (and opn >= the 1b's ltp):
 * `bal_1b <= bal_2b`, or the 2b is exactly that vote, or the 2b's ballot is below the vote's.
 * Premise: such a (1b, 2b) pair exists.
 */
export function lemma1bMessageWithOpnImplicationsFor2b(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  const failure = forEach2bBySender(ix, (k, opn, bal, vg) => {
    for (const p1 of ix.oneBsBySender[k] ?? []) {
      const v = p1.msg.votes.get(opn);
      if (v === undefined || opn < p1.msg.logTruncationPoint) continue;
      premise = true;
      if (balLeq(p1.msg.bal1b, bal) || balLt(bal, v.maxValueBal)) continue;
      if (!balEq(bal, v.maxValueBal) || !is(vg.val, v.maxVal))
        return `${from1b(p1)} and ${from2b(packetFrom(vg.packets, p1.src))}: the 2b is below the 1b's ballot, above its vote's ballot, and not that vote`;
    }
    return undefined;
  });
  return failure === undefined ? holds(premise) : violation(failure);
}

/**
 * lemma_MaxBalLeqMaxBallotPrimarySent1a (§12.3): every acceptor's max_bal names a valid replica,
 * and that replica's proposer has sent a 1a at least that high. An acceptor raises max_bal only to
 * the ballot of a 1a or 2a from R, both of which carry their sender's max_ballot_i_sent_1a at
 * sending time, and that field never decreases. Premise: some acceptor's max_bal is above (0,0).
 */
export function lemmaMaxBalLeqMaxBallotPrimarySent1a(c: Constants, s: RslSystem): ObligationVerdict {
  const n = c.config.replicaIds.size;
  let premise = false;
  const { acceptors, proposers } = componentsOf(s);
  for (const [k, a] of acceptors.entries()) {
    const mb = a.maxBal;
    if (mb.seqno !== 0 || mb.proposerId !== 0) premise = true;
    const who = (): string => `${replicaName(c, k)}'s acceptor has max_bal=${fmtBallot(mb)}`;
    if (mb.proposerId < 0 || mb.proposerId >= n) return violation(`${who()}, whose proposer id is not in [0,${n})`);
    const primary = proposers[mb.proposerId];
    if (primary !== undefined && !balLeq(mb, primary.maxBallotISent1a))
      return violation(
        `${who()}, above ${replicaName(c, mb.proposerId)}'s max_ballot_i_sent_1a=${fmtBallot(primary.maxBallotISent1a)}`,
      );
  }
  return holds(premise);
}

/**
 * lemma_max_balISent1aHasMeAsProposer (§12.3): replica k's max_ballot_i_sent_1a has proposer id k
 * and seqno >= 0. Premise: some proposer has moved past its initial ballot (0, k).
 */
export function lemmaMaxBalISent1aHasMeAsProposer(c: Constants, s: RslSystem): ObligationVerdict {
  let premise = false;
  for (const [k, pr] of componentsOf(s).proposers.entries()) {
    const b = pr.maxBallotISent1a;
    if (b.seqno !== 0 || b.proposerId !== k) premise = true;
    if (b.proposerId !== k || b.seqno < 0)
      return violation(`${replicaName(c, k)}'s max_ballot_i_sent_1a=${fmtBallot(b)} does not have proposer id ${k} and seqno >= 0`);
  }
  return holds(premise);
}

/** `p ∈ sent`, for a 1b from R, looked up in P1b (hashing a whole packet costs more). */
function wasSent1b(ix: DerivedIndex, p: Packet<Message1b>): boolean {
  const k = ix.replicaIndex.get(p.src);
  return k !== undefined && (ix.oneBsBySender[k] ?? []).some((q) => q === p || is(q, p));
}

/**
 * lemma_Received1bPacketsAreFrommax_balISent1a (§12.3): every packet in a proposer's
 * received_1b_packets is a sent 1b from R about its max_ballot_i_sent_1a, and no two have the same
 * source. Premise: some proposer holds a received 1b.
 */
export function lemmaReceived1bPacketsAreFromMaxBalISent1a(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const [k, pr] of componentsOf(s).proposers.entries()) {
    const sources = new Set<EndPoint>();
    for (const p of pr.received1bPackets) {
      premise = true;
      const who = (): string => `${replicaName(c, k)} holds received ${from1b(p)}`;
      if (p.msg.type !== '1b' || !balEq(p.msg.bal1b, pr.maxBallotISent1a))
        return violation(`${who()}, not about its max_ballot_i_sent_1a=${fmtBallot(pr.maxBallotISent1a)}`);
      if (!ix.replicaIndex.has(p.src)) return violation(`${who()}, whose source is not a replica`);
      if (!wasSent1b(ix, p)) return violation(`${who()}, which was never sent`);
      if (sources.has(p.src)) return violation(`${who()}, a second 1b from ${p.src}`);
      sources.add(p.src);
    }
  }
  return holds(premise);
}

/**
 * lemma_2aMessageImplicationsForProposerState (§12.3): a 2a from R[k] has proposer id k, and k's
 * proposer is either past that ballot, or still at it outside phase 1 with
 * next_operation_number_to_propose beyond the 2a's opn. Premise: a 2a from R exists.
 */
export function lemma2aMessageImplicationsForProposerState(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const [opn, byBal] of ix.p2a)
    for (const group of byBal.values())
      for (const vg of group.values)
        for (const k of vg.senders) {
          premise = true;
          const p = (): string => from2a(packetFrom(vg.packets, replicaName(c, k)));
          if (group.bal.proposerId !== k) return violation(`${p()}: the ballot's proposer id is not the sender's index ${k}`);
          const pr = componentsOf(s).proposers[k];
          if (pr === undefined) continue;
          const past = balLt(group.bal, pr.maxBallotISent1a);
          const stillThere =
            balEq(pr.maxBallotISent1a, group.bal) && pr.currentState !== 1 && pr.nextOperationNumberToPropose > opn;
          if (!past && !stillThere)
            return violation(
              `${p()}, but the sender's proposer has max_ballot_i_sent_1a=${fmtBallot(pr.maxBallotISent1a)}, current_state=${pr.currentState}, next_operation_number_to_propose=${pr.nextOperationNumberToPropose}`,
            );
        }
  return holds(premise);
}

/**
 * lemma_2aMessageHasValidBallot (§12.3): a 2a from R has `seqno >= 0` and `0 <= proposer_id < n`.
 * Premise: a 2a from R exists.
 */
export function lemma2aMessageHasValidBallot(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  for (const byBal of ix.p2a.values())
    for (const group of byBal.values()) {
      const b = group.bal;
      if (b.seqno < 0 || b.proposerId < 0 || b.proposerId >= ix.n)
        return violation(
          `${from2a(group.values[0]?.packets[0] as Packet<Message2a>)}: its ballot is not valid for n=${ix.n}`,
        );
    }
  return holds(ix.packets2a.length > 0);
}

/** Calls `f` on every learner tuple; stops at the first failure message. */
function forEachLearnerTuple(
  s: RslSystem,
  f: (k: number, opn: OperationNumber, senders: Iterable<EndPoint> & { size: number }, value: RequestBatch, maxBallotSeen: Ballot) => string | undefined,
): { readonly premise: boolean; readonly failure: string | undefined } {
  let premise = false;
  for (const [k, learner] of componentsOf(s).learners.entries()) {
    for (const [opn, t] of learner.unexecutedLearnerState) {
      premise = true;
      const failure = f(k, opn, t.received2bMessageSenders, t.candidateLearnedValue, learner.maxBallotSeen);
      if (failure !== undefined) return { premise, failure };
    }
  }
  return { premise, failure: undefined };
}

/**
 * lemma_Received2bMessageSendersAlwaysValidReplicas (§12.3): learners count 2bs from replicas only.
 * Premise: some learner tracks a slot.
 */
export function lemmaReceived2bMessageSendersAlwaysValidReplicas(c: Constants, s: RslSystem): ObligationVerdict {
  const replicas = replicaIndexOf(c);
  const { premise, failure } = forEachLearnerTuple(s, (k, opn, senders) => {
    for (const id of senders)
      if (!replicas.has(id)) return `${replicaName(c, k)}'s learner counts ${id}, not a replica, as a 2b sender for opn=${opn}`;
    return undefined;
  });
  return failure === undefined ? holds(premise) : violation(failure);
}

/**
 * lemma_Received2bMessageSendersAlwaysNonempty (§12.3, Dafny): a slot a learner tracks has at least
 * one 2b sender. Premise: some learner tracks a slot.
 */
export function lemmaReceived2bMessageSendersAlwaysNonempty(c: Constants, s: RslSystem): ObligationVerdict {
  const { premise, failure } = forEachLearnerTuple(s, (k, opn, senders) =>
    senders.size === 0 ? `${replicaName(c, k)}'s learner tracks opn=${opn} with no 2b sender` : undefined,
  );
  return failure === undefined ? holds(premise) : violation(failure);
}

/**
 * lemma_GetSent2bMessageFromLearnerState (§12.3): for every sender a learner counted for a slot, a
 * 2b from that sender with the learner's max_ballot_seen, that opn and the candidate value was
 * sent. Premise: some learner tracks a slot.
 */
export function lemmaGetSent2bMessageFromLearnerState(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  const { premise, failure } = forEachLearnerTuple(s, (k, opn, senders, value, bal) => {
    const key = batchKey(value);
    const vg = groupsAt(ix.p2b, opn, bal)?.values.find((g) => g.key === key);
    for (const id of senders) {
      const j = ix.replicaIndex.get(id);
      const sent =
        j === undefined
          ? s.sentPackets.some((p) => p.src === id && p.msg.type === '2b' && p.msg.opn2b === opn && balEq(p.msg.bal2b, bal) && is(p.msg.val2b, value))
          : (vg?.senders.has(j) ?? false);
      if (!sent)
        return `${replicaName(c, k)}'s learner counts ${id} for opn=${opn} at bal=${fmtBallot(bal)} with val=${fmtBatch(value)}, but ${id} sent no such 2b`;
    }
    return undefined;
  });
  return failure === undefined ? holds(premise) : violation(failure);
}

/**
 * lemma_DecidedOperationWasChosen (§12.3): an executor's `next_op_to_execute = Known(v, bal)` means
 * `Chosen(bal, ops_complete, v)`. Premise: some executor holds a decision.
 */
export function lemmaDecidedOperationWasChosen(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  let premise = false;
  for (const [k, ex] of componentsOf(s).executors.entries()) {
    if (ex.nextOpToExecute.type !== 'Known') continue;
    premise = true;
    const { v, bal } = ex.nextOpToExecute;
    const key = batchKey(v);
    const vg = groupsAt(ix.p2b, ex.opsComplete, bal)?.values.find((g) => g.key === key);
    const count = vg?.senders.size ?? 0;
    if (count < ix.quorumSize)
      return violation(
        `${replicaName(c, k)}'s executor decided val=${fmtBatch(v)} at bal=${fmtBallot(bal)} for opn=${ex.opsComplete}, but only ${count} replicas (${fmtIndices(vg?.senders ?? [])}) sent that 2b (Q=${ix.quorumSize})`,
      );
  }
  return holds(premise);
}

// ---------------------------------------------------------------------------------------------
// The obligation tables

function stateObligation(
  name: string,
  description: string,
  check: (c: Constants, s: RslSystem) => ObligationVerdict,
): StateObligation {
  return Object.freeze({ name, description, check });
}

/** Every state obligation, in the order the checker evaluates and reports them. */
export const stateObligations: readonly StateObligation[] = Object.freeze([
  stateObligation(
    'lemma_2bMessageHasCorresponding2aMessage',
    'L1: every 2b from a replica has a 2a from a replica with the same bal, opn, val. Premise: a 2b exists.',
    lemma2bMessageHasCorresponding2aMessage,
  ),
  stateObligation(
    'lemma_Vote1bMessageIsFromEarlierBallot',
    "L2: every vote in a replica's 1b is at a ballot below the 1b's. Premise: a 1b carries a vote.",
    lemmaVote1bMessageIsFromEarlierBallot,
  ),
  stateObligation(
    'lemma_QuorumIndexOverlap',
    'L3: any two quorums present (2b quorums of chosen values, 1b quorums of a ballot) share a replica index. Premise: two quorums exist.',
    lemmaQuorumIndexOverlap,
  ),
  stateObligation(
    'lemma_1bMessageWithOpnImplies2aSent',
    "L4: every vote in a replica's 1b was proposed by a 2a from a replica. Premise: a 1b carries a vote.",
    lemma1bMessageWithOpnImplies2aSent,
  ),
  stateObligation(
    'lemma_1bMessageWithoutOpnImplicationsFor2b',
    "L5: a replica whose 1b at b had no vote for opn (opn >= its ltp) sends no 2b for opn below b. Premise: such a (1b, 2b) pair exists.",
    lemma1bMessageWithoutOpnImplicationsFor2b,
  ),
  stateObligation(
    'lemma_2aMessagesFromSameBallotAndOperationMatch',
    'L6: 2as from replicas with the same bal and opn carry the same value. Premise: two 2a packets share a bal and opn.',
    lemma2aMessagesFromSameBallotAndOperationMatch,
  ),
  stateObligation(
    'lemma_2aMessageHas1bQuorumPermittingIt',
    'L8: every 2a from a replica has a quorum of 1bs about its ballot that permits its value. Premise: a 2a exists.',
    lemma2aMessageHas1bQuorumPermittingIt,
  ),
  stateObligation(
    'lemma_ChosenQuorumAnd2aFromLaterBallotMatchValues',
    'L9: a 2a at a ballot above one where a value was chosen for its slot proposes that value. Premise: a chosen value and a later-ballot 2a for its slot exist.',
    lemmaChosenQuorumAnd2aFromLaterBallotMatchValues,
  ),
  stateObligation(
    'lemma_ChosenQuorumsMatchValue',
    'L10: all values chosen for a slot are equal. Premise: a slot is chosen at two different ballots.',
    lemmaChosenQuorumsMatchValue,
  ),
  stateObligation(
    'agreement',
    'Replicas that executed the same slot executed the same batch. Premise: two replicas executed one slot.',
    agreement,
  ),
  stateObligation(
    'replyCorrectness',
    "Every reply carries the counter value of its request's position in the decided order. Premise: a reply exists.",
    replyCorrectness,
  ),
  stateObligation(
    'lemma_VotePrecedesMaxBal',
    "Every acceptor vote is at a ballot <= the acceptor's max_bal. Premise: an acceptor holds a vote.",
    lemmaVotePrecedesMaxBal,
  ),
  stateObligation(
    'lemma_VoteWithOpnImplies2aSent',
    'Every acceptor vote was proposed by a 2a from a replica. Premise: an acceptor holds a vote.',
    lemmaVoteWithOpnImplies2aSent,
  ),
  stateObligation(
    'lemma_2bMessageImplicationsForAcceptorState',
    "A 2b is reflected in its sender's acceptor (max_bal, and the vote unless truncated). Premise: a 2b exists.",
    lemma2bMessageImplicationsForAcceptorState,
  ),
  stateObligation(
    'lemma_1bMessageImplicationsForAcceptorState',
    "A 1b is reflected in its sender's acceptor (max_bal, votes kept or raised). Premise: a 1b exists.",
    lemma1bMessageImplicationsForAcceptorState,
  ),
  stateObligation(
    'lemma_1bMessageWithOpnImplicationsFor2b',
    "A replica's 2b for a slot its 1b had a vote for is at or above the 1b's ballot, that vote, or below it. Premise: such a (1b, 2b) pair exists.",
    lemma1bMessageWithOpnImplicationsFor2b,
  ),
  stateObligation(
    'lemma_MaxBalLeqMaxBallotPrimarySent1a',
    "Every acceptor's max_bal is <= its proposer's max_ballot_i_sent_1a. Premise: an acceptor's max_bal is above (0,0).",
    lemmaMaxBalLeqMaxBallotPrimarySent1a,
  ),
  stateObligation(
    'lemma_max_balISent1aHasMeAsProposer',
    "Replica k's max_ballot_i_sent_1a has proposer id k. Premise: a proposer has left its initial ballot.",
    lemmaMaxBalISent1aHasMeAsProposer,
  ),
  stateObligation(
    'lemma_Received1bPacketsAreFrommax_balISent1a',
    "A proposer's received 1bs were sent, by distinct replicas, about its max_ballot_i_sent_1a. Premise: a proposer holds a 1b.",
    lemmaReceived1bPacketsAreFromMaxBalISent1a,
  ),
  stateObligation(
    'lemma_2aMessageImplicationsForProposerState',
    "A 2a is from its ballot's proposer, who is past that ballot or at it with next opn beyond the 2a's. Premise: a 2a exists.",
    lemma2aMessageImplicationsForProposerState,
  ),
  stateObligation(
    'lemma_2aMessageHasValidBallot',
    'A 2a from a replica has seqno >= 0 and proposer id in [0, n). Premise: a 2a exists.',
    lemma2aMessageHasValidBallot,
  ),
  stateObligation(
    'lemma_Received2bMessageSendersAlwaysValidReplicas',
    'Learners count 2b senders that are replicas. Premise: a learner tracks a slot.',
    lemmaReceived2bMessageSendersAlwaysValidReplicas,
  ),
  stateObligation(
    'lemma_Received2bMessageSendersAlwaysNonempty',
    'A slot a learner tracks has at least one 2b sender. Premise: a learner tracks a slot.',
    lemmaReceived2bMessageSendersAlwaysNonempty,
  ),
  stateObligation(
    'lemma_GetSent2bMessageFromLearnerState',
    "Each 2b sender a learner counted sent that 2b (learner's ballot, opn, candidate value). Premise: a learner tracks a slot.",
    lemmaGetSent2bMessageFromLearnerState,
  ),
  stateObligation(
    'lemma_DecidedOperationWasChosen',
    "An executor's pending decision (v, bal) for ops_complete is chosen. Premise: an executor holds a decision.",
    lemmaDecidedOperationWasChosen,
  ),
]);

/** Every step obligation. */
export const stepObligations: readonly StepObligation[] = Object.freeze([
  Object.freeze({
    name: 'lemma_2aMessagesFromSameBallotAndOperationMatchWLOG',
    description:
      'L7: every 2a newly sent in a step agrees with every 2a (old or new) with its bal and opn. Premise: a new 2a shares its bal and opn with another 2a.',
    check: lemma2aMessagesFromSameBallotAndOperationMatchWLOG,
  }),
]);
