/** Acceptor helpers and actions against rsl-protocol.md §5 ([V] semantics). */
import { List, Map } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  acceptorInit,
  acceptorProcess1a,
  acceptorProcess2a,
  acceptorProcessHeartbeat,
  acceptorTruncateLog,
  addVoteAndRemoveOldOnes,
  AcceptorStateRecord,
  isLogTruncationPointValid,
  removeVotesBeforeLogTruncationPoint,
  type AcceptorState,
} from '../../spec/acceptor.js';
import { configuration } from '../../spec/configuration.js';
import { message1b, message2b, packet } from '../../spec/message.js';
import { vote, type Votes } from '../../spec/types.js';
import {
  C0,
  R0,
  R1,
  R2,
  bal,
  batchOf,
  expectOutcome,
  expectSame,
  packet1a,
  packet2a,
  packetHeartbeat,
  rc,
  rc0,
  rc1,
  rc2,
  replicaIds,
  req,
  testParams,
  toEveryone,
  votesOf,
} from './fixtures.js';

const vA = batchOf(req(C0, 1));
const vB = batchOf(req(C0, 2));
const vC = batchOf(req(C0, 3));
const L = testParams.maxLogLength;

function acceptor(fields: Partial<{ maxBal: ReturnType<typeof bal>; votes: Votes; lco: number[]; ltp: number }>): AcceptorState {
  return AcceptorStateRecord({
    maxBal: fields.maxBal ?? bal(0, 0),
    votes: fields.votes ?? Map(),
    lastCheckpointedOperation: List(fields.lco ?? [0, 0, 0]),
    logTruncationPoint: fields.ltp ?? 0,
  });
}

describe('acceptorInit (§5.3)', () => {
  it('starts at Bal(0,0) with no votes, truncation point 0 and one zero checkpoint per replica', () => {
    expectSame(acceptorInit(rc1), acceptor({ maxBal: bal(0, 0), votes: Map(), lco: [0, 0, 0], ltp: 0 }));
  });
});

describe('removeVotesBeforeLogTruncationPoint (§5.2)', () => {
  const votes = votesOf([1, bal(1, 0), vA], [2, bal(1, 0), vB], [3, bal(2, 0), vC]);
  it.each([
    { name: 'drops slots below ltp, keeps ltp itself', ltp: 2, expected: votesOf([2, bal(1, 0), vB], [3, bal(2, 0), vC]) },
    { name: 'ltp above every slot empties the map', ltp: 4, expected: Map() },
    { name: 'ltp at the lowest slot keeps everything', ltp: 1, expected: votes },
  ])('$name', ({ ltp, expected }) => {
    expectSame(removeVotesBeforeLogTruncationPoint(votes, ltp), expected);
  });
  it('returns the very same map when nothing is removed', () => {
    expect(removeVotesBeforeLogTruncationPoint(votes, 0)).toBe(votes);
  });
});

describe('addVoteAndRemoveOldOnes (§5.2)', () => {
  const votes = votesOf([1, bal(1, 0), vA], [2, bal(1, 0), vB]);
  it.each([
    {
      name: 'adds the new slot and drops slots below ltp',
      opn: 5,
      ltp: 2,
      expected: votesOf([2, bal(1, 0), vB], [5, bal(3, 1), vC]),
    },
    {
      name: 'overwrites an existing slot',
      opn: 2,
      ltp: 0,
      expected: votesOf([1, bal(1, 0), vA], [2, bal(3, 1), vC]),
    },
    {
      name: 'a new slot below ltp is not stored',
      opn: 1,
      ltp: 2,
      expected: votesOf([2, bal(1, 0), vB]),
    },
  ])('$name', ({ opn, ltp, expected }) => {
    expectSame(addVoteAndRemoveOldOnes(votes, opn, vote(bal(3, 1), vC), ltp), expected);
  });
});

describe('isLogTruncationPointValid (§5.2, Q-th highest, [V] strict k < |s|)', () => {
  const config3 = configuration(replicaIds);
  it.each([
    { name: 'the 2nd highest of [5,3,1] is valid', ltp: 3, lco: [5, 3, 1], expected: true },
    { name: 'the highest is not', ltp: 5, lco: [5, 3, 1], expected: false },
    { name: 'the lowest is not', ltp: 1, lco: [5, 3, 1], expected: false },
    { name: 'a value not in the sequence is not', ltp: 4, lco: [5, 3, 1], expected: false },
    { name: 'duplicates count: 2nd highest of [3,3,1] is 3', ltp: 3, lco: [3, 3, 1], expected: true },
    { name: 'order does not matter', ltp: 3, lco: [1, 5, 3], expected: true },
  ])('$name', ({ ltp, lco, expected }) => {
    expect(isLogTruncationPointValid(ltp, List(lco), config3)).toBe(expected);
  });

  it('§15.1: with n = 2 (Q = 2 = |s|) no point is valid, although Dafny would accept the minimum', () => {
    const config2 = configuration([R0, R1]);
    const lco = List([4, 4]);
    expect(isLogTruncationPointValid(4, lco, config2)).toBe(false);
    expect(isLogTruncationPointValid(0, lco, config2)).toBe(false);
  });

  it('§15.1: with n = 1 no point is valid', () => {
    expect(isLogTruncationPointValid(7, List([7]), configuration([R0]))).toBe(false);
  });
});

describe('acceptorProcess1a (§5.3)', () => {
  const votes = votesOf([2, bal(1, 0), vA]);
  const s = acceptor({ maxBal: bal(1, 1), votes, ltp: 2 });

  it.each([
    { name: 'a higher seqno', b: bal(2, 0) },
    { name: 'the same seqno, higher proposer id', b: bal(1, 2) },
  ])('promises $name and answers the sender with a 1b carrying ltp and every vote', ({ b }) => {
    const out = acceptorProcess1a(rc1, s, packet1a(R1, R2, b));
    expectOutcome(out, s.set('maxBal', b), [packet(R2, R1, message1b(b, 2, votes))]);
  });

  it.each([
    { name: 'the ballot it already promised (strict BalLt)', c: rc1, inp: packet1a(R1, R2, bal(1, 1)) },
    { name: 'a lower ballot', c: rc1, inp: packet1a(R1, R2, bal(1, 0)) },
    { name: 'a sender that is not a replica', c: rc1, inp: packet1a(R1, C0, bal(5, 0)) },
    { name: 'invalid own constants (my_index out of range)', c: rc(3), inp: packet1a(R1, R2, bal(5, 0)) },
  ])('ignores $name: same state object, nothing sent', ({ c, inp }) => {
    const out = acceptorProcess1a(c, s, inp);
    expect(out.state).toBe(s);
    expect(out.sent.size).toBe(0);
  });
});

describe('acceptorProcess2a (§5.3)', () => {
  const lco = [3, 1, 2];

  it('stores the vote, raises maxBal and broadcasts the 2b (ltp unchanged while opn - L + 1 <= ltp)', () => {
    const s = acceptor({ maxBal: bal(1, 0), votes: votesOf([0, bal(1, 0), vA]), lco, ltp: 0 });
    const out = acceptorProcess2a(rc1, s, packet2a(R1, R0, bal(2, 0), 1, vB));
    expectOutcome(
      out,
      acceptor({ maxBal: bal(2, 0), votes: votesOf([0, bal(1, 0), vA], [1, bal(2, 0), vB]), lco, ltp: 0 }),
      toEveryone(R1, message2b(bal(2, 0), 1, vB)),
    );
    expect(out.state.lastCheckpointedOperation).toBe(s.lastCheckpointedOperation);
  });

  it('accepting a far slot moves ltp to opn - L + 1 and drops older votes', () => {
    const opn = 5;
    const newLtp = opn - L + 1;
    const old = [
      [0, bal(1, 0), vA],
      [1, bal(1, 0), vB],
      [2, bal(1, 0), vC],
    ] as const;
    const s = acceptor({ votes: votesOf(...old), lco, ltp: 0 });
    const out = acceptorProcess2a(rc0, s, packet2a(R0, R0, bal(1, 0), opn, vA));
    const expectedVotes = votesOf(...old.filter(([o]) => o >= newLtp), [opn, bal(1, 0), vA]);
    expectOutcome(
      out,
      acceptor({ maxBal: bal(1, 0), votes: expectedVotes, lco, ltp: newLtp }),
      toEveryone(R0, message2b(bal(1, 0), opn, vA)),
    );
  });

  it('overwrites the vote of a slot at an equal ballot (the gate is BalLeq)', () => {
    const s = acceptor({ maxBal: bal(2, 0), votes: votesOf([1, bal(1, 0), vA]) });
    const out = acceptorProcess2a(rc2, s, packet2a(R2, R0, bal(2, 0), 1, vB));
    expectSame(out.state.votes, votesOf([1, bal(2, 0), vB]));
  });

  it('§15.7: below the truncation point the 2b is still broadcast, but the vote is not stored', () => {
    const votes = votesOf([3, bal(1, 0), vA]);
    const s = acceptor({ maxBal: bal(1, 0), votes, lco, ltp: 3 });
    const out = acceptorProcess2a(rc1, s, packet2a(R1, R0, bal(2, 0), 1, vB));
    expectOutcome(out, acceptor({ maxBal: bal(2, 0), votes, lco, ltp: 3 }), toEveryone(R1, message2b(bal(2, 0), 1, vB)));
  });
});

describe('acceptorProcessHeartbeat (§5.3)', () => {
  const s = acceptor({ lco: [3, 1, 2] });

  it("raises the sender's checkpoint when the heartbeat's is higher", () => {
    const out = acceptorProcessHeartbeat(rc0, s, packetHeartbeat(R0, R1, bal(1, 0), false, 4));
    expectSame(out, acceptor({ lco: [3, 4, 2] }));
  });

  it.each([
    { name: 'an equal checkpoint', inp: packetHeartbeat(R0, R1, bal(1, 0), false, 1) },
    { name: 'a lower checkpoint', inp: packetHeartbeat(R0, R2, bal(1, 0), false, 1) },
    { name: 'a sender that is not a replica', inp: packetHeartbeat(R0, C0, bal(1, 0), false, 9) },
  ])('ignores $name (same state object)', ({ inp }) => {
    expect(acceptorProcessHeartbeat(rc0, s, inp)).toBe(s);
  });
});

describe('acceptorTruncateLog (§5.3)', () => {
  const votes = votesOf([1, bal(1, 0), vA], [2, bal(1, 0), vB], [4, bal(1, 0), vC]);
  const s = acceptor({ votes, ltp: 1 });

  it('raises ltp to opn and keeps only votes of slots >= opn', () => {
    expectSame(acceptorTruncateLog(rc0, s, 2), acceptor({ votes: votesOf([2, bal(1, 0), vB], [4, bal(1, 0), vC]), ltp: 2 }));
  });

  it.each([
    { name: 'opn equal to ltp', opn: 1 },
    { name: 'opn below ltp', opn: 0 },
  ])('is a no-op for $name (same state object)', ({ opn }) => {
    expect(acceptorTruncateLog(rc0, s, opn)).toBe(s);
  });
});
