/**
 * Purity: for a batch of seeded random reachable states, every replica action (all ten slots with
 * every input the system model can give them, which between them call every component function),
 * the scheduler step, and the system successor function leave their inputs `Immutable.is`-equal
 * to a deep copy taken before the call.
 */
import { is, List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { replicaNextAction, replicaNumActions, schedulerNext, slotReadsClock, type SlotInput } from '../../spec/replica.js';
import {
  applySystemStep,
  clockDomain,
  receivablePackets,
  replicaConstantsOf,
  systemSuccessors,
  type RslSystem,
  type SystemConfig,
} from '../../spec/system.js';
import { deepCopy, makeSystemConfig, sampleReachableStates } from './systemFixtures.js';

/** Every input slot `slot` of replica `i` can be given in `sys`. */
function inputsOf(cfg: SystemConfig, sys: RslSystem, i: number, slot: number): SlotInput[] {
  const clocks = clockDomain(cfg, sys, i);
  if (slot === 0) {
    return [
      {},
      ...receivablePackets(cfg, sys, i).flatMap((packet) =>
        slotReadsClock(0, packet) ? clocks.map((clock) => ({ packet, clock })) : [{ packet }],
      ),
    ];
  }
  return slotReadsClock(slot) ? clocks.map((clock) => ({ clock })) : [{}];
}

/** Runs `f` and asserts that `input` is `Immutable.is`-equal afterwards to a copy taken before. */
function expectUnchanged<T>(input: T, f: () => unknown): void {
  const before = deepCopy(input);
  f();
  expect(is(input, before)).toBe(true);
}

const configs: [string, SystemConfig][] = [
  ['any', makeSystemConfig()],
  ['round-robin', makeSystemConfig({ scheduler: 'round-robin', monotoneClocks: false })],
];

describe('purity', () => {
  it('the check itself detects an input mutated in place', () => {
    const list = List([1, 2, 3]);
    const before = deepCopy(list);
    (list as unknown as { _tail: { array: number[] } })._tail.array[0] = 99;
    expect(is(list, before)).toBe(false);
  });

  for (const [name, cfg] of configs) {
    it(`${name}: every action leaves its inputs unchanged`, () => {
      const states = sampleReachableStates(cfg, [11, 12, 13, 14], 150, 6);
      expect(states.length).toBeGreaterThan(20);
      const cfgJson = JSON.stringify(cfg);
      for (const sys of states) {
        replicaConstantsOf(cfg).forEach((rc, i) => {
          const sched = sys.replicas.get(i)!;
          for (let slot = 0; slot < replicaNumActions; slot++) {
            for (const input of inputsOf(cfg, sys, i, slot)) {
              expectUnchanged([sched, input.packet], () => {
                replicaNextAction(rc, sched.replica, slot, input);
                schedulerNext(rc, sched.set('nextActionIndex', slot), input);
              });
            }
          }
        });
        expectUnchanged(sys, () => {
          for (const x of systemSuccessors(cfg, sys)) applySystemStep(cfg, sys, x.step);
        });
      }
      expect(JSON.stringify(cfg)).toBe(cfgJson);
    });
  }
});
