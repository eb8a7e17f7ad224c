/**
 * Refinement on the bounded system: the checks `rsl check` runs at every explored transition and
 * at every explored state, on top of refinement/step.ts's check of one replica action.
 *
 *  - An explored replica transition: the implementation, run on the acting replica's concretized
 *    pre-state with the same slot, packet and clock, must abstract to one of the spec's outcomes.
 *  - An explored step of the election oracle (a view change, checkpoint news): the implementation,
 *    run as the faithful actions the step stands for (refinement/oracle.ts), must reach the
 *    spec's post-state.
 *  - The replica actions the model does not explore because the spec leaves the system unchanged
 *    (stuttering: a packet the gates refuse, a slot with nothing to do; under the oracle also the
 *    view timeout and the quorum check it replaces): the implementation must do exactly the same,
 *    or a bug that acts where the spec does nothing would go unseen.
 *
 * Verdicts are memoised per replica (see `SystemRefinement`).
 */
import { is } from 'immutable';
import { defaultImplActions, referenceName, seedFunctionNames, type ImplActions, type ImplFunctionName } from '../impl/actions.js';
import * as spec from '../spec/index.js';
import { describeAction, oracleStepActions, stutterSlots } from './oracle.js';
import { blameFunction, explainViolation, refineReplicaAction, specOutcomes, type ActionRun, type ReplicaAction } from './step.js';

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

/** The verdict on one replica action, against the spec's outcomes of it or the `outcomes` given. */
export function verdictOf(a: ReplicaAction, impl: ImplActions, outcomes?: readonly ActionRun[]): ActionVerdict {
  const r = refineReplicaAction(a, impl, outcomes ?? specOutcomes(a));
  if (r.refined) return { exercised: r.exercised };
  const blame = blameFunction(a, impl);
  return { exercised: r.exercised, violation: { obligation: obligationOf(blame?.name), explanation: explainViolation(a, r, blame) } };
}

/**
 * The verdict on an oracle step of a replica in scheduler state `pre`: its actions
 * (`oracleStepActions`) in order, up to the first that does not refine the spec; what they called.
 */
export function oracleVerdictOf(
  cfg: spec.SystemConfig,
  pre: spec.SchedulerState,
  step: spec.ViewChangeStep | spec.CheckpointStep,
  impl: ImplActions,
): ActionVerdict {
  const exercised = new Set<ImplFunctionName>();
  for (const x of oracleStepActions(cfg, pre, step)) {
    const v = verdictOf(x.action, impl, x.outcomes);
    v.exercised.forEach((n) => exercised.add(n));
    if (v.violation !== undefined) {
      return { exercised, violation: { obligation: v.violation.obligation, explanation: `${x.what}:\n${v.violation.explanation}` } };
    }
  }
  return { exercised };
}

/**
 * Refinement checks for one model: the explored replica transitions and the stuttering replica
 * actions of each explored state, against the correct spec (a spec mutant changes which states
 * are explored, never what the implementation is compared with).
 *
 * Memoised per replica, on the hash-consed replica states of spec/systemMemo.ts:
 *  - A replica action's verdict is a function of the replica's constants (its index `i`), its
 *    scheduler state `pre`, the slot and the input (packet, clock), and of nothing else:
 *    `verdictOf` reads only the `ReplicaAction` built from them (and the scheduler mode, fixed per
 *    configuration). So it is memoised by (i, pre, slot, packet, clock).
 *  - Which actions of replica `i` could stutter, and what each would need to be a stutter, is a
 *    function of (i, pre, its receivable packets, its last clock reading): the slots come from
 *    `pre` (its scheduler index, or under the oracle its batch timer), the inputs from the
 *    receivable list and the clock domain (the last reading), and the spec outcomes from the
 *    action. An action is a stutter in a given state when every outcome leaves `pre` unchanged,
 *    the clock does not move (both fixed by that key), and every packet it sends is already in
 *    that state's packet set: that last condition is evaluated per state, on the packets the
 *    candidate records (`needs`).
 *  - An oracle step's verdict is a function of (i, pre, the step): memoised so.
 * `pre` is keyed by identity, after mapping each scheduler state to one object per value (the
 * successor machinery already shares them; states decoded in a worker are mapped on first sight).
 */
export class SystemRefinement {
  /** Per replica: action verdicts by scheduler state, then by slot and input. */
  private readonly verdicts: WeakMap<spec.SchedulerState, Map<string, ActionVerdict>>[];
  /** Per replica: oracle step verdicts by scheduler state, then by step. */
  private readonly oracleVerdicts: WeakMap<spec.SchedulerState, Map<string, ActionVerdict>>[];
  /** Per replica: stutter candidates by scheduler state, then receivable list, then last clock reading. */
  private readonly candidates: WeakMap<spec.SchedulerState, Map<readonly spec.Packet[], Map<number, StutterCandidates>>>[];
  /** Per replica: the one scheduler state for each value seen (by hash), and the alias of every other object. */
  private readonly canonical: Map<number, spec.SchedulerState[]>[];
  private readonly aliases = new WeakMap<spec.SchedulerState, spec.SchedulerState>();
  /** The last transition asked for: every step obligation asks for the same one in turn. */
  private last: { readonly from: spec.RslSystem; readonly step: spec.SystemStep; readonly verdict: ActionVerdict | null } | undefined;

  constructor(
    private readonly cfg: spec.SystemConfig,
    private readonly impl: ImplActions = defaultImplActions,
  ) {
    const n = cfg.constants.config.replicaIds.size;
    this.verdicts = Array.from({ length: n }, () => new WeakMap());
    this.oracleVerdicts = Array.from({ length: n }, () => new WeakMap());
    this.candidates = Array.from({ length: n }, () => new WeakMap());
    this.canonical = Array.from({ length: n }, () => new Map());
  }

  /** The verdict on an explored step from `from`; null for a client step. */
  transition(from: spec.RslSystem, step: spec.SystemStep): ActionVerdict | null {
    if (this.last?.step === step && this.last.from === from) return this.last.verdict;
    let v: ActionVerdict | null = null;
    if (step.kind === 'replica') {
      const input: spec.SlotInput = {
        ...(step.packet === undefined ? {} : { packet: step.packet }),
        ...(step.clock === undefined ? {} : { clock: step.clock }),
      };
      v = this.actionVerdict(from, step.replica, step.action, input) ?? null;
    } else if (step.kind === 'view' || step.kind === 'checkpoint') {
      v = this.oracleVerdict(from, step) ?? null;
    }
    this.last = { from, step, verdict: v };
    return v;
  }

  /** The verdict on every replica action of `sys` that the spec makes stutter (and the model therefore does not explore). */
  stutters(sys: spec.RslSystem): StutterVerdict {
    let checked = 0;
    for (let i = 0; i < sys.replicas.size; i++) {
      const v = this.stuttersOf(sys, i);
      checked += v.checked;
      if (v.violation !== undefined) return { checked, violation: v.violation };
    }
    return { checked };
  }

  /** The same verdict for replica `i` alone: `stutters` is the conjunction of these over the replicas. */
  stuttersOf(sys: spec.RslSystem, i: number): StutterVerdict {
    const c = this.stutterCandidates(sys, i);
    if (c === undefined) return { checked: 0 };
    if (c.summary !== undefined) return c.summary;
    let here = 0;
    let violation: StutterVerdict['violation'];
    for (const x of c.list) {
      if (!x.needs.every((p) => sys.sentPackets.has(p))) continue;
      here++;
      violation = this.stutterViolation(sys, i, x);
      if (violation !== undefined) break;
    }
    // A replica whose candidates need no packet gets the same verdict in every state: keep it.
    if (c.list.every((x) => x.needs.length === 0)) c.summary = { checked: here, ...(violation === undefined ? {} : { violation }) };
    return { checked: here, ...(violation === undefined ? {} : { violation }) };
  }

  private stutterViolation(sys: spec.RslSystem, i: number, x: StutterCandidate): StutterVerdict['violation'] {
    const v = this.actionVerdict(sys, i, x.slot, x.input);
    if (v?.violation === undefined) return undefined;
    return {
      obligation: v.violation.obligation,
      explanation: `${describeAction(this.cfg, i, x.slot, x.input)} leaves the system unchanged in the spec, but not in the implementation:\n${v.violation.explanation}`,
    };
  }

  /** The one object for the value of scheduler state `s` of replica `i`. */
  private canonicalOf(i: number, s: spec.SchedulerState): spec.SchedulerState {
    const alias = this.aliases.get(s);
    if (alias !== undefined) return alias;
    const h = s.hashCode();
    const table = this.canonical[i]!;
    const bucket = table.get(h);
    let same = bucket?.find((q) => is(q, s));
    if (same === undefined) {
      same = s;
      if (bucket === undefined) table.set(h, [s]);
      else bucket.push(s);
    }
    this.aliases.set(s, same);
    return same;
  }

  /** The verdict on replica `i` running `slot` on `input` in `sys` (undefined: no such replica). */
  private actionVerdict(sys: spec.RslSystem, i: number, slot: number, input: spec.SlotInput): ActionVerdict | undefined {
    const a = actionOf(this.cfg, sys, i, slot, input);
    if (a === undefined) return undefined;
    const pre = this.canonicalOf(i, a.pre);
    const table = this.verdicts[i]!;
    let bySlot = table.get(pre);
    if (bySlot === undefined) table.set(pre, (bySlot = new Map()));
    const key = `${slot}:${input.clock ?? ''}:${input.packet === undefined ? '' : spec.packetId(input.packet)}`;
    let v = bySlot.get(key);
    if (v === undefined) {
      v = verdictOf({ ...a, pre }, this.impl);
      bySlot.set(key, v);
    }
    return v;
  }

  /** The verdict on oracle step `step` from `sys` (undefined: no such replica). */
  private oracleVerdict(sys: spec.RslSystem, step: spec.ViewChangeStep | spec.CheckpointStep): ActionVerdict | undefined {
    const raw = sys.replicas.get(step.replica);
    if (raw === undefined) return undefined;
    const pre = this.canonicalOf(step.replica, raw);
    const table = this.oracleVerdicts[step.replica]!;
    let bySteps = table.get(pre);
    if (bySteps === undefined) table.set(pre, (bySteps = new Map()));
    const key = step.kind === 'view' ? `v${step.view.seqno},${step.view.proposerId}` : `c${step.from},${step.opn}`;
    let v = bySteps.get(key);
    if (v === undefined) {
      v = oracleVerdictOf(this.cfg, pre, step, this.impl);
      bySteps.set(key, v);
    }
    return v;
  }

  /** The actions of replica `i` in `sys` that stutter in the spec, given the packets they send are already sent. */
  private stutterCandidates(sys: spec.RslSystem, i: number): StutterCandidates | undefined {
    const raw = sys.replicas.get(i);
    if (raw === undefined) return undefined;
    const pre = this.canonicalOf(i, raw);
    const receivable = spec.receivablePackets(this.cfg, sys, i);
    const clock = sys.clocks.get(i) ?? 0;
    const table = this.candidates[i]!;
    let byPackets = table.get(pre);
    if (byPackets === undefined) table.set(pre, (byPackets = new Map()));
    let byClock = byPackets.get(receivable);
    if (byClock === undefined) byPackets.set(receivable, (byClock = new Map()));
    let c = byClock.get(clock);
    if (c === undefined) {
      const list: StutterCandidate[] = [];
      for (const slot of stutterSlots(this.cfg, sys, i)) {
        for (const input of spec.slotInputs(this.cfg, sys, i, slot)) {
          const a = actionOf(this.cfg, sys, i, slot, input);
          if (a === undefined) continue;
          const outcomes = specOutcomes(a);
          if (!outcomes.every((o) => this.leavesUnchanged(sys, i, a, o))) continue;
          const needs = new Set<spec.Packet>();
          for (const o of outcomes) o.sent.forEach((p) => void needs.add(p));
          list.push({ slot, input, needs: [...needs] });
        }
      }
      c = { list };
      byClock.set(clock, c);
    }
    return c;
  }

  /** Whether an outcome leaves replica `i` as it was and its clock where it was (a stutter, if what it sends is not new). */
  private leavesUnchanged(sys: spec.RslSystem, i: number, a: ReplicaAction, o: { state: spec.SchedulerState }): boolean {
    const clockMoves =
      this.cfg.monotoneClocks &&
      this.cfg.electionOracle === undefined &&
      a.input.clock !== undefined &&
      a.input.clock !== sys.clocks.get(i);
    // Under the election oracle the model compares states after its timing abstraction (the
    // implementation is still compared with the spec's outcome itself, before it).
    const state =
      this.cfg.electionOracle === undefined ? o.state : o.state.set('replica', spec.abstractReplicaTiming(a.rc, o.state.replica));
    return !clockMoves && is(state, a.pre);
  }
}

/** A replica action the spec makes stutter when every packet in `needs` (what it sends) is already sent. */
interface StutterCandidate {
  readonly slot: number;
  readonly input: spec.SlotInput;
  readonly needs: readonly spec.Packet[];
}

interface StutterCandidates {
  readonly list: readonly StutterCandidate[];
  /** The replica's part of the verdict, once known to be the same in every state (no candidate needs a packet). */
  summary?: StutterVerdict;
}

export interface StutterVerdict {
  /** How many stuttering replica actions were checked. */
  readonly checked: number;
  readonly violation?: { readonly obligation: string; readonly explanation: string };
}
