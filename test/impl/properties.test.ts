/**
 * Refinement beyond the bounded model (fast-check): each of the 21 seed functions, and the whole
 * host step, run on generated states and inputs the model checker never reaches (hundreds of votes,
 * long queues, truncation points at the edges, numbers near 2^53, saturating integer bounds, every
 * message type, senders outside the configuration), must produce an outcome the spec allows, and
 * leave a state that satisfies the representation invariants. Generators: properties.ts, arbitraries.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultImplActions, referenceName, seedFunctionNames } from '../../impl/actions.js';
import { refineReplicaAction } from '../../refinement/step.js';
import * as spec from '../../spec/index.js';
import * as arb from './arbitraries.js';
import { dstOf, refinesWith, seedFunctionProperties as properties } from './properties.js';

const runs = 150;

describe('each of the 21 seed functions refines its spec function on generated inputs', () => {
  it('has a property for every seed function and nothing else', () => {
    expect(Object.keys(properties).sort()).toEqual([...seedFunctionNames].sort());
  });
  for (const name of seedFunctionNames) {
    it(referenceName(name), () => {
      fc.assert(
        fc.property(properties[name]!, (args) => refinesWith(defaultImplActions, name, args)),
        { numRuns: runs },
      );
    });
  }
});

describe('the host step refines the spec on generated replica states and inputs', () => {
  const action = arb.constants.chain((rc) =>
    fc.record({
      rc: fc.constant(rc),
      replica: arb.replicaState(dstOf(rc)),
      slot: fc.nat(9),
      packet: fc.option(arb.packetTo(dstOf(rc)), { nil: undefined, freq: 4 }),
      clock: arb.number(3000),
      index: fc.nat(9),
      roundRobin: fc.boolean(),
    }),
  );
  it('one slot, any scheduler position, every message type', () => {
    fc.assert(
      fc.property(action, (x) => {
        const pre = spec.SchedulerStateRecord({ replica: x.replica, nextActionIndex: x.roundRobin ? x.slot : x.index });
        const input: spec.SlotInput = {
          ...(x.slot === 0 && x.packet !== undefined ? { packet: x.packet } : {}),
          ...(spec.slotReadsClock(x.slot, x.slot === 0 ? x.packet : undefined) ? { clock: x.clock } : {}),
        };
        const r = refineReplicaAction({ rc: x.rc, pre, slot: x.slot, input, roundRobin: x.roundRobin });
        expect(r.spec.length).toBeGreaterThan(0);
        expect(r.refined).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the generators reach what the model does not', () => {
  it('hundreds of votes, long queues, numbers near 2^53, every message type', () => {
    const samples = fc.sample(
      arb.constants.chain((rc) => fc.tuple(arb.replicaState(dstOf(rc)), arb.packetTo(dstOf(rc)))),
      { numRuns: 300, seed: 1 },
    );
    expect(Math.max(...samples.map(([r]) => r.acceptor.votes.size))).toBeGreaterThan(200);
    expect(Math.max(...samples.map(([r]) => r.proposer.requestQueue.size))).toBeGreaterThan(100);
    expect(samples.some(([r]) => r.proposer.requestQueue.some((q) => q.seqno > 2 ** 52))).toBe(true);
    expect(new Set(samples.map(([, p]) => p.msg.type)).size).toBe(11);
    expect(samples.some(([, p]) => !arb.replicaIds.includes(p.src as never))).toBe(true);
  });
});
