/**
 * Each implementation function against its spec function on hand-made fixtures: the spec
 * pre-state is concretized, the implementation runs on it in place, and its abstraction (state
 * and sent packets, in order) must equal the spec's outcome. Fixtures aim at the branches and
 * edges of each function (truncation boundaries, strict ballot comparisons, the batch cut...).
 */
import { is, List, Map, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  abstractAcceptor,
  cAcceptorProcess1a,
  cAcceptorProcess2a,
  cAcceptorProcessHeartbeat,
  cAcceptorTruncateLog,
  cAcceptorValid,
  concreteAcceptor,
} from '../../impl/acceptor.js';
import { defaultImplActions as T } from '../../impl/actions.js';
import { concreteReplicaConstants } from '../../impl/configuration.js';
import {
  abstractElectionState,
  cElectionStateCheckForQuorumOfViewSuspicions,
  cElectionStateCheckForViewTimeout,
  cElectionStateProcessHeartbeat,
  cElectionStateReflectExecutedRequestBatch,
  cElectionStateReflectReceivedRequest,
  concreteElectionState,
} from '../../impl/election.js';
import {
  abstractExecutor,
  cExecutorExecute,
  cExecutorProcessAppStateRequest,
  cExecutorProcessAppStateSupply,
  cExecutorProcessRequest,
  cExecutorProcessStartingPhase2,
  concreteExecutor,
} from '../../impl/executor.js';
import { abstractLearner, cLearnerForgetOperationsBefore, cLearnerProcess2b, concreteLearner } from '../../impl/learner.js';
import { abstractPacket, abstractPackets, concreteBallot, concretePacket } from '../../impl/message.js';
import {
  abstractProposer,
  cAllAcceptorsHadNoProposal,
  cExistsAcceptorHasProposalLargeThanOpn,
  cIsAfterLogTruncationPoint,
  cmax_balInS,
  concreteProposer,
  cProposerMaybeEnterNewViewAndSend1a,
  cProposerMaybeEnterPhase2,
  cProposerMaybeNominateValueAndSend2a,
  cProposerNominateNewValueAndSend2a,
  cProposerNominateOldValueAndSend2a,
  cProposerProcess1b,
  cProposerProcessRequest,
  cSetOfMessage1b,
  cSetOfMessage1bAboutBallot,
  type C1bPacket,
} from '../../impl/proposer.js';
import type { CPacket } from '../../impl/types.js';
import * as spec from '../../spec/index.js';
import {
  C0,
  C1,
  R0,
  R1,
  R2,
  bal,
  batchOf,
  packet1a,
  packet1b,
  packet2a,
  packet2b,
  packetHeartbeat,
  packetRequest,
  packetStartingPhase2,
  rc,
  rc0,
  rc1,
  req,
  votesOf,
} from '../spec/fixtures.js';

const c0 = concreteReplicaConstants(rc0);
const c1 = concreteReplicaConstants(rc1);

function expectSameValue(actual: unknown, expected: unknown): void {
  expect(is(actual, expected), `expected ${JSON.stringify(expected)}\n     got ${JSON.stringify(actual)}`).toBe(true);
}

/** The implementation's packets, abstracted, equal the spec's, in order. */
function expectSent(actual: readonly CPacket[], expected: spec.Sent): void {
  expectSameValue(abstractPackets(actual), expected);
}

// ---------------------------------------------------------------------------------------------

describe('packets: abstraction and concretization are inverse', () => {
  const votes = votesOf([3, bal(1, 0), batchOf(req(C0, 1))], [4, bal(2, 1), batchOf()]);
  const cache = Map([[C0, spec.reply(C0, 2, spec.appIncrementReply(7))]]);
  const packets: spec.Packet[] = [
    spec.packet(R0, C0, spec.messageInvalid()),
    packetRequest(R0, C0, 5),
    packet1a(R1, R0, bal(2, 0)),
    packet1b(R0, R1, bal(2, 0), 3, votes),
    packet2a(R1, R0, bal(2, 0), 4, batchOf(req(C0, 1), req(C1, 0))),
    packet2b(R2, R1, bal(2, 0), 4, batchOf()),
    packetHeartbeat(R0, R2, bal(1, 2), true, 9),
    spec.packet(C0, R0, spec.messageReply(5, spec.appIncrementReply(3))),
    spec.packet(C0, R0, spec.messageReply(5, spec.appInvalidReply())),
    spec.packet(R0, R1, spec.messageAppStateRequest(bal(1, 0), 2)),
    spec.packet(R1, R0, spec.messageAppStateSupply(bal(1, 0), 2, 5, cache)),
    packetStartingPhase2(R2, R0, bal(3, 0), 6),
  ];
  it.each(packets.map((p) => [p.msg.type, p] as const))('%s', (_type, p) => {
    const cp = concretePacket(p);
    expectSameValue(abstractPacket(cp), p);
    // A fresh concrete packet (no memo) abstracts to the same value.
    expectSameValue(abstractPacket({ ...cp }), p);
  });
});

// ---------------------------------------------------------------------------------------------

describe('acceptor', () => {
  const init = spec.acceptorInit(rc0);
  const voted = init.merge({
    maxBal: bal(2, 0),
    votes: votesOf([1, bal(1, 0), batchOf(req(C0, 0))], [2, bal(2, 0), batchOf()], [4, bal(2, 0), batchOf(req(C1, 0))]),
    logTruncationPoint: 1,
  });

  it.each([0, 1, 2, 3, 4, 5, 9])('CAcceptorTruncateLog at %i', (opn) => {
    const s = concreteAcceptor(voted);
    cAcceptorTruncateLog(c0, s, opn);
    expectSameValue(abstractAcceptor(s), spec.acceptorTruncateLog(rc0, voted, opn));
    expect(cAcceptorValid(s)).toBe(true);
  });

  it.each([
    ['higher ballot from a replica', packet1a(R0, R1, bal(3, 1))],
    ['equal ballot (strict <: ignored)', packet1a(R0, R1, bal(2, 0))],
    ['lower ballot', packet1a(R0, R1, bal(1, 2))],
    ['from a client', packet1a(R0, C0, bal(9, 0))],
  ])('CAcceptorProcess1a: %s', (_name, p) => {
    const s = concreteAcceptor(voted);
    const sent = cAcceptorProcess1a(c0, s, concretePacket(p) as CPacket<never>);
    const o = spec.acceptorProcess1a(rc0, voted, p);
    expectSameValue(abstractAcceptor(s), o.state);
    expectSent(sent, o.sent);
  });

  it('CAcceptorProcess1a: the 1b is a copy, later votes do not leak into it', () => {
    const s = concreteAcceptor(voted);
    const [reply] = cAcceptorProcess1a(c0, s, concretePacket(packet1a(R0, R1, bal(3, 1))) as CPacket<never>);
    const before = abstractPacket({ ...reply! });
    cAcceptorProcess2a(c0, s, concretePacket(packet2a(R0, R1, bal(3, 1), 5, batchOf())) as CPacket<never>);
    expectSameValue(abstractPacket({ ...reply! }), before);
  });

  it.each([
    ['a new slot within the log', 3],
    ['the slot at the truncation point', 1],
    ['a slot below the truncation point (2b sent, no vote)', 0],
    ['a slot that forces truncation (opn - L + 1 > ltp)', 7],
    ['far ahead: every old vote goes', 40],
  ])('CAcceptorProcess2a: %s', (_name, opn) => {
    const p = packet2a(R0, R1, bal(2, 1), opn, batchOf(req(C1, 3)));
    const s = concreteAcceptor(voted);
    const sent = cAcceptorProcess2a(c0, s, concretePacket(p) as CPacket<never>);
    const o = spec.acceptorProcess2a(rc0, voted, p);
    expectSameValue(abstractAcceptor(s), o.state);
    expectSent(sent, o.sent);
    expect(cAcceptorValid(s)).toBe(true);
  });

  it.each([
    ['a higher checkpoint', packetHeartbeat(R0, R2, bal(1, 0), false, 3)],
    ['an equal checkpoint', packetHeartbeat(R0, R2, bal(1, 0), false, 0)],
    ['from a client', packetHeartbeat(R0, C0, bal(1, 0), false, 3)],
  ])('CAcceptorProcessHeartbeat: %s', (_name, p) => {
    const s = concreteAcceptor(voted);
    cAcceptorProcessHeartbeat(c0, s, concretePacket(p) as CPacket<never>);
    expectSameValue(abstractAcceptor(s), spec.acceptorProcessHeartbeat(rc0, voted, p));
  });
});

// ---------------------------------------------------------------------------------------------

describe('election', () => {
  const init = spec.electionStateInit(rc0);
  const busy = init.merge({
    currentViewSuspectors: Set([1]),
    epochEndTime: 50,
    epochLength: 40,
    requestsReceivedPrevEpochs: List([req(C0, 1), req(C1, 0)]),
    requestsReceivedThisEpoch: List([req(C0, 2)]),
  });
  const states: ReadonlyArray<readonly [string, spec.ElectionState]> = [
    ['initial', init],
    ['busy', busy],
    ['quiet epoch pending', busy.set('requestsReceivedPrevEpochs', List())],
  ];

  describe.each(states)('from the %s state', (_name, es) => {
    it.each([[req(C0, 1)], [req(C0, 3)], [req(C1, 0)], [req(C1, 7)]])('CElectionStateReflectReceivedRequest %o', (r) => {
      const s = concreteElectionState(es);
      cElectionStateReflectReceivedRequest(c0, s, { client: r.client, seqno: r.seqno, request: { type: 'AppIncrementRequest' } });
      expectSameValue(abstractElectionState(s), spec.electionStateReflectReceivedRequest(rc0, es, r));
    });

    it.each([0, 49, 50, 51, 1000])('CElectionStateCheckForViewTimeout at clock %i', (clock) => {
      const s = concreteElectionState(es);
      cElectionStateCheckForViewTimeout(c0, s, clock);
      expectSameValue(abstractElectionState(s), spec.electionStateCheckForViewTimeout(rc0, es, clock));
    });

    it.each([[Set<number>()], [Set([1])], [Set([0, 2])]])('CElectionStateCheckForQuorumOfViewSuspicions with suspectors %o', (sus) => {
      const pre = es.set('currentViewSuspectors', sus);
      const s = concreteElectionState(pre);
      cElectionStateCheckForQuorumOfViewSuspicions(c0, s, 7);
      expectSameValue(abstractElectionState(s), spec.electionStateCheckForQuorumOfViewSuspicions(rc0, pre, 7));
    });

    it.each([
      ['suspicious, current view', packetHeartbeat(R0, R2, bal(1, 0), true, 0)],
      ['not suspicious, current view', packetHeartbeat(R0, R2, bal(1, 0), false, 0)],
      ['later view, suspicious', packetHeartbeat(R0, R1, bal(1, 1), true, 0)],
      ['later view', packetHeartbeat(R0, R1, bal(2, 0), false, 0)],
      ['earlier view', packetHeartbeat(R0, R1, bal(0, 2), true, 0)],
      ['from a client', packetHeartbeat(R0, C0, bal(5, 0), true, 0)],
    ])('CElectionStateProcessHeartbeat: %s', (_name, p) => {
      const s = concreteElectionState(es);
      cElectionStateProcessHeartbeat(c0, s, concretePacket(p) as CPacket<never>, 20);
      expectSameValue(abstractElectionState(s), spec.electionStateProcessHeartbeat(rc0, es, p, 20));
    });

    it('CElectionStateReflectExecutedRequestBatch removes every satisfied request in one pass', () => {
      const batch = batchOf(req(C0, 1), req(C1, 5), req(C0, 0));
      const s = concreteElectionState(es);
      cElectionStateReflectExecutedRequestBatch(
        c0,
        s,
        batch.toArray().map((r) => ({ client: r.client, seqno: r.seqno, request: { type: 'AppIncrementRequest' } })),
      );
      expectSameValue(abstractElectionState(s), spec.electionStateReflectExecutedRequestBatch(rc0, es, batch));
    });
  });

  it('a bounded request list is cut in place at max_integer_val', () => {
    const tight = rc(0, { maxIntegerVal: { kind: 'Finite', n: 2 }, maxLogLength: 1 });
    const s = concreteElectionState(busy);
    cElectionStateReflectReceivedRequest(concreteReplicaConstants(tight), s, {
      client: C1,
      seqno: 9,
      request: { type: 'AppIncrementRequest' },
    });
    expectSameValue(abstractElectionState(s), spec.electionStateReflectReceivedRequest(tight, busy, req(C1, 9)));
  });
});

// ---------------------------------------------------------------------------------------------

describe('proposer predicates', () => {
  const b = bal(2, 0);
  const sets: ReadonlyArray<readonly [string, Set<spec.Packet>]> = [
    ['empty', Set()],
    ['two 1bs without votes', Set([packet1b(R0, R1, b, 0), packet1b(R0, R2, b, 2)])],
    [
      'votes at several ballots',
      Set([
        packet1b(R0, R0, b, 1, votesOf([1, bal(1, 0), batchOf(req(C0, 0))], [3, bal(1, 1), batchOf()])),
        packet1b(R0, R1, b, 0, votesOf([1, bal(1, 2), batchOf(req(C1, 0))])),
        packet1b(R0, R2, bal(1, 1), 2, votesOf([5, bal(1, 1), batchOf()])),
      ]),
    ],
    ['a non-1b packet among them', Set<spec.Packet>([packet1b(R0, R1, b, 0), packet2b(R0, R2, b, 1, batchOf())])],
  ];
  describe.each(sets)('%s', (_name, S) => {
    const cS = S.toArray().map(concretePacket);
    it('CSetOfMessage1b / CSetOfMessage1bAboutBallot', () => {
      expect(cSetOfMessage1b(cS)).toBe(spec.setOfMessage1b(S));
      for (const x of [b, bal(1, 1), bal(2, 1)]) {
        expect(cSetOfMessage1bAboutBallot(cS, concreteBallot(x), T)).toBe(spec.setOfMessage1bAboutBallot(S, x));
      }
    });
    it.each([-1, 0, 1, 2, 3, 4, 5, 6])('slot %i', (opn) => {
      expect(cIsAfterLogTruncationPoint(opn, cS)).toBe(spec.isAfterLogTruncationPoint(opn, S));
      expect(cAllAcceptorsHadNoProposal(cS, opn)).toBe(spec.allAcceptorsHadNoProposal(S, opn));
      expect(cExistsAcceptorHasProposalLargeThanOpn(cS, opn)).toBe(spec.existsAcceptorHasProposalLargeThanOpn(S, opn));
      for (const x of [bal(0, 0), bal(1, 0), bal(1, 1), bal(1, 2), bal(2, 0)]) {
        expect(cmax_balInS(concreteBallot(x), cS, opn)).toBe(spec.maxBalInS(x, S, opn));
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('proposer actions', () => {
  const init = spec.proposerInit(rc0);
  const view = bal(1, 0);
  const phase1 = init.merge({ currentState: 1, maxBallotISent1a: view });
  const S = Set([
    packet1b(R0, R1, view, 0, votesOf([0, bal(0, 1), batchOf(req(C0, 0))], [2, bal(0, 2), batchOf()])),
    packet1b(R0, R2, view, 0, votesOf([0, bal(0, 2), batchOf(req(C1, 0))])),
  ]);
  const queue = List([req(C0, 1), req(C1, 1), req(C0, 2)]);
  const phase2 = phase1.merge({ currentState: 2, received1bPackets: S, requestQueue: queue });

  function runProposer(
    pre: spec.ProposerState,
    f: (p: ReturnType<typeof concreteProposer>) => CPacket[] | void,
  ): {
    state: spec.ProposerState;
    sent: spec.Sent;
  } {
    const s = concreteProposer(pre);
    const sent = f(s) ?? [];
    return { state: abstractProposer(s), sent: abstractPackets(sent) };
  }

  it.each([
    ['follower', init, packetRequest(R0, C0, 3)],
    ['leader, new client', phase2, packetRequest(R0, C1, 4)],
    ['leader, old seqno', phase2.set('highestSeqnoRequestedByClientThisView', Map([[C0, 5]])), packetRequest(R0, C0, 5)],
    ['leader, newer seqno', phase2.set('highestSeqnoRequestedByClientThisView', Map([[C0, 5]])), packetRequest(R0, C0, 6)],
  ])('CProposerProcessRequest: %s', (_name, pre, p) => {
    const r = runProposer(pre, (s) => cProposerProcessRequest(c0, s, concretePacket(p) as CPacket<never>, T));
    expectSameValue(r.state, spec.proposerProcessRequest(rc0, pre, p));
  });

  it('CProposerProcess1b', () => {
    const p = packet1b(R0, R0, view, 1, votesOf());
    const r = runProposer(phase1, (s) => cProposerProcess1b(c0, s, concretePacket(p) as C1bPacket));
    expectSameValue(r.state, spec.proposerProcess1b(rc0, phase1, p));
  });

  it.each([
    ['my newer view', init],
    ['already sent', phase1],
    ['not my view', init.set('electionState', init.electionState.set('currentView', bal(1, 1)))],
  ])('CProposerMaybeEnterNewViewAndSend1a: %s', (_name, pre) => {
    const r = runProposer(pre, (s) => cProposerMaybeEnterNewViewAndSend1a(c0, s));
    const o = spec.proposerMaybeEnterNewViewAndSend1a(rc0, pre);
    expectSameValue(r.state, o.state);
    expectSameValue(r.sent, o.sent);
  });

  it.each([
    ['quorum in phase 1', phase1.set('received1bPackets', S)],
    ['one 1b only', phase1.set('received1bPackets', Set([S.first()!]))],
    ['already in phase 2', phase2],
  ])('CProposerMaybeEnterPhase2: %s', (_name, pre) => {
    const r = runProposer(pre, (s) => cProposerMaybeEnterPhase2(c0, s, 2, T));
    const o = spec.proposerMaybeEnterPhase2(rc0, pre, 2);
    expectSameValue(r.state, o.state);
    expectSameValue(r.sent, o.sent);
  });

  const dispatcherCases: ReadonlyArray<readonly [string, spec.ProposerState, number]> = [
    ['an old vote for the slot (NominateOld)', phase2.set('nextOperationNumberToPropose', 0), 5],
    ['a hole below a later vote (NominateNew, possibly empty)', phase2.set('nextOperationNumberToPropose', 1), 5],
    ['a full batch', phase2.set('nextOperationNumberToPropose', 3), 5],
    ['a partial batch, timer off: arm it', phase2.merge({ nextOperationNumberToPropose: 3, requestQueue: List([req(C0, 1)]) }), 5],
    [
      'a partial batch, timer expired',
      phase2.merge({
        nextOperationNumberToPropose: 3,
        requestQueue: List([req(C0, 1)]),
        incompleteBatchTimer: spec.incompleteBatchTimerOn(5),
      }),
      5,
    ],
    [
      'a partial batch, timer pending',
      phase2.merge({
        nextOperationNumberToPropose: 3,
        requestQueue: List([req(C0, 1)]),
        incompleteBatchTimer: spec.incompleteBatchTimerOn(6),
      }),
      5,
    ],
    ['too far ahead of the log', phase2.set('nextOperationNumberToPropose', 9), 5],
    ['not in phase 2', phase1.set('received1bPackets', S), 5],
  ];
  it.each(dispatcherCases)('CProposerMaybeNominateValueAndSend2a: %s', (_name, pre, clock) => {
    const r = runProposer(pre, (s) => cProposerMaybeNominateValueAndSend2a(c0, s, clock, 0, T));
    const outcomes = spec.proposerMaybeNominateValueAndSend2a(rc0, pre, clock, 0);
    expect(outcomes.some((o) => is(o.state, r.state) && is(o.sent, r.sent))).toBe(true);
  });

  it.each([0, 1, 2, 3, 5])('CProposerNominateNewValueAndSend2a with batch size %i', (size) => {
    const c = rc(0, { maxBatchSize: Math.max(1, size) });
    const pre = phase2.set('nextOperationNumberToPropose', 1);
    const r = runProposer(pre, (s) => cProposerNominateNewValueAndSend2a(concreteReplicaConstants(c), s, 4, 0));
    const o = spec.proposerNominateNewValueAndSend2a(c, pre, 4, 0);
    expectSameValue(r.state, o.state);
    expectSameValue(r.sent, o.sent);
  });

  it('CProposerNominateOldValueAndSend2a picks a value voted at the highest ballot for the slot', () => {
    const pre = phase2.set('nextOperationNumberToPropose', 0);
    const r = runProposer(pre, (s) => cProposerNominateOldValueAndSend2a(c0, s, 0, T));
    const outcomes = spec.proposerNominateOldValueAndSend2a(rc0, pre, 0);
    expect(outcomes.length).toBe(1);
    expectSameValue(r.state, outcomes[0]!.state);
    expectSameValue(r.sent, outcomes[0]!.sent);
  });

  it('CProposerNominateOldValueAndSend2a: with two values at the top ballot it picks one of the spec relation', () => {
    const top = bal(0, 2);
    const tied = Set([
      packet1b(R0, R1, view, 0, votesOf([0, top, batchOf(req(C0, 0))])),
      packet1b(R0, R2, view, 0, votesOf([0, top, batchOf(req(C1, 0))])),
    ]);
    const pre = phase2.set('received1bPackets', tied).set('nextOperationNumberToPropose', 0);
    const r = runProposer(pre, (s) => cProposerNominateOldValueAndSend2a(c0, s, 0, T));
    const outcomes = spec.proposerNominateOldValueAndSend2a(rc0, pre, 0);
    expect(outcomes.length).toBe(2);
    expect(outcomes.some((o) => is(o.state, r.state) && is(o.sent, r.sent))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('learner and executor', () => {
  const v = batchOf(req(C0, 0), req(C1, 0), req(C0, 1));
  const learner = spec.learnerInit(rc0).merge({
    maxBallotSeen: bal(1, 0),
    unexecutedLearnerState: Map([
      [0, spec.learnerTuple(Set([R1]), v)],
      [2, spec.learnerTuple(Set([R0, R2]), batchOf())],
    ]),
  });
  it.each([
    ['a new sender for a slot', packet2b(R0, R0, bal(1, 0), 0, v)],
    ['a repeated sender', packet2b(R0, R1, bal(1, 0), 0, v)],
    ['a new slot', packet2b(R0, R2, bal(1, 0), 1, v)],
    ['a newer ballot', packet2b(R0, R2, bal(2, 0), 4, v)],
    ['an older ballot', packet2b(R0, R2, bal(0, 2), 4, v)],
    ['from a client', packet2b(R0, C0, bal(1, 0), 0, v)],
  ])('CLearnerProcess2b: %s', (_name, p) => {
    const s = concreteLearner(learner);
    cLearnerProcess2b(c0, s, concretePacket(p) as CPacket<never>);
    expectSameValue(abstractLearner(s), spec.learnerProcess2b(rc0, learner, p));
  });
  it.each([0, 1, 2, 3])('CLearnerForgetOperationsBefore %i', (opn) => {
    const s = concreteLearner(learner);
    cLearnerForgetOperationsBefore(c0, s, opn);
    expectSameValue(abstractLearner(s), spec.learnerForgetOperationsBefore(rc0, learner, opn));
  });

  const cached = spec.executorInit(rc1).merge({
    opsComplete: 2,
    app: 4,
    maxBalReflected: bal(1, 0),
    replyCache: Map([[C1, spec.reply(C1, 3, spec.appIncrementReply(4))]]),
  });
  it('CExecutorExecute: replies in batch order, the earliest reply of a new client is cached, cached clients keep theirs', () => {
    const pre = cached.set('nextOpToExecute', spec.outstandingOpKnown(v.push(spec.request(C0, 2, spec.appInvalidReply())), bal(2, 0)));
    const s = concreteExecutor(pre);
    const sent = cExecutorExecute(c1, s);
    const o = spec.executorExecute(rc1, pre);
    expectSameValue(abstractExecutor(s), o.state);
    expectSent(sent, o.sent);
  });
  it.each([['a later supply', spec.packet(R1, R0, spec.messageAppStateSupply(bal(2, 0), 5, 9, Map()))]])(
    'CExecutorProcessAppStateSupply: %s',
    (_name, p) => {
      const s = concreteExecutor(cached);
      cExecutorProcessAppStateSupply(c1, s, concretePacket(p) as CPacket<never>);
      expectSameValue(abstractExecutor(s), spec.executorProcessAppStateSupply(rc1, cached, p));
    },
  );
  it.each([
    ['behind the requester', spec.packet(R1, R0, spec.messageAppStateRequest(bal(1, 0), 2))],
    ['ahead of the requester', spec.packet(R1, R0, spec.messageAppStateRequest(bal(1, 0), 3))],
    ['an older ballot', spec.packet(R1, R0, spec.messageAppStateRequest(bal(0, 0), 1))],
    ['from a client', spec.packet(R1, C0, spec.messageAppStateRequest(bal(1, 0), 1))],
  ])('CExecutorProcessAppStateRequest: %s', (_name, p) => {
    const s = concreteExecutor(cached);
    const sent = cExecutorProcessAppStateRequest(c1, s, concretePacket(p) as CPacket<never>);
    const o = spec.executorProcessAppStateRequest(rc1, cached, p);
    expectSameValue(abstractExecutor(s), o.state);
    expectSent(sent, o.sent);
  });
  it.each([2, 3])('CExecutorProcessStartingPhase2 at truncation point %i', (ltp) => {
    const p = packetStartingPhase2(R1, R0, bal(2, 0), ltp);
    const s = concreteExecutor(cached);
    const sent = cExecutorProcessStartingPhase2(c1, s, concretePacket(p) as CPacket<never>);
    expectSent(sent, spec.executorProcessStartingPhase2(rc1, cached, p).sent);
  });
  it.each([2, 3])('CExecutorProcessRequest for seqno %i (exact match only)', (seqno) => {
    const p = packetRequest(R1, C1, seqno);
    const s = concreteExecutor(cached);
    const sent = cExecutorProcessRequest(c1, s, concretePacket(p) as CPacket<never>);
    expectSent(sent, spec.executorProcessRequest(rc1, cached, p).sent);
  });
});
