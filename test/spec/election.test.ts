/** Election helpers and actions against rsl-protocol.md §6, plus the ballot order laws of §1.1. */
import fc from 'fast-check';
import { List, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { configuration } from '../../spec/configuration.js';
import {
  computeSuccessorView,
  ElectionStateRecord,
  electionStateCheckForQuorumOfViewSuspicions,
  electionStateCheckForViewTimeout,
  electionStateInit,
  electionStateProcessHeartbeat,
  electionStateReflectExecutedRequestBatch,
  electionStateReflectReceivedRequest,
  removeAllSatisfiedRequestsInSequence,
  removeExecutedRequestBatch,
  requestSatisfiedBy,
  requestsMatch,
  type ElectionStateProps,
} from '../../spec/election.js';
import { appInvalidReply, balLeq, balLt, request } from '../../spec/types.js';
import {
  C0,
  C1,
  R0,
  R1,
  R2,
  bal,
  batchOf,
  expectSame,
  finite,
  packetHeartbeat,
  rc,
  rc0,
  rc1,
  rc2,
  replicaIds,
  req,
  testParams,
} from './fixtures.js';

const baseline = testParams.baselineViewTimeoutPeriod;
const maxi = testParams.maxIntegerVal.kind === 'Finite' ? testParams.maxIntegerVal.n : Infinity;

function election(fields: Partial<ElectionStateProps>) {
  return ElectionStateRecord({
    currentView: bal(1, 0),
    currentViewSuspectors: Set(),
    epochEndTime: 0,
    epochLength: baseline,
    requestsReceivedThisEpoch: List(),
    requestsReceivedPrevEpochs: List(),
    ...fields,
  });
}

describe('ballot order (§1.1), property tests', () => {
  const ballotArb = fc.record({ seqno: fc.nat(4), proposerId: fc.nat(3) }).map((b) => bal(b.seqno, b.proposerId));

  it('is total and strict: exactly one of a < b, a == b, b < a', () => {
    fc.assert(
      fc.property(ballotArb, ballotArb, (a, b) => {
        const cases = [balLt(a, b), a.equals(b), balLt(b, a)].filter(Boolean).length;
        expect(cases).toBe(1);
      }),
    );
  });

  it('BalLt and BalLeq are transitive', () => {
    fc.assert(
      fc.property(ballotArb, ballotArb, ballotArb, (a, b, c) => {
        if (balLt(a, b) && balLt(b, c)) expect(balLt(a, c)).toBe(true);
        if (balLeq(a, b) && balLeq(b, c)) expect(balLeq(a, c)).toBe(true);
      }),
    );
  });

  it('BalLeq(a, b) <=> BalLt(a, b) || a == b', () => {
    fc.assert(
      fc.property(ballotArb, ballotArb, (a, b) => {
        expect(balLeq(a, b)).toBe(balLt(a, b) || a.equals(b));
      }),
    );
  });

  it('is lexicographic, seqno first', () => {
    fc.assert(
      fc.property(ballotArb, ballotArb, (a, b) => {
        const lex = a.seqno !== b.seqno ? a.seqno < b.seqno : a.proposerId < b.proposerId;
        expect(balLt(a, b)).toBe(lex);
      }),
    );
  });

  it('the successor view is strictly higher than any valid view', () => {
    const config = configuration(replicaIds);
    fc.assert(
      fc.property(fc.nat(4), fc.nat(replicaIds.length - 1), (seqno, id) => {
        expect(balLt(bal(seqno, id), computeSuccessorView(bal(seqno, id), config))).toBe(true);
      }),
    );
  });
});

describe('electionStateInit (§6.3)', () => {
  it('starts in view (1,0) with no suspectors, end time 0, baseline epoch length, no requests', () => {
    expectSame(electionStateInit(rc2), election({ currentView: bal(1, 0), epochEndTime: 0, epochLength: baseline }));
  });
});

describe('computeSuccessorView (§6.2)', () => {
  it.each([
    { b: bal(1, 0), n: 3, expected: bal(1, 1) },
    { b: bal(1, 1), n: 3, expected: bal(1, 2) },
    { b: bal(1, 2), n: 3, expected: bal(2, 0) },
    { b: bal(4, 0), n: 1, expected: bal(5, 0) },
  ])('$b with n = $n -> $expected', ({ b, n, expected }) => {
    expectSame(computeSuccessorView(b, configuration(replicaIds.slice(0, n))), expected);
  });
});

describe('requestsMatch and requestSatisfiedBy (§6.2)', () => {
  const other = request(C0, 2, appInvalidReply());
  it.each([
    { name: 'same client and seqno, different payload', r1: req(C0, 2), r2: other, match: true, satisfied: true },
    { name: 'same client, lower seqno', r1: req(C0, 1), r2: req(C0, 2), match: false, satisfied: true },
    { name: 'same client, higher seqno', r1: req(C0, 3), r2: req(C0, 2), match: false, satisfied: false },
    { name: 'other client, same seqno', r1: req(C1, 2), r2: req(C0, 2), match: false, satisfied: false },
  ])('$name', ({ r1, r2, match, satisfied }) => {
    expect(requestsMatch(r1, r2)).toBe(match);
    expect(requestSatisfiedBy(r1, r2)).toBe(satisfied);
  });
});

describe('removeAllSatisfiedRequestsInSequence (§6.2)', () => {
  it('drops requests of the client with seqno <= r.seqno, keeping the order of the rest', () => {
    const s = List([req(C0, 1), req(C1, 1), req(C0, 3), req(C0, 2)]);
    expectSame(removeAllSatisfiedRequestsInSequence(s, req(C0, 2)), List([req(C1, 1), req(C0, 3)]));
  });
  it('returns the very same list when nothing is satisfied', () => {
    const s = List([req(C1, 1), req(C0, 3)]);
    expect(removeAllSatisfiedRequestsInSequence(s, req(C0, 2))).toBe(s);
  });
});

describe('removeExecutedRequestBatch (§6.2)', () => {
  it('removes everything satisfied by any request of the batch', () => {
    const reqs = List([req(C0, 1), req(C1, 1), req(C0, 3), req(C1, 4)]);
    expectSame(removeExecutedRequestBatch(reqs, batchOf(req(C0, 1), req(C1, 2))), List([req(C0, 3), req(C1, 4)]));
  });
  it('an empty batch removes nothing', () => {
    const reqs = List([req(C0, 1)]);
    expect(removeExecutedRequestBatch(reqs, batchOf())).toBe(reqs);
  });
});

describe('electionStateProcessHeartbeat (§6.3)', () => {
  const prev = List([req(C0, 1)]);
  const thisEpoch = List([req(C1, 1)]);
  const es = election({
    currentView: bal(1, 1),
    currentViewSuspectors: Set([2]),
    epochEndTime: 50,
    epochLength: 200,
    requestsReceivedPrevEpochs: prev,
    requestsReceivedThisEpoch: thisEpoch,
  });
  const clock = 70;

  it('a suspicious heartbeat about the current view adds the sender index to the suspectors', () => {
    const out = electionStateProcessHeartbeat(rc0, es, packetHeartbeat(R0, R1, bal(1, 1), true, 0), clock);
    expectSame(out, es.set('currentViewSuspectors', Set([1, 2])));
  });

  it.each([
    { name: 'heartbeat from a higher view, suspicious', suspicious: true, suspectors: Set([1]) },
    { name: 'heartbeat from a higher view, not suspicious', suspicious: false, suspectors: Set<number>() },
  ])('$name: adopt the view, double the epoch, move requests to prev', ({ suspicious, suspectors }) => {
    const out = electionStateProcessHeartbeat(rc0, es, packetHeartbeat(R0, R1, bal(2, 0), suspicious, 0), clock);
    const len = 2 * es.epochLength;
    expectSame(
      out,
      election({
        currentView: bal(2, 0),
        currentViewSuspectors: suspectors,
        epochLength: len,
        epochEndTime: clock + len,
        requestsReceivedPrevEpochs: prev.concat(thisEpoch),
        requestsReceivedThisEpoch: List(),
      }),
    );
  });

  it('doubling and the end time saturate at max_integer_val', () => {
    const big = es.set('epochLength', 600);
    const out = electionStateProcessHeartbeat(rc0, big, packetHeartbeat(R0, R1, bal(2, 0), false, 0), clock);
    expect(out.epochLength).toBe(Math.min(1200, maxi));
    expect(out.epochEndTime).toBe(Math.min(clock + out.epochLength, maxi));
  });

  it('the new "previous" list is bounded by max_integer_val (BoundRequestSequence)', () => {
    const c = rc(0, { maxIntegerVal: finite(5), maxLogLength: 4 });
    const reqs = List([1, 2, 3, 4, 5, 6].map((n) => req(C0, n)));
    const s = es.merge({ requestsReceivedPrevEpochs: reqs.take(3), requestsReceivedThisEpoch: reqs.skip(3) });
    const out = electionStateProcessHeartbeat(c, s, packetHeartbeat(R0, R1, bal(2, 0), false, 0), 0);
    expectSame(out.requestsReceivedPrevEpochs, reqs.take(5));
  });

  it.each([
    { name: '§15.9: current view, not suspicious, from a suspector', inp: packetHeartbeat(R0, R2, bal(1, 1), false, 0) },
    { name: 'current view, not suspicious, from a non-suspector', inp: packetHeartbeat(R0, R1, bal(1, 1), false, 0) },
    { name: 'a lower view, suspicious', inp: packetHeartbeat(R0, R1, bal(1, 0), true, 0) },
    { name: 'a sender that is not a replica', inp: packetHeartbeat(R0, C0, bal(3, 0), true, 0) },
    { name: 'a repeated suspicion', inp: packetHeartbeat(R0, R2, bal(1, 1), true, 0) },
  ])('no change for $name (same state object)', ({ inp }) => {
    expect(electionStateProcessHeartbeat(rc0, es, inp, clock)).toBe(es);
  });
});

describe('electionStateCheckForViewTimeout (§6.3)', () => {
  const thisEpoch = List([req(C1, 1)]);

  it('before the epoch ends: no change (same state object)', () => {
    const es = election({ epochEndTime: 100 });
    expect(electionStateCheckForViewTimeout(rc0, es, 99)).toBe(es);
  });

  it('quiet epoch (no previous requests): baseline length, new end time, this epoch becomes prev', () => {
    const es = election({ epochEndTime: 100, epochLength: 400, requestsReceivedThisEpoch: thisEpoch });
    const clock = 100;
    expectSame(
      electionStateCheckForViewTimeout(rc0, es, clock),
      election({
        epochEndTime: clock + baseline,
        epochLength: baseline,
        requestsReceivedPrevEpochs: thisEpoch,
        requestsReceivedThisEpoch: List(),
      }),
    );
  });

  it('requests waited a whole epoch: suspect the view myself, end time uses the current epoch length', () => {
    const prev = List([req(C0, 1)]);
    const es = election({
      currentViewSuspectors: Set([0]),
      epochEndTime: 100,
      epochLength: 400,
      requestsReceivedPrevEpochs: prev,
      requestsReceivedThisEpoch: thisEpoch,
    });
    const clock = 150;
    expectSame(
      electionStateCheckForViewTimeout(rc2, es, clock),
      election({
        currentViewSuspectors: Set([0, 2]),
        epochEndTime: Math.min(clock + 400, maxi),
        epochLength: 400,
        requestsReceivedPrevEpochs: prev.concat(thisEpoch),
        requestsReceivedThisEpoch: List(),
      }),
    );
  });

  it('the new end time saturates at max_integer_val', () => {
    const es = election({ epochEndTime: 0 });
    const clock = maxi - 1;
    expect(electionStateCheckForViewTimeout(rc0, es, clock).epochEndTime).toBe(maxi);
  });
});

describe('electionStateCheckForQuorumOfViewSuspicions (§6.3)', () => {
  const prev = List([req(C0, 1)]);
  const thisEpoch = List([req(C1, 1)]);
  const base = {
    currentView: bal(1, 2),
    epochEndTime: 30,
    epochLength: 150,
    requestsReceivedPrevEpochs: prev,
    requestsReceivedThisEpoch: thisEpoch,
  };

  it('a quorum of suspectors moves to the successor view with a doubled epoch', () => {
    const es = election({ ...base, currentViewSuspectors: Set([0, 2]) });
    const clock = 40;
    const len = 2 * base.epochLength;
    expectSame(
      electionStateCheckForQuorumOfViewSuspicions(rc1, es, clock),
      election({
        currentView: bal(2, 0),
        currentViewSuspectors: Set(),
        epochLength: len,
        epochEndTime: clock + len,
        requestsReceivedPrevEpochs: prev.concat(thisEpoch),
        requestsReceivedThisEpoch: List(),
      }),
    );
  });

  it.each([
    { name: 'fewer suspectors than a quorum', fields: { currentViewSuspectors: Set([1]) } },
    {
      name: 'a view seqno not below max_integer_val',
      fields: { currentViewSuspectors: Set([0, 1, 2]), currentView: bal(maxi, 0) },
    },
  ])('no change with $name (same state object)', ({ fields }) => {
    const es = election({ ...base, ...fields });
    expect(electionStateCheckForQuorumOfViewSuspicions(rc1, es, 40)).toBe(es);
  });
});

describe('electionStateReflectReceivedRequest (§6.3)', () => {
  const es = election({ requestsReceivedPrevEpochs: List([req(C0, 1)]), requestsReceivedThisEpoch: List([req(C1, 1)]) });

  it('appends a request not seen before to this epoch', () => {
    expectSame(
      electionStateReflectReceivedRequest(rc0, es, req(C0, 2)),
      es.set('requestsReceivedThisEpoch', List([req(C1, 1), req(C0, 2)])),
    );
  });

  it.each([
    { name: 'matches one of the previous epochs (payload ignored)', r: request(C0, 1, appInvalidReply()) },
    { name: 'matches one of this epoch', r: req(C1, 1) },
  ])('no change when the request $name (same state object)', ({ r }) => {
    expect(electionStateReflectReceivedRequest(rc0, es, r)).toBe(es);
  });

  it('this epoch is bounded by max_integer_val (BoundRequestSequence)', () => {
    const c = rc(0, { maxIntegerVal: finite(5), maxLogLength: 4 });
    const full = List([1, 2, 3, 4, 5].map((n) => req(C1, n)));
    const out = electionStateReflectReceivedRequest(c, election({ requestsReceivedThisEpoch: full }), req(C0, 9));
    expectSame(out.requestsReceivedThisEpoch, full);
  });
});

describe('electionStateReflectExecutedRequestBatch (§6.3)', () => {
  it('removes the requests the batch satisfies from both lists', () => {
    const es = election({
      requestsReceivedPrevEpochs: List([req(C0, 1), req(C1, 5)]),
      requestsReceivedThisEpoch: List([req(C0, 2), req(C1, 1)]),
    });
    expectSame(
      electionStateReflectExecutedRequestBatch(rc0, es, batchOf(req(C0, 2), req(C1, 1))),
      election({ requestsReceivedPrevEpochs: List([req(C1, 5)]), requestsReceivedThisEpoch: List() }),
    );
  });

  it('a batch that satisfies nothing changes nothing (same state object)', () => {
    const es = election({ requestsReceivedThisEpoch: List([req(C0, 2)]) });
    expect(electionStateReflectExecutedRequestBatch(rc0, es, batchOf(req(C1, 9)))).toBe(es);
  });
});
