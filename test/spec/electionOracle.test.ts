/**
 * The two reductions of the bounded system model, checked against the faithful model on models
 * small enough to enumerate completely:
 *  - the election oracle over-approximates: the abstraction of every state the faithful model
 *    reaches is a state the oracle model reaches;
 *  - requests up front is exact: its states are the faithful states with every request added.
 */
import { describe, expect, it } from 'vitest';
import { abstractReplicaTiming, firstViews, representativeView, timerExpired } from '../../spec/electionOracle.js';
import { replicaConstants } from '../../spec/configuration.js';
import { formatStep } from '../../spec/format.js';
import {
  ClientStateRecord,
  applySystemStep,
  canonicalKey,
  replicaConstantsOf,
  systemInit,
  systemSuccessors,
  type RslSystem,
  type SystemConfig,
} from '../../spec/system.js';
import { messageRequest, packet } from '../../spec/message.js';
import { appIncrementRequest, ballot } from '../../spec/types.js';
import { abstractSystem, closure, cut, type Bounds, tinySystem } from './boundedClosure.js';
import { makeConstants, sampleReachableStates } from './systemFixtures.js';

/** Every state reachable within the bounds, by canonical key (cut states included, not expanded). */
function reachable(cfg: SystemConfig, b: Bounds): Map<string, RslSystem> {
  return closure(
    systemInit(cfg),
    (s) => systemSuccessors(cfg, s).map((x) => x.state),
    (s) => cut(cfg, b, s),
  );
}

/** `s` with every request of every client sent. */
function withAllRequests(cfg: SystemConfig, s: RslSystem): RslSystem {
  let sent = s.sentPackets;
  cfg.clientIds.forEach((client) => {
    for (let seqno = 0; seqno < cfg.requestsPerClient; seqno++) {
      for (const dst of cfg.constants.config.replicaIds) sent = sent.add(packet(dst, client, messageRequest(seqno, appIncrementRequest())));
    }
  });
  return s.merge({
    sentPackets: sent,
    clients: s.clients.map(() => ClientStateRecord({ nextSeqno: cfg.requestsPerClient })),
  });
}

const oracleOf = (cfg: SystemConfig, b: Bounds): SystemConfig => ({ ...cfg, electionOracle: { views: b.views } });

describe('the election oracle over-approximates the faithful election', () => {
  const cases: Array<[string, SystemConfig, Bounds]> = [
    ['1 replica, 2 views, 1 slot, 1 client x 1', tinySystem(1, 1, 1), { views: 2, opns: 1 }],
    [
      '1 replica, 2 views, 1 slot, 1 client x 2, batches of 2 with a batch timer',
      tinySystem(1, 1, 2, { params: { maxBatchSize: 2, maxBatchDelay: 1 } }),
      { views: 2, opns: 1 },
    ],
  ];
  // Three replicas, where views are canonicalized: about five minutes, so only in `npm run test:long`.
  if (process.env.RSL_LONG_TESTS === '1')
    cases.push(['3 replicas, 3 views, 1 slot, no client', tinySystem(3, 0, 0), { views: 3, opns: 1 }]);
  it.each(cases)('%s: every faithful state, abstracted, is an oracle state', { timeout: 900_000 }, (_name, cfg, b) => {
    const faithful = reachable(cfg, b);
    const oracle = reachable(oracleOf(cfg, b), b);
    const missing = [...faithful.values()].filter((s) => !cut(cfg, b, s) && !oracle.has(canonicalKey(abstractSystem(cfg, s))));
    expect(missing.length).toBe(0);
    // Forgetting the timing makes one replica's model much smaller even though views change more
    // freely; with three replicas and no client the free view changes weigh more (178,920 oracle
    // states against 76,895 faithful ones).
    if (cfg.constants.config.replicaIds.size === 1) expect(oracle.size).toBeLessThan(faithful.size);
  });

  it('oracle states are abstract: no heartbeat, no clock, one waiting list, an armed timer reads expired', () => {
    const cfg = oracleOf(tinySystem(1, 1, 2, { params: { maxBatchSize: 2, maxBatchDelay: 1 } }), { views: 2, opns: 1 });
    const states = [...reachable(cfg, { views: 2, opns: 1 }).values()];
    expect(states.some((s) => s.replicas.some((sch) => sch.replica.proposer.incompleteBatchTimer.type === 'On'))).toBe(true);
    for (const s of states) {
      expect(s.sentPackets.some((p) => p.msg.type === 'Heartbeat')).toBe(false);
      expect(s.clocks.every((t) => t === 0)).toBe(true);
      for (const sch of s.replicas) {
        const pr = sch.replica.proposer;
        expect(pr.electionState.requestsReceivedThisEpoch.size).toBe(0);
        expect(pr.electionState.currentViewSuspectors.size).toBe(0);
        if (pr.incompleteBatchTimer.type === 'On') expect(pr.incompleteBatchTimer.when).toBe(timerExpired);
      }
    }
  });

  it('offers one later view per representative within the bound, and checkpoints up to what the sender executed', () => {
    const cfg = oracleOf(tinySystem(3, 1, 1), { views: 3, opns: 1 });
    const steps = systemSuccessors(cfg, systemInit(cfg)).map((x) => formatStep(cfg, x.step));
    const views = steps.filter((t) => t.includes('ViewChange')).sort();
    // r0 leaves its view (to (1,1); (1,2) is the same for it), r1 may enter its view or pass it,
    // r2 may only enter its own: (1,1) is, for r2, the same as where it is.
    expect(views).toEqual(['r0.ViewChange to (1,1)', 'r1.ViewChange to (1,1)', 'r1.ViewChange to (1,2)', 'r2.ViewChange to (1,2)']);
    // Nobody has executed anything, so there is no checkpoint to learn, and no timer slot runs.
    expect(steps.filter((t) => t.includes('LearnCheckpoint') || /CheckFor|Heartbeat/.test(t))).toEqual([]);
  });

  it('keeps a view the replica leads and maps every other view to the first after its latest own view', () => {
    const config = makeConstants(['r0', 'r1', 'r2']).config;
    const rep = (me: number, seqno: number, id: number): string => {
      const v = representativeView(config, me, ballot(seqno, id));
      return `(${v.seqno},${v.proposerId})`;
    };
    expect([rep(0, 1, 0), rep(0, 1, 1), rep(0, 1, 2), rep(0, 2, 0), rep(0, 2, 2)]).toEqual(['(1,0)', '(1,1)', '(1,1)', '(2,0)', '(2,1)']);
    expect([rep(1, 1, 0), rep(1, 1, 1), rep(1, 1, 2), rep(1, 2, 0), rep(1, 2, 1)]).toEqual(['(1,0)', '(1,1)', '(1,2)', '(1,2)', '(2,1)']);
    expect([rep(2, 1, 0), rep(2, 1, 1), rep(2, 1, 2), rep(2, 2, 0), rep(2, 2, 1)]).toEqual(['(1,0)', '(1,0)', '(1,2)', '(2,0)', '(2,0)']);
  });

  it('views with the same representative are interchangeable: the same successors, on sampled three-replica states', () => {
    const b = { views: 4, opns: 1 };
    const cfg = oracleOf({ ...tinySystem(3, 2, 1), requestsUpFront: true }, b);
    const views = firstViews(cfg.constants.config, b.views);
    // Successors as abstract states; a step that only canonicalizes the view is not a move.
    const successorKeys = (s: RslSystem): string[] => {
      const self = canonicalKey(abstractSystem(cfg, s));
      const keys = systemSuccessors(cfg, s).map((x) => canonicalKey(abstractSystem(cfg, x.state)));
      return [...new Set(keys)].filter((k) => k !== self).sort();
    };
    let compared = 0;
    for (const s of sampleReachableStates(cfg, [1, 2, 3, 4, 5, 6], 60, 6)) {
      s.replicas.forEach((sch, i) => {
        const current = sch.replica.proposer.electionState.currentView;
        for (const v of views) {
          if (v.equals(current) || !representativeView(cfg.constants.config, i, v).equals(current)) continue;
          // The same state, except that replica i sits in another view it does not lead.
          const other = s.setIn(['replicas', i, 'replica', 'proposer', 'electionState', 'currentView'], v);
          expect(abstractReplicaTiming(replicaConstantsOf(cfg)[i]!, other.replicas.get(i)!.replica).equals(sch.replica)).toBe(true);
          expect(successorKeys(other)).toEqual(successorKeys(s));
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('replays its own steps and refuses a view that is not later', () => {
    const cfg = oracleOf(tinySystem(3, 1, 1), { views: 3, opns: 1 });
    const init = systemInit(cfg);
    const toR1 = systemSuccessors(cfg, init).find((x) => formatStep(cfg, x.step) === 'r0.ViewChange to (1,1)')!;
    expect(applySystemStep(cfg, init, toR1.step)?.state.equals(toR1.state)).toBe(true);
    expect(toR1.state.replicas.get(0)!.replica.proposer.electionState.currentView.proposerId).toBe(1);
    expect(applySystemStep(cfg, toR1.state, toR1.step)).toBeUndefined();
  });

  it('is rejected with the round-robin scheduler', () => {
    expect(() => systemInit({ ...oracleOf(tinySystem(1, 1, 1), { views: 2, opns: 1 }), scheduler: 'round-robin' })).toThrow(/any/);
  });
});

describe('requests up front is exact', () => {
  it.each([
    ['1 replica, 1 client x 1', tinySystem(1, 1, 1), { views: 2, opns: 1 }],
    ['1 replica, 2 clients x 1, oracle', oracleOf(tinySystem(1, 2, 1), { views: 2, opns: 1 }), { views: 2, opns: 1 }],
  ] as Array<[string, SystemConfig, Bounds]>)('%s: its states are the faithful states with every request sent', (_name, cfg, b) => {
    const faithful = reachable(cfg, b);
    const upFront = reachable({ ...cfg, requestsUpFront: true }, b);
    const completed = new Set([...faithful.values()].map((s) => canonicalKey(withAllRequests(cfg, s))));
    expect(new Set(upFront.keys())).toEqual(completed);
    // Clients take no steps: no successor of any state is a client's.
    for (const s of upFront.values())
      expect(systemSuccessors({ ...cfg, requestsUpFront: true }, s).some((x) => x.step.kind === 'client')).toBe(false);
  });

  it('with requestTargets "one", client i sends only to replica i mod n, up front or not', () => {
    const cfg: SystemConfig = { ...tinySystem(3, 2, 2), requestTargets: 'one' };
    const dsts = (packets: Iterable<{ src: string; dst: string }>): string[] => [...packets].map((p) => `${p.src}->${p.dst}`).sort();
    expect(dsts(systemInit({ ...cfg, requestsUpFront: true }).sentPackets)).toEqual(['c0->r0', 'c0->r0', 'c1->r1', 'c1->r1']);
    const first = systemSuccessors(cfg, systemInit(cfg)).filter((x) => x.step.kind === 'client');
    expect(dsts(first.flatMap((x) => [...x.state.sentPackets]))).toEqual(['c0->r0', 'c1->r1']);
    expect(applySystemStep(cfg, systemInit(cfg), { kind: 'client', client: 0, seqno: 0, dst: 1 })).toBeUndefined();
  });

  it('starts with every request of every client to every replica in the network', () => {
    const cfg = { ...tinySystem(3, 2, 2), requestsUpFront: true };
    const init = systemInit(cfg);
    expect(init.sentPackets.size).toBe(3 * 2 * 2);
    expect(init.clients.every((c) => c.nextSeqno === 2)).toBe(true);
    expect(replicaConstants(0, cfg.constants).myIndex).toBe(0);
  });
});
