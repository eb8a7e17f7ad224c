/**
 * Refinement of the implementation (impl/) as obligations of `rsl check`, reported like the
 * lemmas: one step property per seed function (premise: the explored step called it), one for the
 * host step as a whole (premise: every replica step and every election-oracle step), and one state
 * obligation for the replica actions the model does not explore because the spec makes them
 * stutter. An election-oracle step is checked as the faithful actions it stands for
 * (refinement/oracle.ts). The checks themselves are refinement/system.ts.
 */
import { HOLDS, HOLDS_VACUOUSLY, violated, type Invariant, type StepProperty, type Verdict } from '../checker/index.js';
import { referenceName, seedFunctionNames, type ImplActions } from '../impl/actions.js';
import { functionChecks } from '../refinement/functions.js';
import { SystemRefinement, type StutterVerdict } from '../refinement/system.js';
import type * as spec from '../spec/index.js';

type S = spec.RslSystem;
type A = spec.SystemStep;

export const hostStepObligation = 'refinement_HostStep';
export const stutteringObligation = 'refinement_StutteringSteps';

/** `refinement_CAcceptorTruncateLog`, …: one per seed function, in the seed's order. */
export const functionObligations: readonly string[] = seedFunctionNames.map((n) => `refinement_${referenceName(n)}`);

const hostStepDescription =
  'every explored replica step (and election-oracle step, as the heartbeat receipt or suspicions it stands for), run by the implementation on the concrete pre-state, abstracts to one of the spec outcomes (state and packets sent, in order)';
const stutteringDescription =
  'every replica action the spec makes stutter (so the model does not explore it; under the election oracle also the view timeout and the quorum check it replaces) leaves the implementation unchanged too';

function functionDescription(k: number): string {
  const fn = seedFunctionNames[k]!;
  return `${referenceName(fn)} refines ${functionChecks[fn].refines} at every explored step that calls it (a replica step, or an election-oracle step run as the actions it stands for)`;
}

/** Every refinement obligation, in report order: the step obligations, then the state one. */
export function refinementObligationList(): { readonly name: string; readonly description: string; readonly step: boolean }[] {
  return [
    ...functionObligations.map((name, k) => ({ name, description: functionDescription(k), step: true })),
    { name: hostStepObligation, description: hostStepDescription, step: true },
    { name: stutteringObligation, description: stutteringDescription, step: false },
  ];
}

export function refinementObligationNames(): string[] {
  return refinementObligationList().map((o) => o.name);
}

export interface RefinementObligations {
  readonly stepProperties: StepProperty<S, A>[];
  readonly invariants: Invariant<S>[];
}

/** The refinement obligations of one model, restricted to the names `wanted` accepts. */
export function refinementObligations(
  system: spec.SystemConfig,
  impl: ImplActions,
  wanted: (name: string) => boolean,
): RefinementObligations {
  const r = new SystemRefinement(system, impl);
  const stepProperties: StepProperty<S, A>[] = [];
  seedFunctionNames.forEach((fn, k) => {
    const name = functionObligations[k]!;
    const seed = referenceName(fn);
    if (!wanted(name)) return;
    stepProperties.push({
      name,
      description: functionDescription(k),
      check: (from: S, a: A): Verdict => {
        const v = r.transition(from, a);
        if (v === null || !v.exercised.has(fn)) return HOLDS_VACUOUSLY;
        return v.violation?.obligation === seed ? violated(v.violation.explanation) : HOLDS;
      },
    });
  });
  if (wanted(hostStepObligation)) {
    stepProperties.push({
      name: hostStepObligation,
      description: hostStepDescription,
      check: (from: S, a: A): Verdict => {
        const v = r.transition(from, a);
        if (v === null) return HOLDS_VACUOUSLY;
        return v.violation?.obligation === 'HostStep' ? violated(v.violation.explanation) : HOLDS;
      },
    });
  }
  const invariants: Invariant<S>[] = [];
  if (wanted(stutteringObligation)) {
    const verdict = (v: StutterVerdict): Verdict => {
      if (v.violation !== undefined) return violated(`(fault in ${v.violation.obligation}) ${v.violation.explanation}`);
      return v.checked > 0 ? HOLDS : HOLDS_VACUOUSLY;
    };
    invariants.push({
      name: stutteringObligation,
      description: stutteringDescription,
      check: (s: S): Verdict => verdict(r.stutters(s)),
      componentCheck: (s: S, i: number): Verdict => verdict(r.stuttersOf(s, i)),
    });
  }
  return { stepProperties, invariants };
}
