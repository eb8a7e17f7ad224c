/**
 * Hand-built global states for the obligation tests (spec/invariants.ts). States are assembled
 * from the state Records directly, not by running actions, so each test controls exactly which
 * packets and component fields exist.
 *
 * `richState()` is a textbook two-view run on r0, r1, r2 in which every state obligation's premise
 * holds: view (1,0) chooses V0 for slot 0; view (1,1) re-proposes V0 for slot 0 (chosen again) and
 * chooses V1 for slot 1; r0 executed slots 0 and 1, r1 and r2 slot 0; r1 holds the decision for slot 1.
 */
import { List, Map, Set } from 'immutable';
import type { AcceptorState } from '../../spec/acceptor.js';
import { configuration, replicaConstants, type Constants } from '../../spec/configuration.js';
import { outstandingOpKnown, type ExecutorState } from '../../spec/executor.js';
import type { LearnerState } from '../../spec/learner.js';
import {
  message1a,
  message1b,
  message2a,
  message2b,
  messageHeartbeat,
  messageReply,
  packet,
  type Message1b,
  type Packet,
  type RslMessage,
} from '../../spec/message.js';
import type { ProposerState } from '../../spec/proposer.js';
import { replicaInit, SchedulerStateRecord } from '../../spec/replica.js';
import { ClientStateRecord, RslSystemRecord, type RslSystem } from '../../spec/system.js';
import {
  appIncrementReply,
  appIncrementRequest,
  ballot,
  learnerTuple,
  request,
  vote,
  type AppMessage,
  type Ballot,
  type EndPoint,
  type RequestBatch,
} from '../../spec/types.js';

export const R: readonly EndPoint[] = ['r0', 'r1', 'r2'];

export const constants: Constants = {
  config: configuration(R),
  params: {
    maxLogLength: 3,
    baselineViewTimeoutPeriod: 2,
    heartbeatPeriod: 1,
    maxIntegerVal: { kind: 'Finite', n: 1000 },
    maxBatchSize: 2,
    maxBatchDelay: 1,
  },
};

/** A batch of increment requests, each given as `[client, seqno]`. */
export function batch(...reqs: readonly (readonly [EndPoint, number])[]): RequestBatch {
  return List(reqs.map(([client, seqno]) => request(client, seqno, appIncrementRequest())));
}

export const b = ballot;

export const V0 = batch(['c0', 0], ['c1', 0]);
export const V1 = batch(['c1', 1]);
/** A value nobody proposed in the rich state. */
export const W = batch(['c7', 0]);

function name(k: number): EndPoint {
  const id = R[k];
  if (id === undefined) throw new RangeError(`no replica ${k}`);
  return id;
}

/** One packet per replica, in replica order, from replica `src` (LBroadcastToEveryone). */
export function broadcast(src: number, msg: RslMessage): Packet[] {
  return R.map((dst) => packet(dst, name(src), msg));
}

export function twoA(src: number, bal: Ballot, opn: number, val: RequestBatch): Packet[] {
  return broadcast(src, message2a(bal, opn, val));
}

export function twoB(src: number, bal: Ballot, opn: number, val: RequestBatch): Packet[] {
  return broadcast(src, message2b(bal, opn, val));
}

/** A 1b from `src` to the ballot's proposer, with votes given as `[opn, vote ballot, value]`. */
export function oneB(
  src: number,
  bal: Ballot,
  ltp: number,
  votes: readonly (readonly [number, Ballot, RequestBatch])[] = [],
): Packet<Message1b> {
  const vs = Map(votes.map(([opn, vb, val]) => [opn, vote(vb, val)] as const));
  return packet(name(bal.proposerId), name(src), message1b(bal, ltp, vs));
}

export function replyTo(src: number, client: EndPoint, seqno: number, response: number | AppMessage): Packet {
  const rep = typeof response === 'number' ? appIncrementReply(response) : response;
  return packet(client, name(src), messageReply(seqno, rep));
}

export interface ReplicaPatch {
  readonly acceptor?: (a: AcceptorState) => AcceptorState;
  readonly proposer?: (p: ProposerState) => ProposerState;
  readonly learner?: (l: LearnerState) => LearnerState;
  readonly executor?: (e: ExecutorState) => ExecutorState;
}

/** Applies a patch to replica k's component states. */
export function patchReplica(s: RslSystem, k: number, patch: ReplicaPatch): RslSystem {
  return s.updateIn(['replicas', k], (sched) => {
    const sch = sched as ReturnType<typeof SchedulerStateRecord>;
    let rep = sch.replica;
    if (patch.acceptor) rep = rep.set('acceptor', patch.acceptor(rep.acceptor));
    if (patch.proposer) rep = rep.set('proposer', patch.proposer(rep.proposer));
    if (patch.learner) rep = rep.set('learner', patch.learner(rep.learner));
    if (patch.executor) rep = rep.set('executor', patch.executor(rep.executor));
    return sch.set('replica', rep);
  }) as RslSystem;
}

export function withPackets(s: RslSystem, ...packets: readonly (Packet | readonly Packet[])[]): RslSystem {
  return s.set('sentPackets', s.sentPackets.union(packets.flat()));
}

export function withExecuted(s: RslSystem, k: number, slots: readonly (readonly [number, RequestBatch])[]): RslSystem {
  return s.setIn(['executedBatches', k], Map(slots)) as RslSystem;
}

/** Every replica freshly initialised, no packet sent, nothing executed. */
export function initialState(): RslSystem {
  return RslSystemRecord({
    replicas: List(R.map((_, k) => SchedulerStateRecord({ replica: replicaInit(replicaConstants(k, constants)), nextActionIndex: 0 }))),
    clocks: List(R.map(() => 0)),
    sentPackets: Set(),
    clients: List([ClientStateRecord({ nextSeqno: 1 }), ClientStateRecord({ nextSeqno: 2 })]),
    executedBatches: List(R.map(() => Map())),
  });
}

export const B10 = b(1, 0);
export const B11 = b(1, 1);

/** The packets of view (1,0): phase 1 by r0, V0 proposed for slot 0 and accepted by r0 and r1. */
export function view10Packets(): Packet[] {
  return [
    ...broadcast(0, message1a(B10)),
    oneB(0, B10, 0),
    oneB(1, B10, 0),
    oneB(2, B10, 0),
    ...twoA(0, B10, 0, V0),
    ...twoB(0, B10, 0, V0),
    ...twoB(1, B10, 0, V0),
  ];
}

export const oneB11r1 = oneB(1, B11, 0, [[0, B10, V0]]);
export const oneB11r2 = oneB(2, B11, 0);

/** The packets of view (1,1): phase 1 by r1, V0 re-proposed for slot 0, V1 for slot 1. */
export function view11Packets(): Packet[] {
  return [
    ...broadcast(1, message1a(B11)),
    oneB11r1,
    oneB11r2,
    ...twoA(1, B11, 0, V0),
    ...twoB(1, B11, 0, V0),
    ...twoB(2, B11, 0, V0),
    ...twoA(1, B11, 1, V1),
    ...twoB(1, B11, 1, V1),
    ...twoB(2, B11, 1, V1),
  ];
}

/** Execution: replies for slot 0 (from every replica) and slot 1 (from r0); a heartbeat. */
export function executionPackets(): Packet[] {
  return [
    replyTo(0, 'c0', 0, 1),
    replyTo(0, 'c1', 0, 2),
    replyTo(1, 'c0', 0, 1),
    replyTo(2, 'c1', 0, 2),
    replyTo(0, 'c1', 1, 3),
    ...broadcast(0, messageHeartbeat(B11, false, 2)),
  ];
}

export function richState(): RslSystem {
  let s = withPackets(initialState(), view10Packets(), view11Packets(), executionPackets());
  s = patchReplica(s, 0, {
    acceptor: (a) => a.merge({ maxBal: B10, votes: Map([[0, vote(B10, V0)]]) }),
    proposer: (p) =>
      p.merge({
        currentState: 0,
        maxBallotISent1a: B10,
        nextOperationNumberToPropose: 1,
        received1bPackets: Set([oneB(0, B10, 0), oneB(1, B10, 0), oneB(2, B10, 0)]),
      }),
    learner: (l) => l.merge({ maxBallotSeen: B11, unexecutedLearnerState: Map() }),
    executor: (e) => e.merge({ app: 3, opsComplete: 2 }),
  });
  s = patchReplica(s, 1, {
    acceptor: (a) =>
      a.merge({
        maxBal: B11,
        votes: Map([
          [0, vote(B11, V0)],
          [1, vote(B11, V1)],
        ]),
      }),
    proposer: (p) =>
      p.merge({
        currentState: 2,
        maxBallotISent1a: B11,
        nextOperationNumberToPropose: 2,
        received1bPackets: Set([oneB11r1, oneB11r2]),
      }),
    learner: (l) => l.merge({ maxBallotSeen: B11, unexecutedLearnerState: Map() }),
    executor: (e) => e.merge({ app: 2, opsComplete: 1, nextOpToExecute: outstandingOpKnown(V1, B11) }),
  });
  s = patchReplica(s, 2, {
    acceptor: (a) =>
      a.merge({
        maxBal: B11,
        votes: Map([
          [0, vote(B11, V0)],
          [1, vote(B11, V1)],
        ]),
      }),
    learner: (l) => l.merge({ maxBallotSeen: B11, unexecutedLearnerState: Map([[1, learnerTuple(Set(['r1', 'r2']), V1)]]) }),
    executor: (e) => e.merge({ app: 2, opsComplete: 1 }),
  });
  s = withExecuted(s, 0, [
    [0, V0],
    [1, V1],
  ]);
  s = withExecuted(s, 1, [[0, V0]]);
  return withExecuted(s, 2, [[0, V0]]);
}
