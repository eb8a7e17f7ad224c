/**
 * Counterexample rendering (issue 3 point 5): numbered steps naming the host and scheduler action,
 * the packet received, the packets sent, and only the state fields that changed.
 */
import { List, Map, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { fingerprintHex } from '../../checker/index.js';
import { parseModelConfig } from '../../cli/config.js';
import { diffStates, formatValue, renderTrace, renderViolation } from '../../cli/render.js';
import { systemConfigOf } from '../../cli/rslModel.js';
import {
  appIncrementRequest,
  applySystemStep,
  ballot,
  formatPacket,
  learnerTuple,
  message1a,
  message1b,
  message2a,
  packet,
  request,
  systemInit,
  vote,
  type RslSystem,
  type SchedulerState,
  type SystemConfig,
  type SystemStep,
} from '../../spec/index.js';
import { deepCopy } from '../spec/systemFixtures.js';

const cfg = parseModelConfig(
  {
    name: 'render-test',
    replicas: 3,
    ballots: 2,
    opns: 1,
    clients: 2,
    requests: 1,
    clock: 1,
    batchSize: 1,
    params: { maxLogLength: 2, baselineViewTimeoutPeriod: 1, heartbeatPeriod: 1, maxBatchDelay: 0 },
  },
  'render test',
);
const system: SystemConfig = systemConfigOf(cfg);
const init = systemInit(system);
const c0req = request('c0', 0, appIncrementRequest());

/** `s` with replica `i`'s scheduler state replaced by `f` of it. */
function onReplica(s: RslSystem, i: number, f: (sch: SchedulerState) => SchedulerState): RslSystem {
  return s.set('replicas', s.replicas.set(i, f(s.replicas.get(i)!)));
}

/** Takes `steps` from `init`, each of which must be enabled; returns the states visited. */
function run(steps: readonly SystemStep[]): RslSystem[] {
  const states = [init];
  for (const step of steps) {
    const next = applySystemStep(system, states[states.length - 1]!, step);
    if (next === undefined) throw new Error(`step ${JSON.stringify(step)} is not enabled`);
    states.push(next.state);
  }
  return states;
}

const oneA = packet('r1', 'r0', message1a(ballot(1, 0)));
const phase1: SystemStep[] = [
  { kind: 'replica', replica: 0, action: 1, choice: 0 },
  { kind: 'replica', replica: 1, action: 0, packet: oneA, choice: 0 },
];

describe('diffStates', () => {
  it('finds nothing between a state and a structurally equal copy', () => {
    expect(diffStates(init, init)).toEqual([]);
    const [, , s2] = run(phase1);
    expect(diffStates(s2!, deepCopy(s2!))).toEqual([]);
  });

  it('shows a changed scalar field as a short path with old -> new', () => {
    const b = onReplica(init, 1, (sch) => sch.setIn(['replica', 'acceptor', 'maxBal'], ballot(1, 1)));
    expect(diffStates(init, b)).toEqual(['r1.acceptor.maxBal: (0,0) -> (1,1)']);
    expect(diffStates(b, init)).toEqual(['r1.acceptor.maxBal: (1,1) -> (0,0)']);
  });

  it('shows new packets as sent lines, before the fields', () => {
    const p = packet('r0', 'r1', message1b(ballot(1, 0), 0, Map()));
    const b = init.set('sentPackets', init.sentPackets.add(p)).set('clients', init.clients.setIn([0, 'nextSeqno'], 1));
    expect(diffStates(init, b)).toEqual([`sent: ${formatPacket(p)}`, 'c0.nextSeqno: 0 -> 1']);
    expect(diffStates(init, b)[0]).toBe('sent: r1->r0 1b bal=(1,0) ltp=0 votes={}');
  });

  it('shows set members added and removed, ballots and packets via spec/format', () => {
    const p = packet('r0', 'r1', message1b(ballot(1, 0), 0, Map()));
    const withPacket = onReplica(init, 0, (sch) => sch.setIn(['replica', 'proposer', 'received1bPackets'], Set([p])));
    expect(diffStates(init, withPacket)).toEqual(['r0.proposer.received1bPackets: + r1->r0 1b bal=(1,0) ltp=0 votes={}']);
    expect(diffStates(withPacket, init)).toEqual(['r0.proposer.received1bPackets: - r1->r0 1b bal=(1,0) ltp=0 votes={}']);
  });

  it('shows map entries added, removed and changed, and recurses into learner tuples', () => {
    const votes = (v: ReturnType<typeof vote>) => onReplica(init, 2, (sch) => sch.setIn(['replica', 'acceptor', 'votes'], Map([[0, v]])));
    const v10 = votes(vote(ballot(1, 0), List([c0req])));
    const v11 = votes(vote(ballot(1, 1), List([c0req])));
    expect(diffStates(init, v10)).toEqual(['r2.acceptor.votes: + 0: (1,0)[c0#0]']);
    expect(diffStates(v10, v11)).toEqual(['r2.acceptor.votes[0]: (1,0)[c0#0] -> (1,1)[c0#0]']);
    expect(diffStates(v11, init)).toEqual(['r2.acceptor.votes: - 0: (1,1)[c0#0]']);

    const tuple = (senders: string[]) =>
      onReplica(init, 0, (sch) =>
        sch.setIn(['replica', 'learner', 'unexecutedLearnerState'], Map([[0, learnerTuple(Set(senders), List([c0req]))]])),
      );
    expect(diffStates(init, tuple(['r0']))).toEqual(['r0.learner.unexecutedLearnerState: + 0: senders={r0} val=[c0#0]']);
    expect(diffStates(tuple(['r0']), tuple(['r0', 'r2']))).toEqual(['r0.learner.unexecutedLearnerState[0].received2bMessageSenders: + r2']);
  });

  it('shows clock readings and the ghost history of executed batches per replica', () => {
    const b = init.set('clocks', init.clocks.set(2, 1)).set('executedBatches', init.executedBatches.set(1, Map([[0, List([c0req])]])));
    expect(diffStates(init, b)).toEqual(['r1.executedBatches: + 0: [c0#0]', 'r2.clock: 0 -> 1']);
  });

  it('names hosts from the system configuration, and r<i>/c<i> without one', () => {
    const named: SystemConfig = {
      ...system,
      constants: { ...system.constants, config: { replicaIds: List(['alpha', 'beta', 'gamma']) } },
      clientIds: List(['x', 'y']),
    };
    const b = onReplica(init, 1, (sch) => sch.setIn(['replica', 'acceptor', 'maxBal'], ballot(1, 1))).set(
      'clients',
      init.clients.setIn([1, 'nextSeqno'], 1),
    );
    expect(diffStates(init, b, named)).toEqual(['beta.acceptor.maxBal: (0,0) -> (1,1)', 'y.nextSeqno: 0 -> 1']);
    expect(diffStates(init, b)).toEqual(['r1.acceptor.maxBal: (0,0) -> (1,1)', 'c1.nextSeqno: 0 -> 1']);
  });
});

describe('formatValue', () => {
  it('writes ballots, batches, packets and collections briefly and in a stable order', () => {
    expect(formatValue(ballot(2, 1))).toBe('(2,1)');
    expect(formatValue(List([c0req, request('c1', 0, appIncrementRequest())]))).toBe('[c0#0,c1#0]');
    expect(formatValue(packet('r1', 'r0', message2a(ballot(1, 0), 0, List([c0req]))))).toBe('r0->r1 2a bal=(1,0) opn=0 val=[c0#0]');
    expect(formatValue(Set(['r2', 'r0']))).toBe(formatValue(Set(['r0', 'r2'])));
    expect(formatValue(Set(['r2', 'r0']))).toBe('{r0,r2}');
    expect(
      formatValue(
        Map([
          [10, 'b'],
          [2, 'a'],
        ]),
      ),
    ).toBe('{2:a,10:b}');
  });
});

describe('renderTrace', () => {
  it('numbers the steps, names host, action and packet received, then packets sent and changed fields', () => {
    const states = run(phase1);
    const text = renderTrace(system, states, phase1);
    expect(text.split('\n')).toEqual([
      '  0. initial state',
      '  1. r0 MaybeEnterNewViewAndSend1a',
      '     sent: r0->r0 1a bal=(1,0)',
      '     sent: r0->r1 1a bal=(1,0)',
      '     sent: r0->r2 1a bal=(1,0)',
      ...diffStates(states[0]!, states[1]!)
        .filter((l) => !l.startsWith('sent:'))
        .map((l) => `     ${l}`),
      '  2. r1 ProcessPacket  received r0->r1 1a bal=(1,0)',
      '     sent: r1->r0 1b bal=(1,0) ltp=0 votes={}',
      '     r1.acceptor.maxBal: (0,0) -> (1,0)',
      '',
    ]);
    expect(text).toContain('     r0.proposer.maxBallotISent1a: (0,0) -> (1,0)');
  });

  it('writes client steps and clock readings, and keeps continuation lines aligned past nine steps', () => {
    const steps: SystemStep[] = [
      { kind: 'client', client: 0, seqno: 0, dst: 0 },
      ...Array.from({ length: 10 }, (): SystemStep => ({ kind: 'client', client: 0, seqno: 0, dst: 1 })),
    ];
    // Retransmissions to r1 change nothing after the first, so build the states by hand.
    const states = [init, applySystemStep(system, init, steps[0]!)!.state];
    const second = applySystemStep(system, states[1]!, steps[1]!)!.state;
    while (states.length < steps.length + 1) states.push(second);
    const lines = renderTrace(system, states, steps).split('\n');
    expect(lines[0]).toBe('   0. initial state');
    expect(lines[1]).toBe('   1. c0 SendRequest  seqno=0 to r0');
    expect(lines[2]).toBe('      sent: c0->r0 Request seqno=0 val=inc');
    expect(lines[3]).toBe('      c0.nextSeqno: 0 -> 1');
    expect(lines).toContain('  11. c0 SendRequest  seqno=0 to r1');
    const clocked: SystemStep = { kind: 'replica', replica: 2, action: 7, clock: 1, choice: 0 };
    const after = applySystemStep(system, init, clocked);
    expect(after).toBeDefined();
    const clockLines = renderTrace(system, [init, after!.state], [clocked]).split('\n');
    expect(clockLines[1]).toBe('  1. r2 CheckForViewTimeout  t=1');
    expect(clockLines).toContain('     r2.clock: 0 -> 1');
  });

  it('writes a timeout receive as such', () => {
    const timeout: SystemStep = { kind: 'replica', replica: 0, action: 0, choice: 0 };
    expect(renderTrace(system, [init, init], [timeout]).split('\n')[1]).toBe('  1. r0 ProcessPacket  timeout');
  });
});

describe('renderViolation', () => {
  it('states the property, kind and number of steps, the explanation, then the trace', () => {
    const states = run(phase1);
    const trace = { states, actions: phase1, fingerprints: states.map(() => fingerprintHex(0, 0)) };
    const text = renderViolation(system, {
      kind: 'invariant',
      property: 'lemma_X',
      explanation: 'first line\nsecond line',
      depth: 3,
      trace,
    });
    expect(text).toBe(`Violated: lemma_X (invariant) after 2 steps\n  first line\n  second line\n${renderTrace(system, states, phase1)}`);
  });

  it('says when a property was never reached and there is no trace', () => {
    expect(renderViolation(system, { kind: 'witness', property: 'scenario', explanation: 'never happened', depth: 0 })).toBe(
      'Violated: scenario (witness) never reached in the explored space\n  never happened\n',
    );
  });
});
