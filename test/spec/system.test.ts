import { is, List, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { formatBallot, formatPacket, formatStep } from '../../spec/format.js';
import { message1a, message2a, messageHeartbeat, messageRequest, packet, type MessageType, type Packet } from '../../spec/message.js';
import { schedulerInit } from '../../spec/replica.js';
import {
  applySystemStep,
  clockDomain,
  systemInit,
  systemSuccessors,
  type ReplicaStep,
  type RslSystem,
  type SystemConfig,
  type SystemStep,
  type SystemSuccessor,
} from '../../spec/system.js';
import { appIncrementRequest, ballot, request } from '../../spec/types.js';
import { makeConstants, makeSystemConfig, randomWalk, rc } from './systemFixtures.js';

const cfg = makeSystemConfig();
const init = systemInit(cfg);

/** Applies a step that must be enabled. */
function take(c: SystemConfig, sys: RslSystem, step: SystemStep): RslSystem {
  const succ = applySystemStep(c, sys, step);
  expect(succ, formatStep(c, step)).toBeDefined();
  return succ!.state;
}

function replicaStep(replica: number, action: number, extra: Partial<ReplicaStep> = {}): ReplicaStep {
  return { kind: 'replica', replica, action, choice: 0, ...extra };
}

/** The one sent packet matching src, dst and message type. */
function sentPacket(sys: RslSystem, src: string, dst: string, type: MessageType): Packet {
  const found = sys.sentPackets.filter((p) => p.src === src && p.dst === dst && p.msg.type === type);
  expect(found.size, `${src}->${dst} ${type}`).toBe(1);
  return found.first()!;
}

const receive = (sys: RslSystem, replica: number, p: Packet, clock?: number): RslSystem =>
  take(cfg, sys, replicaStep(replica, 0, clock === undefined ? { packet: p } : { packet: p, clock }));

/** r0 broadcast 1a(1,0); c0 sent seqno 0 to r0; c1 sent seqno 0 to r1. */
const busy = [
  replicaStep(0, 1),
  { kind: 'client', client: 0, seqno: 0, dst: 0 } as const,
  { kind: 'client', client: 1, seqno: 0, dst: 1 } as const,
].reduce((s: RslSystem, step: SystemStep) => take(cfg, s, step), init);

const replicaSuccs = (succs: SystemSuccessor[], i: number, action?: number) =>
  succs.filter(
    (x): x is SystemSuccessor & { step: ReplicaStep } =>
      x.step.kind === 'replica' && x.step.replica === i && (action === undefined || x.step.action === action),
  );

describe('systemInit (§11 RslInit)', () => {
  it('every replica at SchedulerInit, nothing sent, clocks and clients at 0, empty history', () => {
    expect(init.replicas.size).toBe(3);
    init.replicas.forEach((r, i) => expect(is(r, schedulerInit(rc(i)))).toBe(true));
    expect(init.sentPackets.size).toBe(0);
    expect(init.clocks.toArray()).toEqual([0, 0, 0]);
    expect(init.clients.map((c) => c.nextSeqno).toArray()).toEqual([0, 0]);
    expect(init.executedBatches.map((m) => m.size).toArray()).toEqual([0, 0, 0]);
  });

  it.each<[string, SystemConfig]>([
    ['duplicate replica ids', makeSystemConfig({ constants: makeConstants(['r0', 'r0']) })],
    ['ill-formed parameters', makeSystemConfig({ constants: makeConstants(undefined, { maxLogLength: 0 }) })],
    ['a client that is a replica', makeSystemConfig({ clientIds: List(['r1']) })],
    ['a negative clock bound', makeSystemConfig({ clockMax: -1 })],
  ])('rejects %s', (_why, bad) => {
    expect(() => systemInit(bad)).toThrow(RangeError);
  });
});

describe('systemSuccessors (§11, bounded system model)', () => {
  it('never lists a stuttering step; every step adds exactly its sent packets to the network (§15.11)', () => {
    for (const sys of [init, busy]) {
      for (const x of systemSuccessors(cfg, sys)) {
        expect(is(x.state, sys)).toBe(false);
        expect(is(x.state.sentPackets, sys.sentPackets.union(x.sent))).toBe(true);
      }
    }
  });

  it('slot 0 receives exactly the sent packets addressed to that replica, once each (§15.11: the Dafny environment)', () => {
    const succs = systemSuccessors(cfg, busy);
    cfg.constants.config.replicaIds.forEach((id, i) => {
      const addressed = busy.sentPackets.filter((p) => p.dst === id);
      const received = replicaSuccs(succs, i, 0).map((x) => x.step.packet);
      expect(addressed.size).toBeGreaterThan(0);
      expect(received).toHaveLength(addressed.size);
      expect(is(Set(received), addressed)).toBe(true);
    });
  });

  it('round-robin: only the slot nextActionIndex runs; a timeout is a real step because the index advances', () => {
    const rr = makeSystemConfig({ scheduler: 'round-robin' });
    const succs = systemSuccessors(rr, busy);
    cfg.constants.config.replicaIds.forEach((id, i) => {
      const mine = replicaSuccs(succs, i);
      expect(mine.every((x) => x.step.action === 0)).toBe(true);
      expect(mine).toHaveLength(busy.sentPackets.filter((p) => p.dst === id).size + 1);
      expect(mine.every((x) => x.state.replicas.get(i)?.nextActionIndex === 1)).toBe(true);
    });
  });

  it("'any': every slot may run and nextActionIndex stays 0", () => {
    const succs = systemSuccessors(cfg, busy);
    const slots = new globalThis.Set(replicaSuccs(succs, 0).map((x) => x.step.action));
    expect([...slots].sort()).toEqual([0, 3, 7, 8, 9]);
    expect(succs.every((x) => x.state.replicas.every((r) => r.nextActionIndex === 0))).toBe(true);
  });

  it('clock-reading slots take every reading of the domain; monotone clocks remember the reading', () => {
    const readings = replicaSuccs(systemSuccessors(cfg, init), 1, 9).map((x) => x.step.clock);
    expect(readings).toEqual(clockDomain(cfg, init, 1));
    expect(readings).toEqual([...Array(cfg.clockMax + 1).keys()]);
    const after = take(cfg, init, replicaStep(1, 9, { clock: 2 }));
    expect(after.clocks.toArray()).toEqual([0, 2, 0]);
    expect(clockDomain(cfg, after, 1)).toEqual([2, 3]);
    expect(replicaSuccs(systemSuccessors(cfg, after), 1).every((x) => x.step.clock === undefined || x.step.clock >= 2)).toBe(true);
  });

  it('free clocks: the whole domain every time, and the clocks are not recorded', () => {
    const free = makeSystemConfig({ monotoneClocks: false });
    const after = take(free, init, replicaStep(1, 9, { clock: 2 }));
    expect(after.clocks.toArray()).toEqual([0, 0, 0]);
    expect(clockDomain(free, after, 1)).toEqual([0, 1, 2, 3]);
  });

  it('a received Heartbeat reads the clock: one step per reading; other packets read none', () => {
    const hb = packet('r0', 'r1', messageHeartbeat(ballot(1, 1), true, 0));
    const sys = busy.set('sentPackets', busy.sentPackets.add(hb));
    const r0 = replicaSuccs(systemSuccessors(cfg, sys), 0, 0);
    expect(r0.filter((x) => is(x.step.packet, hb)).map((x) => x.step.clock)).toEqual(clockDomain(cfg, sys, 0));
    expect(r0.filter((x) => !is(x.step.packet, hb)).every((x) => x.step.clock === undefined)).toBe(true);
  });

  it('the order does not depend on how the set of sent packets was built', () => {
    // Small sets iterate in insertion order, so a reversed rebuild really changes the iteration order.
    const rebuilt = busy.set('sentPackets', Set(busy.sentPackets.toArray().reverse()));
    expect(is(rebuilt, busy)).toBe(true);
    expect(rebuilt.sentPackets.toArray()).not.toEqual(busy.sentPackets.toArray());
    const a = systemSuccessors(cfg, busy);
    const b = systemSuccessors(cfg, rebuilt);
    expect(b.map((x) => formatStep(cfg, x.step))).toEqual(a.map((x) => formatStep(cfg, x.step)));
    b.forEach((x, k) => expect(is(x.state, a[k]!.state)).toBe(true));
  });

  describe('client steps', () => {
    const clientSteps = (c: SystemConfig, sys: RslSystem) =>
      systemSuccessors(c, sys)
        .filter((x) => x.step.kind === 'client')
        .map((x) => x.step);

    it('a new request (seqno = nextSeqno) to any replica, which advances nextSeqno', () => {
      const steps = clientSteps(cfg, init);
      expect(steps).toEqual([0, 1].flatMap((client) => [0, 1, 2].map((dst) => ({ kind: 'client', client, seqno: 0, dst }))));
      const after = take(cfg, init, { kind: 'client', client: 1, seqno: 0, dst: 2 });
      expect(after.clients.map((c) => c.nextSeqno).toArray()).toEqual([0, 1]);
      expect(after.sentPackets.has(packet('r2', 'c1', messageRequest(0, appIncrementRequest())))).toBe(true);
    });

    it('at the bound no new request; the latest one may be re-sent to the replicas that have not got it', () => {
      const one = makeSystemConfig({ requestsPerClient: 1, clientIds: List(['c0']) });
      const sent = take(one, systemInit(one), { kind: 'client', client: 0, seqno: 0, dst: 0 });
      expect(clientSteps(one, sent)).toEqual([
        { kind: 'client', client: 0, seqno: 0, dst: 1 },
        { kind: 'client', client: 0, seqno: 0, dst: 2 },
      ]);
      const resent = take(one, sent, { kind: 'client', client: 0, seqno: 0, dst: 1 });
      expect(resent.clients.get(0)?.nextSeqno).toBe(1);
      expect(resent.sentPackets.size).toBe(2);
    });

    it('only the latest request is re-sent, never an older one', () => {
      const two = [0, 1].reduce((s: RslSystem, seqno) => take(cfg, s, { kind: 'client', client: 0, seqno, dst: 0 }), init);
      expect(clientSteps(cfg, two).filter((st) => st.kind === 'client' && st.client === 0)).toEqual([
        { kind: 'client', client: 0, seqno: 1, dst: 1 },
        { kind: 'client', client: 0, seqno: 1, dst: 2 },
      ]);
      expect(applySystemStep(cfg, two, { kind: 'client', client: 0, seqno: 0, dst: 1 })).toBeUndefined();
    });
  });
});

describe('applySystemStep', () => {
  it('replays every listed successor to the same state and the same sent packets', () => {
    const states: RslSystem[] = [init, busy];
    randomWalk(makeSystemConfig({ scheduler: 'round-robin' }), 3, 40, ({ taken }) => void states.push(taken.state));
    for (const c of [cfg, makeSystemConfig({ scheduler: 'round-robin' })]) {
      for (const sys of states) {
        for (const x of systemSuccessors(c, sys)) {
          const y = applySystemStep(c, sys, x.step);
          expect(y && is(y.state, x.state) && y.sent.equals(x.sent), formatStep(c, x.step)).toBe(true);
        }
      }
    }
  });

  const oneA = sentPacket(busy, 'r0', 'r1', '1a');
  it.each<[string, SystemConfig, SystemStep]>([
    ['a slot other than nextActionIndex under round-robin', makeSystemConfig({ scheduler: 'round-robin' }), replicaStep(0, 1)],
    ['a packet never sent', cfg, replicaStep(1, 0, { packet: packet('r1', 'r0', message1a(ballot(2, 0))) })],
    ['a packet addressed to another replica', cfg, replicaStep(2, 0, { packet: oneA })],
    ['a packet given to a slot other than 0', cfg, replicaStep(1, 1, { packet: oneA })],
    ['a clock reading above clockMax', cfg, replicaStep(1, 9, { clock: cfg.clockMax + 1 })],
    ['a missing clock reading', cfg, replicaStep(1, 9)],
    ['a clock reading for a slot that reads none', cfg, replicaStep(1, 0, { packet: oneA, clock: 0 })],
    ['a choice out of range', cfg, replicaStep(1, 0, { packet: oneA, choice: 1 })],
    ['a stuttering step (timeout)', cfg, replicaStep(1, 0)],
    ['a replica that does not exist', cfg, replicaStep(3, 1)],
    ['a client request beyond nextSeqno', cfg, { kind: 'client', client: 0, seqno: 2, dst: 0 }],
    ['a client that does not exist', cfg, { kind: 'client', client: 2, seqno: 0, dst: 0 }],
  ])('undefined for %s', (_why, c, step) => {
    expect(applySystemStep(c, busy, step)).toBeUndefined();
  });

  it('undefined for a clock reading below the last one when clocks are monotone', () => {
    const after = take(cfg, busy, replicaStep(1, 9, { clock: 2 }));
    expect(applySystemStep(cfg, after, replicaStep(1, 7, { clock: 1 }))).toBeUndefined();
    expect(applySystemStep(cfg, after, replicaStep(1, 7, { clock: 3 }))).toBeDefined();
  });
});

describe('a whole slot, step by step (§10, §11)', () => {
  it('elects r0, proposes, decides and executes c0#0 everywhere it is learned; history records it', () => {
    let sys = busy;
    sys = receive(sys, 0, sentPacket(sys, 'r0', 'r0', '1a'));
    sys = receive(sys, 1, sentPacket(sys, 'r0', 'r1', '1a'));
    sys = receive(sys, 0, sentPacket(sys, 'r0', 'r0', '1b'));
    sys = receive(sys, 0, sentPacket(sys, 'r1', 'r0', '1b'));
    sys = take(cfg, sys, replicaStep(0, 2));
    sys = receive(sys, 0, sentPacket(sys, 'c0', 'r0', 'Request'));
    sys = take(cfg, sys, replicaStep(0, 3, { clock: 0 })); // arms the batch timer
    sys = take(cfg, sys, replicaStep(0, 3, { clock: 1 })); // the timer has expired: propose
    const p2a = sentPacket(sys, 'r0', 'r1', '2a');
    expect(is(p2a.msg, message2a(ballot(1, 0), 0, List([request('c0', 0, appIncrementRequest())])))).toBe(true);
    sys = receive(sys, 0, sentPacket(sys, 'r0', 'r0', '2a'));
    sys = receive(sys, 1, p2a);
    for (const i of [0, 1]) {
      const id = `r${i}`;
      sys = receive(sys, i, sentPacket(sys, 'r0', id, '2b'));
      sys = receive(sys, i, sentPacket(sys, 'r1', id, '2b'));
      sys = take(cfg, sys, replicaStep(i, 5));
      sys = take(cfg, sys, replicaStep(i, 6));
    }
    expect(
      sys.executedBatches
        .map((m) =>
          m
            .get(0)
            ?.map((r) => `${r.client}#${r.seqno}`)
            .toArray(),
        )
        .toArray(),
    ).toEqual([['c0#0'], ['c0#0'], undefined]);
    const replies = sys.sentPackets.filter((p) => p.msg.type === 'Reply');
    expect(
      replies
        .map((p) => formatPacket(p))
        .sort()
        .toArray(),
    ).toEqual(['r0->c0 Reply seqno=0 reply=1', 'r1->c0 Reply seqno=0 reply=1']);
  });
});

describe('format', () => {
  it('ballots, packets and steps', () => {
    expect(formatBallot(ballot(1, 0))).toBe('(1,0)');
    const p = packet('r1', 'r0', message2a(ballot(1, 0), 0, List([request('c0', 0, appIncrementRequest())])));
    expect(formatPacket(p)).toBe('r0->r1 2a bal=(1,0) opn=0 val=[c0#0]');
    expect(formatStep(cfg, replicaStep(1, 0, { packet: p }))).toBe('r1.ProcessPacket r0->r1 2a bal=(1,0) opn=0 val=[c0#0]');
    expect(formatStep(cfg, replicaStep(2, 0))).toBe('r2.ProcessPacket timeout');
    expect(formatStep(cfg, replicaStep(0, 3, { clock: 2, choice: 1 }))).toBe('r0.MaybeNominateValueAndSend2a t=2 choice=1');
    expect(formatStep(cfg, { kind: 'client', client: 1, seqno: 0, dst: 2 })).toBe('c1.SendRequest seqno=0 to r2');
  });
});
