/**
 * An independent brute-force enumerator for the checker's tests: a textbook BFS over state
 * objects, identified by immutable.js value equality (`Immutable.Map` keys), with none of the
 * checker's machinery (no codec, no fingerprints, no batches, no workers). It applies the same
 * counting conventions (TLC's), so its figures are the expected ones:
 * generated = initial states + every successor of every expanded state; distinct = states found;
 * depth = BFS levels, initial = 1. Every found state is checked; states outside the bounds are
 * not expanded. It never stops at a violation: it records the first level at which each property fails.
 */
import { Map as IMap } from 'immutable';
import type { Model } from '../../checker/model.js';

export interface ActionCount {
  enabled: number;
  fired: number;
  distinct: number;
}

export interface BruteForceResult<S> {
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly initial: number;
  /** Distinct states at each BFS level, from level 1 (the initial states). */
  readonly levelSizes: readonly number[];
  readonly transitions: number;
  readonly actions: ReadonlyMap<string, ActionCount>;
  readonly invariantPremise: ReadonlyMap<string, number>;
  readonly invariantViolations: ReadonlyMap<string, number>;
  /** Level of the first state violating each invariant (the length of a shortest trace). */
  readonly firstInvariantViolation: ReadonlyMap<string, number>;
  readonly stepPremise: ReadonlyMap<string, number>;
  readonly stepViolations: ReadonlyMap<string, number>;
  /** Level of the target of the first step violating each step property. */
  readonly firstStepViolation: ReadonlyMap<string, number>;
  readonly witnessHits: ReadonlyMap<string, number>;
  readonly cutByBound: ReadonlyMap<string, number>;
  /** Levels of states within bounds without successors. */
  readonly deadlockLevels: readonly number[];
  /** The states found (the first member of each class), in BFS order. */
  readonly states: readonly S[];
}

function bump(m: Map<string, number>, key: string, by = 1): void {
  m.set(key, (m.get(key) ?? 0) + by);
}

function keepFirst(m: Map<string, number>, key: string, level: number): void {
  if (!m.has(key)) m.set(key, level);
}

/** Explores `model` completely; with `symmetry`, two states are the same if their representatives are. */
export function bruteForce<S, A>(model: Model<S, A>, options: { symmetry?: boolean } = {}): BruteForceResult<S> {
  const key = (s: S): unknown => (options.symmetry === true ? model.representative!(s) : s);
  let seen = IMap<unknown, true>();
  const states: S[] = [];
  const actions = new Map<string, ActionCount>();
  const invariantPremise = new Map<string, number>();
  const invariantViolations = new Map<string, number>();
  const firstInvariantViolation = new Map<string, number>();
  const stepPremise = new Map<string, number>();
  const stepViolations = new Map<string, number>();
  const firstStepViolation = new Map<string, number>();
  const witnessHits = new Map<string, number>();
  const cutByBound = new Map<string, number>();
  const deadlockLevels: number[] = [];
  let generated = 0;
  let transitions = 0;
  let depth = 0;
  const levelSizes: number[] = [];

  let level: S[] = [];
  for (const s of model.initStates()) {
    generated++;
    if (seen.has(key(s))) continue;
    seen = seen.set(key(s), true);
    level.push(s);
  }
  const initial = level.length;
  for (let levelNo = 1; level.length > 0; levelNo++) {
    depth = levelNo;
    levelSizes.push(level.length);
    const next: S[] = [];
    for (const s of level) {
      states.push(s);
      for (const inv of model.invariants) {
        const v = inv.check(s);
        if (v.premise) bump(invariantPremise, inv.name);
        if (!v.holds) {
          bump(invariantViolations, inv.name);
          keepFirst(firstInvariantViolation, inv.name, levelNo);
        }
      }
      for (const w of model.witnesses ?? []) if (w.holds(s)) bump(witnessHits, w.name);
      const bound = model.outsideBounds?.(s);
      if (bound !== undefined) {
        bump(cutByBound, bound);
        continue;
      }
      const succs = model.successors(s);
      if (succs.length === 0) deadlockLevels.push(levelNo);
      const enabledHere = new Set<string>();
      for (const { action, state } of succs) {
        generated++;
        transitions++;
        const name = model.actionName(action);
        const count = actions.get(name) ?? { enabled: 0, fired: 0, distinct: 0 };
        actions.set(name, count);
        count.fired++;
        if (!enabledHere.has(name)) {
          enabledHere.add(name);
          count.enabled++;
        }
        if (!seen.has(key(state))) {
          seen = seen.set(key(state), true);
          count.distinct++;
          next.push(state);
        }
        for (const p of model.stepProperties ?? []) {
          const v = p.check(s, action, state);
          if (v.premise) bump(stepPremise, p.name);
          if (!v.holds) {
            bump(stepViolations, p.name);
            keepFirst(firstStepViolation, p.name, levelNo + 1);
          }
        }
      }
    }
    level = next;
  }
  return {
    distinct: seen.size,
    generated,
    depth,
    initial,
    levelSizes,
    transitions,
    actions,
    invariantPremise,
    invariantViolations,
    firstInvariantViolation,
    stepPremise,
    stepViolations,
    firstStepViolation,
    witnessHits,
    cutByBound,
    deadlockLevels,
    states,
  };
}
