/**
 * Seeded bugs: deliberately broken variants of single spec actions, used to show that the
 * obligations catch real mistakes. A mutant is the correct action table with ONE entry replaced;
 * the correct spec is never touched.
 */
import type { SpecActions } from '../spec/index.js';

export type MutantRole = 'acceptor' | 'proposer' | 'election' | 'learner' | 'executor';

export interface Mutant {
  readonly name: string;
  readonly role: MutantRole;
  /** What is broken, in one line. */
  readonly description: string;
  readonly actions: SpecActions;
}

export const mutants: readonly Mutant[] = [];

export function findMutant(name: string): Mutant | undefined {
  return mutants.find((m) => m.name === name);
}
