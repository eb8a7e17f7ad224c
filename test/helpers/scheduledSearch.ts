/**
 * A directed search for bug hunting: `model` restricted to a schedule, where the k-th transition
 * (a round, in the round model) must be one whose first sub-step `schedule[k]` accepts (e.g. "r0
 * receives a 1a"), and nothing moves after the schedule ends. The breadth-first search of the
 * restricted model still tries every transition each entry accepts (which 1a, which view, which
 * value is proposed, what the rest of the round does). Every state it reaches is a reachable state of `model` and every transition is one of
 * `model`'s, so a violation it finds is real and its trace replays on `model`; but it explores only
 * the behaviours that follow the schedule, so a clean run proves nothing.
 *
 * The restricted state is the model's state and how far along the schedule it is; obligations,
 * bounds and trace files see only the model's state.
 */
import type { Model, StateCodec, Successor } from '../../checker/index.js';

export interface Scheduled<S> {
  /** Transitions taken so far: the next one must be accepted by `schedule[at]`. */
  readonly at: number;
  readonly state: S;
}

function scheduledCodec<S>(inner: StateCodec<S>): StateCodec<Scheduled<S>> {
  return {
    encode: (w) => {
      const bytes = inner.encode(w.state);
      const out = new Uint8Array(bytes.length + 2);
      out[0] = w.at >> 8;
      out[1] = w.at & 0xff;
      out.set(bytes, 2);
      return out;
    },
    decode: (bytes) => ({ at: (bytes[0]! << 8) | bytes[1]!, state: inner.decode(bytes.subarray(2)) }),
    ...(inner.fingerprint === undefined
      ? {}
      : {
          fingerprint: (w: Scheduled<S>, out: Uint32Array) => {
            inner.fingerprint!(w.state, out);
            // Mix the position into both halves (Math.imul keeps it a 32-bit multiply).
            out[0] = (out[0]! ^ Math.imul(w.at + 1, 0x9e3779b1)) >>> 0;
            out[1] = (out[1]! ^ Math.imul(w.at + 1, 0x85ebca6b)) >>> 0;
          },
        }),
  };
}

/** `model` restricted to `schedule`: transition k is one whose first sub-step `schedule[k]` accepts. */
export function scheduledModel<S, A>(
  model: Model<S, A>,
  schedule: readonly ((firstStep: A) => boolean)[],
  label: string,
): Model<Scheduled<S>, A> {
  const successors = (w: Scheduled<S>): Successor<Scheduled<S>, A>[] => {
    if (w.at >= schedule.length) return [];
    const at = w.at + 1;
    return model
      .successors(w.state)
      .filter((x) => schedule[w.at]!(x.via?.[0]?.action ?? x.action))
      .map((x) => ({
        action: x.action,
        state: { at, state: x.state },
        ...(x.via === undefined ? {} : { via: x.via.map((v) => ({ action: v.action, state: { at, state: v.state } })) }),
      }));
  };
  const outsideBounds = model.outsideBounds;
  return {
    name: `${model.name}:schedule=${label}`,
    initStates: () => model.initStates().map((state) => ({ at: 0, state })),
    successors,
    actionName: (a) => model.actionName(a),
    formatAction: (a) => model.formatAction(a),
    actionToJson: (a) => model.actionToJson(a),
    invariants: model.invariants.map((p) => ({ name: p.name, check: (w: Scheduled<S>) => p.check(w.state) })),
    stepProperties: (model.stepProperties ?? []).map((p) => ({
      name: p.name,
      check: (from: Scheduled<S>, a: A, to: Scheduled<S>) => p.check(from.state, a, to.state),
    })),
    witnesses: (model.witnesses ?? []).map((p) => ({ name: p.name, holds: (w: Scheduled<S>) => p.holds(w.state) })),
    ...(outsideBounds === undefined ? {} : { outsideBounds: (w: Scheduled<S>) => outsideBounds(w.state) }),
    codec: scheduledCodec(model.codec),
    toItf: (w) => model.toItf(w.state),
  };
}
