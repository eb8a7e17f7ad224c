/**
 * Refinement of one replica action: run the implementation on the concrete form of a spec
 * pre-state and input, abstract the result, and compare it with the spec's outcomes (for a
 * relation, the implementation's outcome must be one of them), sent packets included, in order.
 *
 * This is a per-action check: it takes one replica's pre-state, one scheduler slot and one input,
 * so it applies equally to a model step that is one action and to each action inside a round.
 */
import { is, type List } from 'immutable';
import {
  defaultImplActions,
  instrumented,
  type CallRecorder,
  type ImplActions,
  type ImplFunctionName,
} from '../impl/actions.js';
import { concreteReplicaConstants } from '../impl/configuration.js';
import { abstractHost, concreteHost, hostStep } from '../impl/host.js';
import { abstractPackets, concretePacket } from '../impl/message.js';
import * as spec from '../spec/index.js';

/** One replica action, as the spec sees it. */
export interface ReplicaAction {
  readonly rc: spec.ReplicaConstants;
  readonly pre: spec.SchedulerState;
  readonly slot: number;
  readonly input: spec.SlotInput;
  /**
   * Round-robin: the slot is `pre.nextActionIndex` and the scheduler index advances (the whole
   * host step is compared). Otherwise the action runs outside the scheduler and the index stays.
   */
  readonly roundRobin: boolean;
}

export interface ActionRun {
  readonly state: spec.SchedulerState;
  readonly sent: List<spec.Packet>;
}

export interface ActionRefinement {
  readonly refined: boolean;
  /** Every implementation function the action called (at any depth). */
  readonly exercised: ReadonlySet<ImplFunctionName>;
  /** The implementation's outcome, abstracted. */
  readonly impl: ActionRun;
  /** The spec's outcomes (more than one only for a relation). */
  readonly spec: readonly ActionRun[];
}

/** The spec's outcomes of the action (as scheduler states). */
export function specOutcomes(a: ReplicaAction, P: spec.SpecActions = spec.defaultSpecActions): ActionRun[] {
  if (a.roundRobin) return spec.schedulerNext(a.rc, a.pre, a.input, P).map((o) => ({ state: o.state, sent: o.sent }));
  return spec
    .replicaNextAction(a.rc, a.pre.replica, a.slot, a.input, P)
    .map((o) => ({ state: a.pre.set('replica', o.state), sent: o.sent }));
}

/** Records the names of the functions called; nothing else. */
class NameRecorder implements CallRecorder {
  readonly names = new Set<ImplFunctionName>();
  enter(name: ImplFunctionName): void {
    this.names.add(name);
  }
  exit(): void {}
}

/**
 * Runs the implementation on the action (through `recorder` when given) and returns its
 * outcome, abstracted. The pre-state is concretized into fresh mutable structures first.
 */
export function runImplementation(a: ReplicaAction, impl: ImplActions = defaultImplActions, recorder?: CallRecorder): ActionRun {
  const c = concreteReplicaConstants(a.rc);
  const T = recorder === undefined ? impl : instrumented(impl, recorder);
  const pre = a.roundRobin ? a.pre : a.pre.set('nextActionIndex', a.slot);
  const host = concreteHost(c, pre, T);
  const received = a.input.packet === undefined ? null : concretePacket(a.input.packet);
  const sent = hostStep(host, a.input.clock ?? 0, received);
  const after = abstractHost(host);
  return { state: a.roundRobin ? after : after.set('nextActionIndex', a.pre.nextActionIndex), sent: abstractPackets(sent) };
}

/** Whether two outcomes are equal: the same scheduler state and the same packets in the same order. */
export function sameRun(x: ActionRun, y: ActionRun): boolean {
  return is(x.state, y.state) && is(x.sent, y.sent);
}

/** The refinement check of one action. `outcomes` may be passed when the caller already has the spec's. */
export function refineReplicaAction(
  a: ReplicaAction,
  impl: ImplActions = defaultImplActions,
  outcomes: readonly ActionRun[] = specOutcomes(a),
): ActionRefinement {
  const recorder = new NameRecorder();
  const run = runImplementation(a, impl, recorder);
  return { refined: outcomes.some((o) => sameRun(o, run)), exercised: recorder.names, impl: run, spec: outcomes };
}
