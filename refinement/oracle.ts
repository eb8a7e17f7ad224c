/**
 * What refinement runs for the election oracle's own steps (configs/README.md, "The election
 * oracle"). The oracle replaces the election's timing by environment steps; each is checked as
 * the faithful replica actions it stands for, run by the implementation on the concrete form of
 * the acting replica's state (refinement/step.ts), each from the spec's own state before it:
 *
 *  - A view change to `v` is the receipt of a non-suspicious heartbeat from `v`'s leader, and
 *    checkpoint news is the receipt of a heartbeat carrying that executed count: the implementation
 *    receives the very packet the oracle synthesizes (slot 0: cReplicaNextProcessHeartbeat, so
 *    cProposerProcessHeartbeat, cElectionStateProcessHeartbeat and cAcceptorProcessHeartbeat) and
 *    must reach exactly the oracle's post-state before its timing abstraction, hence also after it.
 *  - A view change to the immediate successor of the current view is also what a quorum of
 *    suspicions does. The suspicion path: the replica's view timeout at the end of its epoch, the
 *    quorum check, then a suspicious heartbeat about the view from each replica that does not
 *    suspect it yet (the others in index order, then its own), each followed by the quorum check,
 *    until the view moves. It is run action by action (CElectionStateCheckForViewTimeout,
 *    CElectionStateCheckForQuorumOfViewSuspicions, CElectionStateProcessHeartbeat's suspicion
 *    branch), and used only when the spec's own path ends, abstracted, in the oracle's post-state.
 *
 * The intermediate states of the suspicion path are not oracle states but faithful states that
 * abstract to the pre-state (they differ in erased fields only: suspectors, epoch length and end):
 * states of the concretization, on which the implementation must do what the spec does.
 */
import { is, List } from 'immutable';
import * as spec from '../spec/index.js';
import type { ActionRun, ReplicaAction } from './step.js';

/** One replica action of an oracle step's check, what it is (for an explanation), and the outcomes it must reach (the spec's own when absent). */
export interface OracleAction {
  readonly action: ReplicaAction;
  readonly what: string;
  readonly outcomes?: readonly ActionRun[];
}

type OracleStep = spec.ViewChangeStep | spec.CheckpointStep;

/**
 * The slots the oracle replaces that the spec makes stutter on every abstract state: the view
 * timeout (the epoch end is erased to 0, so any reading is past it; it starts a quiet epoch or
 * suspects the view, changing erased fields only) and the quorum check (no suspectors are kept).
 * MaybeSendHeartbeat is not one: it sends heartbeats, which the oracle's steps stand for.
 */
export const oracleStutterSlots: readonly number[] = Object.freeze([
  spec.Slot.CheckForViewTimeout,
  spec.Slot.CheckForQuorumOfViewSuspicions,
]);

/** The slots whose stuttering actions refinement checks for replica `i`: the runnable ones, and under the oracle those it replaces but that stutter. */
export function stutterSlots(cfg: spec.SystemConfig, sys: spec.RslSystem, i: number): readonly number[] {
  const runnable = spec.runnableSlots(cfg, sys, i);
  return cfg.electionOracle === undefined ? runnable : [...runnable, ...oracleStutterSlots];
}

/** A replica action as the explanations name it: `r0.ProcessPacket receiving … at t=0`. */
export function describeAction(cfg: spec.SystemConfig, i: number, slot: number, input: spec.SlotInput): string {
  const where = `${cfg.constants.config.replicaIds.get(i) ?? i}.${spec.schedulerSlots[slot]?.name ?? slot}`;
  const packet = input.packet === undefined ? '' : ` receiving ${spec.formatPacket(input.packet)}`;
  const clock = input.clock === undefined ? '' : ` at t=${input.clock}`;
  return `${where}${packet}${clock}`;
}

/**
 * The replica actions that check oracle step `step` of a replica in scheduler state `pre`, in
 * order: the heartbeat receipt, then (for a view change to the successor view) the suspicion path.
 * Empty for a step of a replica that does not exist.
 */
export function oracleStepActions(cfg: spec.SystemConfig, pre: spec.SchedulerState, step: OracleStep): OracleAction[] {
  const rc = spec.replicaConstantsOf(cfg)[step.replica];
  if (rc === undefined) return [];
  const P = spec.defaultSpecActions;
  const s = pre.replica;
  const [hb, post] =
    step.kind === 'view'
      ? [spec.oracleViewHeartbeat(rc, step.view), spec.oracleViewChange(rc, s, step.view, P)]
      : [spec.oracleCheckpointHeartbeat(rc, s, step.from, step.opn), spec.oracleCheckpoint(rc, s, step.from, step.opn, P)];
  const stepText = spec.formatStep(cfg, step);
  // Outside the scheduler (the oracle needs the `any` scheduler): the index stays where it is.
  const receipt: ReplicaAction = { rc, pre, slot: spec.Slot.ProcessPacket, input: { packet: hb, clock: 0 }, roundRobin: false };
  const out: OracleAction[] = [
    {
      action: receipt,
      what: `${stepText}, run by the implementation as ${describeAction(cfg, step.replica, receipt.slot, receipt.input)}`,
      outcomes: [{ state: pre.set('replica', post), sent: List(), valid: true }],
    },
  ];
  if (step.kind === 'view') {
    const path = suspicionPath(rc, pre, step.view, spec.abstractReplicaTiming(rc, post));
    path?.forEach((a, k) =>
      out.push({
        action: a,
        what: `${stepText}, run by the implementation as a quorum of suspicions, action ${k + 1} of ${path.length}: ${describeAction(cfg, step.replica, a.slot, a.input)}`,
      }),
    );
  }
  return out;
}

/**
 * The suspicion path from `pre` to view `view` (see the module comment), or undefined when `view`
 * is not the successor of the current view or the spec's path does not end in `post` (abstracted).
 */
function suspicionPath(
  rc: spec.ReplicaConstants,
  pre: spec.SchedulerState,
  view: spec.Ballot,
  post: spec.ReplicaState,
): ReplicaAction[] | undefined {
  const config = rc.all.config;
  const es = pre.replica.proposer.electionState;
  const current = es.currentView;
  if (!is(view, spec.computeSuccessorView(current, config))) return undefined;
  const clock = es.epochEndTime;
  const me = config.replicaIds.get(rc.myIndex) ?? '';
  const actions: ReplicaAction[] = [];
  let s = pre;
  const run = (slot: number, input: spec.SlotInput): void => {
    actions.push({ rc, pre: s, slot, input, roundRobin: false });
    const outcome = spec.replicaNextAction(rc, s.replica, slot, input)[0];
    if (outcome !== undefined) s = s.set('replica', outcome.state);
  };
  const moved = (): boolean => !is(s.replica.proposer.electionState.currentView, current);
  run(spec.Slot.CheckForViewTimeout, { clock });
  run(spec.Slot.CheckForQuorumOfViewSuspicions, { clock });
  // The other replicas in index order, then (when a quorum needs it: one or two replicas) its own.
  const senders = [...config.replicaIds.keys()].filter((j) => j !== rc.myIndex).concat([rc.myIndex]);
  for (const j of senders) {
    if (moved()) break;
    if (s.replica.proposer.electionState.currentViewSuspectors.has(j)) continue;
    // Carrying the checkpoint the acceptor already knows of: no news.
    const known = s.replica.acceptor.lastCheckpointedOperation.get(j) ?? 0;
    const hb = spec.packet(me, config.replicaIds.get(j) ?? '', spec.messageHeartbeat(current, true, known));
    run(spec.Slot.ProcessPacket, { packet: hb, clock });
    run(spec.Slot.CheckForQuorumOfViewSuspicions, { clock });
  }
  return moved() && is(spec.abstractReplicaTiming(rc, s.replica), post) ? actions : undefined;
}
