/**
 * The helper invariants of rsl-protocol.md §12.3 that the lab's lemmas are proved from, each a pure
 * predicate over one state with vacuity. Which helpers are included, and why the others are left
 * out, is in spec/obligations/index.ts.
 */
import { is } from 'immutable';
import type { Constants } from '../configuration.js';
import { formatBallot, formatBatch, formatVotes } from '../format.js';
import type { Message1b, Message2a, Packet } from '../message.js';
import type { RslSystem } from '../system.js';
import { balLeq, balLt, type Ballot, type EndPoint, type OperationNumber, type RequestBatch } from '../types.js';
import {
  balEq,
  batchKey,
  componentsOf,
  derivedIndex,
  forEach2bBySender,
  groupsAt,
  has2a,
  packetFrom,
  replicaIndexOf,
  type DerivedIndex,
} from './derivedIndex.js';
import { describe2asAt, formatIndices, from1b, from2a, from2b, replicaName } from './explain.js';
import { holds, violation, type ObligationVerdict } from './verdict.js';

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
          `${replicaName(c, k)}'s acceptor votes for opn=${opn} at bal=${formatBallot(v.maxValueBal)} above its max_bal=${formatBallot(a.maxBal)}`,
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
          `${replicaName(c, k)}'s acceptor votes for opn=${opn} (bal=${formatBallot(v.maxValueBal)}, val=${formatBatch(v.maxVal)}) but no 2a from a replica proposes it; 2a values there: ${describe2asAt(ix, opn, v.maxValueBal)}`,
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
    if (!balLeq(bal, a.maxBal)) return `${p()}, but its acceptor's max_bal=${formatBallot(a.maxBal)} is lower`;
    if (opn < a.logTruncationPoint) return undefined;
    const v = a.votes.get(opn);
    if (v === undefined) return `${p()}, but its acceptor (ltp=${a.logTruncationPoint}) holds no vote for opn=${opn}`;
    if (!balLeq(bal, v.maxValueBal))
      return `${p()}, but its acceptor's vote for opn=${opn} is at the lower bal=${formatBallot(v.maxValueBal)}`;
    if (balEq(bal, v.maxValueBal) && !is(v.maxVal, vg.val))
      return `${p()}, but its acceptor's vote at that ballot is val=${formatBatch(v.maxVal)}`;
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
        `${from1b(p)}; acceptor has max_bal=${formatBallot(a.maxBal)}, ltp=${a.logTruncationPoint}, votes=${formatVotes(a.votes)}`;
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
    const who = (): string => `${replicaName(c, k)}'s acceptor has max_bal=${formatBallot(mb)}`;
    if (mb.proposerId < 0 || mb.proposerId >= n) return violation(`${who()}, whose proposer id is not in [0,${n})`);
    const primary = proposers[mb.proposerId];
    if (primary !== undefined && !balLeq(mb, primary.maxBallotISent1a))
      return violation(`${who()}, above ${replicaName(c, mb.proposerId)}'s max_ballot_i_sent_1a=${formatBallot(primary.maxBallotISent1a)}`);
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
      return violation(`${replicaName(c, k)}'s max_ballot_i_sent_1a=${formatBallot(b)} does not have proposer id ${k} and seqno >= 0`);
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
        return violation(`${who()}, not about its max_ballot_i_sent_1a=${formatBallot(pr.maxBallotISent1a)}`);
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
          const stillThere = balEq(pr.maxBallotISent1a, group.bal) && pr.currentState !== 1 && pr.nextOperationNumberToPropose > opn;
          if (!past && !stillThere)
            return violation(
              `${p()}, but the sender's proposer has max_ballot_i_sent_1a=${formatBallot(pr.maxBallotISent1a)}, current_state=${pr.currentState}, next_operation_number_to_propose=${pr.nextOperationNumberToPropose}`,
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
        return violation(`${from2a(group.values[0]?.packets[0] as Packet<Message2a>)}: its ballot is not valid for n=${ix.n}`);
    }
  return holds(ix.packets2a.length > 0);
}

/** Calls `f` on every learner tuple; stops at the first failure message. */
function forEachLearnerTuple(
  s: RslSystem,
  f: (
    k: number,
    opn: OperationNumber,
    senders: Iterable<EndPoint> & { size: number },
    value: RequestBatch,
    maxBallotSeen: Ballot,
  ) => string | undefined,
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
          ? s.sentPackets.some(
              (p) => p.src === id && p.msg.type === '2b' && p.msg.opn2b === opn && balEq(p.msg.bal2b, bal) && is(p.msg.val2b, value),
            )
          : (vg?.senders.has(j) ?? false);
      if (!sent)
        return `${replicaName(c, k)}'s learner counts ${id} for opn=${opn} at bal=${formatBallot(bal)} with val=${formatBatch(value)}, but ${id} sent no such 2b`;
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
        `${replicaName(c, k)}'s executor decided val=${formatBatch(v)} at bal=${formatBallot(bal)} for opn=${ex.opsComplete}, but only ${count} replicas (${formatIndices(vg?.senders ?? [])}) sent that 2b (Q=${ix.quorumSize})`,
      );
  }
  return holds(premise);
}
