/**
 * The distributed system (rsl-protocol.md §11) as a bounded, finitely branching transition system.
 *
 * The network is the grow-only set of every packet ever sent: a host may receive any sent packet
 * addressed to it, any number of times, which models loss, duplication and reordering at once.
 * Clients are hosts outside `replica_ids` that send requests from a bounded pool.
 */
import { is, isList, isMap, isRecord, isSet, List, Map, Record, Set } from 'immutable';
import {
  isReplica,
  replicaConstants,
  wellFormedConfiguration,
  wellFormedParameters,
  type ReplicaConstants,
} from './configuration.js';
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
 */
export function receivablePackets(cfg: SystemConfig, sys: RslSystem, i: number): readonly Packet[] {
  const id = cfg.constants.config.replicaIds.get(i);
  const mine: Array<readonly [string, Packet]> = [];
  for (const p of sys.sentPackets) if (p.dst === id) mine.push([canonicalKey(p), p]);
  return mine
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]) => p);
}

const keyCache = new WeakMap<object, string>();

/**
 * A canonical string for an immutable value: equal values (by `Immutable.is`) get equal keys,
 * whatever their insertion history, because Map and Set entries are sorted. Memoised per object,
 * which is safe because the values are immutable.
 */
export function canonicalKey(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'undefined' : JSON.stringify(v);
  const hit = keyCache.get(v);
  if (hit !== undefined) return hit;
  let key: string;
  if (isRecord(v)) {
    const fields: string[] = [];
    v.toSeq().forEach((x, k) => void fields.push(`${String(k)}:${canonicalKey(x)}`));
    key = `${Record.getDescriptiveName(v)}{${fields.join(',')}}`;
  } else if (isMap(v)) {
    key = `Map{${sortedStrings(v.entrySeq().map(([k, x]) => `${canonicalKey(k)}=>${canonicalKey(x)}`))}}`;
  } else if (isSet(v)) {
    key = `Set{${sortedStrings(v.toSeq().map((x) => canonicalKey(x)))}}`;
  } else if (isList(v)) {
    key = `[${v.map((x) => canonicalKey(x)).join(',')}]`;
  } else {
    key = JSON.stringify(v);
  }
  keyCache.set(v, key);
  return key;
}

function sortedStrings(xs: Iterable<string>): string {
  return Array.from(xs)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join(',');
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

/**
 * The outcomes of replica `i` running `slot` on `input`, as system successors, each with its
 * `choice` (its index among all outcomes). With `skipStutters`, outcomes that change nothing are
 * dropped before the system state is built: that is most of them, so this matters for speed.
 */
function replicaSlotSuccessors(
  cfg: SystemConfig,
  sys: RslSystem,
  i: number,
  slot: number,
  input: SlotInput,
  P: SpecActions,
  skipStutters: boolean,
): Array<SystemSuccessor | undefined> {
  const rc = replicaConstantsOf(cfg)[i];
  const pre = sys.replicas.get(i);
  if (rc === undefined || pre === undefined) return [];
  const outcomes =
    cfg.scheduler === 'round-robin'
      ? schedulerNext(rc, pre, input, P)
      : replicaNextAction(rc, pre.replica, slot, input, P).map((o) =>
          outcome(pre.set('replica', cfg.electionOracle === undefined ? o.state : abstractReplicaTiming(rc, o.state)), o.sent),
        );
  const clockMoves = tracksClocks(cfg) && input.clock !== undefined && input.clock !== sys.clocks.get(i);
  return outcomes.map((o, choice) => {
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
  let next = sys.merge({ replicas: sys.replicas.set(i, o.state), sentPackets: sys.sentPackets.union(o.sent) });
  if (tracksClocks(cfg) && clock !== undefined) next = next.set('clocks', next.clocks.set(i, clock));
  const executed = pre.replica.executor;
  if (slot === Slot.MaybeExecute && executed.nextOpToExecute.type === 'Known' && o.state.replica.executor.opsComplete !== executed.opsComplete) {
    const history = next.executedBatches.get(i) ?? Map<OperationNumber, RequestBatch>();
    next = next.set(
      'executedBatches',
      next.executedBatches.set(i, history.set(executed.opsComplete, executed.nextOpToExecute.v)),
    );
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
function oracleSteps(cfg: SystemConfig, sys: RslSystem, i: number): Array<ViewChangeStep | CheckpointStep> {
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

function oracleSuccessor(
  cfg: SystemConfig,
  sys: RslSystem,
  step: ViewChangeStep | CheckpointStep,
  P: SpecActions,
): SystemSuccessor | undefined {
  const rc = replicaConstantsOf(cfg)[step.replica];
  const pre = sys.replicas.get(step.replica);
  if (rc === undefined || pre === undefined) return undefined;
  const next =
    step.kind === 'view'
      ? oracleViewChange(rc, pre.replica, step.view, P)
      : oracleCheckpoint(rc, pre.replica, step.from, step.opn, P);
  const replica = abstractReplicaTiming(rc, next);
  if (is(replica, pre.replica)) return undefined;
  return { step, state: sys.set('replicas', sys.replicas.set(step.replica, pre.set('replica', replica))), sent: List() };
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

function clientRequestPacket(cfg: SystemConfig, client: number, seqno: number, dst: number): Packet | undefined {
  const src = cfg.clientIds.get(client);
  const to = cfg.constants.config.replicaIds.get(dst);
  if (src === undefined || to === undefined) return undefined;
  return packet(to, src, messageRequest(seqno, appIncrementRequest()));
}

function clientSuccessor(cfg: SystemConfig, sys: RslSystem, step: ClientStep): SystemSuccessor | undefined {
  const cl = sys.clients.get(step.client);
  const p = clientRequestPacket(cfg, step.client, step.seqno, step.dst);
  if (cl === undefined || p === undefined || !clientMaySendTo(cfg, step.client, step.dst)) return undefined;
  const isNew = step.seqno === cl.nextSeqno && cl.nextSeqno < cfg.requestsPerClient;
  const isRetransmission = step.seqno === cl.nextSeqno - 1;
  if (!isNew && !isRetransmission) return undefined;
  // Set.add replaces an equal element by the new object, so test membership first to keep identity.
  let state = sys.sentPackets.has(p) ? sys : sys.set('sentPackets', sys.sentPackets.add(p));
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
export function systemSuccessors(
  cfg: SystemConfig,
  sys: RslSystem,
  P: SpecActions = defaultSpecActions,
): SystemSuccessor[] {
  const out: SystemSuccessor[] = [];
  for (let i = 0; i < sys.replicas.size; i++) {
    for (const slot of runnableSlots(cfg, sys, i)) {
      for (const input of slotInputs(cfg, sys, i, slot)) {
        for (const succ of replicaSlotSuccessors(cfg, sys, i, slot, input, P, true)) if (succ !== undefined) out.push(succ);
      }
    }
    for (const step of oracleSteps(cfg, sys, i)) {
      const succ = oracleSuccessor(cfg, sys, step, P);
      if (succ !== undefined) out.push(succ);
    }
  }
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
