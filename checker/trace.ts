/**
 * Rebuilding traces from parent pointers by forward replay (TLC's TLCTrace.getTrace; style-anchors
 * §2, §7.6). States are never stored: the chain of discovery indices from an initial state to the
 * target is read off the parent pointers, then replayed from the model, taking at each step the
 * successor at the recorded position. Every step is validated: the replayed state's fingerprint
 * must be in the seen set, and the last state must show the violation that was recorded.
 */
import type { Model, Successor } from './model.js';
import type { Trace, ViolationKind } from './result.js';
import { type Fingerprint, fingerprintHex, hash64 } from './fingerprint.js';
import { NO_PARENT, type SeenSet } from './seenSet.js';

const NONDETERMINISM_HINT =
  'The model is probably nondeterministic: initStates(), successors() and the codec must give the same ' +
  'results, in the same order, on every call and in every process (look for iteration over a JS Map or ' +
  'Set filled in varying order, Math.random, Date.now, or a representative() that depends on history).';

/** Fingerprint of `state` (of its representative under symmetry) into `out` = [hi, lo]. */
export function stateFingerprint<S, A>(model: Model<S, A>, state: S, symmetry: boolean, out: Uint32Array): void {
  const s = symmetry ? model.representative!(state) : state;
  const codec = model.codec;
  if (codec.fingerprint !== undefined) return codec.fingerprint(s, out);
  const bytes = codec.encodeTransient === undefined ? codec.encode(s) : codec.encodeTransient(s);
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
 * Appends `succ` to the trace being built: its sub-steps one by one (only the first `subSteps` of
 * them when given), each with its fingerprint; `fingerprint` is the final state's.
 */
function pushSuccessor<S, A>(
  model: Model<S, A>,
  parts: { states: S[]; actions: A[]; fingerprints: Fingerprint[] },
  succ: Successor<S, A>,
  fingerprint: Fingerprint,
  symmetry: boolean,
  subSteps?: number,
): void {
  const fp = new Uint32Array(2);
  const via = succ.via ?? [];
  const take = subSteps ?? via.length + 1;
  for (let k = 0; k < Math.min(take, via.length); k++) {
    const sub = via[k]!;
    stateFingerprint(model, sub.state, symmetry, fp);
    parts.states.push(sub.state);
    parts.actions.push(sub.action);
    parts.fingerprints.push(fingerprintHex(fp[0]!, fp[1]!));
  }
  if (take > via.length) {
    parts.states.push(succ.state);
    parts.actions.push(succ.action);
    parts.fingerprints.push(fingerprint);
  }
}

/**
 * The shortest trace to the state with discovery index `index`, rebuilt by replay (the sub-steps
 * of composite successors listed one by one). Throws, naming the likely cause, if a replayed
 * state is missing or its fingerprint was never seen.
 */
export function rebuildTrace<S, A>(model: Model<S, A>, seen: SeenSet, index: number, symmetry: boolean): Trace<S, A> {
  const chain = chainTo(seen, index);
  const fp = new Uint32Array(2);
  const parts = { states: [] as S[], actions: [] as A[], fingerprints: [] as Fingerprint[] };
  const check = (state: S | undefined, step: number): Fingerprint => {
    if (state !== undefined) {
      stateFingerprint(model, state, symmetry, fp);
      if (seen.has(fp[0]!, fp[1]!)) return fingerprintHex(fp[0]!, fp[1]!);
    }
    const what = step === 0 ? 'the recorded initial state' : `the successor recorded at step ${step}`;
    throw new Error(
      `cannot rebuild the trace: ${what} ${state === undefined ? 'does not exist' : 'was never explored'}. ${NONDETERMINISM_HINT}`,
    );
  };
  let current = model.initStates()[seen.ordinal(chain[0]!)];
  parts.fingerprints.push(check(current, 0));
  parts.states.push(current!);
  for (let k = 1; k < chain.length; k++) {
    const succ = model.successors(current!)[seen.ordinal(chain[k]!)];
    const fingerprint = check(succ?.state, k);
    pushSuccessor(model, parts, succ!, fingerprint, symmetry);
    current = succ!.state;
  }
  return parts;
}

/**
 * `trace` extended by the `ordinal`-th successor of its last state, which must have the
 * `expected` fingerprint if one is given (used for violations on a step, whose target may have
 * been seen before; inside a composite successor only its first `subSteps` sub-steps are taken).
 */
export function extendTrace<S, A>(
  model: Model<S, A>,
  trace: Trace<S, A>,
  ordinal: number,
  expected: { readonly hi: number; readonly lo: number } | undefined,
  symmetry: boolean,
  subSteps?: number,
): Trace<S, A> {
  const last = trace.states[trace.states.length - 1]!;
  const succ = model.successors(last)[ordinal];
  const fp = new Uint32Array(2);
  if (succ !== undefined) stateFingerprint(model, succ.state, symmetry, fp);
  if (succ === undefined || (expected !== undefined && (fp[0] !== expected.hi >>> 0 || fp[1] !== expected.lo >>> 0))) {
    throw new Error(
      `cannot rebuild the last step: successor ${ordinal} of the state with fingerprint ` +
        `${trace.fingerprints[trace.fingerprints.length - 1]!} is not the recorded one. ${NONDETERMINISM_HINT}`,
    );
  }
  const parts = { states: [...trace.states], actions: [...trace.actions], fingerprints: [...trace.fingerprints] };
  pushSuccessor(model, parts, succ, fingerprintHex(fp[0]!, fp[1]!), symmetry, subSteps);
  return parts;
}

/** Whether the last state (or step) of `trace` shows the violation of `property` it was rebuilt for. */
function showsViolation<S, A>(model: Model<S, A>, trace: Trace<S, A>, kind: ViolationKind, property: string): boolean {
  const n = trace.states.length;
  const last = trace.states[n - 1]!;
  switch (kind) {
    case 'invariant':
      return model.invariants.find((p) => p.name === property)?.check(last).holds === false;
    case 'stepProperty':
      return (
        n >= 2 &&
        model.stepProperties?.find((p) => p.name === property)?.check(trace.states[n - 2]!, trace.actions[n - 2]!, last).holds === false
      );
    case 'deadlock':
      return model.outsideBounds?.(last) === undefined && model.successors(last).length === 0;
    case 'witness':
      return true;
  }
}

/** Throws, naming the likely cause, unless `trace` ends in the violation it was rebuilt for. */
export function confirmViolation<S, A>(model: Model<S, A>, trace: Trace<S, A>, kind: ViolationKind, property: string): void {
  if (!showsViolation(model, trace, kind, property)) {
    throw new Error(`the rebuilt trace does not end in the recorded violation of ${property}. ${NONDETERMINISM_HINT}`);
  }
}
