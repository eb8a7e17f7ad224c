/**
 * Rebuilding traces from parent pointers by forward replay (TLC's TLCTrace.getTrace; style-anchors
 * §2, §7.6). States are never stored: the chain of discovery indices from an initial state to the
 * target is read off the parent pointers, then replayed from the model, picking at each step the
 * first successor whose fingerprint is the recorded one. Every step is thereby validated against
 * the fingerprint stored when the state was discovered.
 */
import type { Model } from './model.js';
import type { Trace } from './result.js';
import { type Fingerprint, fingerprintHex, hash64 } from './fingerprint.js';
import { NO_PARENT, type SeenSet } from './seenSet.js';

const NONDETERMINISM_HINT =
  'The model is probably nondeterministic: initStates(), successors() and the codec must give the same ' +
  'results, in the same order, on every call and in every process (look for iteration over a JS Map or ' +
  'Set filled in varying order, Math.random, Date.now, or a representative() that depends on history).';

/** Fingerprint of `state` (of its representative under symmetry) into `out` = [hi, lo]. */
export function stateFingerprint<S, A>(model: Model<S, A>, state: S, symmetry: boolean, out: Uint32Array): void {
  const bytes = model.codec.encode(symmetry ? model.representative!(state) : state);
  hash64(bytes, 0, bytes.length, out);
}

/** Discovery indices from an initial state down to `index`. */
function chainTo(seen: SeenSet, index: number): number[] {
  const chain: number[] = [];
  for (let i = index; i !== NO_PARENT; i = seen.parent(i)) {
    chain.push(i);
    if (chain.length > seen.size) throw new Error('parent pointers form a cycle (checker bug)');
  }
  return chain.reverse();
}

/**
 * The shortest trace to the state with discovery index `index`, rebuilt by replay and checked
 * against the stored fingerprints. Throws, naming the likely cause, if the model does not
 * reproduce the recorded fingerprints.
 */
export function rebuildTrace<S, A>(model: Model<S, A>, seen: SeenSet, index: number, symmetry: boolean): Trace<S, A> {
  const chain = chainTo(seen, index);
  const fp = new Uint32Array(2);
  const matches = (state: S, i: number): boolean => {
    stateFingerprint(model, state, symmetry, fp);
    return fp[0] === seen.hi(i) && fp[1] === seen.lo(i);
  };
  const first = chain[0]!;
  const init = model.initStates().find((s) => matches(s, first));
  if (init === undefined) {
    throw new Error(`cannot rebuild the trace: no initial state has fingerprint ${hexOf(seen, first)}. ${NONDETERMINISM_HINT}`);
  }
  const states: S[] = [init];
  const actions: A[] = [];
  const fingerprints: Fingerprint[] = [hexOf(seen, first)];
  for (let k = 1; k < chain.length; k++) {
    const target = chain[k]!;
    const next = model.successors(states[k - 1]!).find((succ) => matches(succ.state, target));
    if (next === undefined) {
      throw new Error(
        `cannot rebuild the trace: at step ${k}, no successor of the state with fingerprint ` +
          `${fingerprints[k - 1]!} has fingerprint ${hexOf(seen, target)}. ${NONDETERMINISM_HINT}`,
      );
    }
    states.push(next.state);
    actions.push(next.action);
    fingerprints.push(hexOf(seen, target));
  }
  return { states, actions, fingerprints };
}

/**
 * `trace` extended by the `ordinal`-th successor of its last state, which must have fingerprint
 * `(hi, lo)` (used for step-property violations, whose target may have been seen before).
 */
export function extendTrace<S, A>(
  model: Model<S, A>,
  trace: Trace<S, A>,
  ordinal: number,
  hi: number,
  lo: number,
  symmetry: boolean,
): Trace<S, A> {
  const last = trace.states[trace.states.length - 1]!;
  const succ = model.successors(last)[ordinal];
  const fp = new Uint32Array(2);
  if (succ !== undefined) stateFingerprint(model, succ.state, symmetry, fp);
  if (succ === undefined || fp[0] !== hi >>> 0 || fp[1] !== lo >>> 0) {
    throw new Error(
      `cannot rebuild the last step: successor ${ordinal} of the state with fingerprint ` +
        `${trace.fingerprints[trace.fingerprints.length - 1]!} is not the recorded one. ${NONDETERMINISM_HINT}`,
    );
  }
  return {
    states: [...trace.states, succ.state],
    actions: [...trace.actions, succ.action],
    fingerprints: [...trace.fingerprints, fingerprintHex(hi, lo)],
  };
}

function hexOf(seen: SeenSet, index: number): Fingerprint {
  return fingerprintHex(seen.hi(index), seen.lo(index));
}
