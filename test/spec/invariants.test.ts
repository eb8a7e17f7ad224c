/**
 * Obligation tests (rsl-protocol.md §12). For each obligation: the rich two-view state where it holds
 * non-vacuously, a state where its premise is false, and a violating state whose explanation must
 * name the witnesses. States are hand-built (invariantFixtures.ts); nothing here runs the actions.
 */
import fc from 'fast-check';
import { List, Map, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { outstandingOpKnown } from '../../spec/executor.js';
import {
  agreement,
  chosenValues,
  checkQuorumsOverlap,
  derivedIndex,
  has1bQuorumPermitting,
  lemma1bMessageImplicationsForAcceptorState,
  lemma1bMessageWithOpnImplicationsFor2b,
  lemma1bMessageWithOpnImplies2aSent,
  lemma1bMessageWithoutOpnImplicationsFor2b,
  lemma2aMessageHas1bQuorumPermittingIt,
  lemma2aMessageHasValidBallot,
  lemma2aMessageImplicationsForProposerState,
  lemma2aMessagesFromSameBallotAndOperationMatch,
  lemma2aMessagesFromSameBallotAndOperationMatchWLOG,
  lemma2bMessageHasCorresponding2aMessage,
  lemma2bMessageImplicationsForAcceptorState,
  lemmaChosenQuorumAnd2aFromLaterBallotMatchValues,
  lemmaChosenQuorumsMatchValue,
  lemmaDecidedOperationWasChosen,
  lemmaGetSent2bMessageFromLearnerState,
  lemmaMaxBalISent1aHasMeAsProposer,
  lemmaMaxBalLeqMaxBallotPrimarySent1a,
  lemmaQuorumIndexOverlap,
  lemmaReceived1bPacketsAreFromMaxBalISent1a,
  lemmaReceived2bMessageSendersAlwaysNonempty,
  lemmaReceived2bMessageSendersAlwaysValidReplicas,
  lemmaVote1bMessageIsFromEarlierBallot,
  lemmaVotePrecedesMaxBal,
  lemmaVoteWithOpnImplies2aSent,
  quorumIndexOverlap,
  quorumsInState,
  replyCorrectness,
  stateObligations,
  stepObligations,
  type ObligationVerdict,
} from '../../spec/obligations/index.js';
import { message1b, messageHeartbeat, outcome, packet, type Message1b, type Packet } from '../../spec/message.js';
import { defaultSpecActions, type SpecActions } from '../../spec/replica.js';
import { systemInit, systemSuccessors, type ReplicaStep, type RslSystem, type SystemSuccessor } from '../../spec/system.js';
import { appInvalidReply, learnerTuple, vote, type Ballot, type RequestBatch } from '../../spec/types.js';
import {
  B10,
  B11,
  V0,
  V1,
  W,
  b,
  batch,
  broadcast,
  constants,
  initialState,
  oneB,
  patchReplica,
  replyTo,
  richState,
  twoA,
  twoB,
  view10Packets,
  view11Packets,
  withExecuted,
  withPackets,
} from './invariantFixtures.js';
import { makeSystemConfig } from './systemFixtures.js';
import { labLemmas, labStepLemma } from '../helpers/labLemmas.js';

const rich = richState();
const init = initialState();

function expectHolds(v: ObligationVerdict, premise: boolean): void {
  expect(v).toEqual({ holds: true, premise });
}

/** Asserts a violation whose explanation contains every given fragment; returns the explanation. */
function expectViolation(v: ObligationVerdict, ...fragments: string[]): string {
  expect(v.holds).toBe(false);
  if (v.holds) return '';
  expect(v.premise).toBe(true);
  for (const f of fragments) expect(v.explanation).toContain(f);
  return v.explanation;
}

const expectedNames = [
  ...labLemmas.filter((n) => n !== labStepLemma),
  'agreement',
  'replyCorrectness',
  'lemma_VotePrecedesMaxBal',
  'lemma_VoteWithOpnImplies2aSent',
  'lemma_2bMessageImplicationsForAcceptorState',
  'lemma_1bMessageImplicationsForAcceptorState',
  'lemma_max_balISent1aHasMeAsProposer',
  'lemma_Received1bPacketsAreFrommax_balISent1a',
  'lemma_2aMessageImplicationsForProposerState',
  'lemma_2aMessageHasValidBallot',
  'lemma_Received2bMessageSendersAlwaysValidReplicas',
  'lemma_GetSent2bMessageFromLearnerState',
  'lemma_DecidedOperationWasChosen',
  'lemma_MaxBalLeqMaxBallotPrimarySent1a',
];

describe('obligation tables', () => {
  it('name every obligation of the brief exactly, once', () => {
    const names = stateObligations.map((o) => o.name);
    expect(new globalThis.Set(names).size).toBe(names.length);
    for (const n of expectedNames) expect(names).toContain(n);
    expect(stepObligations.map((o) => o.name)).toEqual([labStepLemma, 'opsCompleteNeverDecreases']);
  });

  it('state the premise in every description', () => {
    for (const o of [...stateObligations, ...stepObligations]) expect(o.description).toMatch(/Premise: /);
  });

  it('every state obligation holds non-vacuously in the rich two-view state', () => {
    for (const o of stateObligations)
      expect({ name: o.name, verdict: o.check(constants, rich) }).toEqual({
        name: o.name,
        verdict: { holds: true, premise: true },
      });
  });

  it('every obligation is vacuous in the initial state', () => {
    for (const o of stateObligations)
      expect({ name: o.name, verdict: o.check(constants, init) }).toEqual({ name: o.name, verdict: { holds: true, premise: false } });
    for (const o of stepObligations) expectHolds(o.check(constants, init, init), false);
  });
});

describe('derived index', () => {
  it('finds exactly the chosen triples of the rich state, with their quorums', () => {
    const chosen = chosenValues(constants, rich).map((ch) => ({
      bal: [ch.bal.seqno, ch.bal.proposerId],
      opn: ch.opn,
      val: ch.val.toJS(),
      indices: [...ch.indices].sort(),
    }));
    expect(chosen).toEqual(
      expect.arrayContaining([
        { bal: [1, 0], opn: 0, val: V0.toJS(), indices: [0, 1] },
        { bal: [1, 1], opn: 0, val: V0.toJS(), indices: [1, 2] },
        { bal: [1, 1], opn: 1, val: V1.toJS(), indices: [1, 2] },
      ]),
    );
    expect(chosen).toHaveLength(3);
  });

  it('counts a replica once however many copies of its 2b exist, and ignores non-replica senders', () => {
    const s = withPackets(init, twoB(0, B10, 0, V0), twoB(0, B10, 0, V0), packet('r1', 'c0', twoB(1, B10, 0, V0)[0]!.msg));
    expect(chosenValues(constants, s)).toEqual([]);
  });

  it('is memoised on the sentPackets set and rebuilt for other constants', () => {
    expect(derivedIndex(constants, rich)).toBe(derivedIndex(constants, rich));
    const other = { ...constants };
    expect(derivedIndex(other, rich)).not.toBe(derivedIndex(constants, rich));
  });
});

describe('L1 lemma_2bMessageHasCorresponding2aMessage', () => {
  it('is violated by a 2b whose value no 2a proposed, naming it and the proposed values', () => {
    const s = withPackets(rich, twoB(2, B10, 0, W));
    expectViolation(lemma2bMessageHasCorresponding2aMessage(constants, s), '2b(bal=(1,0), opn=0, val=[c7#0]) from r2', '[c0#0,c1#0]');
  });
  it('is violated by a 2b at a ballot with no 2a at all', () => {
    expectViolation(lemma2bMessageHasCorresponding2aMessage(constants, withPackets(init, twoB(1, b(2, 1), 3, V1))), 'opn=3: none');
  });
  it('ignores 2bs not sent by a replica', () => {
    const fromClient = packet('r0', 'c0', twoB(0, B10, 0, W)[0]!.msg);
    expectHolds(lemma2bMessageHasCorresponding2aMessage(constants, withPackets(init, fromClient)), false);
  });
});

describe('L2 lemma_Vote1bMessageIsFromEarlierBallot', () => {
  it('is vacuous when 1bs carry no votes', () => {
    expectHolds(lemmaVote1bMessageIsFromEarlierBallot(constants, withPackets(init, view10Packets())), false);
  });
  it('is violated by a vote at the 1b ballot itself', () => {
    const bad = oneB(2, b(1, 2), 0, [[1, b(1, 2), V1]]);
    expectViolation(lemmaVote1bMessageIsFromEarlierBallot(constants, withPackets(rich, bad)), 'from r2', 'opn=1', 'bal=(1,2), not below');
  });
});

describe('L3 lemma_QuorumIndexOverlap', () => {
  it('quorumIndexOverlap returns the smallest common index in range', () => {
    expect(quorumIndexOverlap(new globalThis.Set([2, 0, 1]), Set([1, 2]), 3)).toBe(1);
    expect(quorumIndexOverlap(new globalThis.Set([0]), new globalThis.Set([1, 2]), 3)).toBeUndefined();
    expect(quorumIndexOverlap(new globalThis.Set([5, 0]), new globalThis.Set([5, 1]), 3)).toBeUndefined();
  });

  it('any two subsets of [0,n) with |q1|+|q2| > n overlap (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 9 })
          .chain((n) => fc.tuple(fc.constant(n), fc.subarray([...Array(n).keys()]), fc.subarray([...Array(n).keys()]))),
        ([n, a, c]) => {
          const common = quorumIndexOverlap(new globalThis.Set(a), new globalThis.Set(c), n);
          if (common !== undefined) return a.includes(common) && c.includes(common) && common >= 0 && common < n;
          return a.length + c.length <= n;
        },
      ),
    );
  });

  it('finds the quorums of the rich state: 3 chosen triples, 1b quorums at (1,0) and (1,1)', () => {
    const found = quorumsInState(constants, rich).map(
      (q) => `${q.kind}@${q.bal.seqno},${q.bal.proposerId}:${[...q.indices].sort().join('')}`,
    );
    expect(found.sort()).toEqual(['1b@1,0:012', '1b@1,1:12', '2b@1,0:01', '2b@1,1:12', '2b@1,1:12']);
  });

  it('is vacuous with a single quorum', () => {
    const s = withPackets(init, twoB(0, B10, 0, V0), twoB(1, B10, 0, V0));
    expectHolds(lemmaQuorumIndexOverlap(constants, s), false);
  });

  it('reports two disjoint quorums with their ballots and indices', () => {
    const v = checkQuorumsOverlap(
      [
        { kind: '2b', bal: B10, opn: 0, val: V0, indices: new globalThis.Set([0]) },
        { kind: '1b', bal: B11, indices: new globalThis.Set([1, 2]) },
      ],
      3,
    );
    expectViolation(
      v,
      '2b quorum (bal=(1,0), opn=0, val=[c0#0,c1#0]) with indices {0}',
      '1b quorum (bal=(1,1)) with indices {1,2}',
      '[0,3)',
    );
  });
});

describe('L4 lemma_1bMessageWithOpnImplies2aSent', () => {
  it('is violated by a carried vote that no 2a proposed', () => {
    const bad = oneB(2, b(1, 2), 0, [[1, B10, W]]);
    expectViolation(lemma1bMessageWithOpnImplies2aSent(constants, withPackets(rich, bad)), 'from r2', 'opn=1', 'val=[c7#0]', 'there: none');
  });
  it('is vacuous when 1bs carry no votes', () => {
    expectHolds(lemma1bMessageWithOpnImplies2aSent(constants, withPackets(init, view10Packets())), false);
  });
});

describe('L5 lemma_1bMessageWithoutOpnImplicationsFor2b', () => {
  it('is violated when a replica said "no vote for opn" at (1,1) but voted for opn at (1,0)', () => {
    const s = withPackets(rich, twoB(2, B10, 0, V0));
    expectViolation(
      lemma1bMessageWithoutOpnImplicationsFor2b(constants, s),
      '1b(bal=(1,1), ltp=0, votes={}) from r2',
      '2b(bal=(1,0), opn=0, val=[c0#0,c1#0]) from r2',
    );
  });
  it('does not apply below the 1b truncation point', () => {
    const s = withPackets(init, oneB(2, B11, 1), twoA(0, B10, 0, V0), twoB(2, B10, 0, V0));
    expectHolds(lemma1bMessageWithoutOpnImplicationsFor2b(constants, s), false);
  });
  it('does not pair packets of different replicas', () => {
    const s = withPackets(init, oneB(1, B11, 0), twoB(2, B10, 0, V0));
    expectHolds(lemma1bMessageWithoutOpnImplicationsFor2b(constants, s), false);
  });
});

describe('L6 lemma_2aMessagesFromSameBallotAndOperationMatch', () => {
  it('is violated by two values at one (bal, opn), naming both 2as', () => {
    const s = withPackets(rich, twoA(0, B10, 0, W));
    expectViolation(
      lemma2aMessagesFromSameBallotAndOperationMatch(constants, s),
      '2a(bal=(1,0), opn=0, val=[c0#0,c1#0]) from r0',
      '2a(bal=(1,0), opn=0, val=[c7#0]) from r0',
    );
  });
  it('is vacuous with a single 2a packet', () => {
    const single = twoA(0, B10, 0, V0)[0]!;
    expectHolds(lemma2aMessagesFromSameBallotAndOperationMatch(constants, withPackets(init, single)), false);
  });
});

describe('L7 lemma_2aMessagesFromSameBallotAndOperationMatchWLOG (step)', () => {
  const before = withPackets(
    withPackets(init, view10Packets()),
    view11Packets().filter((p) => p.msg.type !== '2a' || p.msg.opn2a !== 1),
  );
  const after = withPackets(init, view10Packets(), view11Packets());

  it('holds when a new broadcast 2a is the only value at its (bal, opn)', () => {
    expectHolds(lemma2aMessagesFromSameBallotAndOperationMatchWLOG(constants, before, after), true);
  });
  it('is vacuous for a step that sends no 2a', () => {
    const hb = withPackets(after, broadcast(1, messageHeartbeat(B11, true, 0)));
    expectHolds(lemma2aMessagesFromSameBallotAndOperationMatchWLOG(constants, after, hb), false);
    expectHolds(lemma2aMessagesFromSameBallotAndOperationMatchWLOG(constants, after, after), false);
  });
  it('is violated by a new 2a disagreeing with an old one', () => {
    const bad = withPackets(after, twoA(1, B11, 0, W));
    expectViolation(
      lemma2aMessagesFromSameBallotAndOperationMatchWLOG(constants, after, bad),
      'newly sent 2a(bal=(1,1), opn=0, val=[c7#0]) from r1',
      '2a(bal=(1,1), opn=0, val=[c0#0,c1#0]) from r1 (already sent)',
    );
  });
  it('is violated by two disagreeing 2as sent in the same step', () => {
    const bad = withPackets(after, twoA(1, B11, 2, W), twoA(1, B11, 2, V1));
    expectViolation(lemma2aMessagesFromSameBallotAndOperationMatchWLOG(constants, after, bad), 'opn=2', '(also new)');
  });
});

describe('L8 lemma_2aMessageHas1bQuorumPermittingIt', () => {
  it('is violated by a 2a at a ballot without 1bs', () => {
    const s = withPackets(rich, twoA(2, b(1, 2), 0, V0));
    expectViolation(
      lemma2aMessageHas1bQuorumPermittingIt(constants, s),
      '2a(bal=(1,2), opn=0, val=[c0#0,c1#0]) from r2',
      'Q=2',
      'bal=(1,2): none',
    );
  });
  it('is violated by a 2a that ignores the highest vote in its 1b quorum', () => {
    const B20 = b(2, 0);
    const s = withPackets(rich, oneB(0, B20, 0, [[0, B10, V0]]), oneB(1, B20, 0, [[0, B11, V0]]), twoA(0, B20, 0, W));
    expectViolation(
      lemma2aMessageHas1bQuorumPermittingIt(constants, s),
      '2a(bal=(2,0), opn=0, val=[c7#0]) from r0',
      '1b(bal=(2,0), ltp=0, votes={0:(1,0)[c0#0,c1#0]}) from r0',
      '1b(bal=(2,0), ltp=0, votes={0:(1,1)[c0#0,c1#0]}) from r1',
    );
  });
  it('is violated when the only 1bs without a vote come from one replica', () => {
    const B20 = b(2, 0);
    const s = withPackets(init, oneB(0, B20, 0), packet('r1', 'r0', message1b(B20, 0, Map())), twoA(0, B20, 0, W));
    expectViolation(lemma2aMessageHas1bQuorumPermittingIt(constants, s), 'val=[c7#0]');
  });
  it('rejects 1bs whose truncation point is beyond the 2a slot', () => {
    const B20 = b(2, 0);
    const s = withPackets(init, oneB(0, B20, 1), oneB(1, B20, 1), twoA(0, B20, 0, W));
    expectViolation(lemma2aMessageHas1bQuorumPermittingIt(constants, s), 'ltp=1');
  });

  // The reference definitions of §7.2 / §12.2 L8, evaluated by brute force over all subsets.
  function bruteForce(oneBs: readonly Packet<Message1b>[], opn: number, val: RequestBatch, q: number): boolean {
    for (let mask = 0; mask < 1 << oneBs.length; mask++) {
      const S = oneBs.filter((_, i) => (mask >> i) & 1);
      if (S.length < q) continue;
      if (new globalThis.Set(S.map((p) => p.src)).size !== S.length) continue;
      if (!S.every((p) => p.msg.logTruncationPoint <= opn)) continue;
      const noProposal = S.every((p) => !p.msg.votes.has(opn));
      const highest = S.some((w) => {
        const c = w.msg.votes.get(opn);
        if (c === undefined || !c.maxVal.equals(val)) return false;
        return S.every((p) => {
          const v = p.msg.votes.get(opn);
          return (
            v === undefined ||
            v.maxValueBal.seqno < c.maxValueBal.seqno ||
            (v.maxValueBal.seqno === c.maxValueBal.seqno && v.maxValueBal.proposerId <= c.maxValueBal.proposerId)
          );
        });
      });
      if (noProposal || highest) return true;
    }
    return false;
  }

  it('agrees with brute-force subset enumeration on random 1b sets (property)', () => {
    const vals = [V0, V1, W];
    const ballots = [b(0, 0), b(1, 0), b(1, 1), b(1, 2), b(2, 0)];
    const arb1b = fc.record({
      src: fc.integer({ min: 0, max: 4 }),
      ltp: fc.integer({ min: 0, max: 2 }),
      votes: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(
        fc.array(arb1b, { maxLength: 7 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        (raw, opn, vi, q) => {
          const oneBs = raw.map((r, i) =>
            packet(
              `x${i}`,
              `r${r.src}`,
              message1b(b(3, 0), r.ltp, Map(r.votes.map(([o, bi, v]) => [o, vote(ballots[bi]!, vals[v]!)] as const))),
            ),
          );
          const val = vals[vi]!;
          expect(has1bQuorumPermitting(oneBs, opn, val, q)).toBe(bruteForce(oneBs, opn, val, q));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('L9 lemma_ChosenQuorumAnd2aFromLaterBallotMatchValues', () => {
  it('is vacuous when nothing is proposed above the chosen ballot', () => {
    expectHolds(lemmaChosenQuorumAnd2aFromLaterBallotMatchValues(constants, withPackets(init, view10Packets())), false);
  });
  it('is vacuous when a later 2a concerns another slot', () => {
    const s = withPackets(init, view10Packets(), twoA(1, B11, 1, V1));
    expectHolds(lemmaChosenQuorumAnd2aFromLaterBallotMatchValues(constants, s), false);
  });
  it('is violated by a later 2a with another value, naming the chosen quorum and the 2a', () => {
    const s = withPackets(init, view10Packets(), twoA(1, B11, 0, W));
    expectViolation(
      lemmaChosenQuorumAnd2aFromLaterBallotMatchValues(constants, s),
      'val=[c0#0,c1#0] chosen at bal=(1,0) for opn=0 by quorum {0,1}',
      '2a(bal=(1,1), opn=0, val=[c7#0]) from r1',
    );
  });
});

describe('L10 lemma_ChosenQuorumsMatchValue', () => {
  it('is vacuous when each slot is chosen at one ballot only', () => {
    const s = withPackets(init, view10Packets(), twoB(2, B10, 0, V0));
    expectHolds(lemmaChosenQuorumsMatchValue(constants, s), false);
  });
  it('is violated by two different values chosen for one slot', () => {
    const s = withPackets(init, twoB(0, B10, 0, V0), twoB(1, B10, 0, V0), twoB(1, B11, 0, W), twoB(2, B11, 0, W));
    expectViolation(
      lemmaChosenQuorumsMatchValue(constants, s),
      'opn=0',
      'val=[c0#0,c1#0] chosen at bal=(1,0) for opn=0 by quorum {0,1}',
      'val=[c7#0] chosen at bal=(1,1) for opn=0 by quorum {1,2}',
    );
  });
  it('does not count a minority of 2bs as chosen', () => {
    const s = withPackets(init, twoB(0, B10, 0, V0), twoB(1, B10, 0, V0), twoB(2, B11, 0, W));
    expectHolds(lemmaChosenQuorumsMatchValue(constants, s), false);
  });
});

describe('agreement', () => {
  it('is vacuous when no slot was executed by two replicas', () => {
    expectHolds(agreement(constants, withExecuted(init, 1, [[0, V0]])), false);
  });
  it('is violated by two replicas executing different batches for one slot', () => {
    const s = withExecuted(rich, 2, [
      [0, V0],
      [1, W],
    ]);
    expectViolation(agreement(constants, s), 'slot 1: r0 executed [c1#1] but r2 executed [c7#0]');
  });
});

describe('replyCorrectness', () => {
  it('is violated by a reply with the wrong counter value, giving the decided position', () => {
    const s = withPackets(rich, replyTo(1, 'c1', 0, 1));
    expectViolation(
      replyCorrectness(constants, s),
      'Reply(seqno=0, AppIncrementReply(1)) r1->c1',
      'slot 0 index 1 -> AppIncrementReply(2)',
    );
  });
  it('is violated by a reply to a request that is in no decided slot', () => {
    expectViolation(
      replyCorrectness(constants, withPackets(rich, replyTo(0, 'c0', 1, 4))),
      'request c0#1 is in no slot',
      'decided slots 0..1',
    );
  });
  it('is violated by a reply for a chosen slot after an undecided one', () => {
    const s = withPackets(init, twoA(0, B10, 1, V1), twoB(0, B10, 1, V1), twoB(1, B10, 1, V1), replyTo(0, 'c1', 1, 1));
    expectViolation(replyCorrectness(constants, s), 'request c1#1 is in no slot', '(no slot is decided)');
  });
  it('does not take a slot with two chosen values as decided', () => {
    const s = withPackets(init, twoB(0, B10, 0, V0), twoB(1, B10, 0, V0), twoB(1, B11, 0, W), twoB(2, B11, 0, W), replyTo(0, 'c0', 0, 1));
    expectViolation(replyCorrectness(constants, s), 'in no slot');
  });
  it('accepts the reply of any position of a request decided twice', () => {
    const once = batch(['c0', 0]);
    const base = withPackets(init, twoB(0, B10, 0, once), twoB(1, B10, 0, once), twoB(0, B10, 1, once), twoB(1, B10, 1, once));
    expectHolds(replyCorrectness(constants, withPackets(base, replyTo(0, 'c0', 0, 1), replyTo(1, 'c0', 0, 2))), true);
    expectViolation(
      replyCorrectness(constants, withPackets(base, replyTo(0, 'c0', 0, 3))),
      'slot 0 index 0 -> AppIncrementReply(1); slot 1 index 0 -> AppIncrementReply(2)',
    );
  });
  it('rejects an invalid-reply answer to an increment', () => {
    expectViolation(replyCorrectness(constants, withPackets(rich, replyTo(0, 'c0', 0, appInvalidReply()))), 'AppInvalidReply');
  });
  it('is vacuous without replies, even with chosen values', () => {
    expectHolds(replyCorrectness(constants, withPackets(init, view10Packets())), false);
  });
});

describe('§12.3 acceptor helpers', () => {
  it('lemma_VotePrecedesMaxBal is violated by a vote above max_bal', () => {
    const s = patchReplica(rich, 2, { acceptor: (a) => a.set('maxBal', B10) });
    expectViolation(lemmaVotePrecedesMaxBal(constants, s), "r2's acceptor votes for opn=0 at bal=(1,1) above its max_bal=(1,0)");
  });

  it('lemma_VoteWithOpnImplies2aSent is violated by a vote no 2a proposed', () => {
    const s = patchReplica(rich, 2, { acceptor: (a) => a.setIn(['votes', 2], vote(B11, W)) });
    expectViolation(lemmaVoteWithOpnImplies2aSent(constants, s), "r2's acceptor votes for opn=2 (bal=(1,1), val=[c7#0])");
  });

  describe('lemma_2bMessageImplicationsForAcceptorState', () => {
    it('holds when the slot was truncated away', () => {
      const s = patchReplica(rich, 2, { acceptor: (a) => a.merge({ logTruncationPoint: 2, votes: Map() }) });
      expectHolds(lemma2bMessageImplicationsForAcceptorState(constants, s), true);
    });
    it('is violated by max_bal below a sent 2b', () => {
      const s = patchReplica(rich, 2, { acceptor: (a) => a.set('maxBal', B10) });
      expectViolation(lemma2bMessageImplicationsForAcceptorState(constants, s), 'from r2', "acceptor's max_bal=(1,0) is lower");
    });
    it('is violated by a vote lost without truncation', () => {
      const s = patchReplica(rich, 2, { acceptor: (a) => a.deleteIn(['votes', 1]) });
      expectViolation(
        lemma2bMessageImplicationsForAcceptorState(constants, s),
        '2b(bal=(1,1), opn=1, val=[c1#1]) from r2',
        'holds no vote for opn=1',
      );
    });
    it('is violated by a vote at the same ballot with another value', () => {
      const s = patchReplica(rich, 2, { acceptor: (a) => a.setIn(['votes', 1], vote(B11, W)) });
      expectViolation(lemma2bMessageImplicationsForAcceptorState(constants, s), 'from r2', 'val=[c7#0]');
    });
  });

  describe('lemma_1bMessageImplicationsForAcceptorState', () => {
    it('is violated when a vote the 1b carried was lost without truncation', () => {
      const s = patchReplica(rich, 1, { acceptor: (a) => a.deleteIn(['votes', 0]) });
      expectViolation(
        lemma1bMessageImplicationsForAcceptorState(constants, s),
        '1b(bal=(1,1), ltp=0, votes={0:(1,0)[c0#0,c1#0]}) from r1',
        'lost without truncation',
      );
    });
    it('is violated when an unvoted slot is later voted below the 1b ballot', () => {
      const s = patchReplica(rich, 2, { acceptor: (a) => a.setIn(['votes', 2], vote(B10, W)) });
      expectViolation(lemma1bMessageImplicationsForAcceptorState(constants, s), 'from r2', 'opn=2 was unvoted');
    });
    it('is violated by max_bal below the 1b ballot', () => {
      const s = patchReplica(rich, 2, { acceptor: (a) => a.set('maxBal', B10) });
      expectViolation(
        lemma1bMessageImplicationsForAcceptorState(constants, s),
        '1b(bal=(1,1), ltp=0, votes={}) from r2',
        'max_bal is below',
      );
    });
  });

  describe('lemma_1bMessageWithOpnImplicationsFor2b', () => {
    it('is vacuous when no 1b carries a vote', () => {
      expectHolds(lemma1bMessageWithOpnImplicationsFor2b(constants, withPackets(init, view10Packets())), false);
    });
    it('is violated by a 2b at the vote ballot with another value', () => {
      const s = withPackets(rich, twoB(1, B10, 0, W));
      expectViolation(
        lemma1bMessageWithOpnImplicationsFor2b(constants, s),
        '1b(bal=(1,1)',
        'from r1',
        '2b(bal=(1,0), opn=0, val=[c7#0]) from r1',
      );
    });
  });

  describe('lemma_MaxBalLeqMaxBallotPrimarySent1a', () => {
    it('is violated by a max_bal above what its proposer sent', () => {
      const s = patchReplica(rich, 0, { acceptor: (a) => a.set('maxBal', b(1, 2)) });
      expectViolation(
        lemmaMaxBalLeqMaxBallotPrimarySent1a(constants, s),
        "r0's acceptor has max_bal=(1,2), above r2's max_ballot_i_sent_1a=(0,2)",
      );
    });
    it('is violated by a max_bal naming no replica', () => {
      const s = patchReplica(rich, 0, { acceptor: (a) => a.set('maxBal', b(1, 3)) });
      expectViolation(lemmaMaxBalLeqMaxBallotPrimarySent1a(constants, s), 'max_bal=(1,3), whose proposer id is not in [0,3)');
    });
  });
});

describe('§12.3 proposer helpers', () => {
  it('lemma_max_balISent1aHasMeAsProposer is violated by another replica id', () => {
    const s = patchReplica(rich, 2, { proposer: (p) => p.set('maxBallotISent1a', B10) });
    expectViolation(lemmaMaxBalISent1aHasMeAsProposer(constants, s), "r2's max_ballot_i_sent_1a=(1,0)");
  });

  describe('lemma_Received1bPacketsAreFrommax_balISent1a', () => {
    it('is violated by a received 1b about another ballot', () => {
      const s = patchReplica(rich, 1, { proposer: (p) => p.update('received1bPackets', (r) => r.add(oneB(0, B10, 0))) });
      expectViolation(
        lemmaReceived1bPacketsAreFromMaxBalISent1a(constants, s),
        'r1 holds received 1b(bal=(1,0), ltp=0, votes={}) from r0',
        'max_ballot_i_sent_1a=(1,1)',
      );
    });
    it('is violated by two received 1bs from one replica', () => {
      const dup = oneB(2, B11, 1);
      const s = patchReplica(withPackets(rich, dup), 1, { proposer: (p) => p.update('received1bPackets', (r) => r.add(dup)) });
      expectViolation(lemmaReceived1bPacketsAreFromMaxBalISent1a(constants, s), 'a second 1b from r2');
    });
    it('is violated by a received 1b that was never sent', () => {
      const ghost = oneB(0, B11, 0);
      const s = patchReplica(rich, 1, { proposer: (p) => p.update('received1bPackets', (r) => r.add(ghost)) });
      expectViolation(lemmaReceived1bPacketsAreFromMaxBalISent1a(constants, s), 'from r0, which was never sent');
    });
  });

  describe('lemma_2aMessageImplicationsForProposerState', () => {
    it('is violated when the proposer is back in phase 1 at the 2a ballot', () => {
      const s = patchReplica(rich, 1, { proposer: (p) => p.set('currentState', 1) });
      expectViolation(lemma2aMessageImplicationsForProposerState(constants, s), 'from r1', 'current_state=1');
    });
    it('is violated when next_operation_number_to_propose did not move past the 2a', () => {
      const s = patchReplica(rich, 1, { proposer: (p) => p.set('nextOperationNumberToPropose', 1) });
      expectViolation(
        lemma2aMessageImplicationsForProposerState(constants, s),
        '2a(bal=(1,1), opn=1, val=[c1#1]) from r1',
        'next_operation_number_to_propose=1',
      );
    });
    it("is violated by a 2a whose ballot is not its sender's", () => {
      const s = withPackets(rich, twoA(2, B11, 5, W));
      expectViolation(lemma2aMessageImplicationsForProposerState(constants, s), 'from r2', "not the sender's index 2");
    });
  });

  it('lemma_2aMessageHasValidBallot is violated by a proposer id outside [0,n)', () => {
    expectViolation(lemma2aMessageHasValidBallot(constants, withPackets(rich, twoA(0, b(1, 7), 0, V0))), '2a(bal=(1,7)', 'n=3');
  });
});

describe('§12.3 learner and executor helpers', () => {
  const learnerOf2 =
    (senders: readonly string[], value: RequestBatch, bal: Ballot = B11) =>
    (s: RslSystem) =>
      patchReplica(s, 2, {
        learner: (l) => l.merge({ maxBallotSeen: bal, unexecutedLearnerState: Map([[1, learnerTuple(Set(senders), value)]]) }),
      });

  it('lemma_Received2bMessageSendersAlwaysValidReplicas is violated by a client sender', () => {
    expectViolation(
      lemmaReceived2bMessageSendersAlwaysValidReplicas(constants, learnerOf2(['r1', 'c0'], V1)(rich)),
      "r2's learner counts c0, not a replica",
    );
  });

  it('lemma_Received2bMessageSendersAlwaysNonempty is violated by an empty sender set', () => {
    expectViolation(lemmaReceived2bMessageSendersAlwaysNonempty(constants, learnerOf2([], V1)(rich)), 'opn=1 with no 2b sender');
  });

  describe('lemma_GetSent2bMessageFromLearnerState', () => {
    it('is violated by a counted sender that sent no such 2b', () => {
      expectViolation(
        lemmaGetSent2bMessageFromLearnerState(constants, learnerOf2(['r0', 'r2'], V1)(rich)),
        "r2's learner counts r0 for opn=1 at bal=(1,1) with val=[c1#1], but r0 sent no such 2b",
      );
    });
    it('is violated when the candidate value differs from the 2b sent', () => {
      expectViolation(lemmaGetSent2bMessageFromLearnerState(constants, learnerOf2(['r1'], W)(rich)), 'counts r1', 'val=[c7#0]');
    });
    it('is violated when the learner ballot differs from the 2b ballot', () => {
      expectViolation(lemmaGetSent2bMessageFromLearnerState(constants, learnerOf2(['r1'], V1, B10)(rich)), 'bal=(1,0)');
    });
    it('accepts a non-replica sender only if it really sent the 2b', () => {
      const fromClient = packet('r2', 'c0', twoB(1, B11, 1, V1)[0]!.msg);
      expectHolds(lemmaGetSent2bMessageFromLearnerState(constants, learnerOf2(['c0'], V1)(withPackets(rich, fromClient))), true);
      expectViolation(lemmaGetSent2bMessageFromLearnerState(constants, learnerOf2(['c0'], V1)(rich)), 'c0 sent no such 2b');
    });
  });

  it('lemma_DecidedOperationWasChosen is violated by a decision at a ballot where it was not chosen', () => {
    const s = patchReplica(rich, 1, { executor: (e) => e.set('nextOpToExecute', outstandingOpKnown(V1, B10)) });
    expectViolation(
      lemmaDecidedOperationWasChosen(constants, s),
      "r1's executor decided val=[c1#1] at bal=(1,0) for opn=1, but only 0 replicas ({})",
      'Q=2',
    );
  });
});

describe('memoisation', () => {
  it('gives the same verdicts on a fresh copy of the state as on the memoised one', () => {
    const s = withPackets(rich, twoB(2, B10, 0, W));
    const first = stateObligations.map((o) => o.check(constants, s));
    const copy = s.set('sentPackets', Set(List(s.sentPackets)));
    expect(derivedIndex(constants, copy)).not.toBe(derivedIndex(constants, s));
    expect(stateObligations.map((o) => o.check(constants, copy))).toEqual(first);
  });
});

/**
 * A scripted run of the real spec (spec/system.ts successors, 'any' scheduler, free clocks): view
 * (1,0) chooses c0's request for slot 0; c1's request, seen only by r1 and r2, makes them suspect
 * r0; r1 starts view (1,1), learns the vote from its 1b quorum and re-proposes it, and r1, r2
 * accept; both learn the (1,1) quorum and execute slot 0. Every successor of every state along the way
 * is checked.
 */
function scriptedTwoViewRun(P: SpecActions) {
  const cfg = makeSystemConfig({ scheduler: 'any', clockMax: 12, monotoneClocks: false });
  const c = cfg.constants;
  const premises = new globalThis.Set<string>();
  const violations = new globalThis.Map<string, string>();
  let sys = systemInit(cfg);
  const record = (name: string, v: ObligationVerdict) => {
    if (v.premise) premises.add(name);
    if (!v.holds && !violations.has(name)) violations.set(name, v.explanation);
  };
  const take = (label: string, pred: (x: SystemSuccessor) => boolean): void => {
    const succs = systemSuccessors(cfg, sys, P);
    for (const x of succs) {
      for (const o of stateObligations) record(o.name, o.check(c, x.state));
      for (const o of stepObligations) record(o.name, o.check(c, sys, x.state));
    }
    const next = succs.find(pred);
    if (next === undefined) throw new Error(`scripted step "${label}" has no matching successor`);
    sys = next.state;
  };
  const rep =
    (i: number, action: number, extra: (st: ReplicaStep) => boolean = () => true) =>
    (x: SystemSuccessor) =>
      x.step.kind === 'replica' && x.step.replica === i && x.step.action === action && extra(x.step);
  const at = (i: number, action: number, t: number) => rep(i, action, (st) => st.clock === t);
  const recv = (i: number, type: string, src?: string) =>
    rep(i, 0, (st) => st.packet?.msg.type === type && (src === undefined || st.packet.src === src));
  const client = (k: number, dst: number) => (x: SystemSuccessor) =>
    x.step.kind === 'client' && x.step.client === k && x.step.seqno === 0 && x.step.dst === dst;
  const sends = (x: SystemSuccessor) => x.sent.size > 0;

  take('c0 requests at r0', client(0, 0));
  take('r0 sends 1a(1,0)', rep(0, 1));
  for (const i of [0, 1, 2]) take(`r${i} answers 1a(1,0)`, recv(i, '1a'));
  take('r0 receives 1b from r0', recv(0, '1b', 'r0'));
  take('r0 receives 1b from r1', recv(0, '1b', 'r1'));
  take('r0 enters phase 2', rep(0, 2));
  take('r0 queues the request', recv(0, 'Request'));
  take('r0 starts the batch timer', at(0, 3, 1));
  take('r0 proposes', at(0, 3, 5));
  take('r0 accepts', recv(0, '2a'));
  take('r1 accepts', recv(1, '2a'));
  take('c1 requests at r1', client(1, 1));
  take('c1 requests at r2', client(1, 2));
  take('r1 records the request', recv(1, 'Request'));
  take('r2 records the request', recv(2, 'Request'));
  for (const i of [1, 2]) {
    take(`r${i} ends a quiet epoch`, at(i, 7, 0));
    take(`r${i} suspects r0`, at(i, 7, 12));
  }
  take('r2 sends a suspicious heartbeat', at(2, 9, 12));
  take(
    'r1 receives it',
    rep(1, 0, (st) => st.packet?.msg.type === 'Heartbeat' && st.packet.src === 'r2' && st.packet.msg.suspicious),
  );
  take('r1 moves to view (1,1)', at(1, 8, 12));
  take('r1 sends 1a(1,1)', rep(1, 1));
  take(
    'r1 answers 1a(1,1)',
    rep(1, 0, (st) => st.packet?.msg.type === '1a' && st.packet.src === 'r1'),
  );
  take(
    'r2 answers 1a(1,1)',
    rep(2, 0, (st) => st.packet?.msg.type === '1a' && st.packet.src === 'r1'),
  );
  take('r1 receives 1b from r1', recv(1, '1b', 'r1'));
  take('r1 receives 1b from r2', recv(1, '1b', 'r2'));
  take('r1 enters phase 2', rep(1, 2));
  if (!systemSuccessors(cfg, sys, P).some((x) => rep(1, 3)(x) && sends(x))) take('r1 starts the batch timer', at(1, 3, 1));
  take('r1 proposes for slot 0', (x) => rep(1, 3)(x) && sends(x));
  take('r1 accepts', recv(1, '2a', 'r1'));
  take('r2 accepts', recv(2, '2a', 'r1'));
  for (const i of [1, 2]) {
    for (const src of ['r1', 'r2'])
      take(
        `r${i} learns ${src}'s 2b`,
        rep(i, 0, (st) => st.packet?.msg.type === '2b' && st.packet.src === src && st.packet.msg.bal2b.proposerId === 1),
      );
    take(`r${i} decides slot 0`, rep(i, 5));
    take(`r${i} executes slot 0`, rep(i, 6));
  }
  return { premises, violations };
}

describe('on a scripted two-view run of the real spec', () => {
  it('no obligation is violated and every premise is exercised', () => {
    const { premises, violations } = scriptedTwoViewRun(defaultSpecActions);
    expect(Object.fromEntries(violations)).toEqual({});
    for (const o of [...stateObligations, ...stepObligations]) expect(premises).toContain(o.name);
  });

  it('a seeded bug (the 1b omits the votes) is caught, with L9 and L10 among the failures', () => {
    const omitVotes: SpecActions['acceptorProcess1a'] = (c, s, inp) => {
      const o = defaultSpecActions.acceptorProcess1a(c, s, inp);
      const sent = o.sent.get(0);
      if (sent === undefined) return o;
      return outcome(o.state, List([packet(sent.dst, sent.src, message1b(inp.msg.bal1a, s.logTruncationPoint, Map()))]));
    };
    const { violations } = scriptedTwoViewRun({ ...defaultSpecActions, acceptorProcess1a: omitVotes });
    expect([...violations.keys()]).toEqual(
      expect.arrayContaining([
        'lemma_1bMessageWithoutOpnImplicationsFor2b',
        'lemma_ChosenQuorumAnd2aFromLaterBallotMatchValues',
        'lemma_ChosenQuorumsMatchValue',
      ]),
    );
    expect(violations.get('lemma_ChosenQuorumsMatchValue')).toContain('chosen at bal=(1,0) for opn=0');
  });
});
