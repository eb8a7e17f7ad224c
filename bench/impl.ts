/**
 * The implementation benchmark (`npm run bench:impl`; not a test): for each of the 21 seed
 * functions and for the whole host step, nanoseconds per call of the implementation (impl/) and of
 * the spec function it refines (spec/) on the same representative input, and their ratio.
 *
 * The inputs are those of a replica in steady state under load: three replicas, the leader in
 * phase 2 of view (3,0), a queue of 40 requests (batches of 32), 100 votes in the acceptor's log
 * and in each of the three 1bs, 40 requests waiting in the election state. The implementation
 * updates its state in place, so every timed call gets its own fresh copy, prepared (concretized)
 * before the clock starts; the spec's values are immutable and are reused. Each case runs
 * seven times, alternating implementation and spec, each after a full garbage collection; the
 * median is printed, with the load average.
 */
import { loadavg } from 'node:os';
import { List, Map as IMap, Set as ISet } from 'immutable';
import { concreteAcceptor } from '../impl/acceptor.js';
import { defaultImplActions as T, referenceName, seedFunctionNames, type ImplFunctionName } from '../impl/actions.js';
import { concreteReplicaConstants } from '../impl/configuration.js';
import { concreteElectionState } from '../impl/election.js';
import { abstractPacket, concreteBallot, concretePacket, concreteRequest } from '../impl/message.js';
import { concreteHost, hostStep } from '../impl/host.js';
import { concreteProposer, type C1bPacket } from '../impl/proposer.js';
import type { CPacket } from '../impl/types.js';
import * as spec from '../spec/index.js';

const ids = ['r0', 'r1', 'r2'];
const rc = spec.replicaConstants(0, {
  config: spec.configuration(ids),
  params: {
    maxLogLength: 1000,
    baselineViewTimeoutPeriod: 400,
    heartbeatPeriod: 30,
    maxIntegerVal: { kind: 'Finite', n: Number.MAX_SAFE_INTEGER },
    maxBatchSize: 32,
    maxBatchDelay: 10,
  },
});
const c = concreteReplicaConstants(rc);
const view = spec.ballot(3, 0);
const req = (client: number, seqno: number): spec.Request => spec.request(`c${client}`, seqno, spec.appIncrementRequest());
const queue = List(Array.from({ length: 40 }, (_x, i) => req(i, 7)));
const batch32 = queue.take(32);
const votes = IMap(Array.from({ length: 100 }, (_x, i) => [200 + i, spec.vote(spec.ballot(2, 1), List([req(i % 32, 5)]))] as const));
const oneBs = ISet(ids.map((src) => spec.packet('r0', src, spec.message1b(view, 200, votes))));
const election = spec.electionStateInit(rc).merge({
  currentView: view,
  epochEndTime: 1000,
  epochLength: 400,
  requestsReceivedPrevEpochs: queue.take(20),
  requestsReceivedThisEpoch: queue.skip(20),
  currentViewSuspectors: ISet([1]),
});
const proposer = spec.proposerInit(rc).merge({
  currentState: 2,
  maxBallotISent1a: view,
  nextOperationNumberToPropose: 300,
  received1bPackets: oneBs,
  requestQueue: queue,
  highestSeqnoRequestedByClientThisView: IMap(queue.map((r) => [r.client, r.seqno] as const)),
  electionState: election,
});
const acceptor = spec
  .acceptorInit(rc)
  .merge({ maxBal: view, votes, logTruncationPoint: 200, lastCheckpointedOperation: List([250, 240, 230]) });
const replica = spec.replicaInit(rc).merge({ proposer, acceptor });
const hb = spec.packet('r0', 'r1', spec.messageHeartbeat(view, true, 260));
const p1a = spec.packet('r0', 'r2', spec.message1a(spec.ballot(4, 2)));
const p2a = spec.packet('r0', 'r0', spec.message2a(view, 300, batch32));
const newClient = spec.packet('r0', 'c99', spec.messageRequest(1, spec.appIncrementRequest()));
const fresh1b = spec.packet('r0', 'r1', spec.message1b(view, 200, votes));
const S = [...oneBs].map(concretePacket);
const newRequest = req(99, 1);
const newRequestC = concreteRequest(newRequest);

interface Case {
  /** Returns a fresh zero-argument call of the implementation (state prepared outside the timing). */
  readonly impl: () => () => unknown;
  readonly spec: () => unknown;
}

const cases: { readonly [K in ImplFunctionName]?: Case } = {
  cAcceptorTruncateLog: {
    impl: () =>
      (
        (a) => () =>
          T.cAcceptorTruncateLog(c, a, 250)
      )(concreteAcceptor(acceptor)),
    spec: () => spec.acceptorTruncateLog(rc, acceptor, 250),
  },
  cAcceptorProcessHeartbeat: {
    impl: () =>
      (
        (a, p) => () =>
          T.cAcceptorProcessHeartbeat(c, a, p as CPacket<never>)
      )(concreteAcceptor(acceptor), concretePacket(hb)),
    spec: () => spec.acceptorProcessHeartbeat(rc, acceptor, hb),
  },
  cAcceptorProcess1a: {
    impl: () =>
      (
        (a, p) => () =>
          T.cAcceptorProcess1a(c, a, p as CPacket<never>)
      )(concreteAcceptor(acceptor), concretePacket(p1a)),
    spec: () => spec.acceptorProcess1a(rc, acceptor, p1a),
  },
  cAcceptorProcess2a: {
    impl: () =>
      (
        (a, p) => () =>
          T.cAcceptorProcess2a(c, a, p as CPacket<never>)
      )(concreteAcceptor(acceptor), concretePacket(p2a)),
    spec: () => spec.acceptorProcess2a(rc, acceptor, p2a),
  },
  cElectionStateReflectReceivedRequest: {
    impl: () =>
      (
        (e) => () =>
          T.cElectionStateReflectReceivedRequest(c, e, newRequestC)
      )(concreteElectionState(election)),
    spec: () => spec.electionStateReflectReceivedRequest(rc, election, newRequest),
  },
  cElectionStateCheckForViewTimeout: {
    impl: () =>
      (
        (e) => () =>
          T.cElectionStateCheckForViewTimeout(c, e, 1000)
      )(concreteElectionState(election)),
    spec: () => spec.electionStateCheckForViewTimeout(rc, election, 1000),
  },
  cElectionStateCheckForQuorumOfViewSuspicions: {
    impl: () =>
      (
        (e) => () =>
          T.cElectionStateCheckForQuorumOfViewSuspicions(c, e, 1000)
      )(concreteElectionState(election.set('currentViewSuspectors', ISet([1, 2])))),
    spec: () => spec.electionStateCheckForQuorumOfViewSuspicions(rc, election.set('currentViewSuspectors', ISet([1, 2])), 1000),
  },
  cElectionStateProcessHeartbeat: {
    impl: () =>
      (
        (e, p) => () =>
          T.cElectionStateProcessHeartbeat(c, e, p as CPacket<never>, 500)
      )(concreteElectionState(election), concretePacket(hb)),
    spec: () => spec.electionStateProcessHeartbeat(rc, election, hb, 500),
  },
  cIsAfterLogTruncationPoint: {
    impl: () => () => T.cIsAfterLogTruncationPoint(300, S),
    spec: () => spec.isAfterLogTruncationPoint(300, oneBs),
  },
  cSetOfMessage1b: { impl: () => () => T.cSetOfMessage1b(S), spec: () => spec.setOfMessage1b(oneBs) },
  cSetOfMessage1bAboutBallot: {
    impl: () =>
      (
        (b) => () =>
          T.cSetOfMessage1bAboutBallot(S, b, T)
      )(concreteBallot(view)),
    spec: () => spec.setOfMessage1bAboutBallot(oneBs, view),
  },
  cAllAcceptorsHadNoProposal: {
    impl: () => () => T.cAllAcceptorsHadNoProposal(S, 300),
    spec: () => spec.allAcceptorsHadNoProposal(oneBs, 300),
  },
  cExistsAcceptorHasProposalLargeThanOpn: {
    impl: () => () => T.cExistsAcceptorHasProposalLargeThanOpn(S, 300),
    spec: () => spec.existsAcceptorHasProposalLargeThanOpn(oneBs, 300),
  },
  cmax_balInS: {
    impl: () =>
      (
        (b) => () =>
          T.cmax_balInS(b, S, 250)
      )(concreteBallot(view)),
    spec: () => spec.maxBalInS(view, oneBs, 250),
  },
  cProposerProcessRequest: {
    impl: () =>
      (
        (s, p) => () =>
          T.cProposerProcessRequest(c, s, p as CPacket<never>, T)
      )(concreteProposer(proposer), concretePacket(newClient)),
    spec: () => spec.proposerProcessRequest(rc, proposer, newClient),
  },
  cProposerProcess1b: {
    impl: () =>
      (
        (s, p) => () =>
          T.cProposerProcess1b(c, s, p)
      )(concreteProposer(proposer.set('received1bPackets', ISet())), concretePacket(fresh1b) as C1bPacket),
    spec: () => spec.proposerProcess1b(rc, proposer.set('received1bPackets', ISet()), fresh1b),
  },
  cProposerMaybeEnterNewViewAndSend1a: {
    impl: () =>
      (
        (s) => () =>
          T.cProposerMaybeEnterNewViewAndSend1a(c, s)
      )(concreteProposer(proposer.set('maxBallotISent1a', spec.ballot(2, 0)))),
    spec: () => spec.proposerMaybeEnterNewViewAndSend1a(rc, proposer.set('maxBallotISent1a', spec.ballot(2, 0))),
  },
  cProposerMaybeEnterPhase2: {
    impl: () =>
      (
        (s) => () =>
          T.cProposerMaybeEnterPhase2(c, s, 200, T)
      )(concreteProposer(proposer.set('currentState', 1))),
    spec: () => spec.proposerMaybeEnterPhase2(rc, proposer.set('currentState', 1), 200),
  },
  cProposerMaybeNominateValueAndSend2a: {
    impl: () =>
      (
        (s) => () =>
          T.cProposerMaybeNominateValueAndSend2a(c, s, 5, 200, T)
      )(concreteProposer(proposer)),
    spec: () => spec.proposerMaybeNominateValueAndSend2a(rc, proposer, 5, 200),
  },
  cProposerNominateNewValueAndSend2a: {
    impl: () =>
      (
        (s) => () =>
          T.cProposerNominateNewValueAndSend2a(c, s, 5, 200)
      )(concreteProposer(proposer)),
    spec: () => spec.proposerNominateNewValueAndSend2a(rc, proposer, 5, 200),
  },
  cProposerNominateOldValueAndSend2a: {
    impl: () =>
      (
        (s) => () =>
          T.cProposerNominateOldValueAndSend2a(c, s, 200, T)
      )(concreteProposer(proposer.set('nextOperationNumberToPropose', 250))),
    spec: () => spec.proposerNominateOldValueAndSend2a(rc, proposer.set('nextOperationNumberToPropose', 250), 200),
  },
};

/** The host step: slot 0 receiving the leader's own 2a (the hot path), then one whole round of ten slots. */
const schedulerPre = spec.SchedulerStateRecord({ replica, nextActionIndex: 0 });
const roundInputs: spec.SlotInput[] = spec.schedulerSlots.map((slot) =>
  slot.index === 0 ? { packet: p2a } : slot.readsClock ? { clock: 5 } : {},
);
const hostCases: ReadonlyArray<readonly [string, Case]> = [
  [
    'host step: slot 0, receive a 2a',
    {
      impl: () =>
        (
          (h, p) => () =>
            hostStep(h, 0, p)
        )(concreteHost(c, schedulerPre), concretePacket(p2a)),
      spec: () => spec.schedulerNext(rc, schedulerPre, { packet: p2a }),
    },
  ],
  [
    'host step: a whole round (10 slots)',
    {
      impl: () =>
        ((h, p) => () => {
          for (let k = 0; k < 10; k++) hostStep(h, 5, k === 0 ? p : null);
        })(concreteHost(c, schedulerPre), concretePacket(p2a)),
      spec: () => {
        let s = schedulerPre;
        for (const input of roundInputs) s = spec.schedulerNext(rc, s, input)[0]!.state;
        return s;
      },
    },
  ],
];

function nsPerCall(run: (n: number) => number, n: number): number {
  return run(n) / n;
}

/** A full collection before each timed loop (the script runs with --expose-gc), so that the garbage of the preparation is not charged to the calls. */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

function timeImpl(k: Case, n: number): number {
  const calls = Array.from({ length: n }, () => k.impl());
  collect();
  const t0 = process.hrtime.bigint();
  for (const f of calls) f();
  return Number(process.hrtime.bigint() - t0);
}

function timeSpec(k: Case, n: number): number {
  collect();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) k.spec();
  return Number(process.hrtime.bigint() - t0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(k: Case): { impl: number; spec: number } {
  // Calibrate: about 50 ms of the slower side per repeat, at least 50 calls, at most 20,000 (prepared states take memory).
  const probe = Math.max(
    nsPerCall((n) => timeImpl(k, n), 50),
    nsPerCall((n) => timeSpec(k, n), 50),
  );
  const n = Math.max(50, Math.min(20_000, Math.round(50e6 / probe)));
  const impl: number[] = [];
  const specs: number[] = [];
  for (let r = 0; r < 7; r++) {
    impl.push(nsPerCall((m) => timeImpl(k, m), n));
    specs.push(nsPerCall((m) => timeSpec(k, m), n));
  }
  return { impl: median(impl), spec: median(specs) };
}

function fmt(ns: number): string {
  return ns >= 10_000 ? `${(ns / 1000).toFixed(1)} us` : `${ns.toFixed(0)} ns`;
}

// Sanity: the implementation's packets on the benchmark input are the spec's (so both do the same work).
const check2a = T.cAcceptorProcess2a(c, concreteAcceptor(acceptor), concretePacket(p2a) as CPacket<never>).map(abstractPacket);
if (!List(check2a).equals(spec.acceptorProcess2a(rc, acceptor, p2a).sent))
  throw new Error('bench input: implementation and spec disagree on Process2a');

const [l1, l5] = loadavg();
console.log(`bench:impl — ns per call, median of 7 (load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)}, node ${process.version})`);
console.log('| # | function | impl | spec | spec / impl |');
console.log('|---|---|---|---|---|');
seedFunctionNames.forEach((name, i) => {
  const k = cases[name]!;
  const m = measure(k);
  console.log(`| ${i + 1} | ${referenceName(name)} | ${fmt(m.impl)} | ${fmt(m.spec)} | ${(m.spec / m.impl).toFixed(1)}x |`);
});
for (const [label, k] of hostCases) {
  const m = measure(k);
  console.log(`| | ${label} | ${fmt(m.impl)} | ${fmt(m.spec)} | ${(m.spec / m.impl).toFixed(1)}x |`);
}
