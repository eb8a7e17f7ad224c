/**
 * N interchangeable processes competing for one lock: idle -> waiting -> critical -> idle.
 * Process ids are a true symmetry, so `representative` sorts the process states.
 *
 * `buggy` lets a waiting process enter without taking the lock (mutual exclusion fails).
 * `orbitProbes` adds one always-true invariant per orbit size k whose premise is "this state's
 * orbit has k members", so a run's premise counts add up the orbit sizes of the states it checked.
 */
import * as Immutable from 'immutable';
import { List, Record, type RecordOf } from 'immutable';
import { HOLDS, HOLDS_VACUOUSLY, immutableCodec, toItfValue, violated, type Invariant, type Model } from '../../checker/index.js';

type Phase = 'idle' | 'waiting' | 'critical';

interface MutexProps {
  readonly procs: List<Phase>;
  readonly locked: boolean;
}
export type MutexState = RecordOf<MutexProps>;
export const MutexRecord = Record<MutexProps>({ procs: List(), locked: false }, 'Mutex');

export interface MutexAction {
  readonly type: 'request' | 'enter' | 'exit';
  readonly proc: number;
}

export interface MutexOptions {
  readonly processes?: number;
  readonly buggy?: boolean;
  readonly orbitProbes?: boolean;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** How many distinct states a permutation of the processes can turn `s` into. */
export function orbitSize(s: MutexState): number {
  const procs = s.procs.toArray();
  return new Set(permutations(procs.length).map((p) => p.map((i) => procs[i]).join(','))).size;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

export function createModel(options: MutexOptions = {}): Model<MutexState, MutexAction> {
  const n = options.processes ?? 3;
  const buggy = options.buggy === true;
  const probes: Invariant<MutexState>[] =
    options.orbitProbes === true
      ? Array.from({ length: factorial(n) }, (_, i) => ({
          name: `orbitSize${i + 1}`,
          check: (s: MutexState) => (orbitSize(s) === i + 1 ? HOLDS : HOLDS_VACUOUSLY),
        }))
      : [];
  return {
    name: `mutex(${n}${buggy ? ',buggy' : ''})`,
    initStates: () => [MutexRecord({ procs: List(Array.from({ length: n }, () => 'idle' as Phase)) })],
    successors: (s) =>
      s.procs.toArray().flatMap((phase, proc): { action: MutexAction; state: MutexState }[] => {
        if (phase === 'idle') return [{ action: { type: 'request', proc }, state: s.setIn(['procs', proc], 'waiting') }];
        if (phase === 'waiting' && (buggy || !s.locked)) {
          return [{ action: { type: 'enter', proc }, state: s.setIn(['procs', proc], 'critical').set('locked', true) }];
        }
        if (phase === 'critical') {
          return [{ action: { type: 'exit', proc }, state: s.setIn(['procs', proc], 'idle').set('locked', false) }];
        }
        return [];
      }),
    actionName: (a) => a.type,
    formatAction: (a) => `${a.type}(p${a.proc})`,
    actionToJson: (a) => ({ ...a }),
    invariants: [
      {
        name: 'mutualExclusion',
        check: (s) => {
          const inside = s.procs.count((p) => p === 'critical');
          if (inside === 0) return HOLDS_VACUOUSLY;
          return inside === 1 ? HOLDS : violated(`${inside} processes are critical`);
        },
      },
      ...probes,
    ],
    witnesses: [{ name: 'someoneCritical', holds: (s) => s.procs.includes('critical') }],
    representative: (s) => s.set('procs', s.procs.sort()),
    codec: immutableCodec<MutexState>({ immutable: Immutable, records: { Mutex: MutexRecord } }),
    toItf: (s) => ({ procs: toItfValue(s.procs), locked: s.locked }),
  };
}
