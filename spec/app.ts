/** The counter application ([V]/[D15], rsl-protocol.md §9.2). */
import type { AppState } from './types.js';

/** AppInitialize: the counter starts at 0. */
export function appInitialize(): AppState {
  return 0;
}

// ACTIONS-BELOW (cappedIncr, appHandleRequest, handleRequestBatch)
