/**
 * A toy model for composite successors (`Successor.via`), in two forms that must agree.
 *
 * Two counters modulo `modulus` and a flag `mid`. The flat form alternates two kinds of ordinary
 * step: from `mid = false`, `incA` (a + 1) or `dblA` (2a) sets `mid`; from `mid = true`, `incB`
 * (b + 1) or `addB` (b + a) clears it. The composite form takes both as one round: from a state
 * with `mid = false`, each successor is `x` then `y`, with the state after `x` as its only
 * intermediate state. So the composite form's states are the flat form's states with `mid = false`,
 * its intermediate states those with `mid = true`, and its traces, written sub-step by sub-step,
 * are traces of the flat form.
 *
 * `bad` adds a property that fails: `intermediate` an invariant that only a `mid = true` state
 * violates, `final` one that only a `mid = false` state violates, `step` a step property on `addB`.
 */
import * as Immutable from 'immutable';
import { Record, type RecordOf } from 'immutable';
import {
  HOLDS,
  HOLDS_VACUOUSLY,
  immutableCodec,
  toItfValue,
  violated,
  type Invariant,
  type Model,
  type StepProperty,
  type Successor,
} from '../../checker/index.js';

interface CountersProps {
  readonly a: number;
  readonly b: number;
  readonly mid: boolean;
}
export type Counters = RecordOf<CountersProps>;
export const CountersRecord = Record<CountersProps>({ a: 0, b: 0, mid: false }, 'Counters');

export type RoundAction = 'incA' | 'dblA' | 'incB' | 'addB';

export interface RoundsOptions {
  readonly composite: boolean;
  readonly modulus?: number;
  readonly bad?: 'intermediate' | 'final' | 'step';
}

const FIRST: readonly RoundAction[] = ['incA', 'dblA'];
const SECOND: readonly RoundAction[] = ['incB', 'addB'];

function apply(m: number, s: Counters, action: RoundAction): Counters {
  switch (action) {
    case 'incA':
      return s.merge({ a: (s.a + 1) % m, mid: true });
    case 'dblA':
      return s.merge({ a: (2 * s.a) % m, mid: true });
    case 'incB':
      return s.merge({ b: (s.b + 1) % m, mid: false });
    case 'addB':
      return s.merge({ b: (s.b + s.a) % m, mid: false });
  }
}

export function createModel(options: RoundsOptions): Model<Counters, RoundAction> {
  const m = options.modulus ?? 7;
  const flat = (s: Counters): Successor<Counters, RoundAction>[] =>
    (s.mid ? SECOND : FIRST).map((action) => ({ action, state: apply(m, s, action) }));
  const rounds = (s: Counters): Successor<Counters, RoundAction>[] =>
    FIRST.flatMap((x) => {
      const after = apply(m, s, x);
      return SECOND.map((y) => ({ via: [{ action: x, state: after }], action: y, state: apply(m, after, y) }));
    });
  const invariants: Invariant<Counters>[] = [
    { name: 'inRange', check: (s) => (s.a < m && s.b < m ? (s.a > s.b ? HOLDS : HOLDS_VACUOUSLY) : violated(`out of range: ${s}`)) },
  ];
  if (options.bad === 'intermediate') {
    invariants.push({ name: 'notMidAt5and2', check: (s) => (s.mid && s.a === 5 && s.b === 2 ? violated('mid-round at a=5, b=2') : HOLDS) });
  }
  if (options.bad === 'final') {
    invariants.push({ name: 'notAt3and5', check: (s) => (!s.mid && s.a === 3 && s.b === 5 ? violated('a=3, b=5 between rounds') : HOLDS) });
  }
  const stepProperties: StepProperty<Counters, RoundAction>[] = [
    {
      name: 'bMovesOnlyOnB',
      check: (from, action, to) => (action === 'incB' || action === 'addB' || to.b === from.b ? HOLDS : violated('b moved')),
    },
  ];
  if (options.bad === 'step') {
    stepProperties.push({
      name: 'addBNeverWraps',
      check: (from, action, to) =>
        action !== 'addB' ? HOLDS_VACUOUSLY : to.b >= from.b ? HOLDS : violated(`b wrapped from ${from.b} to ${to.b}`),
    });
  }
  return {
    name: `twoStepRounds(${options.composite ? 'composite' : 'flat'}, ${m}${options.bad === undefined ? '' : `, ${options.bad}`})`,
    configuration: { ...options },
    initStates: () => [CountersRecord()],
    successors: options.composite ? rounds : flat,
    actionName: (a) => a,
    formatAction: (a) => a,
    actionToJson: (a) => a,
    invariants,
    stepProperties,
    witnesses: [{ name: 'midWithAEqualB', holds: (s) => s.mid && s.a === s.b && s.a > 0 }],
    census: { dimensions: ['a', 'b', 'a+b'], values: (s) => [s.a, s.b, s.a + s.b] },
    codec: immutableCodec<Counters>({ immutable: Immutable, records: { Counters: CountersRecord } }),
    toItf: (s) => ({ a: toItfValue(s.a), b: toItfValue(s.b), mid: toItfValue(s.mid) }),
  };
}
