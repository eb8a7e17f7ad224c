/**
 * Refinement on the bounded system: the checks `rsl check` runs at every explored transition and
 * at every explored state, on top of refinement/step.ts's check of one replica action.
 *
 *  - An explored replica transition: the implementation, run on the acting replica's concretized
 *    pre-state with the same slot, packet and clock, must abstract to one of the spec's outcomes.
 *  - The replica actions the model does not explore because the spec leaves the system unchanged
 *    (stuttering: a packet the gates refuse, a slot with nothing to do): the implementation must
 *    do exactly the same, or a bug that acts where the spec does nothing would go unseen.
 *
 * Results are memoised per step object and per state, since the model asks once per obligation.
 */
import { is } from 'immutable';
import { defaultImplActions, referenceName, seedFunctionNames, type ImplActions, type ImplFunctionName } from '../impl/actions.js';
import * as spec from '../spec/index.js';
import { blameFunction, explainViolation, refineReplicaAction, specOutcomes, type ReplicaAction } from './step.js';

/** What refinement says about one replica action. */
export interface ActionVerdict {
  readonly exercised: ReadonlySet<ImplFunctionName>;
  /** Absent when the action refines the spec. */
  readonly violation?: {
    /** The seed function at fault, or `HostStep` when the fault is elsewhere in the step. */
    readonly obligation: string;
    readonly explanation: string;
  };
}

const seedNames = new Set<ImplFunctionName>(seedFunctionNames);

/** The name of the obligation a function's violations count against: its own for the 21, the host step's otherwise. */
export function obligationOf(name: ImplFunctionName | undefined): string {
  return name !== undefined && seedNames.has(name) ? referenceName(name) : 'HostStep';
}

function actionOf(cfg: spec.SystemConfig, sys: spec.RslSystem, i: number, slot: number, input: spec.SlotInput): ReplicaAction | undefined {
  const rc = spec.replicaConstantsOf(cfg)[i];
  const pre = sys.replicas.get(i);
  if (rc === undefined || pre === undefined) return undefined;
  return { rc, pre, slot, input, roundRobin: cfg.scheduler === 'round-robin' };
}

function verdictOf(a: ReplicaAction, impl: ImplActions, outcomes?: ReturnType<typeof specOutcomes>): ActionVerdict {
  const r = refineReplicaAction(a, impl, outcomes);
  if (r.refined) return { exercised: r.exercised };
  const blame = blameFunction(a, impl);
  return { exercised: r.exercised, violation: { obligation: obligationOf(blame?.name), explanation: explainViolation(a, r, blame) } };
}

/**
 * Refinement checks for one model: the explored replica transitions and the stuttering replica
 * actions of each explored state, against the correct spec (a spec mutant changes which states
 * are explored, never what the implementation is compared with).
 */
export class SystemRefinement {
  private readonly steps = new WeakMap<object, ActionVerdict | null>();
  private readonly states = new WeakMap<object, StutterVerdict>();
  constructor(
    private readonly cfg: spec.SystemConfig,
    private readonly impl: ImplActions = defaultImplActions,
  ) {}

  /** The verdict on an explored step from `from`; null for a step that is not a replica action. */
  transition(from: spec.RslSystem, step: spec.SystemStep): ActionVerdict | null {
    const hit = this.steps.get(step);
    if (hit !== undefined) return hit;
    let v: ActionVerdict | null = null;
    if (step.kind === 'replica') {
      const input: spec.SlotInput = {
        ...(step.packet === undefined ? {} : { packet: step.packet }),
        ...(step.clock === undefined ? {} : { clock: step.clock }),
      };
      const a = actionOf(this.cfg, from, step.replica, step.action, input);
      if (a !== undefined) v = verdictOf(a, this.impl);
    }
    this.steps.set(step, v);
    return v;
  }

  /** The verdict on every replica action of `sys` that the spec makes stutter (and the model therefore does not explore). */
  stutters(sys: spec.RslSystem): StutterVerdict {
    const hit = this.states.get(sys);
    if (hit !== undefined) return hit;
    const v = this.checkStutters(sys);
    this.states.set(sys, v);
    return v;
  }

  private checkStutters(sys: spec.RslSystem): StutterVerdict {
    let checked = 0;
    for (let i = 0; i < sys.replicas.size; i++) {
      for (const slot of spec.runnableSlots(this.cfg, sys, i)) {
        for (const input of spec.slotInputs(this.cfg, sys, i, slot)) {
          const a = actionOf(this.cfg, sys, i, slot, input);
          if (a === undefined) continue;
          const outcomes = specOutcomes(a);
          if (!outcomes.every((o) => this.isStutter(sys, i, a, o))) continue;
          checked++;
          const v = verdictOf(a, this.impl, outcomes);
          if (v.violation !== undefined) {
            const where = `${this.cfg.constants.config.replicaIds.get(i) ?? i}.${spec.schedulerSlots[slot]?.name ?? slot}`;
            const packet = input.packet === undefined ? '' : ` receiving ${spec.formatPacket(input.packet)}`;
            const clock = input.clock === undefined ? '' : ` at t=${input.clock}`;
            return {
              checked,
              violation: {
                obligation: v.violation.obligation,
                explanation: `${where}${packet}${clock} leaves the system unchanged in the spec, but not in the implementation:\n${v.violation.explanation}`,
              },
            };
          }
        }
      }
    }
    return { checked };
  }

  /** Whether an outcome is a stutter in the system's sense: nothing changes, nothing new is sent. */
  private isStutter(sys: spec.RslSystem, i: number, a: ReplicaAction, o: { state: spec.SchedulerState; sent: spec.Sent }): boolean {
    const clockMoves =
      this.cfg.monotoneClocks &&
      this.cfg.electionOracle === undefined &&
      a.input.clock !== undefined &&
      a.input.clock !== sys.clocks.get(i);
    // Under the election oracle the model compares states after its timing abstraction.
    const state =
      this.cfg.electionOracle === undefined ? o.state : o.state.set('replica', spec.abstractReplicaTiming(a.rc, o.state.replica));
    return !clockMoves && is(state, a.pre) && o.sent.every((p) => sys.sentPackets.has(p));
  }
}

export interface StutterVerdict {
  /** How many stuttering replica actions were checked. */
  readonly checked: number;
  readonly violation?: { readonly obligation: string; readonly explanation: string };
}
