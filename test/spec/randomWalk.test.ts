/**
 * Seeded random walks through the bounded system (§11): thousands of steps never throw, stay in
 * the bounds, only ever grow the network, and no two replicas ever execute different batches for
 * the same slot. Executed batches are tracked here independently of the system's ghost history
 * (from each MaybeExecute step's pre-state), and the two are compared.
 */
import { is, Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { systemInit, systemSuccessors, type RslSystem, type SystemConfig } from '../../spec/system.js';
import type { RequestBatch } from '../../spec/types.js';
import { makeSystemConfig, mulberry32 } from './systemFixtures.js';

interface WalkResult {
  readonly restarts: number;
  readonly executions: number;
}

/**
 * `total` random steps; on a state without successors the walk restarts from systemInit.
 * Checks, at every state, bounds, network growth and agreement of executed batches.
 */
function walk(cfg: SystemConfig, seed: number, total: number): WalkResult {
  const rand = mulberry32(seed);
  const init = systemInit(cfg);
  let sys: RslSystem = init;
  let executed = cfg.constants.config.replicaIds.map(() => IMap<number, RequestBatch>());
  let restarts = 0;
  let executions = 0;
  for (let k = 0; k < total; k++) {
    const succs = systemSuccessors(cfg, sys);
    const taken = succs[Math.floor(rand() * succs.length)];
    if (taken === undefined) {
      sys = init;
      executed = executed.map(() => IMap());
      restarts++;
      continue;
    }
    const { step, state } = taken;
    if (step.kind === 'replica' && step.action === 6) {
      const pre = sys.replicas.get(step.replica)!.replica.executor;
      const post = state.replicas.get(step.replica)!.replica.executor;
      if (pre.nextOpToExecute.type === 'Known' && post.opsComplete === pre.opsComplete + 1) {
        const v = pre.nextOpToExecute.v;
        for (const other of executed) {
          const theirs = other.get(pre.opsComplete);
          if (theirs !== undefined && !is(theirs, v)) throw new Error(`step ${k}: slot ${pre.opsComplete} executed differently`);
        }
        executed = executed.set(step.replica, executed.get(step.replica)!.set(pre.opsComplete, v));
        executions++;
      }
    }
    // Plain checks: an expect() per step would dominate the run time.
    if (!taken.sent.every((p) => state.sentPackets.has(p)) || !state.sentPackets.isSuperset(sys.sentPackets)) {
      throw new Error(`step ${k}: the network lost packets or missed the sent ones`);
    }
    if (!state.clients.every((c) => c.nextSeqno <= cfg.requestsPerClient)) throw new Error(`step ${k}: a client exceeded its requests`);
    if (!state.clocks.every((t) => t >= 0 && t <= cfg.clockMax)) throw new Error(`step ${k}: a clock left 0..clockMax`);
    if (!is(state.executedBatches, executed)) throw new Error(`step ${k}: the ghost history disagrees with the executed steps`);
    sys = state;
  }
  return { restarts, executions };
}

describe('random walk (3 replicas, 2 clients x 2 requests, clockMax 3, small parameters)', () => {
  it.each<[string, SystemConfig, number, number]>([
    ["'any', monotone clocks", makeSystemConfig(), 1, 2000],
    ["'any', free clocks", makeSystemConfig({ monotoneClocks: false }), 2, 1500],
    ['round-robin, monotone clocks', makeSystemConfig({ scheduler: 'round-robin' }), 3, 2500],
  ])('%s: thousands of steps, agreement at every state, and some slots executed', (_name, cfg, seed, steps) => {
    const r = walk(cfg, seed, steps);
    expect(r.executions).toBeGreaterThan(0);
  });
});
