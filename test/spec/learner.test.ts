import { List, Map, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  LearnerStateRecord,
  learnerForgetDecision,
  learnerForgetOperationsBefore,
  learnerInit,
  learnerProcess2b,
  type LearnerState,
} from '../../spec/learner.js';
import { message2b, packet } from '../../spec/message.js';
import { appIncrementRequest, ballot, learnerTuple, request, type RequestBatch } from '../../spec/types.js';
import { rc } from './systemFixtures.js';

const c = rc(1);
const vA: RequestBatch = List([request('c0', 0, appIncrementRequest())]);
const vB: RequestBatch = List([request('c1', 0, appIncrementRequest())]);

function learner(bal: [number, number], tallies: [number, string[], RequestBatch][]): LearnerState {
  return LearnerStateRecord({
    maxBallotSeen: ballot(...bal),
    unexecutedLearnerState: Map(tallies.map(([opn, senders, v]) => [opn, learnerTuple(Set(senders), v)])),
  });
}

const p2b = (src: string, bal: [number, number], opn: number, v: RequestBatch) => packet('r1', src, message2b(ballot(...bal), opn, v));

describe('learnerProcess2b (§8)', () => {
  const s = learner([1, 0], [[0, ['r0'], vA]]);

  it('init: ballot (0,0), no tallies', () => {
    const init = learnerInit(c);
    expect(init.maxBallotSeen.equals(ballot(0, 0))).toBe(true);
    expect(init.unexecutedLearnerState.size).toBe(0);
  });

  it('ignores a 2b whose sender is not a replica', () => {
    expect(learnerProcess2b(c, s, p2b('c0', [1, 0], 1, vA))).toBe(s);
  });

  it('ignores a 2b from an older ballot', () => {
    expect(learnerProcess2b(c, s, p2b('r2', [0, 2], 1, vA))).toBe(s);
  });

  it('a newer ballot discards every tally and starts one for its slot', () => {
    const t = learnerProcess2b(c, s, p2b('r2', [1, 1], 3, vB));
    expect(t.equals(learner([1, 1], [[3, ['r2'], vB]]))).toBe(true);
  });

  it('same ballot, new slot: a new tally with the sender and the value', () => {
    const t = learnerProcess2b(c, s, p2b('r2', [1, 0], 1, vB));
    expect(
      t.equals(
        learner(
          [1, 0],
          [
            [0, ['r0'], vA],
            [1, ['r2'], vB],
          ],
        ),
      ),
    ).toBe(true);
  });

  it('same ballot, known slot, known sender: no change', () => {
    expect(learnerProcess2b(c, s, p2b('r0', [1, 0], 0, vA))).toBe(s);
  });

  it('same ballot, known slot, new sender: the sender is added and the value is not compared', () => {
    const t = learnerProcess2b(c, s, p2b('r2', [1, 0], 0, vB));
    expect(t.equals(learner([1, 0], [[0, ['r0', 'r2'], vA]]))).toBe(true);
  });
});

describe('learnerForgetDecision (§8)', () => {
  const s = learner(
    [1, 0],
    [
      [0, ['r0'], vA],
      [1, ['r1'], vB],
    ],
  );
  it('removes the slot', () => {
    expect(learnerForgetDecision(c, s, 0).equals(learner([1, 0], [[1, ['r1'], vB]]))).toBe(true);
  });
  it('a slot without a tally: no change', () => {
    expect(learnerForgetDecision(c, s, 5)).toBe(s);
  });
});

describe('learnerForgetOperationsBefore (§8)', () => {
  const s = learner(
    [1, 0],
    [
      [0, ['r0'], vA],
      [1, ['r1'], vB],
      [2, ['r2'], vA],
    ],
  );
  it('keeps exactly the slots >= opsComplete', () => {
    const t = learnerForgetOperationsBefore(c, s, 1);
    expect(t.unexecutedLearnerState.keySeq().sort().toArray()).toEqual([1, 2]);
    expect(t.maxBallotSeen.equals(s.maxBallotSeen)).toBe(true);
  });
  it('nothing below opsComplete: no change', () => {
    expect(learnerForgetOperationsBefore(c, s, 0)).toBe(s);
  });
  it('everything below: all tallies dropped', () => {
    expect(learnerForgetOperationsBefore(c, s, 3).unexecutedLearnerState.size).toBe(0);
  });
});
