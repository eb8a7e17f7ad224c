/** Proposer predicates and actions against rsl-protocol.md §7 ([V] semantics) and the traps of §15. */
import fc from 'fast-check';
import { is, List, Map, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { electionStateInit, type ElectionState } from '../../spec/election.js';
import { message1a, message2a, messageStartingPhase2, type Message1b, type Packet } from '../../spec/message.js';
import {
  allAcceptorsHadNoProposal,
  existsAcceptorHasProposalLargeThanOpn,
  existsBallotInS,
  existVotesHasProposalLargeThanOpn,
  incompleteBatchTimerOff,
  incompleteBatchTimerOn,
  isAfterLogTruncationPoint,
  maxBalInS,
  proposerCanNominateUsingOperationNumber,
  proposerCheckForQuorumOfViewSuspicions,
  proposerCheckForViewTimeout,
  proposerInit,
  proposerMaybeEnterNewViewAndSend1a,
  proposerMaybeEnterPhase2,
  proposerMaybeNominateValueAndSend2a,
  proposerNominateNewValueAndSend2a,
  proposerNominateOldValueAndSend2a,
  proposerProcess1b,
  proposerProcessHeartbeat,
  proposerProcessRequest,
  proposerResetViewTimerDueToExecution,
  ProposerStateRecord,
  setOfMessage1b,
  setOfMessage1bAboutBallot,
  valIsHighestNumberedProposal,
  valIsHighestNumberedProposalAtBallot,
  type ProposerState,
  type ProposerStateProps,
} from '../../spec/proposer.js';
import { balLt, type Ballot, type RequestBatch } from '../../spec/types.js';
import {
  C0,
  C1,
  R0,
  R1,
  R2,
  bal,
  batchOf,
  expectOutcome,
  expectSame,
  finite,
  packet1b,
  packet2b,
  packetHeartbeat,
  packetRequest,
  rc,
  rc0,
  rc1,
  replicaIds,
  req,
  testParams,
  toEveryone,
  votesOf,
} from './fixtures.js';

const vA = batchOf(req(C0, 1));
const vB = batchOf(req(C1, 1));
const vC = batchOf(req(C0, 2), req(C1, 2));
const L = testParams.maxLogLength;
const batchSize = testParams.maxBatchSize;
const delay = testParams.maxBatchDelay;

/** r0 leads view (1,0). */
const B = bal(1, 0);

function proposer(fields: Partial<ProposerStateProps>): ProposerState {
  return ProposerStateRecord({
    currentState: 0,
    requestQueue: List(),
    maxBallotISent1a: bal(0, 0),
    nextOperationNumberToPropose: 0,
    received1bPackets: Set(),
    highestSeqnoRequestedByClientThisView: Map(),
    incompleteBatchTimer: incompleteBatchTimerOff(),
    electionState: electionStateInit(rc0),
    ...fields,
  });
}

/** A 1b for ballot B from `src` to r0. */
function oneB(src: string, ltp: number, ...votes: readonly (readonly [number, Ballot, RequestBatch])[]): Packet<Message1b> {
  return packet1b(R0, src, B, ltp, votesOf(...votes));
}

/** r0 in phase 2 of view B with 1bs (no votes) from r0 and r1. */
function leader(fields: Partial<ProposerStateProps> = {}): ProposerState {
  return proposer({
    currentState: 2,
    maxBallotISent1a: B,
    received1bPackets: Set([oneB(R0, 0), oneB(R1, 0)]),
    ...fields,
  });
}

// ---------------------------------------------------------------------------------------------
// Predicates (§7.2)

describe('isAfterLogTruncationPoint (§7.2)', () => {
  it.each([
    { name: 'every ltp <= opn', S: Set<Packet>([oneB(R0, 1), oneB(R1, 2)]), opn: 2, expected: true },
    { name: 'one ltp > opn', S: Set<Packet>([oneB(R0, 1), oneB(R1, 3)]), opn: 2, expected: false },
    { name: 'the empty set', S: Set<Packet>(), opn: 0, expected: true },
    { name: 'a non-1b packet is ignored', S: Set<Packet>([packet2b(R0, R1, B, 9, vA)]), opn: 0, expected: true },
  ])('$name -> $expected', ({ S, opn, expected }) => {
    expect(isAfterLogTruncationPoint(opn, S)).toBe(expected);
  });
});

describe('setOfMessage1b and setOfMessage1bAboutBallot (§7.2)', () => {
  it.each([
    { name: 'all 1bs about B', S: Set<Packet>([oneB(R0, 0), oneB(R1, 0)]), all1b: true, aboutB: true },
    { name: 'a 1b about another ballot', S: Set<Packet>([oneB(R0, 0), packet1b(R0, R1, bal(2, 0), 0)]), all1b: true, aboutB: false },
    { name: 'a 2b among 1bs', S: Set<Packet>([oneB(R0, 0), packet2b(R0, R1, B, 0, vA)]), all1b: false, aboutB: false },
    { name: 'the empty set', S: Set<Packet>(), all1b: true, aboutB: true },
  ])('$name', ({ S, all1b, aboutB }) => {
    expect(setOfMessage1b(S)).toBe(all1b);
    expect(setOfMessage1bAboutBallot(S, B)).toBe(aboutB);
  });
});

describe('allAcceptorsHadNoProposal (§7.2)', () => {
  it('true when no 1b votes for opn (votes for other slots do not count)', () => {
    expect(allAcceptorsHadNoProposal(Set<Packet>([oneB(R0, 0, [1, B, vA]), oneB(R1, 0, [3, B, vB])]), 2)).toBe(true);
  });

  // The vote sits in each position in turn, so a version that looks only at the first element
  // (or at any single one) fails at least one row.
  it.each([0, 1, 2])('§15.6: every packet is inspected (vote in packet %i of 3)', (k) => {
    const packets = [R0, R1, R2].map((src, i) => (i === k ? oneB(src, 0, [2, B, vA]) : oneB(src, 0)));
    expect(allAcceptorsHadNoProposal(Set<Packet>(packets), 2)).toBe(false);
    expect(allAcceptorsHadNoProposal(Set<Packet>(packets.reverse()), 2)).toBe(false);
  });
});

describe('existVotesHasProposalLargeThanOpn and existsAcceptorHasProposalLargeThanOpn (§7.2, [V])', () => {
  it.each([
    { name: 'a vote above op', p: oneB(R0, 0, [3, B, vA]), op: 2, expected: true },
    { name: 'a vote at op only', p: oneB(R0, 0, [2, B, vA]), op: 2, expected: false },
    { name: 'no votes', p: oneB(R0, 0), op: 0, expected: false },
    { name: 'a non-1b packet', p: packet2b(R0, R1, B, 5, vA), op: 0, expected: false },
  ])('single packet: $name -> $expected', ({ p, op, expected }) => {
    expect(existVotesHasProposalLargeThanOpn(p, op)).toBe(expected);
  });

  it.each([0, 1, 2])('some packet (position %i of 3) with a later vote is enough', (k) => {
    const packets = [R0, R1, R2].map((src, i) => (i === k ? oneB(src, 0, [5, B, vA]) : oneB(src, 0, [1, B, vB])));
    expect(existsAcceptorHasProposalLargeThanOpn(Set<Packet>(packets), 2)).toBe(true);
    expect(existsAcceptorHasProposalLargeThanOpn(Set<Packet>(packets), 5)).toBe(false);
  });
});

describe('maxBalInS (§7.2, Lmax_balInS)', () => {
  it.each([
    {
      name: 'every vote for opn is <= c',
      S: [oneB(R0, 0, [2, bal(1, 0), vA]), oneB(R1, 0, [2, bal(2, 0), vB])],
      c: bal(2, 0),
      expected: true,
    },
    {
      name: 'a vote for opn above c',
      S: [oneB(R0, 0, [2, bal(1, 0), vA]), oneB(R1, 0, [2, bal(2, 1), vB])],
      c: bal(2, 0),
      expected: false,
    },
    {
      name: '§15.6: only key opn is compared (a higher ballot at another slot is ignored)',
      S: [oneB(R0, 0, [2, bal(1, 0), vA], [3, bal(3, 0), vB])],
      c: bal(1, 0),
      expected: true,
    },
    { name: 'no vote for opn at all', S: [oneB(R0, 0, [1, bal(3, 0), vA])], c: bal(0, 0), expected: true },
  ])('$name -> $expected', ({ S, c, expected }) => {
    expect(maxBalInS(c, Set<Packet>(S), 2)).toBe(expected);
  });
});

describe('existsBallotInS, valIsHighestNumberedProposalAtBallot, valIsHighestNumberedProposal (§7.2)', () => {
  // Slot 2: r0 voted vA at (1,0), r1 voted vB at (2,0); r2 voted vC at (3,0) but for slot 3.
  const S = Set<Packet>([oneB(R0, 0, [2, bal(1, 0), vA]), oneB(R1, 0, [2, bal(2, 0), vB]), oneB(R2, 0, [3, bal(3, 0), vC])]);
  it.each([
    { v: vB, c: bal(2, 0), exists: true, atBallot: true },
    { v: vA, c: bal(1, 0), exists: true, atBallot: false },
    { v: vA, c: bal(2, 0), exists: false, atBallot: false },
    { v: vC, c: bal(3, 0), exists: false, atBallot: false },
  ])('value $v at $c', ({ v, c, exists, atBallot }) => {
    expect(existsBallotInS(v, c, S, 2)).toBe(exists);
    expect(valIsHighestNumberedProposalAtBallot(v, c, S, 2)).toBe(atBallot);
  });

  it.each([
    { name: 'the value voted at the highest ballot', v: vB, expected: true },
    { name: 'a value voted at a lower ballot', v: vA, expected: false },
    { name: 'a value voted only for another slot', v: vC, expected: false },
  ])('$name -> $expected', ({ v, expected }) => {
    expect(valIsHighestNumberedProposal(v, S, 2)).toBe(expected);
  });
});

describe('proposerCanNominateUsingOperationNumber (§7.2)', () => {
  const ok = leader();
  it('holds for the leader in phase 2 with a quorum of 1bs for its ballot', () => {
    expect(proposerCanNominateUsingOperationNumber(rc0, ok, 0, 0)).toBe(true);
    expect(proposerCanNominateUsingOperationNumber(rc0, ok, 0, L - 1)).toBe(true);
  });

  it.each([
    { name: 'the election view differs from my ballot', s: ok.set('maxBallotISent1a', bal(0, 0)), ltp: 0, opn: 0 },
    { name: 'phase 1', s: ok.set('currentState', 1), ltp: 0, opn: 0 },
    { name: 'fewer 1bs than a quorum', s: ok.set('received1bPackets', Set([oneB(R0, 0)])), ltp: 0, opn: 0 },
    {
      name: 'a 1b about another ballot',
      s: ok.set('received1bPackets', Set([oneB(R0, 0), packet1b(R0, R1, bal(0, 2), 0)])),
      ltp: 0,
      opn: 0,
    },
    { name: 'a 1b truncated beyond opn', s: ok.set('received1bPackets', Set([oneB(R0, 0), oneB(R1, 3)])), ltp: 0, opn: 2 },
    { name: 'opn = ltp + max_log_length', s: ok, ltp: 1, opn: 1 + L },
    { name: 'a negative opn', s: ok, ltp: 0, opn: -1 },
  ])('fails when $name', ({ s, ltp, opn }) => {
    expect(proposerCanNominateUsingOperationNumber(rc0, s, ltp, opn)).toBe(false);
  });

  it('the bound ltp + max_log_length saturates at max_integer_val', () => {
    const c = rc(0, { maxIntegerVal: finite(6), maxLogLength: 4 });
    const s = ok.set('received1bPackets', Set([oneB(R0, 5), oneB(R1, 5)]));
    expect(proposerCanNominateUsingOperationNumber(c, s, 5, 5)).toBe(true);
    expect(proposerCanNominateUsingOperationNumber(c, s, 5, 6)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Actions (§7.3)

describe('proposerInit (§7.3)', () => {
  it('§15.5: max_ballot_i_sent_1a is Bal(seqno 0, proposer_id my_index), not swapped', () => {
    const s = proposerInit(rc1);
    expect(s.maxBallotISent1a.seqno).toBe(0);
    expect(s.maxBallotISent1a.proposerId).toBe(1);
  });

  it('starts as a follower with nothing queued, no 1bs, slot 0, timer off and the initial election state', () => {
    expectSame(proposerInit(rc1), proposer({ maxBallotISent1a: bal(0, 1), electionState: electionStateInit(rc1) }));
  });
});

describe('proposerProcessRequest (§7.3)', () => {
  const withRequest = (s: ProposerState, client: string, seqno: number): ElectionState =>
    s.electionState.set('requestsReceivedThisEpoch', s.electionState.requestsReceivedThisEpoch.push(req(client, seqno)));

  it('a follower only records the request in its election state', () => {
    const s = proposer({ currentState: 0 });
    expectSame(proposerProcessRequest(rc0, s, packetRequest(R0, C0, 1)), s.set('electionState', withRequest(s, C0, 1)));
  });

  it.each([
    { name: '§15.5: a client never seen in this view', phase: 1 as const, highest: Map<string, number>() },
    { name: 'a higher seqno than the highest seen', phase: 2 as const, highest: Map([[C0, 0]]) },
  ])('a leader queues $name', ({ phase, highest }) => {
    const s = proposer({ currentState: phase, highestSeqnoRequestedByClientThisView: highest, requestQueue: List([req(C1, 4)]) });
    expectSame(
      proposerProcessRequest(rc0, s, packetRequest(R0, C0, 1)),
      s.merge({
        electionState: withRequest(s, C0, 1),
        requestQueue: List([req(C1, 4), req(C0, 1)]),
        highestSeqnoRequestedByClientThisView: highest.set(C0, 1),
      }),
    );
  });

  it.each([
    { name: 'an equal seqno', seqno: 3 },
    { name: 'a lower seqno', seqno: 2 },
  ])('a leader does not queue $name again (election state still records it)', ({ seqno }) => {
    const s = proposer({ currentState: 2, highestSeqnoRequestedByClientThisView: Map([[C0, 3]]) });
    expectSame(proposerProcessRequest(rc0, s, packetRequest(R0, C0, seqno)), s.set('electionState', withRequest(s, C0, seqno)));
  });
});

describe('proposerMaybeEnterNewViewAndSend1a (§7.3)', () => {
  const prev = List([req(C0, 1)]);
  const thisEpoch = List([req(C1, 1)]);
  const es = electionStateInit(rc0).merge({
    currentView: bal(2, 0),
    requestsReceivedPrevEpochs: prev,
    requestsReceivedThisEpoch: thisEpoch,
  });
  const s = proposer({
    currentState: 2,
    maxBallotISent1a: B,
    nextOperationNumberToPropose: 7,
    received1bPackets: Set([oneB(R0, 0), oneB(R1, 0)]),
    highestSeqnoRequestedByClientThisView: Map([[C0, 5]]),
    requestQueue: List([req(C0, 5)]),
    incompleteBatchTimer: incompleteBatchTimerOn(40),
    electionState: es,
  });

  it('§15.5/§15.10: enters phase 1 of my newer view, resets 1bs and client seqnos, queues prev ++ this, broadcasts 1a', () => {
    expectOutcome(
      proposerMaybeEnterNewViewAndSend1a(rc0, s),
      s.merge({
        currentState: 1,
        maxBallotISent1a: bal(2, 0),
        received1bPackets: Set(),
        highestSeqnoRequestedByClientThisView: Map(),
        requestQueue: prev.concat(thisEpoch),
      }),
      toEveryone(R0, message1a(bal(2, 0))),
    );
  });

  it.each([
    { name: 'the view is not mine', c: rc1, st: s },
    { name: 'I already sent a 1a for the view', c: rc0, st: s.set('maxBallotISent1a', bal(2, 0)) },
  ])('no-op when $name (same state object, nothing sent)', ({ c, st }) => {
    const out = proposerMaybeEnterNewViewAndSend1a(c, st);
    expect(out.state).toBe(st);
    expect(out.sent.size).toBe(0);
  });
});

describe('proposerProcess1b (§7.3)', () => {
  it('adds the packet to the received 1bs and changes nothing else', () => {
    const s = proposer({ currentState: 1, maxBallotISent1a: B, received1bPackets: Set([oneB(R1, 0)]) });
    const p = oneB(R2, 1, [0, bal(0, 2), vA]);
    expectSame(proposerProcess1b(rc0, s, p), s.set('received1bPackets', Set([oneB(R1, 0), p])));
  });
});

describe('proposerMaybeEnterPhase2 (§7.3)', () => {
  const s = proposer({ currentState: 1, maxBallotISent1a: B, received1bPackets: Set([oneB(R0, 0), oneB(R1, 0)]) });

  it('with a quorum of 1bs for my ballot in phase 1: phase 2 from slot ltp, broadcast StartingPhase2', () => {
    const ltp = 3;
    expectOutcome(
      proposerMaybeEnterPhase2(rc0, s, ltp),
      s.merge({ currentState: 2, nextOperationNumberToPropose: ltp }),
      toEveryone(R0, messageStartingPhase2(B, ltp)),
    );
  });

  it.each([
    { name: 'fewer 1bs than a quorum', st: s.set('received1bPackets', Set([oneB(R0, 0)])) },
    { name: 'a 1b about another ballot', st: s.set('received1bPackets', Set([oneB(R0, 0), packet1b(R0, R1, bal(0, 1), 0)])) },
    { name: 'already in phase 2', st: s.set('currentState', 2) },
    { name: 'not leader', st: s.set('currentState', 0) },
  ])('no-op with $name', ({ st }) => {
    const out = proposerMaybeEnterPhase2(rc0, st, 3);
    expect(out.state).toBe(st);
    expect(out.sent.size).toBe(0);
  });
});

describe('proposerNominateNewValueAndSend2a (§7.3)', () => {
  const queue = List([req(C0, 1), req(C1, 1), req(C0, 2)]);
  const clock = 50;

  it('proposes the first max_batch_size requests; leftovers re-arm the timer at clock + delay', () => {
    const s = leader({ nextOperationNumberToPropose: 3, requestQueue: queue });
    expectOutcome(
      proposerNominateNewValueAndSend2a(rc0, s, clock, 0),
      s.merge({
        requestQueue: queue.skip(batchSize),
        nextOperationNumberToPropose: 4,
        incompleteBatchTimer: incompleteBatchTimerOn(clock + delay),
      }),
      toEveryone(R0, message2a(B, 3, queue.take(batchSize))),
    );
  });

  it('a queue of exactly max_batch_size goes out whole and turns the timer off', () => {
    const s = leader({ requestQueue: queue.take(batchSize), incompleteBatchTimer: incompleteBatchTimerOn(5) });
    expectOutcome(
      proposerNominateNewValueAndSend2a(rc0, s, clock, 0),
      s.merge({ requestQueue: List(), nextOperationNumberToPropose: 1, incompleteBatchTimer: incompleteBatchTimerOff() }),
      toEveryone(R0, message2a(B, 0, queue.take(batchSize))),
    );
  });

  it('an empty queue proposes an empty batch (hole filling)', () => {
    const s = leader({ nextOperationNumberToPropose: 2 });
    expectOutcome(
      proposerNominateNewValueAndSend2a(rc0, s, clock, 0),
      s.set('nextOperationNumberToPropose', 3),
      toEveryone(R0, message2a(B, 2, List())),
    );
  });

  it('the timer deadline saturates at max_integer_val', () => {
    const maxi = 1000;
    const s = leader({ requestQueue: queue });
    const out = proposerNominateNewValueAndSend2a(rc(0, { maxIntegerVal: finite(maxi) }), s, maxi - 1, 0);
    expectSame(out.state.incompleteBatchTimer, incompleteBatchTimerOn(maxi));
  });
});

describe('proposerNominateOldValueAndSend2a (§7.3, [V] ∃p∈S form)', () => {
  it('re-proposes the value voted at the highest ballot for the slot; queue and timer unchanged', () => {
    const s = leader({
      nextOperationNumberToPropose: 2,
      requestQueue: List([req(C0, 9)]),
      incompleteBatchTimer: incompleteBatchTimerOn(77),
      received1bPackets: Set([oneB(R0, 0, [2, bal(0, 1), vA]), oneB(R1, 0, [2, bal(0, 2), vB], [3, bal(0, 2), vC])]),
    });
    const outs = proposerNominateOldValueAndSend2a(rc0, s, 0);
    expect(outs.length).toBe(1);
    expectOutcome(outs[0]!, s.set('nextOperationNumberToPropose', 3), toEveryone(R0, message2a(B, 2, vB)));
  });

  it('§15.4: different values at the same highest ballot give one outcome each, duplicates merged', () => {
    const packets = [oneB(R0, 0, [1, bal(0, 2), vA]), oneB(R1, 0, [1, bal(0, 2), vB]), oneB(R2, 0, [1, bal(0, 2), vA])];
    const s = leader({ nextOperationNumberToPropose: 1, received1bPackets: Set(packets) });
    const outs = proposerNominateOldValueAndSend2a(rc0, s, 0);
    expect(outs.length).toBe(2);
    const values = Set(outs.map((o) => o.sent.first()?.msg));
    expectSame(values, Set([message2a(B, 1, vA), message2a(B, 1, vB)]));
    for (const o of outs) expectSame(o.state, s.set('nextOperationNumberToPropose', 2));
  });

  it('no vote for the slot: no outcome', () => {
    expect(proposerNominateOldValueAndSend2a(rc0, leader({ nextOperationNumberToPropose: 1 }), 0)).toEqual([]);
  });
});

describe('proposerMaybeNominateValueAndSend2a (§7.3), the dispatcher', () => {
  const clock = 100;
  const q1 = List([req(C0, 1)]);
  const qFull = List([req(C0, 1), req(C1, 1)]);

  it('(1) cannot nominate: a single no-op outcome', () => {
    const s = leader({ currentState: 1, requestQueue: qFull });
    const outs = proposerMaybeNominateValueAndSend2a(rc0, s, clock, 0);
    expect(outs.length).toBe(1);
    expect(outs[0]!.state).toBe(s);
    expect(outs[0]!.sent.size).toBe(0);
  });

  it('(2) a vote for the slot: NominateOld, even with a full queue', () => {
    const s = leader({ requestQueue: qFull, received1bPackets: Set([oneB(R0, 0, [0, bal(0, 1), vC]), oneB(R1, 0)]) });
    const outs = proposerMaybeNominateValueAndSend2a(rc0, s, clock, 0);
    expect(outs.length).toBe(1);
    expectOutcome(outs[0]!, s.set('nextOperationNumberToPropose', 1), toEveryone(R0, message2a(B, 0, vC)));
  });

  // Every queue here fits in one batch, so NominateNew empties it and turns the timer off.
  it.each([
    {
      name: 'a later slot has a vote (hole filling, empty batch)',
      s: leader({ received1bPackets: Set([oneB(R0, 0, [3, bal(0, 1), vC]), oneB(R1, 0)]) }),
      v: batchOf(),
    },
    { name: 'a full batch is queued', s: leader({ requestQueue: qFull }), v: qFull },
    {
      name: 'the batch timer has expired',
      s: leader({ requestQueue: q1, incompleteBatchTimer: incompleteBatchTimerOn(clock) }),
      v: q1,
    },
  ])('(3) NominateNew when $name', ({ s, v }) => {
    const outs = proposerMaybeNominateValueAndSend2a(rc0, s, clock, 0);
    expect(outs.length).toBe(1);
    expectOutcome(
      outs[0]!,
      s.merge({ requestQueue: List(), nextOperationNumberToPropose: 1, incompleteBatchTimer: incompleteBatchTimerOff() }),
      toEveryone(R0, message2a(B, 0, v)),
    );
  });

  it('(4) a partial batch and no timer: arm the timer at clock + delay, send nothing', () => {
    const s = leader({ requestQueue: q1 });
    const outs = proposerMaybeNominateValueAndSend2a(rc0, s, clock, 0);
    expect(outs.length).toBe(1);
    expectOutcome(outs[0]!, s.set('incompleteBatchTimer', incompleteBatchTimerOn(clock + delay)));
  });

  it.each([
    { name: 'an empty queue', s: leader() },
    {
      name: 'a partial batch whose timer has not expired',
      s: leader({ requestQueue: q1, incompleteBatchTimer: incompleteBatchTimerOn(clock + 1) }),
    },
  ])('(5) no-op with $name', ({ s }) => {
    const outs = proposerMaybeNominateValueAndSend2a(rc0, s, clock, 0);
    expect(outs.length).toBe(1);
    expect(outs[0]!.state).toBe(s);
    expect(outs[0]!.sent.size).toBe(0);
  });
});

describe('proposerProcessHeartbeat (§7.3)', () => {
  const s = leader({
    requestQueue: List([req(C0, 1)]),
    nextOperationNumberToPropose: 4,
    highestSeqnoRequestedByClientThisView: Map([[C0, 1]]),
    incompleteBatchTimer: incompleteBatchTimerOn(60),
  });

  it('§15.8: a higher view steps down, clearing only the phase and the queue', () => {
    const out = proposerProcessHeartbeat(rc0, s, packetHeartbeat(R0, R1, bal(1, 1), false, 0), 20);
    expect(balLt(s.electionState.currentView, out.electionState.currentView)).toBe(true);
    expectSame(out, s.merge({ electionState: out.electionState, currentState: 0, requestQueue: List() }));
    expect(out.received1bPackets).toBe(s.received1bPackets);
  });

  it('the same view keeps the phase and the queue, only the election state changes', () => {
    const out = proposerProcessHeartbeat(rc0, s, packetHeartbeat(R0, R1, B, true, 0), 20);
    expectSame(out, s.set('electionState', s.electionState.set('currentViewSuspectors', Set([1]))));
  });

  it('a heartbeat that changes nothing returns the same state object', () => {
    expect(proposerProcessHeartbeat(rc0, s, packetHeartbeat(R0, C0, bal(5, 0), true, 0), 20)).toBe(s);
  });
});

describe('proposerCheckForViewTimeout (§7.3)', () => {
  it('applies the election check only (suspecting the view does not step down)', () => {
    const es = electionStateInit(rc0).merge({ epochEndTime: 10, requestsReceivedPrevEpochs: List([req(C0, 1)]) });
    const s = leader({ electionState: es, requestQueue: List([req(C0, 1)]) });
    const out = proposerCheckForViewTimeout(rc0, s, 10);
    expectSame(out, s.set('electionState', out.electionState));
    expect(out.electionState.currentViewSuspectors.has(0)).toBe(true);
  });
});

describe('proposerCheckForQuorumOfViewSuspicions (§7.3)', () => {
  it('§15.8: a quorum of suspicions moves the view and steps down, keeping 1bs, ballot, slot, seqnos, timer', () => {
    const es = electionStateInit(rc0).set('currentViewSuspectors', Set([0, 2]));
    const s = leader({
      electionState: es,
      requestQueue: List([req(C0, 1)]),
      nextOperationNumberToPropose: 4,
      highestSeqnoRequestedByClientThisView: Map([[C0, 1]]),
      incompleteBatchTimer: incompleteBatchTimerOn(60),
    });
    const out = proposerCheckForQuorumOfViewSuspicions(rc0, s, 20);
    expectSame(out.electionState.currentView, bal(1, 1));
    expectSame(out, s.merge({ electionState: out.electionState, currentState: 0, requestQueue: List() }));
  });

  it('below a quorum: same state object', () => {
    const s = leader({ electionState: electionStateInit(rc0).set('currentViewSuspectors', Set([2])) });
    expect(proposerCheckForQuorumOfViewSuspicions(rc0, s, 20)).toBe(s);
  });
});

describe('proposerResetViewTimerDueToExecution (§7.3)', () => {
  it('the election state forgets the executed requests; nothing else changes', () => {
    const es = electionStateInit(rc0).merge({
      requestsReceivedPrevEpochs: List([req(C0, 1)]),
      requestsReceivedThisEpoch: List([req(C1, 1), req(C0, 3)]),
    });
    const s = leader({ electionState: es });
    expectSame(
      proposerResetViewTimerDueToExecution(rc0, s, batchOf(req(C0, 2), req(C1, 1))),
      s.set('electionState', es.merge({ requestsReceivedPrevEpochs: List(), requestsReceivedThisEpoch: List([req(C0, 3)]) })),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// NominateOld outcomes, property test

describe('proposerNominateOldValueAndSend2a outcomes, property test', () => {
  const values = [vA, vB, vC];
  const ballotArb = fc.record({ seqno: fc.nat(2), id: fc.nat(2) }).map((b) => bal(b.seqno, b.id));
  const voteArb = fc.option(fc.record({ b: ballotArb, v: fc.nat(values.length - 1) }), { nil: undefined });
  // One 1b per replica, each with an optional vote for slot 1 and an optional vote for slot 2.
  const packetsArb = fc.tuple(
    ...replicaIds.map((src) =>
      fc.record({ present: fc.boolean(), at1: voteArb, at2: voteArb }).map(({ present, at1, at2 }) => {
        if (!present) return undefined;
        const entries: (readonly [number, Ballot, RequestBatch])[] = [];
        if (at1 !== undefined) entries.push([1, at1.b, values[at1.v]!]);
        if (at2 !== undefined) entries.push([2, at2.b, values[at2.v]!]);
        return oneB(src, 0, ...entries);
      }),
    ),
  );
  const opn = 1;

  it('the outcomes are exactly the values voted at the maximal ballot for opn, each once, in an order independent of the set', () => {
    fc.assert(
      fc.property(packetsArb, (maybePackets) => {
        const packets = maybePackets.filter((p): p is Packet<Message1b> => p !== undefined);
        const votes = packets.flatMap((p) => {
          const w = p.msg.votes.get(opn);
          return w === undefined ? [] : [w];
        });
        const top = votes.reduce<Ballot | undefined>((m, w) => (m === undefined || balLt(m, w.maxValueBal) ? w.maxValueBal : m), undefined);
        const expected = Set(votes.filter((w) => top !== undefined && w.maxValueBal.equals(top)).map((w) => w.maxVal));

        const s = leader({ nextOperationNumberToPropose: opn, received1bPackets: Set(packets) });
        const outs = proposerNominateOldValueAndSend2a(rc0, s, 0);
        const proposed = outs.map((o) => {
          const m = o.sent.first()?.msg;
          return m?.type === '2a' ? m.val2a : undefined;
        });
        expect(outs.length).toBe(expected.size);
        expect(is(Set(proposed), expected)).toBe(true);
        for (const [i, o] of outs.entries()) {
          expectOutcome(o, s.set('nextOperationNumberToPropose', opn + 1), toEveryone(R0, message2a(B, opn, proposed[i]!)));
        }

        const reversed = proposerNominateOldValueAndSend2a(rc0, s.set('received1bPackets', Set([...packets].reverse())), 0);
        expect(reversed.length).toBe(outs.length);
        reversed.forEach((o, i) => expectSame(o.sent, outs[i]!.sent));
      }),
    );
  });
});
