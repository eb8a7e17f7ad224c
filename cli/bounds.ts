/** The state constraint of a bounded model: which states lie outside its `ballots` and `opns` bounds. */
import type { Ballot, RslSystem, SchedulerState } from '../spec/index.js';
import type { ModelConfig } from './config.js';

/** Position of a view in succession order: (1,0) is 0, (1,1) is 1, …, (2,0) is n. */
export function viewIndex(b: Ballot, n: number): number {
  return (b.seqno - 1) * n + b.proposerId;
}

/**
 * The state constraint: `ballots` cuts a state in which some replica has moved to a view beyond
 * the first `ballots` views; `opns` cuts one in which some proposer has proposed past slot
 * `opns - 1`. Cut states are still checked, only not expanded.
 */
export function outsideBounds(cfg: ModelConfig, s: RslSystem): string | undefined {
  for (const sch of s.replicas) {
    const bound = replicaOutsideBounds(cfg, sch);
    if (bound !== undefined) return bound;
  }
  return undefined;
}

/** The bound one replica's state exceeds, if any: a state is cut when one of its replicas is. */
export function replicaOutsideBounds(cfg: ModelConfig, sch: SchedulerState): string | undefined {
  const p = sch.replica.proposer;
  if (viewIndex(p.electionState.currentView, cfg.replicas) >= cfg.ballots) return 'ballots';
  if (p.nextOperationNumberToPropose > cfg.opns) return 'opns';
  return undefined;
}
