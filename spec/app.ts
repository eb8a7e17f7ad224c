/** The counter application ([V]/[D15], rsl-protocol.md §9.2). */
import { List } from 'immutable';
import { appIncrementReply, appInvalidReply, reply, type AppMessage, type AppState, type Reply, type RequestBatch } from './types.js';

/** AppInitialize: the counter starts at 0. */
export function appInitialize(): AppState {
  return 0;
}

/**
 * CappedIncr: `x + 1`, saturating. The reference saturates at 2^64-1 (a u64 counter); JS numbers
 * are exact only up to 2^53-1, so this saturates at `Number.MAX_SAFE_INTEGER` instead. The bounded
 * model never gets near either bound.
 */
export function cappedIncr(x: AppState): AppState {
  return x >= Number.MAX_SAFE_INTEGER ? x : x + 1;
}

/** AppHandleRequest (§9.2): an increment bumps the counter and replies with the new value. */
export function appHandleRequest(state: AppState, req: AppMessage): readonly [AppState, AppMessage] {
  if (req.type !== 'AppIncrementRequest') return [state, appInvalidReply()];
  const next = cappedIncr(state);
  return [next, appIncrementReply(next)];
}

/** The result of HandleRequestBatch: `|batch|+1` states (the first is the input) and `|batch|` replies. */
export interface BatchResult {
  readonly states: List<AppState>;
  readonly replies: List<Reply>;
}

/** HandleRequestBatch (§9.2): runs the batch in order, one reply per request. */
export function handleRequestBatch(state: AppState, batch: RequestBatch): BatchResult {
  const states: AppState[] = [state];
  const replies: Reply[] = [];
  let current = state;
  for (const req of batch) {
    const [next, rep] = appHandleRequest(current, req.request);
    states.push(next);
    replies.push(reply(req.client, req.seqno, rep));
    current = next;
  }
  return { states: List(states), replies: List(replies) };
}
