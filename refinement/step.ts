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
  referenceName,
  type CallRecorder,
  type ImplActions,
  type ImplFunctionName,
} from '../impl/actions.js';
import { abstractAcceptor, cAcceptorValid } from '../impl/acceptor.js';
import { concreteReplicaConstants } from '../impl/configuration.js';
import { abstractProposer, cProposerValid } from '../impl/proposer.js';
import { abstractExecutor } from '../impl/executor.js';
import { abstractLearner } from '../impl/learner.js';
import { concreteReplica } from '../impl/replica.js';
import { concreteHost, hostStep } from '../impl/host.js';
import { abstractPackets, concretePacket } from '../impl/message.js';
import * as spec from '../spec/index.js';
import { differences, render, type FieldDifference } from './diff.js';
import { functionChecks, preconditions, sameObserved, type FunctionCheck, type Observed } from './functions.js';

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
  /** The implementation's state after the run satisfies its representation invariants (always true for the spec's). */
  readonly valid: boolean;
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
  if (a.roundRobin) return spec.schedulerNext(a.rc, a.pre, a.input, P).map((o) => ({ state: o.state, sent: o.sent, valid: true }));
  return spec
    .replicaNextAction(a.rc, a.pre.replica, a.slot, a.input, P)
    .map((o) => ({ state: a.pre.set('replica', o.state), sent: o.sent, valid: true }));
}

/** Forwards every call to whichever recorder is current. */
class SwitchingRecorder implements CallRecorder {
  current: CallRecorder | undefined;
  enter(name: ImplFunctionName, args: readonly unknown[]): void {
    this.current?.enter(name, args);
  }
  exit(name: ImplFunctionName, args: readonly unknown[], result: unknown): void {
    this.current?.exit(name, args, result);
  }
}

const recordingTables = new WeakMap<ImplActions, { readonly table: ImplActions; readonly switching: SwitchingRecorder }>();

/** `impl` instrumented to report to `recorder`; the instrumented table is built once per `impl` and reused. */
function recordingTable(impl: ImplActions, recorder: CallRecorder): ImplActions {
  let entry = recordingTables.get(impl);
  if (entry === undefined) {
    const switching = new SwitchingRecorder();
    entry = { table: instrumented(impl, switching), switching };
    recordingTables.set(impl, entry);
  }
  entry.switching.current = recorder;
  return entry.table;
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
  const T = recorder === undefined ? impl : recordingTable(impl, recorder);
  const pre = a.roundRobin ? a.pre : a.pre.set('nextActionIndex', a.slot);
  const host = concreteHost(c, pre, T);
  // A second, untouched concretization: a component the run left equal to it abstracts to the
  // pre-state's own component (abstraction inverts concretization), so only changed ones are abstracted.
  const pristine = concreteReplica(pre.replica);
  const received = a.input.packet === undefined ? null : concretePacket(a.input.packet);
  const sent = hostStep(host, a.input.clock ?? 0, received);
  const r = host.replica;
  const s = pre.replica;
  const replica = spec.ReplicaStateRecord({
    nextHeartbeatTime: r.nextHeartbeatTime,
    proposer: sameConcrete(r.proposer, pristine.proposer) ? s.proposer : abstractProposer(r.proposer),
    acceptor: sameConcrete(r.acceptor, pristine.acceptor) ? s.acceptor : abstractAcceptor(r.acceptor),
    learner: sameConcrete(r.learner, pristine.learner) ? s.learner : abstractLearner(r.learner),
    executor: sameConcrete(r.executor, pristine.executor) ? s.executor : abstractExecutor(r.executor),
  });
  const state = spec.SchedulerStateRecord({ replica, nextActionIndex: a.roundRobin ? host.nextActionIndex : a.pre.nextActionIndex });
  const valid = cAcceptorValid(r.acceptor) && cProposerValid(r.proposer);
  return { state, sent: abstractPackets(sent), valid };
}

/**
 * Structural equality of plain concrete values (objects, arrays, Maps, Sets, primitives), with
 * identity as the fast path: two concretizations of one spec value share their immutable leaves.
 */
export function sameConcrete(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameConcrete(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameConcrete(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Set) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameConcrete((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Whether two outcomes are equal: the same scheduler state and the same packets in the same order. */
export function sameRun(x: ActionRun, y: ActionRun): boolean {
  return is(x.state, y.state) && is(x.sent, y.sent) && x.valid === y.valid;
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

// ---------------------------------------------------------------------------------------------
// Naming the function at fault

/** An implementation function call whose outcome the spec function it refines does not allow. */
export interface FunctionViolation {
  readonly name: ImplFunctionName;
  readonly refines: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly allowed: readonly Observed[];
  /** The outcome the call had, when that is the fault. */
  readonly actual?: Observed;
  /** Otherwise what is wrong with the call. */
  readonly fault?: string;
}

/**
 * Checks every call against its spec function and keeps the first fault, in the order faults
 * show: a call outside its precondition (the caller's fault, found when the call starts), or a
 * call that returns an outcome its spec function does not allow or a state that breaks the
 * representation invariant (found when it returns; the innermost such call comes first).
 */
class CheckingRecorder implements CallRecorder {
  private readonly stack: Array<{ readonly name: ImplFunctionName; readonly check: FunctionCheck }> = [];
  first: FunctionViolation | undefined;
  enter(name: ImplFunctionName, args: readonly unknown[]): void {
    const check = functionChecks[name](args);
    const requires = preconditions[name];
    const caller = this.stack[this.stack.length - 1];
    if (this.first === undefined && requires !== undefined && !requires(args) && caller !== undefined) {
      this.first = {
        name: caller.name,
        refines: caller.check.refines,
        inputs: caller.check.inputs,
        allowed: caller.check.allowed,
        fault: `it calls ${referenceName(name)} outside its precondition`,
      };
    }
    this.stack.push({ name, check });
  }
  exit(name: ImplFunctionName, _args: readonly unknown[], result: unknown): void {
    const { check } = this.stack.pop()!;
    if (this.first !== undefined) return;
    const actual = check.observe(result);
    if (!check.allowed.some((o) => sameObserved(o, actual))) {
      this.first = { name, refines: check.refines, inputs: check.inputs, allowed: check.allowed, actual };
    } else if (!check.valid()) {
      this.first = {
        name,
        refines: check.refines,
        inputs: check.inputs,
        allowed: check.allowed,
        fault: 'it leaves a state that breaks the representation invariant (one 1b per sender, exact vote-slot cache)',
      };
    }
  }
}

/**
 * Runs the action again with every call checked against its own spec function, and returns the
 * innermost call that fails (the first to return), or undefined when every call refines its spec
 * function and only their composition (the host step) is at fault.
 */
export function blameFunction(a: ReplicaAction, impl: ImplActions = defaultImplActions): FunctionViolation | undefined {
  const recorder = new CheckingRecorder();
  runImplementation(a, impl, recorder);
  return recorder.first;
}

/** The allowed outcome closest to `actual` (fewest differing fields), and those differences. */
function closest(allowed: readonly Observed[], actual: Observed): FieldDifference[] {
  let best: FieldDifference[] | undefined;
  for (const o of allowed) {
    const d = [
      ...differences(o.state, actual.state, 'state'),
      ...differences(o.sent, actual.sent, 'sent'),
      ...differences(o.value, actual.value, 'result'),
    ];
    if (best === undefined || d.length < best.length) best = d;
  }
  return best ?? [{ path: '(outcome)', spec: 'no outcome (the action is disabled)', impl: 'an outcome' }];
}

function table(rows: readonly FieldDifference[]): string[] {
  return rows.map((r) => `    ${r.path}\n      spec: ${r.spec}\n      impl: ${r.impl}`);
}

/** The explanation of a refinement violation: the function, its input, and the spec's and the implementation's outcome where they differ. */
export function explainViolation(a: ReplicaAction, r: ActionRefinement, blame: FunctionViolation | undefined): string {
  const lines: string[] = [];
  if (blame !== undefined) {
    lines.push(`${referenceName(blame.name)} does not refine ${blame.refines}${blame.fault === undefined ? '' : `: ${blame.fault}`}`);
    lines.push('  input:');
    for (const [k, v] of Object.entries(blame.inputs)) lines.push(`    ${k}: ${render(v)}`);
    if (blame.actual !== undefined) {
      const relation = blame.allowed.length > 1 ? "; the closest of the spec relation's outcomes" : '';
      lines.push(`  outcome (spec vs impl, only the fields that differ${relation}):`);
      lines.push(...table(closest(blame.allowed, blame.actual)));
    }
  } else {
    lines.push(
      `the host step (slot ${a.slot}, ${spec.schedulerSlots[a.slot]?.name ?? '?'}) does not refine the spec, though every function it called refines its own`,
    );
  }
  lines.push('  the whole action (spec vs impl, only the fields that differ):');
  lines.push(
    ...table(
      closest(
        r.spec.map((o) => ({ state: o.state, sent: o.sent })),
        { state: r.impl.state, sent: r.impl.sent },
      ),
    ),
  );
  return lines.join('\n');
}
