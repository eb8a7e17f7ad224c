/**
 * `fastRecordEquality` (spec/types.ts) must not change what `Immutable.is` answers: every record
 * type of a system state uses it (spec/system.ts), so a wrong answer would silently merge or split
 * states. Each case is compared with a Record type of the same shape that immutable.js compares
 * its own way.
 */
import fc from 'fast-check';
import { is, List, Record } from 'immutable';
import { describe, expect, it } from 'vitest';
import { ballot, message2a, packet, request, appIncrementRequest, BallotRecord, PacketRecord } from '../../spec/index.js';

const PlainBallot = Record({ seqno: 0, proposerId: 0 }, 'PlainBallot');
const PlainPacket = Record({ dst: '', src: '', msg: PlainBallot() as unknown }, 'PlainPacket');

const small = fc.integer({ min: 0, max: 2 });
const endPoint = fc.constantFrom('r0', 'r1', 'c0');

describe('fastRecordEquality', () => {
  it('agrees with immutable.js on ballots, including default-valued fields', () => {
    fc.assert(
      fc.property(small, small, small, small, (s1, p1, s2, p2) => {
        const expected = is(PlainBallot({ seqno: s1, proposerId: p1 }), PlainBallot({ seqno: s2, proposerId: p2 }));
        return is(ballot(s1, p1), ballot(s2, p2)) === expected && ballot(s1, p1).equals(ballot(s2, p2)) === expected;
      }),
    );
  });

  it('agrees with immutable.js on packets whose nested values are equal but distinct objects', () => {
    const msg = (s: number, opn: number, client: string) => message2a(ballot(s, 0), opn, List([request(client, 0, appIncrementRequest())]));
    fc.assert(
      fc.property(endPoint, endPoint, small, small, small, small, endPoint, endPoint, (d1, d2, s1, s2, o1, o2, c1, c2) => {
        const fast = is(packet(d1, 'r0', msg(s1, o1, c1)), packet(d2, 'r0', msg(s2, o2, c2)));
        const plain = is(
          PlainPacket({ dst: d1, src: 'r0', msg: msg(s1, o1, c1) }),
          PlainPacket({ dst: d2, src: 'r0', msg: msg(s2, o2, c2) }),
        );
        return fast === plain;
      }),
    );
  });

  it('leaves comparisons with other record types to immutable.js', () => {
    expect(is(BallotRecord({ seqno: 1, proposerId: 2 }), PlainBallot({ seqno: 1, proposerId: 2 }))).toBe(
      is(PlainBallot({ seqno: 1, proposerId: 2 }), BallotRecord({ seqno: 1, proposerId: 2 })),
    );
    expect(is(ballot(1, 2), PacketRecord())).toBe(false);
    expect(ballot(1, 2).equals(List([1, 2]))).toBe(false);
  });
});
