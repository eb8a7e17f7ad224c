/** Seeded random walks of the spec's bounded system that restart from the initial state at a dead end. */
import { systemInit, systemSuccessors, type RslSystem, type SystemConfig, type SystemSuccessor } from '../../spec/index.js';
import { mulberry32 } from '../spec/systemFixtures.js';

/** `total` steps drawn uniformly among the successors; a state without successors restarts the walk. */
export function restartingWalk(
  cfg: SystemConfig,
  seed: number,
  total: number,
  visit: (from: RslSystem, taken: SystemSuccessor) => void,
): void {
  const rand = mulberry32(seed);
  const init = systemInit(cfg);
  let sys = init;
  for (let k = 0; k < total; k++) {
    const succs = systemSuccessors(cfg, sys);
    const taken = succs[Math.floor(rand() * succs.length)];
    if (taken === undefined) {
      sys = init;
      continue;
    }
    visit(sys, taken);
    sys = taken.state;
  }
}
