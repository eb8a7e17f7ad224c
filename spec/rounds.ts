/**
 * Scheduler rounds (rsl-protocol.md §10.4; design.md "Granularity"): the checked model advances
 * one replica's whole round at a time, composed from the spec's own actions.
 *
 * IronRSL's scheduler runs, per replica, a receive (slot 0: one packet, or none) and then its
 * spontaneous slots in order. A spontaneous action reads only its own replica and only adds
 * packets to a grow-only set, so it commutes to the left past any other replica's step: a round is
 * a Lipton transaction (one non-mover, the receive, then left movers). Every state of the
 * round-robin system in which no replica is in the middle of a round is therefore reachable one
 * round at a time, and conversely. The states passed through inside a round are returned too, so
 * that every obligation is also checked on them (configs/README.md gives the argument and its
 * limit: states in which two replicas are mid-round at once are not enumerated).
 *
 * Under the election oracle the rotation is the round-robin with the slots the oracle replaces
 * left out, and the oracle's own moves sit where the faithful election makes them: a view change
 * or a checkpoint (or both: one heartbeat carries both) in place of slot 0's receive, and a view
 * change after the spontaneous slots, where CheckForQuorumOfViewSuspicions (slot 8) makes one.
 *
 * Inside a round the scheduler index is not written: every state given here, in a round or at its
 * end, is a state of the `any`-scheduler action model, so its sub-steps replay there one by one.
 * The tests build the action-granular round-robin over the same positions (`roundAlternatives`
 * one position at a time, with the index in the state) and compare the two.
 */
import {
  clientSuccessors,
  oracleSteps,
  oracleSuccessor,
  replicaSlotSuccessors,
  slotInputs,
  type RslSystem,
  type SystemConfig,
  type SystemStep,
  type SystemSuccessor,
} from './system.js';
import { defaultSpecActions, Slot, type SpecActions } from './replica.js';

/** One sub-step of a round: the action-granular step and the state after it. */
export interface RoundStep {
  readonly step: SystemStep;
  readonly state: RslSystem;
}

/** One round of one replica: the sub-steps that changed something, in order (never empty). */
export type Round = readonly RoundStep[];

/**
 * The positions of one round. Slots 0..9 of §10.4 are positions 0..9 of the faithful election's
 * round; under the oracle the round is slots 0..6 followed by position 7, the oracle's closing
 * view change.
 */
export function roundLength(cfg: SystemConfig): number {
  return cfg.electionOracle === undefined ? 10 : 8;
}

/** The position at which the oracle may close a round with a view change. */
const oracleClosingPosition = 7;

const anySchedulerConfigs = new WeakMap<SystemConfig, SystemConfig>();

/**
 * `cfg` with the `any` scheduler: the configuration whose single actions a round is made of (they
 * run without touching the scheduler index).
 */
function slotConfig(cfg: SystemConfig): SystemConfig {
  if (cfg.scheduler === 'any') return cfg;
  let any = anySchedulerConfigs.get(cfg);
  if (any === undefined) {
    any = { ...cfg, scheduler: 'any' };
    anySchedulerConfigs.set(cfg, any);
  }
  return any;
}

/**
 * One way to take one position of a round: its sub-steps (two or more for a heartbeat that both
 * changes the view and brings checkpoint news); `mustTruncate` marks lazy checkpoint news, kept
 * only if the round's TruncateLogBasedOnCheckpoints then truncates.
 */
export interface RoundMove {
  readonly steps: readonly SystemSuccessor[];
  readonly mustTruncate: boolean;
}

/**
 * What replica `i` may do at position `pos` of its round in state `sys`: `undefined` stands for
 * the alternatives that change nothing (a receive of nothing, a slot with nothing to do), listed
 * once, first; every other alternative is a move.
 */
export function roundAlternatives(
  cfg: SystemConfig,
  sys: RslSystem,
  i: number,
  pos: number,
  P: SpecActions = defaultSpecActions,
): Array<RoundMove | undefined> {
  const out: RoundMove[] = [];
  if (cfg.electionOracle !== undefined && pos === oracleClosingPosition) {
    // Closing the round without a view change is always possible.
    for (const step of oracleSteps(cfg, sys, i)) {
      const succ = step.kind === 'view' ? oracleSuccessor(cfg, sys, step, P) : undefined;
      if (succ !== undefined) out.push({ steps: [succ], mustTruncate: false });
    }
    return [undefined, ...out];
  }
  let stutters = false;
  const any = slotConfig(cfg);
  for (const input of slotInputs(any, sys, i, pos)) {
    for (const succ of replicaSlotSuccessors(any, sys, i, pos, input, P, true)) {
      if (succ === undefined) stutters = true;
      else out.push({ steps: [succ], mustTruncate: false });
    }
  }
  if (pos === Slot.ProcessPacket && cfg.electionOracle !== undefined) out.push(...oracleHeartbeats(cfg, sys, i, P));
  return stutters ? [undefined, ...out] : out;
}

/**
 * The oracle's stand-ins for receiving a heartbeat: a view change, checkpoint news, or a view
 * change followed by checkpoint news (one heartbeat does both at once, before the round's
 * spontaneous slots). Eager news are one (sender, count) at a time; lazy news are bundles (see
 * `checkpointBundles`).
 */
function oracleHeartbeats(cfg: SystemConfig, sys: RslSystem, i: number, P: SpecActions): RoundMove[] {
  const lazy = cfg.electionOracle?.lazyCheckpoints === true;
  const news = (s: RslSystem): RoundMove[] =>
    lazy
      ? checkpointBundles(cfg, s, i, P).map((steps) => ({ steps, mustTruncate: true }))
      : oracleSteps(cfg, s, i)
          .filter((step) => step.kind === 'checkpoint')
          .flatMap((step) => {
            const succ = oracleSuccessor(cfg, s, step, P);
            return succ === undefined ? [] : [{ steps: [succ], mustTruncate: false }];
          });
  const out: RoundMove[] = [];
  for (const step of oracleSteps(cfg, sys, i)) {
    if (step.kind !== 'view') continue;
    const succ = oracleSuccessor(cfg, sys, step, P);
    if (succ === undefined) continue;
    out.push({ steps: [succ], mustTruncate: false });
    for (const hb of news(succ.state)) out.push({ steps: [succ, ...hb.steps], mustTruncate: hb.mustTruncate });
  }
  return [...news(sys), ...out];
}

/**
 * Lazy checkpoint news: every bundle of news (for each replica, nothing or any count between what
 * the acceptor knows and what that replica has executed; at least one piece of news), as oracle
 * checkpoint sub-steps in replica order. News that change no truncation are never delivered on
 * their own: `replicaRounds` keeps a bundle only if the round then truncates the log.
 */
function checkpointBundles(cfg: SystemConfig, sys: RslSystem, i: number, P: SpecActions): Array<readonly SystemSuccessor[]> {
  const known = sys.replicas.get(i)?.replica.acceptor.lastCheckpointedOperation;
  if (known === undefined) return [];
  const bundles: Array<readonly SystemSuccessor[]> = [];
  const extend = (from: number, cur: RslSystem, path: readonly SystemSuccessor[]): void => {
    if (from === known.size) {
      if (path.length > 0) bundles.push(path);
      return;
    }
    extend(from + 1, cur, path);
    const executed = sys.replicas.get(from)?.replica.executor.opsComplete ?? 0;
    for (let opn = (known.get(from) ?? 0) + 1; opn <= executed; opn++) {
      const succ = oracleSuccessor(cfg, cur, { kind: 'checkpoint', replica: i, from, opn }, P);
      if (succ !== undefined) extend(from + 1, succ.state, [...path, succ]);
    }
  };
  extend(0, sys, []);
  return bundles;
}

/** `s` with replica `i`'s acceptor knowing of no checkpoint (as initially). */
function forgetCheckpoints(s: RslSystem, i: number): RslSystem {
  const sch = s.replicas.get(i)!;
  const lco = sch.replica.acceptor.lastCheckpointedOperation;
  if (lco.every((opn) => opn === 0)) return s;
  const acceptor = sch.replica.acceptor.set(
    'lastCheckpointedOperation',
    lco.map(() => 0),
  );
  return s.set('replicas', s.replicas.set(i, sch.setIn(['replica', 'acceptor'], acceptor)));
}

/**
 * Every round replica `i` can run from `sys` (whose scheduler index is not read), in a
 * deterministic order. A round that changes nothing is left out. `stop` ends a round early at a
 * state the caller will not expand (a state outside the model's bounds).
 */
export function replicaRounds(
  cfg: SystemConfig,
  sys: RslSystem,
  i: number,
  P: SpecActions = defaultSpecActions,
  stop?: (s: RslSystem) => boolean,
): Round[] {
  const rounds: Round[] = [];
  const length = roundLength(cfg);
  const truncationPoint = (s: RslSystem): number => s.replicas.get(i)?.replica.acceptor.logTruncationPoint ?? 0;
  const before = truncationPoint(sys);
  const lazy = cfg.electionOracle?.lazyCheckpoints === true;
  // Lazy news are forgotten when the round ends: they only ever serve the truncation they caused.
  const finish = (path: readonly RoundStep[]): Round => {
    const last = path[path.length - 1]!;
    const state = lazy ? forgetCheckpoints(last.state, i) : last.state;
    return state === last.state ? path : [...path.slice(0, -1), { step: last.step, state }];
  };
  const walk = (pos: number, cur: RslSystem, path: readonly RoundStep[], mustTruncate: boolean): void => {
    if (mustTruncate && pos > Slot.TruncateLogBasedOnCheckpoints && truncationPoint(cur) === before) return;
    if (pos === length) {
      if (path.length > 0) rounds.push(finish(path));
      return;
    }
    for (const alt of roundAlternatives(cfg, cur, i, pos, P)) {
      if (alt === undefined) {
        walk(pos + 1, cur, path, mustTruncate);
        continue;
      }
      const next = [...path, ...alt.steps.map((x) => ({ step: x.step, state: x.state }))];
      const last = next[next.length - 1]!.state;
      if (stop?.(last) === true) rounds.push(finish(next));
      else walk(pos + 1, last, next, mustTruncate || alt.mustTruncate);
    }
  };
  walk(0, sys, [], false);
  return rounds;
}

/**
 * Every successor of the round model from `sys`: every round of every replica (replicas in index
 * order), then every client step (the environment's steps stay single transitions).
 */
export function systemRounds(
  cfg: SystemConfig,
  sys: RslSystem,
  P: SpecActions = defaultSpecActions,
  stop?: (s: RslSystem) => boolean,
): Round[] {
  const out: Round[] = [];
  for (let i = 0; i < sys.replicas.size; i++) out.push(...replicaRounds(cfg, sys, i, P, stop));
  for (const x of clientSuccessors(cfg, sys)) out.push([{ step: x.step, state: x.state }]);
  return out;
}
