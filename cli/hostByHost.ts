/**
 * Host-by-host search (`"hostByHost": true` in a configuration): a bug-hunting reduction of the
 * successor relation that is NOT exhaustive, so a run in this mode never counts as a proof.
 */
import type { RslSystem, SystemStep } from '../spec/index.js';
import { outsideBounds } from './bounds.js';
import type { ModelConfig } from './config.js';

/** The host that takes a step: replicas are 0..n-1, clients follow them. */
function hostOf(cfg: ModelConfig, step: SystemStep): number {
  return step.kind === 'client' ? cfg.replicas + step.client : step.replica;
}

/**
 * Host-by-host search, a bug-hunting under-approximation: at each state only the first host that
 * has an in-bound step moves (steps that leave the bounds are always kept, so cut states are still
 * checked). Every state it reaches is reachable, so every violation it finds is real; but it is NOT
 * exhaustive. A host's later receives do not commute with its own local steps, so the enabled steps
 * of one host are not a persistent set, and whole families of behaviours (for instance a replica
 * timing out only after a client's request reached it) are never explored. A run in this mode that
 * finds no violation is reported as incomplete, never as a proof.
 */
export function hostByHostSuccessors<T extends { readonly step: SystemStep; readonly state: RslSystem }>(
  cfg: ModelConfig,
  all: readonly T[],
): T[] {
  let first = Number.POSITIVE_INFINITY;
  for (const x of all) if (outsideBounds(cfg, x.state) === undefined) first = Math.min(first, hostOf(cfg, x.step));
  return all.filter((x) => hostOf(cfg, x.step) === first || outsideBounds(cfg, x.state) !== undefined);
}
