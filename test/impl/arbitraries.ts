/**
 * fast-check generators of spec states and inputs far outside the bounded model: hundreds of
 * votes, long request queues, truncation points at the edges of the log, sequence numbers and slot
 * numbers near 2^53, integer bounds small enough to saturate, every message type, and senders and
 * ballots that are not in the configuration (malformed input a replica must ignore).
 */
import fc from 'fast-check';
import { List, Map as IMap, Set as ISet } from 'immutable';
import * as spec from '../../spec/index.js';

export const replicaIds = ['r0', 'r1', 'r2'] as const;
/** Clients, and one end point that is neither a replica nor a known client. */
const clientIds = ['c0', 'c1', 'c2', 'c3', 'x9'] as const;
const big = Number.MAX_SAFE_INTEGER;

/** Small numbers most of the time, and numbers at the top of the exact-integer range. */
export const number = (max = 40): fc.Arbitrary<number> =>
  fc.oneof({ weight: 6, arbitrary: fc.nat(max) }, { weight: 1, arbitrary: fc.constantFrom(big, big - 1, big - 2, 2 ** 52) });

/** Short lists most of the time, and now and then a long one (at least half of `max`). */
export function list<T>(x: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(x, { maxLength: Math.min(8, max) }) },
    { weight: 1, arbitrary: fc.array(x, { minLength: Math.ceil(max / 2), maxLength: max, size: 'max' }) },
  );
}

export const endPoint: fc.Arbitrary<string> = fc.constantFrom(...replicaIds, ...clientIds);
const replicaEndPoint = fc.constantFrom(...replicaIds);

export const ballot: fc.Arbitrary<spec.Ballot> = fc
  .record({ seqno: fc.oneof(fc.nat(4), fc.constantFrom(big - 1, big)), proposerId: fc.nat(3) })
  .map((b) => spec.ballot(b.seqno, b.proposerId));

export const appMessage: fc.Arbitrary<spec.AppMessage> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(spec.appIncrementRequest()) },
  { weight: 1, arbitrary: number().map(spec.appIncrementReply) },
  { weight: 1, arbitrary: fc.constant(spec.appInvalidReply()) },
);

export const request: fc.Arbitrary<spec.Request> = fc
  .record({ client: fc.constantFrom(...clientIds), seqno: number(12), op: appMessage })
  .map((r) => spec.request(r.client, r.seqno, r.op));

export const batch = (max = 40): fc.Arbitrary<spec.RequestBatch> => fc.array(request, { maxLength: max }).map((rs) => List(rs));

export const votes = (maxKeys = 500): fc.Arbitrary<spec.Votes> =>
  fc
    .oneof({ weight: 3, arbitrary: fc.constant([0, 8] as const) }, { weight: 1, arbitrary: fc.constant([maxKeys / 2, maxKeys] as const) })
    .chain(([min, n]) =>
      fc.array(fc.tuple(fc.oneof(fc.nat(1200), fc.constantFrom(big - 1, big)), ballot, batch(4)), {
        minLength: min,
        maxLength: n,
        size: 'max',
      }),
    )
    .map((es) => IMap(es.map(([opn, b, v]) => [opn, spec.vote(b, v)] as const)));

export const replyCache: fc.Arbitrary<spec.ReplyCache> = fc
  .array(fc.tuple(fc.constantFrom(...clientIds), number(12), appMessage), { maxLength: 6 })
  .map((es) => IMap(es.map(([c, q, r]) => [c, spec.reply(c, q, r)] as const)));

/** Every message type, with fields anywhere in range (and beyond what a correct replica sends). */
export const message: fc.Arbitrary<spec.RslMessage> = fc.oneof(
  fc.constant(spec.messageInvalid()),
  fc.record({ q: number(12), v: appMessage }).map((x) => spec.messageRequest(x.q, x.v)),
  ballot.map(spec.message1a),
  fc.record({ b: ballot, ltp: number(1200), v: votes(40) }).map((x) => spec.message1b(x.b, x.ltp, x.v)),
  fc.record({ b: ballot, o: number(1200), v: batch(8) }).map((x) => spec.message2a(x.b, x.o, x.v)),
  fc.record({ b: ballot, o: number(1200), v: batch(8) }).map((x) => spec.message2b(x.b, x.o, x.v)),
  fc.record({ b: ballot, s: fc.boolean(), o: number(1200) }).map((x) => spec.messageHeartbeat(x.b, x.s, x.o)),
  fc.record({ q: number(12), r: appMessage }).map((x) => spec.messageReply(x.q, x.r)),
  fc.record({ b: ballot, o: number(1200) }).map((x) => spec.messageAppStateRequest(x.b, x.o)),
  fc.record({ b: ballot, o: number(1200), a: number(), c: replyCache }).map((x) => spec.messageAppStateSupply(x.b, x.o, x.a, x.c)),
  fc.record({ b: ballot, o: number(1200) }).map((x) => spec.messageStartingPhase2(x.b, x.o)),
);

/** A packet of any type to `dst`, from a replica most of the time, else from a client or a stranger. */
export const packetTo = (dst: string): fc.Arbitrary<spec.Packet> =>
  fc
    .record({ src: fc.oneof({ weight: 3, arbitrary: replicaEndPoint }, { weight: 1, arbitrary: endPoint }), m: message })
    .map((x) => spec.packet(dst, x.src, x.m));

/** A packet carrying a message of one type. */
export function packetOf<T extends spec.MessageType>(
  dst: string,
  type: T,
): fc.Arbitrary<spec.Packet<Extract<spec.RslMessage, { readonly type: T }>>> {
  return packetTo(dst).filter((p) => p.msg.type === type) as unknown as fc.Arbitrary<
    spec.Packet<Extract<spec.RslMessage, { readonly type: T }>>
  >;
}

/** Constants of replica `myIndex` of three, with parameters from tight (integers saturate at 30) to the lab's. */
export const constants: fc.Arbitrary<spec.ReplicaConstants> = fc
  .record({
    myIndex: fc.nat(2),
    maxLogLength: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(1000)),
    baseline: fc.integer({ min: 1, max: 1000 }),
    heartbeat: fc.integer({ min: 1, max: 100 }),
    maxi: fc.constantFrom<spec.UpperBound>({ kind: 'Finite', n: big }, { kind: 'Finite', n: 30 }, { kind: 'Infinite' }),
    batchSize: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(32)),
    delay: fc.nat(30),
  })
  .map((p) =>
    spec.replicaConstants(p.myIndex, {
      config: spec.configuration(replicaIds),
      params: {
        maxLogLength: p.maxLogLength,
        baselineViewTimeoutPeriod: p.baseline,
        heartbeatPeriod: p.heartbeat,
        maxIntegerVal: p.maxi,
        maxBatchSize: p.batchSize,
        maxBatchDelay: p.delay,
      },
    }),
  );

export const acceptorState: fc.Arbitrary<spec.AcceptorState> = fc
  .record({ maxBal: ballot, votes: votes(), lco: fc.array(number(1200), { minLength: 3, maxLength: 3 }), ltp: number(1200) })
  .map((a) =>
    spec.AcceptorStateRecord({ maxBal: a.maxBal, votes: a.votes, lastCheckpointedOperation: List(a.lco), logTruncationPoint: a.ltp }),
  );

export const electionState: fc.Arbitrary<spec.ElectionState> = fc
  .record({
    view: ballot,
    suspectors: fc.subarray([0, 1, 2]),
    end: number(2000),
    length: number(2000),
    thisEpoch: list(request, 200),
    prev: list(request, 200),
  })
  .map((e) =>
    spec.ElectionStateRecord({
      currentView: e.view,
      currentViewSuspectors: ISet(e.suspectors),
      epochEndTime: e.end,
      epochLength: e.length,
      requestsReceivedThisEpoch: List(e.thisEpoch),
      requestsReceivedPrevEpochs: List(e.prev),
    }),
  );

/** A set of 1b packets to `dst` with at most one per sender (the proposer's representation invariant). */
export const oneBSet = (dst: string, bal1b?: spec.Ballot): fc.Arbitrary<ISet<spec.Packet<spec.Message1b>>> =>
  fc
    .subarray([...replicaIds])
    .chain((srcs) =>
      fc.tuple(
        ...srcs.map((src) =>
          fc
            .record({ b: bal1b === undefined ? ballot : fc.constant(bal1b), ltp: number(1200), v: votes(60) })
            .map((x) => spec.packet(dst, src, spec.message1b(x.b, x.ltp, x.v))),
        ),
      ),
    )
    .map((ps) => ISet(ps));

export const proposerState = (dst: string): fc.Arbitrary<spec.ProposerState> =>
  fc
    .record({ phase: fc.constantFrom<spec.ProposerPhase>(0, 1, 2), maxBal1a: ballot, es: electionState })
    .chain((x) =>
      fc.record({
        x: fc.constant(x),
        // Mostly a set for the ballot the proposer is collecting (as the replica's gate makes it).
        S: fc.oneof({ weight: 3, arbitrary: oneBSet(dst, x.maxBal1a) }, { weight: 1, arbitrary: oneBSet(dst) }),
        queue: list(request, 200),
        next: number(1200),
        highest: fc.array(fc.tuple(fc.constantFrom(...clientIds), number(12)), { maxLength: 5 }),
        timer: fc.option(number(60), { nil: undefined }),
        viewIsMine: fc.boolean(),
      }),
    )
    .map(({ x, S, queue, next, highest, timer, viewIsMine }) =>
      spec.ProposerStateRecord({
        currentState: x.phase,
        requestQueue: List(queue),
        maxBallotISent1a: x.maxBal1a,
        nextOperationNumberToPropose: next,
        received1bPackets: S,
        highestSeqnoRequestedByClientThisView: IMap(highest),
        incompleteBatchTimer: timer === undefined ? spec.incompleteBatchTimerOff() : spec.incompleteBatchTimerOn(timer),
        electionState: viewIsMine ? x.es.set('currentView', x.maxBal1a) : x.es,
      }),
    );

export const learnerState: fc.Arbitrary<spec.LearnerState> = fc
  .record({
    bal: ballot,
    tallies: fc.array(fc.tuple(number(1200), fc.subarray([...replicaIds, 'c0']), batch(4)), { maxLength: 50 }),
  })
  .map((l) =>
    spec.LearnerStateRecord({
      maxBallotSeen: l.bal,
      unexecutedLearnerState: IMap(l.tallies.map(([o, s, v]) => [o, spec.learnerTuple(ISet(s), v)] as const)),
    }),
  );

export const executorState: fc.Arbitrary<spec.ExecutorState> = fc
  .record({
    app: number(),
    ops: number(1200),
    mbr: ballot,
    next: fc.option(fc.tuple(batch(40), ballot), { nil: undefined }),
    cache: replyCache,
  })
  .map((e) =>
    spec.ExecutorStateRecord({
      app: e.app,
      opsComplete: e.ops,
      maxBalReflected: e.mbr,
      nextOpToExecute: e.next === undefined ? spec.outstandingOpUnknown() : spec.outstandingOpKnown(e.next[0], e.next[1]),
      replyCache: e.cache,
    }),
  );

/** A whole replica (the one of `c`), its components drawn independently. */
export const replicaState = (dst: string): fc.Arbitrary<spec.ReplicaState> =>
  fc
    .record({ hb: number(200), p: proposerState(dst), a: acceptorState, l: learnerState, e: executorState })
    .map((r) => spec.ReplicaStateRecord({ nextHeartbeatTime: r.hb, proposer: r.p, acceptor: r.a, learner: r.l, executor: r.e }));
