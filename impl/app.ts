/** The counter application on concrete values ([V]/[D15], rsl-protocol.md §9.2). */
import type { CAppMessage } from './types.js';

/** AppInitialize. */
export function cAppInitialize(): number {
  return 0;
}

/** CappedIncr, saturating where the spec does (Number.MAX_SAFE_INTEGER, see spec/app.ts). */
export function cCappedIncr(x: number): number {
  return x >= Number.MAX_SAFE_INTEGER ? x : x + 1;
}

/** AppHandleRequest: the next counter value and the reply. */
export function cAppHandleRequest(state: number, req: CAppMessage): readonly [number, CAppMessage] {
  if (req.type !== 'AppIncrementRequest') return [state, invalidReply];
  const next = cCappedIncr(state);
  return [next, { type: 'AppIncrementReply', response: next }];
}

const invalidReply: CAppMessage = Object.freeze({ type: 'AppInvalidReply' });
