/** What a seeded bug is, and how one is built from the correct action table. */
import { defaultSpecActions, type SpecActions } from '../spec/index.js';

export type MutantRole = 'acceptor' | 'proposer' | 'election' | 'learner' | 'executor';

export interface Mutant {
  /** The `--mutant` name: `<role>-<what is broken>`, kebab-case. */
  readonly name: string;
  readonly role: MutantRole;
  /** What is broken, in one line. */
  readonly description: string;
  /** The one entry of the action table that is replaced. */
  readonly entry: keyof SpecActions;
  readonly actions: SpecActions;
}

/** The correct action table (`defaultSpecActions`, rsl-protocol.md §10) with `entry` replaced by `broken`. */
export function mutant<K extends keyof SpecActions>(
  name: string,
  role: MutantRole,
  description: string,
  entry: K,
  broken: SpecActions[K],
): Mutant {
  const actions: SpecActions = Object.freeze({ ...defaultSpecActions, [entry]: broken });
  return Object.freeze({ name, role, description, entry, actions });
}
