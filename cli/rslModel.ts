/**
 * The bridge between the protocol (spec/) and the generic checker (checker/): the bounded RSL
 * system presented as a checker `Model`. This is the only module that knows both.
 *
 * Worker threads rebuild the same model from `createModel(options)` in the compiled form of this
 * file, so everything a model depends on must travel in `RslModelOptions` (plain JSON).
 */
import * as Immutable from 'immutable';
import { List, Map as IMap, is } from 'immutable';
import { fileURLToPath } from 'node:url';
import {
  HOLDS,
  HOLDS_VACUOUSLY,
  immutableCodec,
  toItfValue,
  type Invariant,
  type Json,
  type Model,
  type ModelFactory,
  type StepProperty,
  type Verdict,
  type Witness,
} from '../checker/index.js';
import { findMutant } from '../mutants/index.js';
import * as spec from '../spec/index.js';
import type { ModelConfig } from './config.js';

type S = spec.RslSystem;
type A = spec.SystemStep;

/** Everything needed to build the model, in every thread. */
export interface RslModelOptions {
  readonly config: ModelConfig;
  /** Name of a mutant (mutants/) to check instead of the correct spec. */
  readonly mutant?: string;
  /** Check only these obligations (all when absent or empty). */
  readonly invariants?: readonly string[];
}

/** The largest integer the spec saturates at (max_integer_val): the biggest exact JS integer. */
const maxIntegerVal: spec.UpperBound = { kind: 'Finite', n: Number.MAX_SAFE_INTEGER };

export function replicaIdsOf(n: number): string[] {
  return Array.from({ length: n }, (_x, i) => `r${i}`);
}
export function clientIdsOf(n: number): string[] {
  return Array.from({ length: n }, (_x, i) => `c${i}`);
}

/** The spec's bounded system for a model configuration. */
export function systemConfigOf(cfg: ModelConfig): spec.SystemConfig {
  return {
    constants: {
      config: spec.configuration(replicaIdsOf(cfg.replicas)),
      params: {
        maxLogLength: cfg.params.maxLogLength,
        baselineViewTimeoutPeriod: cfg.params.baselineViewTimeoutPeriod,
        heartbeatPeriod: cfg.params.heartbeatPeriod,
        maxIntegerVal,
        maxBatchSize: cfg.batchSize,
        maxBatchDelay: cfg.params.maxBatchDelay,
      },
    },
    clientIds: List(clientIdsOf(cfg.clients)),
    requestsPerClient: cfg.requests,
    clockMax: cfg.clock,
    monotoneClocks: cfg.monotoneClocks,
    scheduler: cfg.scheduler,
    ...(cfg.election === 'oracle' ? { electionOracle: { views: cfg.ballots } } : {}),
    requestsUpFront: cfg.requestsUpFront,
    requestTargets: cfg.requestTargets,
  };
}

/** Position of a view in succession order: (1,0) is 0, (1,1) is 1, …, (2,0) is n. */
export function viewIndex(b: spec.Ballot, n: number): number {
  return (b.seqno - 1) * n + b.proposerId;
}

/**
 * The state constraint: `ballots` cuts a state in which some replica has moved to a view beyond
 * the first `ballots` views; `opns` cuts one in which some proposer has proposed past slot
 * `opns - 1`. Cut states are still checked, only not expanded.
 */
export function outsideBounds(cfg: ModelConfig, s: S): string | undefined {
  for (const sch of s.replicas) {
    const p = sch.replica.proposer;
    if (viewIndex(p.electionState.currentView, cfg.replicas) >= cfg.ballots) return 'ballots';
    if (p.nextOperationNumberToPropose > cfg.opns) return 'opns';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Host-by-host search (bug hunting)

/** The host that takes a step: replicas are 0..n-1, clients follow them. */
function hostOf(cfg: ModelConfig, step: A): number {
  return step.kind === 'client' ? cfg.replicas + step.client : step.replica;
}

/**
 * Host-by-host search, a bug-hunting under-approximation: at each state only the first host that
 * has an in-bound step moves (steps that leave the bounds are always kept, so cut states are still
 * checked). Every state it reaches is reachable, so every violation it finds is real; but it is NOT
 * exhaustive. A host's later receives do not commute with its own local steps, so the enabled steps
 * of one host are not a persistent set, and whole families of behaviours (for instance a replica
 * timing out only after a client's request reached it) are never explored. A run in this mode that
 * finds no violation is reported as incomplete, never as a proof.
 */
function hostByHostSuccessors(cfg: ModelConfig, all: readonly spec.SystemSuccessor[]): spec.SystemSuccessor[] {
  let first = Number.POSITIVE_INFINITY;
  for (const x of all) if (outsideBounds(cfg, x.state) === undefined) first = Math.min(first, hostOf(cfg, x.step));
  return all.filter((x) => hostOf(cfg, x.step) === first || outsideBounds(cfg, x.state) !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Client symmetry

/**
 * Renames every occurrence of a client end point inside an immutable value. Memoised per object
 * (and per renaming), so the unchanged parts a state shares with its parent are renamed once.
 * A value that mentions no renamed client comes back as the same object (Records and Lists do
 * this by themselves; Maps and Sets are checked), so the codec's per-object memo still applies to
 * it when the renamed state is encoded.
 */
class Renamer {
  private readonly memo = new WeakMap<object, unknown>();
  /** The field names of each Record type, by prototype. */
  private readonly keys = new globalThis.Map<object, readonly string[]>();
  constructor(private readonly mapping: ReadonlyMap<string, string>) {}

  private keysOf(record: Immutable.Record<Record<string, unknown>>): readonly string[] {
    const proto = Object.getPrototypeOf(record) as object;
    let keys = this.keys.get(proto);
    if (keys === undefined) {
      keys = record.toSeq().keySeq().toArray();
      this.keys.set(proto, keys);
    }
    return keys;
  }

  rename<T>(v: T): T {
    if (typeof v === 'string') return (this.mapping.get(v) ?? v) as T;
    if (v === null || typeof v !== 'object') return v;
    const hit = this.memo.get(v);
    if (hit !== undefined) return hit as T;
    let out: unknown;
    if (Immutable.isRecord(v)) {
      // Field by field, setting only the fields that change: cheaper than withMutations over a Seq.
      const record = v as unknown as Immutable.Record<Record<string, unknown>>;
      let renamed = record;
      for (const k of this.keysOf(record)) {
        const x = record.get(k);
        const y = this.rename(x);
        if (y !== x) renamed = renamed.set(k, y);
      }
      out = renamed;
    } else if (Immutable.isMap(v)) {
      const entries = (v as Immutable.Map<unknown, unknown>).toArray();
      const renamed = entries.map(([k, x]): [unknown, unknown] => [this.rename(k), this.rename(x)]);
      out = renamed.every(([k, x], i) => k === entries[i]![0] && x === entries[i]![1]) ? v : IMap(renamed);
    } else if (Immutable.isSet(v)) {
      const items = (v as Immutable.Set<unknown>).toArray();
      const renamed = items.map((x) => this.rename(x));
      out = renamed.every((x, i) => x === items[i]) ? v : Immutable.Set(renamed);
    } else if (Immutable.isList(v)) {
      out = (v as Immutable.List<unknown>).map((x) => this.rename(x));
    } else {
      out = v;
    }
    this.memo.set(v, out);
    return out as T;
  }
}

function permutations(n: number): number[][] {
  if (n <= 1) return [[...Array(n).keys()]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_x, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Client symmetry: every client has the same request pattern, so renaming clients maps behaviours
 * to behaviours (the spec treats end points as opaque identities; no action orders them). The
 * representative is the renaming whose canonical encoding is smallest. Replica ids are NOT
 * symmetric: ballots are ordered by proposer id and views rotate through the replicas.
 */
function clientSymmetry(clients: readonly string[], encode: (s: S) => Uint8Array): (s: S) => S {
  const renamers = permutations(clients.length)
    .filter((perm) => perm.some((j, i) => j !== i))
    .map((perm) => ({ perm, renamer: new Renamer(new globalThis.Map(clients.map((c, i) => [c, clients[perm[i]!]!]))) }));
  return (s: S) => {
    let best = s;
    let bestBytes = encode(s);
    for (const { perm, renamer } of renamers) {
      const renamed = renamer.rename(s);
      // The client at index i becomes client perm[i]: its local state moves with it.
      const clientsPermuted = List(clients.map((_c, j) => renamed.clients.get(perm.indexOf(j))!));
      const candidate = renamed.set('clients', clientsPermuted);
      const bytes = encode(candidate);
      if (compareBytes(bytes, bestBytes) < 0) {
        best = candidate;
        bestBytes = bytes;
      }
    }
    return best;
  };
}

// ---------------------------------------------------------------------------------------------
// Obligations and witnesses

function verdictOf(v: spec.ObligationVerdict): Verdict {
  if (!v.holds) return v;
  return v.premise ? HOLDS : HOLDS_VACUOUSLY;
}

/** Every obligation name, state and step, in report order. */
export function obligationNames(): string[] {
  return [...spec.stateObligations.map((o) => o.name), ...spec.stepObligations.map((o) => o.name)];
}

function selected(names: readonly string[] | undefined): (name: string) => boolean {
  if (names === undefined || names.length === 0) return () => true;
  const known = new Set(obligationNames());
  for (const n of names) if (!known.has(n)) throw new RangeError(`unknown obligation "${n}" (see \`rsl list obligations\`)`);
  return (name) => names.includes(name);
}

function anyReplica(s: S, f: (r: spec.ReplicaState) => boolean): boolean {
  return s.replicas.some((sch) => f(sch.replica));
}

const competingProposals = new WeakMap<object, boolean>();

function twoClientsCompete(sent: S['sentPackets']): boolean {
  const proposals = sent.toArray().flatMap((p) => (p.msg.type === '2a' ? [p.msg] : []));
  const clientsOf = (v: spec.RequestBatch): string => v.map((r) => r.client).toSet().sort().join(',');
  return proposals.some((a) =>
    proposals.some((b) => a.opn2a === b.opn2a && a.val2a.size > 0 && b.val2a.size > 0 && clientsOf(a.val2a) !== clientsOf(b.val2a)),
  );
}

/**
 * Scenarios the headline model must contain, so that a "holds" is not a vacuous pass. Each is a
 * reachability witness: the run fails when one is never reached.
 */
interface Scenario {
  readonly name: string;
  readonly description: string;
  holds(c: spec.Constants, s: S): boolean;
}

export const scenarios: readonly Scenario[] = [
  {
    name: 'valueChosenThen2aInLaterView',
    description: 'a value is chosen at some ballot and a 2a for the same slot is sent at a later ballot',
    holds: (c, s) => {
      const chosen = spec.chosenValues(c, s);
      return chosen.some((ch) =>
        s.sentPackets.some((p) => p.msg.type === '2a' && p.msg.opn2a === ch.opn && spec.balLt(ch.bal, p.msg.bal2a)),
      );
    },
  },
  {
    name: 'viewChangeWhileAcceptedNotChosen',
    description: 'some replica moved past a view in which a value was accepted (2b sent) but not chosen',
    holds: (c, s) => {
      const chosen = spec.chosenValues(c, s);
      return s.sentPackets.some((p) => {
        if (p.msg.type !== '2b') return false;
        const m = p.msg;
        const isChosen = chosen.some((ch) => ch.opn === m.opn2b && is(ch.bal, m.bal2b));
        return !isChosen && anyReplica(s, (r) => spec.balLt(m.bal2b, r.proposer.electionState.currentView));
      });
    },
  },
  {
    name: 'twoClientsCompeteForOneSlot',
    description: 'two 2a messages for the same slot propose different batches holding different clients\' requests',
    holds: (_c, s) => {
      // It depends on the packet set alone, and states share packet sets (the codec interns them).
      let hit = competingProposals.get(s.sentPackets);
      if (hit === undefined) competingProposals.set(s.sentPackets, (hit = twoClientsCompete(s.sentPackets)));
      return hit;
    },
  },
  {
    name: 'executedAndReplied',
    description: 'a replica executed a batch and a client was sent a reply',
    holds: (_c, s) => s.sentPackets.some((p) => p.msg.type === 'Reply'),
  },
  ];

export function scenarioWitnesses(c: spec.Constants): Witness<S>[] {
  return scenarios.map((sc) => ({ name: sc.name, description: sc.description, holds: (s: S) => sc.holds(c, s) }));
}

// ---------------------------------------------------------------------------------------------
// The model

/** Every Record type that occurs in a system state, by a stable name. */
const records = {
  AcceptorState: spec.AcceptorStateRecord,
  AppIncrementReply: spec.AppIncrementReplyRecord,
  AppIncrementRequest: spec.AppIncrementRequestRecord,
  AppInvalidReply: spec.AppInvalidReplyRecord,
  Ballot: spec.BallotRecord,
  ClientState: spec.ClientStateRecord,
  ElectionState: spec.ElectionStateRecord,
  ExecutorState: spec.ExecutorStateRecord,
  LearnerState: spec.LearnerStateRecord,
  LearnerTuple: spec.LearnerTupleRecord,
  Message1a: spec.M1aRecord,
  Message1b: spec.M1bRecord,
  Message2a: spec.M2aRecord,
  Message2b: spec.M2bRecord,
  MessageAppStateRequest: spec.AppStateRequestRecord,
  MessageAppStateSupply: spec.AppStateSupplyRecord,
  MessageHeartbeat: spec.HeartbeatRecord,
  MessageInvalid: spec.InvalidRecord,
  MessageReply: spec.MessageReplyRecord,
  MessageRequest: spec.MessageRequestRecord,
  MessageStartingPhase2: spec.StartingPhase2Record,
  OutstandingOpKnown: spec.KnownRecord,
  OutstandingOpUnknown: spec.UnknownRecord,
  Packet: spec.PacketRecord,
  ProposerState: spec.ProposerStateRecord,
  ReplicaState: spec.ReplicaStateRecord,
  Reply: spec.ReplyRecord,
  Request: spec.RequestRecord,
  RslSystem: spec.RslSystemRecord,
  SchedulerState: spec.SchedulerStateRecord,
  TimerOff: spec.TimerOffRecord,
  TimerOn: spec.TimerOnRecord,
  Vote: spec.VoteRecord,
};

function stepToJson(cfg: spec.SystemConfig, step: A): Json {
  if (step.kind === 'client') {
    return { client: cfg.clientIds.get(step.client) ?? step.client, seqno: step.seqno, dst: cfg.constants.config.replicaIds.get(step.dst) ?? step.dst };
  }
  const replica = cfg.constants.config.replicaIds.get(step.replica) ?? step.replica;
  if (step.kind === 'view') return { replica, action: spec.oracleActionName(step), view: toItfValue(step.view) };
  if (step.kind === 'checkpoint') {
    return { replica, action: spec.oracleActionName(step), from: cfg.constants.config.replicaIds.get(step.from) ?? step.from, opn: step.opn };
  }
  const out: { [k: string]: Json } = {
    replica,
    action: spec.schedulerSlots[step.action]?.name ?? step.action,
  };
  if (step.packet !== undefined) out.packet = toItfValue(step.packet);
  if (step.clock !== undefined) out.clock = step.clock;
  if (step.choice !== 0) out.choice = step.choice;
  return out;
}

/** Coverage group of a step: the scheduler slot, and for slot 0 the type of the packet received. */
function stepName(step: A): string {
  if (step.kind === 'client') return 'ClientRequest';
  if (step.kind !== 'replica') return spec.oracleActionName(step);
  const slot = spec.schedulerSlots[step.action]?.name ?? `slot${step.action}`;
  return step.action === 0 ? `${slot}(${step.packet?.msg.type ?? 'timeout'})` : slot;
}

/** Builds the checker model for one configuration (and optionally one mutant). */
export function createRslModel(options: RslModelOptions): Model<S, A> & { readonly system: spec.SystemConfig } {
  const cfg = options.config;
  const system = systemConfigOf(cfg);
  const c = system.constants;
  const P = options.mutant === undefined ? spec.defaultSpecActions : findMutant(options.mutant)?.actions;
  if (P === undefined) throw new RangeError(`unknown mutant "${options.mutant}" (see \`rsl list mutants\`)`);
  const wanted = selected(options.invariants);
  const codec = immutableCodec<S>({ immutable: Immutable, records });
  const invariants: Invariant<S>[] = spec.stateObligations
    .filter((o) => wanted(o.name))
    .map((o) => ({ name: o.name, description: o.description, check: (s: S) => verdictOf(o.check(c, s)) }));
  const stepProperties: StepProperty<S, A>[] = spec.stepObligations
    .filter((o) => wanted(o.name))
    .map((o) => ({ name: o.name, description: o.description, check: (from: S, _a: A, to: S) => verdictOf(o.check(c, from, to)) }));
  const symmetric = cfg.symmetry && cfg.clients >= 2;
  return {
    name: options.mutant === undefined ? `rsl:${cfg.name}` : `rsl:${cfg.name}:mutant=${options.mutant}`,
    configuration: options as unknown as Json,
    system,
    initStates: () => [spec.systemInit(system)],
    successors: (s) => {
      const all = spec.systemSuccessors(system, s, P);
      const chosen = cfg.hostByHost ? hostByHostSuccessors(cfg, all) : all;
      return chosen.map((x) => ({ action: x.step, state: x.state }));
    },
    actionName: stepName,
    formatAction: (a) => spec.formatStep(system, a),
    actionToJson: (a) => stepToJson(system, a),
    invariants,
    stepProperties,
    witnesses: options.invariants === undefined || options.invariants.length === 0 ? scenarioWitnesses(c) : [],
    outsideBounds: (s) => outsideBounds(cfg, s),
    ...(symmetric ? { representative: clientSymmetry(clientIdsOf(cfg.clients), (s) => codec.encode(s)) } : {}),
    codec,
    toItf: (s) => {
      const v = toItfValue(s);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { [k: string]: Json }) : { state: v };
    },
  };
}

/** Worker entry: the checker's ModelFactory calls this with the JSON options. */
export function createModel(options: Json): Model<S, A> {
  return createRslModel(options as unknown as RslModelOptions);
}

/** How worker threads rebuild this model (from the compiled file next to this one). */
export function rslModelFactory(options: RslModelOptions): ModelFactory {
  const here = fileURLToPath(import.meta.url);
  const module = here.endsWith('.ts') ? here.replace(/[\\/]cli[\\/]rslModel\.ts$/, '/dist/cli/rslModel.js') : here;
  return { module, options: options as unknown as Json };
}
