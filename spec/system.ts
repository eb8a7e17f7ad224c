/**
 * The distributed system (rsl-protocol.md §11) as a bounded, finitely branching transition system.
 *
 * The network is the grow-only set of every packet ever sent: a host may receive any sent packet
 * addressed to it, any number of times, which models loss, duplication and reordering at once.
 * Clients are hosts outside `replica_ids` that send requests from a bounded pool.
 */
import { is, List, Map, Set } from 'immutable';
import { isReplica, replicaConstants, wellFormedConfiguration, wellFormedParameters, type ReplicaConstants } from './configuration.js';
import {
  abstractReplicaTiming,
  firstViews,
  oracleCheckpoint,
  oracleViewChange,
  representativeView,
  timerExpired,
  timerPending,
} from './electionOracle.js';
import { messageRequest, outcome, packet, type Outcome, type Packet } from './message.js';
import {
  canonicalKey,
  memoOf,
  noPackets,
  packetId,
  receivableLists,
  sharedPacket,
  sharedReplicaState,
  sharedSent,
  withPackets,
  type OracleMove,
  type ReplicaMove,
} from './systemMemo.js';
import {
  defaultSpecActions,
  replicaNextAction,
  schedulerInit,
  schedulerNext,
  schedulerSlots,
  Slot,
  slotReadsClock,
  type SchedulerState,
  type SlotInput,
  type SpecActions,
} from './replica.js';
import {
  ClientStateRecord,
  clientMaySendTo,
  RslSystemRecord,
  type CheckpointStep,
  type ClientStep,
  type ReplicaStep,
  type RslSystem,
  type SystemConfig,
  type SystemStep,
  type SystemSuccessor,
  type ViewChangeStep,
} from './systemState.js';
import { appIncrementRequest, balLt, type Ballot, type OperationNumber, type RequestBatch } from './types.js';

export * from './systemState.js';
export { canonicalKey, packetId } from './systemMemo.js';

// ---------------------------------------------------------------------------------------------
// Init

const constantsCache = new WeakMap<SystemConfig, readonly ReplicaConstants[]>();

/** The `ReplicaConstants` of every replica of `cfg` (memoised: constants never change). */
export function replicaConstantsOf(cfg: SystemConfig): readonly ReplicaConstants[] {
  let rcs = constantsCache.get(cfg);
  if (rcs === undefined) {
    rcs = cfg.constants.config.replicaIds.toArray().map((_id, i) => replicaConstants(i, cfg.constants));
    constantsCache.set(cfg, rcs);
  }
  return rcs;
}

/**
 * RslInit (§11): every replica in its initial scheduler state, no packet sent, every client about
 * to send seqno 0. Throws on a configuration RslInit does not admit (ill-formed configuration or
 * parameters) or one the bounded model cannot represent (clients that are replicas, bad bounds).
 */
export function systemInit(cfg: SystemConfig): RslSystem {
  const { config, params } = cfg.constants;
  if (!wellFormedConfiguration(config)) throw new RangeError('systemInit: replica ids must be non-empty and distinct');
  if (!wellFormedParameters(params)) throw new RangeError('systemInit: parameters are not well-formed (WFLParameters)');
  const clientIds = cfg.clientIds.toSet();
  if (clientIds.size !== cfg.clientIds.size || clientIds.some((id) => isReplica(id, config))) {
    throw new RangeError('systemInit: client ids must be distinct and different from every replica id');
  }
  if (!Number.isInteger(cfg.clockMax) || cfg.clockMax < 0 || !Number.isInteger(cfg.requestsPerClient) || cfg.requestsPerClient < 0) {
    throw new RangeError('systemInit: clockMax and requestsPerClient must be non-negative integers');
  }
  const n = config.replicaIds.size;
  const oracle = cfg.electionOracle;
  if (oracle !== undefined && (cfg.scheduler !== 'any' || !Number.isInteger(oracle.views) || oracle.views < 1)) {
    throw new RangeError('systemInit: the election oracle needs the "any" scheduler and at least one view');
  }
  const upFront = cfg.requestsUpFront === true;
  const requests: Packet[] = [];
  if (upFront) {
    for (let client = 0; client < cfg.clientIds.size; client++) {
      for (let seqno = 0; seqno < cfg.requestsPerClient; seqno++) {
        for (let dst = 0; dst < n; dst++) {
          if (clientMaySendTo(cfg, client, dst)) requests.push(clientRequestPacket(cfg, client, seqno, dst)!);
        }
      }
    }
  }
  return RslSystemRecord({
    replicas: List(
      replicaConstantsOf(cfg).map((rc) => {
        const sch = schedulerInit(rc);
        return oracle === undefined ? sch : sch.set('replica', abstractReplicaTiming(rc, sch.replica));
      }),
    ),
    clocks: List(Array.from({ length: n }, () => 0)),
    sentPackets: Set(requests),
    clients: List(cfg.clientIds.map(() => ClientStateRecord({ nextSeqno: upFront ? cfg.requestsPerClient : 0 }))),
    executedBatches: List(Array.from({ length: n }, () => Map<OperationNumber, RequestBatch>())),
  });
}

// ---------------------------------------------------------------------------------------------
// The environment's choices

/** The clock readings replica `i` may take now: `0..clockMax`, or `clocks[i]..clockMax` when monotone. */
export function clockDomain(cfg: SystemConfig, sys: RslSystem, i: number): readonly number[] {
  if (cfg.electionOracle !== undefined) return [timerPending];
  const from = cfg.monotoneClocks ? (sys.clocks.get(i) ?? 0) : 0;
  return Array.from({ length: Math.max(0, cfg.clockMax - from + 1) }, (_x, k) => from + k);
}

/**
 * The packets replica `i` may receive: every sent packet addressed to it, ordered by a canonical
 * key (a Set's iteration order depends on its insertion history, which differs between equal states).
 * Memoised per packet set (by identity), and the lists themselves are shared: equal lists of
 * receivable packets are one array, whatever set they came from, so that what a replica can do on
 * them is computed once (see `replicaMoves`).
 */
export function receivablePackets(cfg: SystemConfig, sys: RslSystem, i: number): readonly Packet[] {
  const memo = memoOf(cfg, defaultSpecActions).receivable;
  let perReplica = memo.get(sys.sentPackets);
  if (perReplica === undefined) memo.set(sys.sentPackets, (perReplica = []));
  let list = perReplica[i];
  if (list === undefined) {
    const id = cfg.constants.config.replicaIds.get(i);
    const mine: Array<readonly [string, Packet]> = [];
    for (const p of sys.sentPackets) if (p.dst === id) mine.push([canonicalKey(p), p]);
    mine.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = `${i}|${mine.map(([k]) => k).join('|')}`;
    const shared = receivableLists.get(key);
    list = shared ?? mine.map(([, p]) => p);
    if (shared === undefined) receivableLists.set(key, list);
    perReplica[i] = list;
  }
  return list;
}

/**
 * The clock readings slot `slot` of replica `i` may take now. Under the election oracle only the
 * batch timer reads the clock, and only an armed timer can tell two readings apart.
 */
function slotClocks(cfg: SystemConfig, sys: RslSystem, i: number, slot: number): readonly number[] {
  if (cfg.electionOracle === undefined || slot !== Slot.MaybeNominateValueAndSend2a) return clockDomain(cfg, sys, i);
  const armed = sys.replicas.get(i)?.replica.proposer.incompleteBatchTimer.type === 'On';
  return armed ? [timerPending, timerExpired] : [timerPending];
}

/** The inputs slot `slot` of replica `i` can be given now, in a deterministic order. */
export function slotInputs(cfg: SystemConfig, sys: RslSystem, i: number, slot: number): SlotInput[] {
  const clocks = slotClocks(cfg, sys, i, slot);
  if (slot === Slot.ProcessPacket) {
    const inputs: SlotInput[] = [{}];
    for (const packet of receivablePackets(cfg, sys, i)) {
      if (slotReadsClock(Slot.ProcessPacket, packet)) for (const clock of clocks) inputs.push({ packet, clock });
      else inputs.push({ packet });
    }
    return inputs;
  }
  return slotReadsClock(slot) ? clocks.map((clock) => ({ clock })) : [{}];
}

// ---------------------------------------------------------------------------------------------
// Replica steps
//
// What a replica can do depends only on its own state, the packets addressed to it and (with
// clocks) its last clock reading, and the states of a run share these far more than they share
// whole system states. So the outcomes of one slot on one input are memoised per replica state
// (`replicaSlotOutcomes`), and so is the list of everything a replica can do on its receivable
// packets (`replicaMoves`); both are keyed by the identity of immutable values, which is safe.
// A system successor is then built from a move with a memoised union of packet sets.

/**
 * The outcomes of replica `i`, in scheduler state `pre`, running `slot` on `input` (under the
 * election oracle, with its timing abstracted), in choice order. Memoised by the identity of `pre`
 * and the value of the input, so a caller that runs a replica slot after slot (a round) reuses
 * them as much as the successor function does.
 */
export function replicaSlotOutcomes(
  cfg: SystemConfig,
  i: number,
  pre: SchedulerState,
  slot: number,
  input: SlotInput,
  P: SpecActions = defaultSpecActions,
): readonly Outcome<SchedulerState>[] {
  const rc = replicaConstantsOf(cfg)[i];
  if (rc === undefined) return [];
  const memo = memoOf(cfg, P).outcomes[i]!;
  let bySlot = memo.get(pre);
  if (bySlot === undefined) memo.set(pre, (bySlot = new globalThis.Map()));
  const key = outcomesKey(slot, input);
  let outcomes = bySlot.get(key);
  if (outcomes === undefined) {
    const computed =
      cfg.scheduler === 'round-robin'
        ? schedulerNext(rc, pre, input, P)
        : replicaNextAction(rc, pre.replica, slot, input, P).map((o) =>
            outcome(pre.set('replica', cfg.electionOracle === undefined ? o.state : abstractReplicaTiming(rc, o.state)), o.sent),
          );
    const states = memoOf(cfg, P).states[i]!;
    outcomes = computed.map((o) =>
      outcome(is(o.state, pre) ? pre : sharedReplicaState(states, o.state), o.sent.size === 0 ? o.sent : sharedSent(o.sent)),
    );
    // Most slots on most inputs do nothing: those entries share one array per replica state.
    if (outcomes.length === 1 && outcomes[0]!.state === pre && outcomes[0]!.sent.size === 0) {
      let still = bySlot.get(stillKey);
      if (still === undefined) bySlot.set(stillKey, (still = [outcome(pre, noPackets)]));
      outcomes = still;
    }
    bySlot.set(key, outcomes);
  }
  return outcomes;
}

/** The memo key of a slot and an input: a number (no string built per call) while the clock is small. */
function outcomesKey(slot: number, input: SlotInput): number | string {
  const clock = input.clock ?? -1;
  const packet = input.packet === undefined ? 0 : packetId(input.packet) + 1;
  const small = Number.isInteger(clock) && clock >= -1 && clock < 0xffff && Number.isInteger(slot) && slot >= 0 && slot < 16;
  if (small) return packet * 0x100000 + (clock + 1) * 16 + slot;
  return `${slot}:${clock}:${packet}`;
}

/** Where a replica state's outcome memo keeps the shared "does nothing" outcome list. */
const stillKey = -1;

/**
 * Everything replica `i` can do in `sys` that is not a pure stutter (an outcome that changes
 * nothing and sends nothing), in successor order. Memoised by its state, its receivable packets
 * and (when the state tracks clocks, or clocks are read) its last clock reading.
 */
function replicaMoves(cfg: SystemConfig, sys: RslSystem, i: number, P: SpecActions): readonly ReplicaMove[] {
  const pre = sys.replicas.get(i);
  if (pre === undefined) return [];
  const receivable = receivablePackets(cfg, sys, i);
  const clock = cfg.electionOracle === undefined ? (sys.clocks.get(i) ?? 0) : 0;
  const memo = memoOf(cfg, P).moves[i]!;
  let byPackets = memo.get(pre);
  if (byPackets === undefined) memo.set(pre, (byPackets = new globalThis.Map()));
  let byClock = byPackets.get(receivable);
  if (byClock === undefined) byPackets.set(receivable, (byClock = new globalThis.Map()));
  let moves = byClock.get(clock);
  if (moves === undefined) {
    const found: ReplicaMove[] = [];
    for (const slot of runnableSlots(cfg, sys, i)) {
      for (const input of slotInputs(cfg, sys, i, slot)) {
        const clockMoves = tracksClocks(cfg) && input.clock !== undefined && input.clock !== sys.clocks.get(i);
        replicaSlotOutcomes(cfg, i, pre, slot, input, P).forEach((o, choice) => {
          const still = !clockMoves && is(o.state, pre);
          if (still && o.sent.size === 0) return;
          found.push({ step: { kind: 'replica', replica: i, action: slot, ...input, choice }, outcome: o, still });
        });
      }
    }
    moves = found;
    byClock.set(clock, moves);
    memo.grew(1);
  }
  return moves;
}

/**
 * The outcomes of replica `i` running `slot` on `input`, as system successors, each with its
 * `choice` (its index among all outcomes). With `skipStutters`, outcomes that change nothing are
 * dropped before the system state is built: that is most of them, so this matters for speed.
 */
export function replicaSlotSuccessors(
  cfg: SystemConfig,
  sys: RslSystem,
  i: number,
  slot: number,
  input: SlotInput,
  P: SpecActions,
  skipStutters: boolean,
): Array<SystemSuccessor | undefined> {
  const pre = sys.replicas.get(i);
  if (pre === undefined) return [];
  const clockMoves = tracksClocks(cfg) && input.clock !== undefined && input.clock !== sys.clocks.get(i);
  return replicaSlotOutcomes(cfg, i, pre, slot, input, P).map((o, choice) => {
    if (skipStutters && !clockMoves && is(o.state, pre) && o.sent.every((p) => sys.sentPackets.has(p))) return undefined;
    return {
      step: { kind: 'replica', replica: i, action: slot, ...input, choice },
      state: afterReplicaStep(cfg, sys, i, slot, input.clock, pre, o),
      sent: o.sent,
    };
  });
}

function afterReplicaStep(
  cfg: SystemConfig,
  sys: RslSystem,
  i: number,
  slot: number,
  clock: number | undefined,
  pre: SchedulerState,
  o: Outcome<SchedulerState>,
): RslSystem {
  // Two field writes: a Record's `merge` costs several times as much, once per successor.
  let next = sys.set('replicas', sys.replicas.set(i, o.state)).set('sentPackets', withPackets(sys.sentPackets, o.sent));
  if (tracksClocks(cfg) && clock !== undefined) next = next.set('clocks', next.clocks.set(i, clock));
  const executed = pre.replica.executor;
  if (
    slot === Slot.MaybeExecute &&
    executed.nextOpToExecute.type === 'Known' &&
    o.state.replica.executor.opsComplete !== executed.opsComplete
  ) {
    const history = next.executedBatches.get(i) ?? Map<OperationNumber, RequestBatch>();
    next = next.set('executedBatches', next.executedBatches.set(i, history.set(executed.opsComplete, executed.nextOpToExecute.v)));
  }
  return next;
}

/** Whether the state records each replica's last clock reading (monotone clocks, no oracle). */
function tracksClocks(cfg: SystemConfig): boolean {
  return cfg.monotoneClocks && cfg.electionOracle === undefined;
}

/** The slots the election oracle stands in for: view timeout, view suspicions and heartbeats. */
const oracleSlots = new globalThis.Set(['CheckForViewTimeout', 'CheckForQuorumOfViewSuspicions', 'MaybeSendHeartbeat']);

/** The scheduler slots replica `i` may run now. */
export function runnableSlots(cfg: SystemConfig, sys: RslSystem, i: number): readonly number[] {
  if (cfg.scheduler === 'round-robin') return [sys.replicas.get(i)?.nextActionIndex ?? 0];
  const slots = cfg.electionOracle === undefined ? schedulerSlots : schedulerSlots.filter((slot) => !oracleSlots.has(slot.name));
  return slots.map((slot) => slot.index);
}

// ---------------------------------------------------------------------------------------------
// Election oracle steps

/** The oracle's steps for replica `i`: every later view it may move to, every checkpoint news. */
export function oracleSteps(cfg: SystemConfig, sys: RslSystem, i: number): Array<ViewChangeStep | CheckpointStep> {
  const oracle = cfg.electionOracle;
  const rs = sys.replicas.get(i)?.replica;
  if (oracle === undefined || rs === undefined) return [];
  const steps: Array<ViewChangeStep | CheckpointStep> = [];
  const current = rs.proposer.electionState.currentView;
  const reached: Ballot[] = [current];
  for (const view of firstViews(cfg.constants.config, oracle.views)) {
    // Views with the same representative lead to the same abstract state: offer the first only.
    const rep = representativeView(cfg.constants.config, i, view);
    if (balLt(current, view) && !reached.some((r) => r.equals(rep))) {
      reached.push(rep);
      steps.push({ kind: 'view', replica: i, view });
    }
  }
  rs.acceptor.lastCheckpointedOperation.forEach((known, from) => {
    // A heartbeat carries its sender's executed-operation count, which only grows: any value
    // between what this acceptor knows and what the sender has executed by now may arrive.
    const executed = sys.replicas.get(from)?.replica.executor.opsComplete ?? 0;
    for (let opn = known + 1; opn <= executed; opn++) steps.push({ kind: 'checkpoint', replica: i, from, opn });
  });
  return steps;
}

export function oracleSuccessor(
  cfg: SystemConfig,
  sys: RslSystem,
  step: ViewChangeStep | CheckpointStep,
  P: SpecActions,
): SystemSuccessor | undefined {
  const rc = replicaConstantsOf(cfg)[step.replica];
  const pre = sys.replicas.get(step.replica);
  if (rc === undefined || pre === undefined) return undefined;
  // Memoised by replica state and step, like the replica's own moves.
  const memo = memoOf(cfg, P);
  let bySteps = memo.oracle[step.replica]!.get(pre);
  if (bySteps === undefined) memo.oracle[step.replica]!.set(pre, (bySteps = new globalThis.Map()));
  const key = step.kind === 'view' ? `v${step.view.seqno},${step.view.proposerId}` : `c${step.from},${step.opn}`;
  let after = bySteps.get(key);
  if (after === undefined) {
    const next =
      step.kind === 'view' ? oracleViewChange(rc, pre.replica, step.view, P) : oracleCheckpoint(rc, pre.replica, step.from, step.opn, P);
    const replica = abstractReplicaTiming(rc, next);
    after = is(replica, pre.replica) ? null : sharedReplicaState(memo.states[step.replica]!, pre.set('replica', replica));
    bySteps.set(key, after);
  }
  if (after === null) return undefined;
  return { step, state: sys.set('replicas', sys.replicas.set(step.replica, after)), sent: List() };
}

/**
 * The oracle steps of replica `i` that change it, with their results, in `oracleSteps` order.
 * They depend only on its state and on how many operations each replica has executed: memoised so.
 */
function oracleMoves(cfg: SystemConfig, sys: RslSystem, i: number, P: SpecActions): readonly OracleMove[] {
  if (cfg.electionOracle === undefined) return [];
  const pre = sys.replicas.get(i);
  if (pre === undefined) return [];
  const memo = memoOf(cfg, P).oracleMoves[i]!;
  let byExecuted = memo.get(pre);
  if (byExecuted === undefined) memo.set(pre, (byExecuted = new globalThis.Map()));
  const key = sys.replicas.map((sch) => sch.replica.executor.opsComplete).join(',');
  let moves = byExecuted.get(key);
  if (moves === undefined) {
    const found: OracleMove[] = [];
    for (const step of oracleSteps(cfg, sys, i)) {
      const succ = oracleSuccessor(cfg, sys, step, P);
      if (succ !== undefined) found.push({ step, after: succ.state.replicas.get(i)! });
    }
    moves = found;
    byExecuted.set(key, moves);
  }
  return moves;
}

function validOracleStep(cfg: SystemConfig, sys: RslSystem, step: ViewChangeStep | CheckpointStep): boolean {
  return oracleSteps(cfg, sys, step.replica).some((x) =>
    x.kind === 'view'
      ? step.kind === 'view' && is(x.view, step.view)
      : step.kind === 'checkpoint' && x.from === step.from && x.opn === step.opn,
  );
}

// ---------------------------------------------------------------------------------------------
// Client steps

const clientPackets = new WeakMap<SystemConfig, globalThis.Map<string, Packet>>();

/** The request packet of a client step: one object per value (memoised per configuration). */
function clientRequestPacket(cfg: SystemConfig, client: number, seqno: number, dst: number): Packet | undefined {
  const src = cfg.clientIds.get(client);
  const to = cfg.constants.config.replicaIds.get(dst);
  if (src === undefined || to === undefined) return undefined;
  let memo = clientPackets.get(cfg);
  if (memo === undefined) clientPackets.set(cfg, (memo = new globalThis.Map()));
  const key = `${client}:${seqno}:${dst}`;
  let p = memo.get(key);
  if (p === undefined) memo.set(key, (p = sharedPacket(packet(to, src, messageRequest(seqno, appIncrementRequest())))));
  return p;
}

function clientSuccessor(cfg: SystemConfig, sys: RslSystem, step: ClientStep): SystemSuccessor | undefined {
  const cl = sys.clients.get(step.client);
  const p = clientRequestPacket(cfg, step.client, step.seqno, step.dst);
  if (cl === undefined || p === undefined || !clientMaySendTo(cfg, step.client, step.dst)) return undefined;
  const isNew = step.seqno === cl.nextSeqno && cl.nextSeqno < cfg.requestsPerClient;
  const isRetransmission = step.seqno === cl.nextSeqno - 1;
  if (!isNew && !isRetransmission) return undefined;
  let state = sys.sentPackets.has(p) ? sys : sys.set('sentPackets', withPackets(sys.sentPackets, List([p])));
  if (isNew) state = state.set('clients', state.clients.set(step.client, cl.set('nextSeqno', cl.nextSeqno + 1)));
  return { step, state, sent: List([p]) };
}

function clientSteps(cfg: SystemConfig, sys: RslSystem): ClientStep[] {
  const n = cfg.constants.config.replicaIds.size;
  const steps: ClientStep[] = [];
  sys.clients.forEach((cl, client) => {
    const seqnos = [cl.nextSeqno, cl.nextSeqno - 1].filter((q) => q >= 0);
    for (const seqno of seqnos) {
      for (let dst = 0; dst < n; dst++) if (clientMaySendTo(cfg, client, dst)) steps.push({ kind: 'client', client, seqno, dst });
    }
  });
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Successors and replay

/**
 * RslNext as a finite list (§11, design.md "bounded system model"): every successor of `sys`, in a
 * deterministic order (replicas by index, then slots, then inputs — timeout, packets by canonical
 * key, clock readings ascending — then outcome choices; then clients by index, new request before
 * retransmission, destinations by index). Successors whose system state equals `sys` are omitted:
 * they are pure stuttering (nothing changed and nothing new was sent).
 */
export function systemSuccessors(cfg: SystemConfig, sys: RslSystem, P: SpecActions = defaultSpecActions): SystemSuccessor[] {
  const out: SystemSuccessor[] = [];
  for (let i = 0; i < sys.replicas.size; i++) {
    const pre = sys.replicas.get(i)!;
    for (const { step, outcome: o, still } of replicaMoves(cfg, sys, i, P)) {
      if (still && o.sent.every((p) => sys.sentPackets.has(p))) continue;
      out.push({ step, state: afterReplicaStep(cfg, sys, i, step.action, step.clock, pre, o), sent: o.sent });
    }
    for (const { step, after } of oracleMoves(cfg, sys, i, P)) {
      out.push({ step, state: sys.set('replicas', sys.replicas.set(i, after)), sent: noPackets });
    }
  }
  out.push(...clientSuccessors(cfg, sys));
  return out;
}

/** The clients' steps from `sys` (none when requests are sent up front), in `systemSuccessors` order. */
export function clientSuccessors(cfg: SystemConfig, sys: RslSystem): SystemSuccessor[] {
  const out: SystemSuccessor[] = [];
  if (cfg.requestsUpFront === true) return out;
  for (const step of clientSteps(cfg, sys)) {
    const succ = clientSuccessor(cfg, sys, step);
    if (succ !== undefined && succ.state !== sys) out.push(succ);
  }
  return out;
}

function validReplicaInput(cfg: SystemConfig, sys: RslSystem, step: ReplicaStep): boolean {
  const id = cfg.constants.config.replicaIds.get(step.replica);
  if (id === undefined || !runnableSlots(cfg, sys, step.replica).includes(step.action)) return false;
  if (step.packet !== undefined && (step.action !== Slot.ProcessPacket || step.packet.dst !== id || !sys.sentPackets.has(step.packet))) {
    return false;
  }
  if (slotReadsClock(step.action, step.packet)) {
    return step.clock !== undefined && slotClocks(cfg, sys, step.replica, step.action).includes(step.clock);
  }
  return step.clock === undefined;
}

/**
 * Replays one step: the successor `systemSuccessors` lists for it, or undefined when the step is
 * not enabled in `sys` (wrong slot, packet not sent to that replica, clock outside the domain,
 * choice out of range, client out of requests) or would only stutter.
 */
export function applySystemStep(
  cfg: SystemConfig,
  sys: RslSystem,
  step: SystemStep,
  P: SpecActions = defaultSpecActions,
): SystemSuccessor | undefined {
  let succ: SystemSuccessor | undefined;
  if (step.kind === 'client') {
    succ = cfg.requestsUpFront === true ? undefined : clientSuccessor(cfg, sys, step);
  } else if (step.kind === 'view' || step.kind === 'checkpoint') {
    succ = validOracleStep(cfg, sys, step) ? oracleSuccessor(cfg, sys, step, P) : undefined;
  } else if (validReplicaInput(cfg, sys, step)) {
    const input: SlotInput = {
      ...(step.packet === undefined ? {} : { packet: step.packet }),
      ...(step.clock === undefined ? {} : { clock: step.clock }),
    };
    succ = replicaSlotSuccessors(cfg, sys, step.replica, step.action, input, P, false)[step.choice];
  }
  return succ === undefined || is(succ.state, sys) ? undefined : succ;
}
