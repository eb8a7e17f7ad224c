import { List, Map } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  ExecutorStateRecord,
  executorExecute,
  executorGetDecision,
  executorInit,
  executorProcessAppStateRequest,
  executorProcessAppStateSupply,
  executorProcessRequest,
  executorProcessStartingPhase2,
  outstandingOpKnown,
  outstandingOpUnknown,
  type ExecutorState,
  type ExecutorStateProps,
} from '../../spec/executor.js';
import {
  messageAppStateRequest,
  messageAppStateSupply,
  messageReply,
  messageRequest,
  messageStartingPhase2,
  packet,
} from '../../spec/message.js';
import { appIncrementReply, appIncrementRequest, ballot, reply, request, type RequestBatch } from '../../spec/types.js';
import { rc } from './systemFixtures.js';

const c = rc(1);
const inc = appIncrementRequest();
const batch: RequestBatch = List([request('c0', 0, inc), request('c1', 3, inc)]);

function executor(fields: Partial<ExecutorStateProps> = {}): ExecutorState {
  return ExecutorStateRecord({ ...executorInit(c).toObject(), ...fields });
}

describe('executorGetDecision (§9.3)', () => {
  it('init: app 0, no ops, ballot (0,0), Unknown, empty cache', () => {
    const s = executorInit(c);
    expect(s.app).toBe(0);
    expect(s.opsComplete).toBe(0);
    expect(s.nextOpToExecute.type).toBe('Unknown');
    expect(s.replyCache.size).toBe(0);
  });
  it('records Known(v, bal) and nothing else', () => {
    const s = executor();
    const t = executorGetDecision(c, s, ballot(2, 1), 0, batch);
    expect(t.equals(s.set('nextOpToExecute', outstandingOpKnown(batch, ballot(2, 1))))).toBe(true);
  });
});

describe('executorExecute (§9.3)', () => {
  const known = executor({
    app: 5,
    opsComplete: 2,
    maxBalReflected: ballot(1, 0),
    nextOpToExecute: outstandingOpKnown(batch, ballot(2, 1)),
  });

  it('Unknown next op: disabled, no change, nothing sent', () => {
    const s = executor();
    const o = executorExecute(c, s);
    expect(o.state).toBe(s);
    expect(o.sent.size).toBe(0);
  });

  it('ops_complete at max_integer_val: disabled', () => {
    const capped = rc(1, undefined, { maxIntegerVal: { kind: 'Finite', n: 2 } });
    expect(executorExecute(capped, known).state).toBe(known);
  });

  it('applies the batch, advances opsComplete, raises maxBalReflected, forgets the decision', () => {
    const t = executorExecute(c, known).state;
    expect(t.app).toBe(7);
    expect(t.opsComplete).toBe(3);
    expect(t.maxBalReflected.equals(ballot(2, 1))).toBe(true);
    expect(t.nextOpToExecute.equals(outstandingOpUnknown())).toBe(true);
  });

  it('keeps maxBalReflected when the decision ballot is lower', () => {
    const s = known.set('maxBalReflected', ballot(3, 0));
    expect(executorExecute(c, s).state.maxBalReflected.equals(ballot(3, 0))).toBe(true);
  });

  it('sends one reply per request, in batch order, from me to the client', () => {
    const { sent } = executorExecute(c, known);
    expect(
      sent.equals(
        List([packet('c0', 'r1', messageReply(0, appIncrementReply(6))), packet('c1', 'r1', messageReply(3, appIncrementReply(7)))]),
      ),
    ).toBe(true);
  });

  it('caches the replies of clients not cached yet', () => {
    const cache = executorExecute(c, known).state.replyCache;
    expect(
      cache.equals(
        Map([
          ['c0', reply('c0', 0, appIncrementReply(6))],
          ['c1', reply('c1', 3, appIncrementReply(7))],
        ]),
      ),
    ).toBe(true);
  });

  it('[V] UpdateNewCache (§15.2): an existing entry is never overwritten, even by a newer reply', () => {
    const old = reply('c0', 0, appIncrementReply(1));
    const s = known.merge({
      replyCache: Map([['c0', old]]),
      nextOpToExecute: outstandingOpKnown(List([request('c0', 1, inc)]), ballot(2, 1)),
    });
    const t = executorExecute(c, s);
    expect(t.state.replyCache.get('c0')).toBe(old);
    expect(t.sent.equals(List([packet('c0', 'r1', messageReply(1, appIncrementReply(6)))]))).toBe(true);
  });

  it('[V] ClientsInReplies: for a client with several replies in one batch the earliest wins', () => {
    const twice = List([request('c0', 0, inc), request('c0', 1, inc)]);
    const s = known.set('nextOpToExecute', outstandingOpKnown(twice, ballot(2, 1)));
    expect(
      executorExecute(c, s)
        .state.replyCache.get('c0')
        ?.equals(reply('c0', 0, appIncrementReply(6))),
    ).toBe(true);
  });

  it('an empty batch advances opsComplete and sends nothing', () => {
    const s = known.set('nextOpToExecute', outstandingOpKnown(List(), ballot(2, 1)));
    const o = executorExecute(c, s);
    expect(o.state.opsComplete).toBe(3);
    expect(o.state.app).toBe(5);
    expect(o.sent.size).toBe(0);
  });
});

describe('executorProcessAppStateSupply (§9.3)', () => {
  it('adopts app, opsComplete, ballot and ([V]) the reply cache; next op Unknown', () => {
    const cache = Map([['c1', reply('c1', 3, appIncrementReply(9))]]);
    const s = executor({
      app: 1,
      opsComplete: 1,
      replyCache: Map([['c0', reply('c0', 0, appIncrementReply(1))]]),
      nextOpToExecute: outstandingOpKnown(batch, ballot(1, 0)),
    });
    const t = executorProcessAppStateSupply(c, s, packet('r1', 'r2', messageAppStateSupply(ballot(2, 2), 4, 9, cache)));
    expect(
      t.equals(
        ExecutorStateRecord({
          app: 9,
          opsComplete: 4,
          maxBalReflected: ballot(2, 2),
          nextOpToExecute: outstandingOpUnknown(),
          replyCache: cache,
        }),
      ),
    ).toBe(true);
  });
});

describe('executorProcessAppStateRequest (§9.3)', () => {
  const cache = Map([['c0', reply('c0', 0, appIncrementReply(1))]]);
  const s = executor({ app: 3, opsComplete: 3, maxBalReflected: ballot(2, 0), replyCache: cache });
  const req = (src: string, bal: [number, number], opn: number) => packet('r1', src, messageAppStateRequest(ballot(...bal), opn));

  it.each([
    ['the sender is not a replica', req('c0', [2, 0], 3)],
    ['my ballot is above the requested one', req('r2', [1, 2], 3)],
    ['I am behind the requested slot', req('r2', [2, 0], 4)],
  ])('no reply when %s', (_why, p) => {
    const o = executorProcessAppStateRequest(c, s, p);
    expect(o.state).toBe(s);
    expect(o.sent.size).toBe(0);
  });

  it('otherwise one AppStateSupply back to the sender, state unchanged', () => {
    const o = executorProcessAppStateRequest(c, s, req('r2', [2, 0], 3));
    expect(o.state).toBe(s);
    expect(o.sent.equals(List([packet('r2', 'r1', messageAppStateSupply(ballot(2, 0), 3, 3, cache))]))).toBe(true);
  });
});

describe('executorProcessStartingPhase2 (§9.3)', () => {
  const s = executor({ opsComplete: 2 });
  it('behind the new leader: broadcast AppStateRequest(bal, ltp) to every replica incl. me, in order', () => {
    const o = executorProcessStartingPhase2(c, s, packet('r1', 'r0', messageStartingPhase2(ballot(1, 0), 3)));
    expect(o.state).toBe(s);
    const m = messageAppStateRequest(ballot(1, 0), 3);
    expect(o.sent.equals(List([packet('r0', 'r1', m), packet('r1', 'r1', m), packet('r2', 'r1', m)]))).toBe(true);
  });
  it.each([
    ['the truncation point is not ahead of opsComplete', packet('r1', 'r0', messageStartingPhase2(ballot(1, 0), 2))],
    ['the sender is not a replica', packet('r1', 'c0', messageStartingPhase2(ballot(1, 0), 3))],
  ])('nothing when %s', (_why, p) => {
    const o = executorProcessStartingPhase2(c, s, p);
    expect(o.state).toBe(s);
    expect(o.sent.size).toBe(0);
  });
});

describe('executorProcessRequest (§9.3, [V] exact seqno match)', () => {
  const cached = reply('c0', 4, appIncrementReply(9));
  const s = executor({ replyCache: Map([['c0', cached]]) });
  it('the cached seqno: resend the cached reply', () => {
    const o = executorProcessRequest(c, s, packet('r1', 'c0', messageRequest(4, inc)));
    expect(o.state).toBe(s);
    expect(o.sent.equals(List([packet('c0', 'r1', messageReply(4, appIncrementReply(9)))]))).toBe(true);
  });
  it('an older seqno: nothing ([D23] would resend)', () => {
    const o = executorProcessRequest(c, s, packet('r1', 'c0', messageRequest(3, inc)));
    expect(o.state).toBe(s);
    expect(o.sent.size).toBe(0);
  });
});
