/**
 * The memo of refinement/system.ts (per replica: action verdicts by scheduler state, slot and
 * input; stutter candidates by scheduler state, receivable packets and last clock reading) against
 * a reference that recomputes every verdict from scratch: over the first states of small models,
 * action-granular and in rounds, with the correct implementation and with implementation mutants,
 * every transition verdict and every stutter verdict must be the same, explanations included.
 */
import { is, Set as ISet } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyOverrides } from '../../cli/config.js';
import { createRslModel } from '../../cli/rslModel.js';
import { defaultImplActions, type ImplActions, type ImplFunctionName } from '../../impl/actions.js';
import { findImplMutant } from '../../mutants/index.js';
import {
  blameFunction,
  explainViolation,
  refineReplicaAction,
  specOutcomes,
  type ActionRun,
  type ReplicaAction,
} from '../../refinement/step.js';
import { describeAction, oracleStepActions, stutterSlots } from '../../refinement/oracle.js';
import { obligationOf, SystemRefinement, type ActionVerdict, type StutterVerdict } from '../../refinement/system.js';
import * as spec from '../../spec/index.js';
import { loadMutantsConfig } from '../helpers/mutantRuns.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The reference: every verdict computed from scratch, nothing memoised.

function actionOf(cfg: spec.SystemConfig, sys: spec.RslSystem, i: number, slot: number, input: spec.SlotInput): ReplicaAction {
  return { rc: spec.replicaConstantsOf(cfg)[i]!, pre: sys.replicas.get(i)!, slot, input, roundRobin: cfg.scheduler === 'round-robin' };
}

function referenceVerdict(a: ReplicaAction, impl: ImplActions, outcomes: readonly ActionRun[] = specOutcomes(a)): ActionVerdict {
  const r = refineReplicaAction(a, impl, outcomes);
  if (r.refined) return { exercised: r.exercised };
  const blame = blameFunction(a, impl);
  return { exercised: r.exercised, violation: { obligation: obligationOf(blame?.name), explanation: explainViolation(a, r, blame) } };
}

function referenceTransition(cfg: spec.SystemConfig, impl: ImplActions, from: spec.RslSystem, step: spec.SystemStep): ActionVerdict | null {
  if (step.kind === 'client') return null;
  if (step.kind !== 'replica') {
    // An oracle step: its actions in order, up to the first violation.
    const exercised = new globalThis.Set<ImplFunctionName>();
    for (const x of oracleStepActions(cfg, from.replicas.get(step.replica)!, step)) {
      const v = referenceVerdict(x.action, impl, x.outcomes);
      v.exercised.forEach((n) => exercised.add(n));
      if (v.violation !== undefined) {
        return { exercised, violation: { ...v.violation, explanation: `${x.what}:\n${v.violation.explanation}` } };
      }
    }
    return { exercised };
  }
  const input: spec.SlotInput = {
    ...(step.packet === undefined ? {} : { packet: step.packet }),
    ...(step.clock === undefined ? {} : { clock: step.clock }),
  };
  return referenceVerdict(actionOf(cfg, from, step.replica, step.action, input), impl);
}

function referenceStutters(cfg: spec.SystemConfig, impl: ImplActions, sys: spec.RslSystem): StutterVerdict {
  let checked = 0;
  for (let i = 0; i < sys.replicas.size; i++) {
    for (const slot of stutterSlots(cfg, sys, i)) {
      for (const input of spec.slotInputs(cfg, sys, i, slot)) {
        const a = actionOf(cfg, sys, i, slot, input);
        const stutter = specOutcomes(a).every((o) => {
          const clockMoves =
            cfg.monotoneClocks && cfg.electionOracle === undefined && input.clock !== undefined && input.clock !== sys.clocks.get(i);
          const state =
            cfg.electionOracle === undefined ? o.state : o.state.set('replica', spec.abstractReplicaTiming(a.rc, o.state.replica));
          return !clockMoves && is(state, a.pre) && o.sent.every((p) => sys.sentPackets.has(p));
        });
        if (!stutter) continue;
        checked++;
        const v = referenceVerdict(a, impl);
        if (v.violation !== undefined) {
          return {
            checked,
            violation: {
              obligation: v.violation.obligation,
              explanation: `${describeAction(cfg, i, slot, input)} leaves the system unchanged in the spec, but not in the implementation:\n${v.violation.explanation}`,
            },
          };
        }
      }
    }
  }
  return { checked };
}

// ---------------------------------------------------------------------------------------------

interface Tally {
  states: number;
  transitions: number;
  stutterViolations: number;
  transitionViolations: number;
}

/**
 * Breadth-first over the model's first `limit` states (the states inside rounds included), asking
 * the memoised refinement and the reference about every state and every (sub-)step, in the order
 * the checker does, and about each state with one packet taken out; returns how much was compared.
 */
function compare(
  configFile: string,
  overrides: Parameters<typeof applyOverrides>[1],
  implMutant: string | undefined,
  limit: number,
): Tally {
  const config = applyOverrides(loadMutantsConfig(root, configFile), overrides);
  const model = createRslModel({ config, refinement: false });
  const cfg = model.system;
  const impl = implMutant === undefined ? defaultImplActions : findImplMutant(implMutant)!.impl;
  const memo = new SystemRefinement(cfg, impl);
  const tally: Tally = { states: 0, transitions: 0, stutterViolations: 0, transitionViolations: 0 };
  let seen = ISet<spec.RslSystem>();
  const compareStutters = (s: spec.RslSystem): void => {
    const want = referenceStutters(cfg, impl, s);
    expect(memo.stutters(s)).toEqual(want);
    if (want.violation !== undefined) tally.stutterViolations++;
  };
  const checkState = (s: spec.RslSystem): void => {
    compareStutters(s);
    // The same state short of one packet (not reachable, but the verdict is defined on any state):
    // whether an action that resends a packet stutters depends on the packet set, not only on the
    // replica's state and what it can receive.
    s.sentPackets.forEach((p) => compareStutters(s.set('sentPackets', s.sentPackets.remove(p))));
    tally.states++;
  };
  const checkStep = (from: spec.RslSystem, step: spec.SystemStep): void => {
    const want = referenceTransition(cfg, impl, from, step);
    // Asked twice, as the step obligations do (the second answer comes from the last-step cache).
    expect(memo.transition(from, step)).toEqual(want);
    expect(memo.transition(from, step)).toEqual(want);
    if (want?.violation !== undefined) tally.transitionViolations++;
    tally.transitions++;
  };
  const queue: spec.RslSystem[] = [];
  for (const s of model.initStates()) {
    seen = seen.add(s);
    queue.push(s);
    checkState(s);
  }
  for (let k = 0; k < queue.length && seen.size < limit; k++) {
    const from = queue[k]!;
    for (const succ of model.successors(from)) {
      let cur = from;
      for (const sub of [...(succ.via ?? []), { action: succ.action, state: succ.state }]) {
        checkStep(cur, sub.action);
        if (sub.state !== succ.state || !seen.has(sub.state)) checkState(sub.state);
        cur = sub.state;
      }
      if (!seen.has(succ.state)) {
        seen = seen.add(succ.state);
        queue.push(succ.state);
      }
    }
  }
  return tally;
}

describe('the refinement memo gives the verdicts of a recomputation from scratch', () => {
  it('on tiny-r1-b2 (faithful election, clocks 0..1), one action per step, correct implementation and two mutants', () => {
    const correct = compare('configs/tiny-r1-b2.json', { scheduler: 'any' }, undefined, 600);
    expect(correct.stutterViolations + correct.transitionViolations).toBe(0);
    expect(correct.states).toBeGreaterThanOrEqual(600);
    // One mutant caught on a stuttering action, one on an explored step (test/impl/mutants.test.ts).
    const stutter = compare('configs/tiny-r1-b2.json', { scheduler: 'any' }, 'impl-replica-1b-twice-from-one-sender', 600);
    expect(stutter.stutterViolations).toBeGreaterThan(0);
    const step = compare('configs/tiny-r1-b2.json', { scheduler: 'any' }, 'impl-proposer-batch-one-short', 600);
    expect(step.transitionViolations).toBeGreaterThan(0);
  }, 120_000);

  it('on mutants-oracle-r2 (election oracle, two replicas) in rounds, where sub-steps come from fresh states', () => {
    const rounds = { scheduler: 'round-robin' } as const;
    const correct = compare('configs/mutants-oracle-r2.json', rounds, undefined, 600);
    expect(correct.stutterViolations + correct.transitionViolations).toBe(0);
    expect(correct.states).toBeGreaterThanOrEqual(600);
    const stutter = compare('configs/mutants-oracle-r2.json', rounds, 'impl-acceptor-promises-before-check', 600);
    expect(stutter.stutterViolations).toBeGreaterThan(0);
    const step = compare('configs/mutants-oracle-r2.json', rounds, 'impl-proposer-batch-one-short', 600);
    expect(step.transitionViolations).toBeGreaterThan(0);
    // Caught on the oracle's view changes (refinement/oracle.ts: the suspicion path).
    const oracle = compare('configs/mutants-oracle-r2.json', rounds, 'impl-election-view-change-keeps-suspectors', 600);
    expect(oracle.transitionViolations).toBeGreaterThan(0);
  }, 120_000);
});
