import { is, List, Map, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { acceptorProcess1a, acceptorProcessHeartbeat, acceptorTruncateLog } from '../../spec/acceptor.js';
import {
  executorProcessAppStateRequest,
  executorProcessRequest,
  executorProcessStartingPhase2,
  outstandingOpKnown,
} from '../../spec/executor.js';
import { learnerProcess2b } from '../../spec/learner.js';
import {
  message1a,
  message1b,
  message2a,
  message2b,
  messageAppStateRequest,
  messageAppStateSupply,
  messageHeartbeat,
  messageInvalid,
  messageReply,
  messageRequest,
  messageStartingPhase2,
  packet,
  type Outcome,
  type Packet,
} from '../../spec/message.js';
import {
  proposerCheckForQuorumOfViewSuspicions,
  proposerCheckForViewTimeout,
  proposerProcess1b,
  proposerProcessHeartbeat,
  proposerProcessRequest,
} from '../../spec/proposer.js';
import {
  defaultSpecActions,
  replicaInit,
  replicaNextAction,
  replicaNextProcessPacket,
  replicaNextReadClockCheckForQuorumOfViewSuspicions,
  replicaNextReadClockCheckForViewTimeout,
  replicaNextReadClockMaybeNominateValueAndSend2a,
  replicaNextReadClockMaybeSendHeartbeat,
  replicaNextSpontaneousMaybeEnterNewViewAndSend1a,
  replicaNextSpontaneousMaybeEnterPhase2,
  replicaNextSpontaneousMaybeExecute,
  replicaNextSpontaneousMaybeMakeDecision,
  replicaNextSpontaneousTruncateLogBasedOnCheckpoints,
  replicaNumActions,
  schedulerInit,
  schedulerNext,
  schedulerSlots,
  type ReplicaState,
} from '../../spec/replica.js';
import { appIncrementReply, appIncrementRequest, ballot, learnerTuple, reply, request, vote, type RequestBatch } from '../../spec/types.js';
import { rc } from './systemFixtures.js';

const c0 = rc(0);
const c1 = rc(1);
const inc = appIncrementRequest();
const vA: RequestBatch = List([request('c0', 0, inc)]);
const vB: RequestBatch = List([request('c1', 0, inc)]);

function only<S>(outs: readonly Outcome<S>[]): Outcome<S> {
  expect(outs).toHaveLength(1);
  return outs[0]!;
}

/** Asserts the action is a no-op: exactly one outcome, the input itself, nothing sent. */
function expectNoOp(outs: readonly Outcome<ReplicaState>[], s: ReplicaState): void {
  const o = only(outs);
  expect(o.state).toBe(s);
  expect(o.sent.size).toBe(0);
}

const recv = (c = c1, s: ReplicaState, p: Packet, clock = 0) => replicaNextProcessPacket(c, s, p, clock);

const init0 = replicaInit(c0);
const init1 = replicaInit(c1);
/** r0 after starting view (1,0): phase 1, collecting 1bs for (1,0). */
const phase1 = only(replicaNextSpontaneousMaybeEnterNewViewAndSend1a(c0, init0)).state;
const oneB = (src: string, ltp: number, votes = Map<number, ReturnType<typeof vote>>(), bal = ballot(1, 0)) =>
  packet('r0', src, message1b(bal, ltp, votes));

describe('replicaNextProcessPacket: dispatch and gates (§10.2)', () => {
  it.each([
    ['Invalid', packet('r1', 'r0', messageInvalid())],
    ['Reply', packet('r1', 'r0', messageReply(0, appIncrementReply(1)))],
  ])('%s: no-op', (_name, p) => {
    expectNoOp(recv(c1, init1, p), init1);
  });

  describe('Request: [V] deterministic routing (§15.3)', () => {
    const cached = reply('c0', 4, appIncrementReply(9));
    const s = phase1.setIn(['executor', 'replyCache'], Map([['c0', cached]])) as ReplicaState;
    const req = (seqno: number) => packet('r0', 'c0', messageRequest(seqno, inc));

    it('no cache entry: the proposer takes it (and a leader queues it)', () => {
      const o = only(recv(c0, phase1, req(0)));
      expect(is(o.state.proposer, proposerProcessRequest(c0, phase1.proposer, req(0)))).toBe(true);
      expect(o.state.proposer.requestQueue.size).toBe(1);
      expect(o.sent.size).toBe(0);
    });

    it('cache hit with the cached seqno: the executor resends the reply; the proposer never sees it', () => {
      const o = only(recv(c0, s, req(4)));
      expect(o.state).toBe(s);
      expect(o.sent.equals(executorProcessRequest(c0, s.executor, req(4)).sent)).toBe(true);
      expect(o.sent.size).toBe(1);
    });

    it('cache hit with an older seqno: the cache path only, which sends nothing', () => {
      expectNoOp(recv(c0, s, req(3)), s);
    });

    it('a seqno above the cached one goes to the proposer', () => {
      const o = only(recv(c0, s, req(5)));
      expect(o.state.proposer.requestQueue.map((r) => r.seqno).toArray()).toEqual([5]);
    });
  });

  it('1a: the acceptor answers', () => {
    const p = packet('r1', 'r0', message1a(ballot(1, 0)));
    const o = only(recv(c1, init1, p));
    const expected = acceptorProcess1a(c1, init1.acceptor, p);
    expect(is(o.state.acceptor, expected.state)).toBe(true);
    expect(o.sent.equals(expected.sent)).toBe(true);
    expect(o.sent.size).toBe(1);
  });

  describe('1b gate', () => {
    const p = oneB('r1', 2);
    it('all conjuncts hold: the proposer records it and the own acceptor truncates to its ltp; nothing sent', () => {
      const o = only(recv(c0, phase1, p));
      expect(is(o.state.proposer, proposerProcess1b(c0, phase1.proposer, p))).toBe(true);
      expect(o.state.proposer.received1bPackets.has(p)).toBe(true);
      expect(is(o.state.acceptor, acceptorTruncateLog(c0, phase1.acceptor, 2))).toBe(true);
      expect(o.state.acceptor.logTruncationPoint).toBe(2);
      expect(o.sent.size).toBe(0);
    });
    it.each([
      ['the sender is not a replica', phase1, oneB('c0', 2)],
      ['the ballot is not maxBallotISent1a (higher)', phase1, oneB('r1', 2, Map(), ballot(2, 0))],
      ['the ballot is not maxBallotISent1a (lower)', phase1, oneB('r1', 2, Map(), ballot(0, 0))],
      ['the proposer is not in phase 1 (phase 0)', phase1.setIn(['proposer', 'currentState'], 0) as ReplicaState, p],
      ['the proposer is not in phase 1 (phase 2)', phase1.setIn(['proposer', 'currentState'], 2) as ReplicaState, p],
    ])('no-op when %s', (_why, s, q) => {
      expectNoOp(recv(c0, s, q), s);
    });
    it('no-op when a 1b from the same sender is already in the set, even a different 1b', () => {
      const s = only(recv(c0, phase1, p)).state;
      expectNoOp(recv(c0, s, oneB('r1', 3)), s);
    });
  });

  it('StartingPhase2: the executor handles it', () => {
    const p = packet('r1', 'r0', messageStartingPhase2(ballot(1, 0), 1));
    const o = only(recv(c1, init1, p));
    expect(o.state).toBe(init1);
    expect(o.sent.equals(executorProcessStartingPhase2(c1, init1.executor, p).sent)).toBe(true);
    expect(o.sent.size).toBe(3);
  });

  describe('2a gate', () => {
    const p2a = (src: string, bal: [number, number], opn: number) => packet('r1', src, message2a(ballot(...bal), opn, vA));
    it('a 2a from a replica at the promised ballot: accepted, 2b broadcast', () => {
      const s = init1.setIn(['acceptor', 'maxBal'], ballot(1, 0)) as ReplicaState;
      const o = only(recv(c1, s, p2a('r0', [1, 0], 0)));
      expect(o.state.acceptor.votes.get(0)?.equals(vote(ballot(1, 0), vA))).toBe(true);
      expect(o.sent.map((q) => q.dst).toArray()).toEqual(['r0', 'r1', 'r2']);
    });
    it.each([
      ['the sender is not a replica', init1, p2a('c0', [1, 0], 0)],
      ['the ballot is below maxBal', init1.setIn(['acceptor', 'maxBal'], ballot(2, 0)) as ReplicaState, p2a('r0', [1, 0], 0)],
    ])('no-op when %s', (_why, s, p) => {
      expectNoOp(recv(c1, s, p), s);
    });
    it('no-op when opn exceeds max_integer_val; opn equal to it is accepted', () => {
      const small = rc(1, undefined, { maxIntegerVal: { kind: 'Finite', n: 5 } });
      expectNoOp(recv(small, init1, p2a('r0', [1, 0], 6)), init1);
      expect(only(recv(small, init1, p2a('r0', [1, 0], 5))).sent.size).toBe(3);
    });
  });

  describe('2b: only learnable slots reach the learner', () => {
    const s = init1.setIn(['executor', 'opsComplete'], 1) as ReplicaState;
    const known = s.setIn(['executor', 'nextOpToExecute'], outstandingOpKnown(vA, ballot(1, 0))) as ReplicaState;
    const p2b = (opn: number) => packet('r1', 'r0', message2b(ballot(1, 0), opn, vA));
    it.each([
      ['a later slot', s, 2],
      ['the next slot, not yet decided', s, 1],
    ])('%s: tallied', (_why, st, opn) => {
      const o = only(recv(c1, st, p2b(opn)));
      expect(is(o.state.learner, learnerProcess2b(c1, st.learner, p2b(opn)))).toBe(true);
      expect(o.state.learner.unexecutedLearnerState.has(opn)).toBe(true);
    });
    it.each([
      ['the next slot, already decided', known, 1],
      ['an executed slot', s, 0],
    ])('%s: no-op', (_why, st, opn) => {
      expectNoOp(recv(c1, st, p2b(opn)), st);
    });
  });

  it('AppStateRequest: the executor handles it', () => {
    const s = init1.setIn(['executor', 'opsComplete'], 2) as ReplicaState;
    const p = packet('r1', 'r2', messageAppStateRequest(ballot(1, 0), 1));
    const o = only(recv(c1, s, p));
    expect(o.state).toBe(s);
    expect(o.sent.equals(executorProcessAppStateRequest(c1, s.executor, p).sent)).toBe(true);
    expect(o.sent.size).toBe(1);
  });

  describe('AppStateSupply gate', () => {
    const tallies = Map([0, 1, 2].map((opn) => [opn, learnerTuple(Set(['r0']), vA)] as const));
    const s = init1.merge({
      learner: init1.learner.set('unexecutedLearnerState', tallies),
      executor: init1.executor.set('opsComplete', 1),
    });
    const supply = (src: string, opn: number) => packet('r1', src, messageAppStateSupply(ballot(1, 0), opn, 7, Map()));
    it('ahead of me, from a replica: learner forgets slots below it, executor adopts it', () => {
      const o = only(recv(c1, s, supply('r2', 2)));
      expect(o.state.learner.unexecutedLearnerState.keySeq().toArray()).toEqual([2]);
      expect(o.state.executor.opsComplete).toBe(2);
      expect(o.state.executor.app).toBe(7);
      expect(o.sent.size).toBe(0);
    });
    it.each([
      ['not ahead of opsComplete', supply('r2', 1)],
      ['not from a replica', supply('c0', 2)],
    ])('no-op when %s', (_why, p) => {
      expectNoOp(recv(c1, s, p), s);
    });
  });

  it('Heartbeat: proposer (with the clock) and acceptor both update from the same pre-state', () => {
    const p = packet('r1', 'r2', messageHeartbeat(ballot(2, 0), true, 3));
    for (const clock of [2, 3]) {
      const o = only(recv(c1, init1, p, clock));
      expect(is(o.state.proposer, proposerProcessHeartbeat(c1, init1.proposer, p, clock))).toBe(true);
      expect(is(o.state.acceptor, acceptorProcessHeartbeat(c1, init1.acceptor, p))).toBe(true);
      expect(o.state.proposer.electionState.currentView.equals(ballot(2, 0))).toBe(true);
      expect(o.state.acceptor.lastCheckpointedOperation.get(2)).toBe(3);
      expect(o.sent.size).toBe(0);
    }
    const epochEnd = (clock: number) => only(recv(c1, init1, p, clock)).state.proposer.electionState.epochEndTime;
    expect(epochEnd(3) - epochEnd(2)).toBe(1);
  });
});

describe('spontaneous and clock actions (§10.3)', () => {
  it('MaybeEnterNewViewAndSend1a: the view (1,0) belongs to r0, which broadcasts a 1a; r1 does nothing', () => {
    const o = only(replicaNextSpontaneousMaybeEnterNewViewAndSend1a(c0, init0));
    expect(o.state.proposer.currentState).toBe(1);
    expect(o.sent.equals(List(['r0', 'r1', 'r2'].map((d) => packet(d, 'r0', message1a(ballot(1, 0))))))).toBe(true);
    expectNoOp(replicaNextSpontaneousMaybeEnterNewViewAndSend1a(c1, init1), init1);
  });

  // r0 in phase 1 with 1bs from r0 (ltp 0) and r1 (ltp 1): its acceptor has truncated to 1.
  const withQuorum = [oneB('r0', 0), oneB('r1', 1)].reduce((s, p) => only(recv(c0, s, p)).state, phase1);

  it('MaybeEnterPhase2: with a quorum of 1bs, phase 2 starts at the own acceptor ltp', () => {
    expect(withQuorum.acceptor.logTruncationPoint).toBe(1);
    const o = only(replicaNextSpontaneousMaybeEnterPhase2(c0, withQuorum));
    expect(o.state.proposer.currentState).toBe(2);
    expect(o.state.proposer.nextOperationNumberToPropose).toBe(1);
    expect(o.sent.equals(List(['r0', 'r1', 'r2'].map((d) => packet(d, 'r0', messageStartingPhase2(ballot(1, 0), 1)))))).toBe(true);
  });

  it('MaybeEnterPhase2: one 1b is not a quorum', () => {
    const s = only(recv(c0, phase1, oneB('r1', 0))).state;
    expectNoOp(replicaNextSpontaneousMaybeEnterPhase2(c0, s), s);
  });

  const phase2 = only(replicaNextSpontaneousMaybeEnterPhase2(c0, withQuorum)).state;
  const queued = ['c0', 'c1'].reduce((s, cl) => only(recv(c0, s, packet('r0', cl, messageRequest(0, inc)))).state, phase2);

  it('MaybeNominateValueAndSend2a: a full batch is proposed for the next slot', () => {
    const o = only(replicaNextReadClockMaybeNominateValueAndSend2a(c0, queued, 0));
    const batch = List([request('c0', 0, inc), request('c1', 0, inc)]);
    expect(o.sent.equals(List(['r0', 'r1', 'r2'].map((d) => packet(d, 'r0', message2a(ballot(1, 0), 1, batch)))))).toBe(true);
    expect(o.state.proposer.nextOperationNumberToPropose).toBe(2);
  });

  it('MaybeNominateValueAndSend2a: the window is measured from the own acceptor ltp', () => {
    const far = queued.setIn(['proposer', 'nextOperationNumberToPropose'], 1 + c0.all.params.maxLogLength) as ReplicaState;
    expectNoOp(replicaNextReadClockMaybeNominateValueAndSend2a(c0, far, 0), far);
    const truncated = far.setIn(['acceptor', 'logTruncationPoint'], 2) as ReplicaState;
    expect(only(replicaNextReadClockMaybeNominateValueAndSend2a(c0, truncated, 0)).sent.size).toBe(3);
  });

  it('MaybeNominateValueAndSend2a: every outcome of the relation is returned', () => {
    const votesWith = (v: RequestBatch) => Map([[1, vote(ballot(0, 1), v)]]);
    const s = phase2.setIn(
      ['proposer', 'received1bPackets'],
      Set([oneB('r1', 0, votesWith(vA)), oneB('r2', 0, votesWith(vB))]),
    ) as ReplicaState;
    const outs = replicaNextReadClockMaybeNominateValueAndSend2a(c0, s, 0);
    const proposed = outs.map((o) => o.sent.first()?.msg);
    expect(outs).toHaveLength(2);
    expect(proposed.some((m) => m?.type === '2a' && m.val2a.equals(vA))).toBe(true);
    expect(proposed.some((m) => m?.type === '2a' && m.val2a.equals(vB))).toBe(true);
  });

  describe('TruncateLogBasedOnCheckpoints', () => {
    const lco = List([2, 1, 0]);
    const votes = Map([0, 1, 2].map((opn) => [opn, vote(ballot(1, 0), vA)] as const));
    const s = init1.set('acceptor', init1.acceptor.merge({ lastCheckpointedOperation: lco, votes }));
    const qth = lco.sort((a, b) => b - a).get(c1.all.config.replicaIds.size >> 1)!; // Q-th highest, Q = floor(n/2)+1

    it('truncates to the quorum-th highest checkpoint', () => {
      const o = only(replicaNextSpontaneousTruncateLogBasedOnCheckpoints(c1, s));
      expect(o.state.acceptor.logTruncationPoint).toBe(qth);
      expect(o.state.acceptor.votes.keySeq().sort().toArray()).toEqual([0, 1, 2].filter((k) => k >= qth));
    });
    it('no-op when the truncation point is already there', () => {
      const t = s.setIn(['acceptor', 'logTruncationPoint'], qth) as ReplicaState;
      expectNoOp(replicaNextSpontaneousTruncateLogBasedOnCheckpoints(c1, t), t);
    });
    it('no valid point (n = 2 under the [V] strict bound): a no-op, not a dead end', () => {
      const two = rc(1, ['r0', 'r1']);
      const t = replicaInit(two).setIn(['acceptor', 'lastCheckpointedOperation'], List([3, 2])) as ReplicaState;
      expectNoOp(replicaNextSpontaneousTruncateLogBasedOnCheckpoints(two, t), t);
    });
  });

  describe('MaybeMakeDecision', () => {
    const withTally = (opn: number, senders: string[]) =>
      init1.set(
        'learner',
        init1.learner.merge({ maxBallotSeen: ballot(1, 0), unexecutedLearnerState: Map([[opn, learnerTuple(Set(senders), vA)]]) }),
      );
    it('a quorum of 2bs for the next slot: the executor learns Known(value, maxBallotSeen)', () => {
      const o = only(replicaNextSpontaneousMaybeMakeDecision(c1, withTally(0, ['r0', 'r2'])));
      expect(o.state.executor.nextOpToExecute.equals(outstandingOpKnown(vA, ballot(1, 0)))).toBe(true);
      expect(o.sent.size).toBe(0);
    });
    it.each([
      ['fewer than a quorum of senders', withTally(0, ['r0'])],
      ['the tally is for another slot', withTally(1, ['r0', 'r2'])],
      [
        'a decision is already pending',
        withTally(0, ['r0', 'r2']).setIn(['executor', 'nextOpToExecute'], outstandingOpKnown(vB, ballot(1, 0))) as ReplicaState,
      ],
    ])('no-op when %s', (_why, s) => {
      expectNoOp(replicaNextSpontaneousMaybeMakeDecision(c1, s), s);
    });
    it('uses the quorum size from the SpecActions table', () => {
      const s = withTally(0, ['r0']);
      const P = { ...defaultSpecActions, minQuorumSize: () => 1 };
      expect(only(replicaNextSpontaneousMaybeMakeDecision(c1, s, P)).state.executor.nextOpToExecute.type).toBe('Known');
    });
  });

  describe('MaybeExecute', () => {
    const s = init1.merge({
      executor: init1.executor.set('nextOpToExecute', outstandingOpKnown(vA, ballot(1, 0))),
      learner: init1.learner.set('unexecutedLearnerState', Map([0, 1].map((opn) => [opn, learnerTuple(Set(['r0']), vA)] as const))),
    });
    const waiting = only(recv(c1, s, packet('r1', 'c0', messageRequest(0, inc)))).state;
    it('executes: replies sent, slot forgotten by the learner, executed requests leave the election state', () => {
      expect(waiting.proposer.electionState.requestsReceivedThisEpoch.size).toBe(1);
      const o = only(replicaNextSpontaneousMaybeExecute(c1, waiting));
      expect(o.state.executor.opsComplete).toBe(1);
      expect(o.state.learner.unexecutedLearnerState.keySeq().toArray()).toEqual([1]);
      expect(o.state.proposer.electionState.requestsReceivedThisEpoch.size).toBe(0);
      expect(o.sent.equals(List([packet('c0', 'r1', messageReply(0, appIncrementReply(1)))]))).toBe(true);
    });
    it('no decision: no-op', () => {
      expectNoOp(replicaNextSpontaneousMaybeExecute(c1, init1), init1);
    });
  });

  it('CheckForViewTimeout: the proposer checks with the clock read', () => {
    const o = only(replicaNextReadClockCheckForViewTimeout(c1, init1, 5));
    expect(is(o.state.proposer, proposerCheckForViewTimeout(c1, init1.proposer, 5))).toBe(true);
    expect(o.state).not.toBe(init1);
  });

  it('CheckForQuorumOfViewSuspicions: the proposer checks with the clock read', () => {
    const s = init1.setIn(['proposer', 'electionState', 'currentViewSuspectors'], Set([0, 2])) as ReplicaState;
    const o = only(replicaNextReadClockCheckForQuorumOfViewSuspicions(c1, s, 5));
    expect(is(o.state.proposer, proposerCheckForQuorumOfViewSuspicions(c1, s.proposer, 5))).toBe(true);
    expect(o.state.proposer.electionState.currentView.equals(ballot(1, 1))).toBe(true);
  });

  describe('MaybeSendHeartbeat', () => {
    const s = init1.merge({ nextHeartbeatTime: 2, executor: init1.executor.set('opsComplete', 4) });
    it('before nextHeartbeatTime: no-op', () => {
      expectNoOp(replicaNextReadClockMaybeSendHeartbeat(c1, s, 1), s);
    });
    it.each([
      ['I do not suspect the view', Set<number>([0]), false],
      ['I suspect the view', Set<number>([1]), true],
    ])('at the time, %s: broadcast view, suspicion, checkpoint; next time = clock + period', (_why, suspectors, suspicious) => {
      const t = s.setIn(['proposer', 'electionState', 'currentViewSuspectors'], suspectors) as ReplicaState;
      const o = only(replicaNextReadClockMaybeSendHeartbeat(c1, t, 3));
      expect(o.state.nextHeartbeatTime).toBe(3 + c1.all.params.heartbeatPeriod);
      const hb = messageHeartbeat(ballot(1, 0), suspicious, 4);
      expect(o.sent.equals(List(['r0', 'r1', 'r2'].map((d) => packet(d, 'r1', hb))))).toBe(true);
    });
  });
});

describe('scheduler (§10.4)', () => {
  it('ten slots, in the reference order, reading the clock exactly in 3, 7, 8, 9 and receiving only in 0', () => {
    expect(schedulerSlots).toHaveLength(replicaNumActions);
    expect(schedulerSlots.map((s) => s.index)).toEqual([...Array(10).keys()]);
    expect(schedulerSlots.map((s) => s.name)).toEqual([
      'ProcessPacket',
      'MaybeEnterNewViewAndSend1a',
      'MaybeEnterPhase2',
      'MaybeNominateValueAndSend2a',
      'TruncateLogBasedOnCheckpoints',
      'MaybeMakeDecision',
      'MaybeExecute',
      'CheckForViewTimeout',
      'CheckForQuorumOfViewSuspicions',
      'MaybeSendHeartbeat',
    ]);
    expect(schedulerSlots.filter((s) => s.readsClock).map((s) => s.index)).toEqual([3, 7, 8, 9]);
    expect(schedulerSlots.filter((s) => s.receivesPacket).map((s) => s.index)).toEqual([0]);
  });

  it('runs the selected slot and advances the index mod 10, even on a no-op', () => {
    const init = schedulerInit(c1);
    for (let k = 0; k < replicaNumActions; k++) {
      const s = init.set('nextActionIndex', k);
      const o = only(schedulerNext(c1, s, { clock: 0 }));
      expect(o.state.nextActionIndex).toBe((k + 1) % replicaNumActions);
    }
    const noop = only(schedulerNext(c1, init.set('nextActionIndex', 2), {}));
    expect(noop.state.replica).toBe(init.replica);
  });

  it('the slot run is the one nextActionIndex selects', () => {
    const s = schedulerInit(c0);
    expect(only(schedulerNext(c0, s.set('nextActionIndex', 1), {})).sent.size).toBe(3);
    expect(only(schedulerNext(c0, s.set('nextActionIndex', 2), {})).sent.size).toBe(0);
  });

  it('slot 0 without a packet is TimeoutReceive: a no-op', () => {
    expectNoOp(replicaNextAction(c1, init1, 0, {}), init1);
  });

  it('a missing clock reading is a caller error where one is read; a 1a needs none', () => {
    for (const slot of [3, 7, 8, 9]) expect(() => replicaNextAction(c1, init1, slot, {})).toThrow(RangeError);
    const hb = packet('r1', 'r2', messageHeartbeat(ballot(1, 0), false, 0));
    expect(() => replicaNextAction(c1, init1, 0, { packet: hb })).toThrow(RangeError);
    expect(() => replicaNextAction(c1, init1, 0, { packet: packet('r1', 'r0', message1a(ballot(1, 0))) })).not.toThrow();
    expect(() => replicaNextAction(c1, init1, 10, {})).toThrow(RangeError);
  });
});
