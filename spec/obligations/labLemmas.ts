/**
 * The ten lemmas of the lab (rsl-protocol.md §12.2), L1 to L10, each a pure predicate over one
 * state (L7, the WLOG form, over one step) whose verdict says whether its premise was exercised.
 */
import { is } from 'immutable';
import type { Constants } from '../configuration.js';
import { formatBallot, formatBatch } from '../format.js';
import type { Message1b, Message2a, Message2b, Packet } from '../message.js';
import type { RslSystem } from '../system.js';
import { balLeq, balLt, type Ballot, type OperationNumber, type RequestBatch } from '../types.js';
import {
  balEq,
  ballotKey,
  batchKey,
  countPackets,
  derivedIndex,
  forEach2bBySender,
  groupsAt,
  has2a,
  packetFrom,
  type ChosenValue,
} from './derivedIndex.js';
import { describe2asAt, formatChosen, formatIndices, from1b, from2a, from2b } from './explain.js';
import { holds, VACUOUS, violation, type ObligationVerdict } from './verdict.js';

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
            `${from2b(witness)} has no matching 2a from a replica; 2a values at bal=${formatBallot(group.bal)}, opn=${opn}: ${describe2asAt(ix, opn, group.bal)}`,
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
            `${from1b(p)}: its vote for opn=${opn} is at bal=${formatBallot(v.maxValueBal)}, not below the 1b's bal=${formatBallot(p.msg.bal1b)}`,
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
  | {
      readonly kind: '2b';
      readonly bal: Ballot;
      readonly opn: OperationNumber;
      readonly val: RequestBatch;
      readonly indices: ReadonlySet<number>;
    }
  | { readonly kind: '1b'; readonly bal: Ballot; readonly indices: ReadonlySet<number> };

function fmtQuorum(q: FoundQuorum): string {
  const what =
    q.kind === '2b'
      ? `2b quorum (bal=${formatBallot(q.bal)}, opn=${q.opn}, val=${formatBatch(q.val)})`
      : `1b quorum (bal=${formatBallot(q.bal)})`;
  return `${what} with indices ${formatIndices(q.indices)}`;
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
            `${from1b(p)}: no 2a from a replica proposes its vote for opn=${opn} (bal=${formatBallot(v.maxValueBal)}, val=${formatBatch(v.maxVal)}); 2a values there: ${describe2asAt(ix, opn, v.maxValueBal)}`,
          );
      }
  return holds(premise);
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
export function lemma2aMessagesFromSameBallotAndOperationMatchWLOG(c: Constants, from: RslSystem, to: RslSystem): ObligationVerdict {
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
            `${from2a(vg.packets[0] as Packet<Message2a>)} has no quorum (Q=${ix.quorumSize}) of 1bs permitting it; 1bs at bal=${formatBallot(group.bal)}: ${listed}`,
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
        return violation(`${formatChosen(ch)}, but ${from2a(other.packets[0] as Packet<Message2a>)} proposes a different value`);
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
    if (!is(first.val, ch.val)) return violation(`opn=${ch.opn}: ${formatChosen(first)}, and ${formatChosen(ch)}`);
  }
  return holds(premise);
}
