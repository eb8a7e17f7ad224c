import { List } from 'immutable';
import { describe, expect, it } from 'vitest';
import { appHandleRequest, appInitialize, cappedIncr, handleRequestBatch } from '../../spec/app.js';
import { appIncrementReply, appIncrementRequest, appInvalidReply, reply, request, type AppMessage } from '../../spec/types.js';

describe('cappedIncr (§9.2)', () => {
  it.each([
    [0, 1],
    [41, 42],
    [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('cappedIncr(%d) = %d', (x, y) => {
    expect(cappedIncr(x)).toBe(y);
  });
});

describe('appHandleRequest (§9.2)', () => {
  it('AppInitialize is 0', () => {
    expect(appInitialize()).toBe(0);
  });

  it('an increment bumps the counter and replies with the new value', () => {
    const [next, rep] = appHandleRequest(5, appIncrementRequest());
    expect(next).toBe(6);
    expect(rep.equals(appIncrementReply(6))).toBe(true);
  });

  it('an increment at the cap stays at the cap', () => {
    const [next, rep] = appHandleRequest(Number.MAX_SAFE_INTEGER, appIncrementRequest());
    expect(next).toBe(Number.MAX_SAFE_INTEGER);
    expect(rep.equals(appIncrementReply(Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  it.each<[string, AppMessage]>([
    ['AppIncrementReply', appIncrementReply(3)],
    ['AppInvalidReply', appInvalidReply()],
  ])('a %s as a request leaves the state and answers AppInvalidReply', (_name, msg) => {
    const [next, rep] = appHandleRequest(5, msg);
    expect(next).toBe(5);
    expect(rep.equals(appInvalidReply())).toBe(true);
  });
});

describe('handleRequestBatch (§9.2)', () => {
  it('an empty batch: one state (the input), no replies', () => {
    const r = handleRequestBatch(7, List());
    expect(r.states.toArray()).toEqual([7]);
    expect(r.replies.size).toBe(0);
  });

  it('runs the batch in order: states[i+1] from states[i], one reply per request with its client and seqno', () => {
    const batch = List([
      request('c0', 0, appIncrementRequest()),
      request('c1', 4, appInvalidReply()),
      request('c0', 1, appIncrementRequest()),
    ]);
    const r = handleRequestBatch(10, batch);
    expect(r.states.toArray()).toEqual([10, 11, 11, 12]);
    expect(
      r.replies.equals(
        List([reply('c0', 0, appIncrementReply(11)), reply('c1', 4, appInvalidReply()), reply('c0', 1, appIncrementReply(12))]),
      ),
    ).toBe(true);
  });
});
