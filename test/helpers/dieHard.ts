/**
 * The Die Hard jugs puzzle (Lamport's DieHard.tla): a 3-gallon and a 5-gallon jug, fill, empty
 * or pour one into the other until the big jug holds exactly 4 gallons.
 *
 * By hand: every reachable state has one jug empty or full, and all such states are reachable
 * (3 and 5 are coprime), so there are 2·6 + 2·2 = 16 distinct states; the shortest solution takes
 * 6 steps (7 states). With `withGoal`, the invariant `notSolved` (big ≠ 4) is the puzzle.
 */
import * as Immutable from 'immutable';
import { Record, type RecordOf } from 'immutable';
import { HOLDS, immutableCodec, toItfValue, violated, type Model } from '../../checker/index.js';

interface JugsProps {
  readonly small: number;
  readonly big: number;
}
export type Jugs = RecordOf<JugsProps>;
export const JugsRecord = Record<JugsProps>({ small: 0, big: 0 }, 'Jugs');

export type JugAction = 'FillSmall' | 'FillBig' | 'EmptySmall' | 'EmptyBig' | 'SmallToBig' | 'BigToSmall';

export interface DieHardOptions {
  readonly withGoal?: boolean;
}

function step(s: Jugs, a: JugAction): Jugs {
  switch (a) {
    case 'FillSmall':
      return s.set('small', 3);
    case 'FillBig':
      return s.set('big', 5);
    case 'EmptySmall':
      return s.set('small', 0);
    case 'EmptyBig':
      return s.set('big', 0);
    case 'SmallToBig': {
      const big = Math.min(s.big + s.small, 5);
      return JugsRecord({ small: s.small - (big - s.big), big });
    }
    case 'BigToSmall': {
      const small = Math.min(s.small + s.big, 3);
      return JugsRecord({ small, big: s.big - (small - s.small) });
    }
  }
}

const ACTIONS: readonly JugAction[] = ['FillSmall', 'FillBig', 'EmptySmall', 'EmptyBig', 'SmallToBig', 'BigToSmall'];

export function createModel(options: DieHardOptions = {}): Model<Jugs, JugAction> {
  return {
    name: options.withGoal === true ? 'dieHard+goal' : 'dieHard',
    configuration: { withGoal: options.withGoal === true },
    initStates: () => [JugsRecord()],
    successors: (s) => ACTIONS.map((action) => ({ action, state: step(s, action) })),
    actionName: (a) => a,
    formatAction: (a) => a,
    actionToJson: (a) => a,
    invariants: [
      {
        name: 'typeOK',
        check: (s) => (s.small >= 0 && s.small <= 3 && s.big >= 0 && s.big <= 5 ? HOLDS : violated(`bad jugs ${s}`)),
      },
      ...(options.withGoal === true
        ? [{ name: 'notSolved', check: (s: Jugs) => (s.big !== 4 ? HOLDS : violated('the big jug holds 4 gallons')) }]
        : []),
    ],
    witnesses: [{ name: 'bigHolds4', holds: (s) => s.big === 4 }],
    codec: immutableCodec<Jugs>({ immutable: Immutable, records: { Jugs: JugsRecord } }),
    toItf: (s) => ({ small: toItfValue(s.small), big: toItfValue(s.big) }),
  };
}
