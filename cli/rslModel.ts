/**
 * The bridge between the protocol (spec/) and the generic checker (checker/): the bounded RSL
 * system presented as a checker `Model`. This is the only module that knows both. The reductions
 * it may apply are in their own modules: bounds.ts (the state constraint), symmetry.ts (client
 * symmetry), hostByHost.ts (bug hunting, not exhaustive); the scenarios are spec/scenarios.ts.
 *
 * Worker threads rebuild the same model from `createModel(options)` in the compiled form of this
 * file, so everything a model depends on must travel in `RslModelOptions` (plain JSON).
 */
import * as Immutable from 'immutable';
import { List } from 'immutable';
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
import type { Decomposition } from '../checker/compositional.js';
import { findImplMutant, findMutant } from '../mutants/index.js';
import { defaultImplActions } from '../impl/actions.js';
import * as spec from '../spec/index.js';
import { outsideBounds } from './bounds.js';
import { symmetryApplies, type ModelConfig } from './config.js';
import { hostByHostSuccessors } from './hostByHost.js';
import { rslDecomposition } from './rslDecomposition.js';
import { PartsMemo } from './partsMemo.js';
import { refinementObligationNames, refinementObligations } from './refinementObligations.js';
import { clientSymmetry } from './symmetry.js';

type S = spec.RslSystem;
type A = spec.SystemStep;

/** Everything needed to build the model, in every thread. */
export interface RslModelOptions {
  readonly config: ModelConfig;
  /** Name of a mutant (mutants/) to check instead of the correct spec (or, `impl-…`, implementation). */
  readonly mutant?: string;
  /** Check that the implementation refines the spec (absent: yes). */
  readonly refinement?: boolean;
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
    // Rounds keep the round-robin order themselves; each of their sub-steps is a single action of
    // the `any` scheduler, which does not keep a scheduler index (spec/rounds.ts).
    scheduler: cfg.granularity === 'round' ? 'any' : cfg.scheduler,
    ...(cfg.election === 'oracle'
      ? { electionOracle: { views: cfg.ballots, ...(cfg.checkpoints === 'lazy' ? { lazyCheckpoints: true } : {}) } }
      : {}),
    requestsUpFront: cfg.requestsUpFront,
    requestTargets: cfg.requestTargets,
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
  return [...spec.stateObligations.map((o) => o.name), ...spec.stepObligations.map((o) => o.name), ...refinementObligationNames()];
}

/** The selection `--invariant` makes: obligations and scenarios by name; everything when empty. */
function selected(names: readonly string[] | undefined): (name: string) => boolean {
  if (names === undefined || names.length === 0) return () => true;
  const known = new Set([...obligationNames(), ...spec.scenarios.map((sc) => sc.name)]);
  for (const n of names) if (!known.has(n)) throw new RangeError(`unknown obligation "${n}" (see \`npx rsl list obligations\`)`);
  return (name) => names.includes(name);
}

/**
 * Memos shared by the obligations and scenarios that read the same parts of a state (see
 * `StateObligation.reads`), each function numbered within its memo.
 */
class SharedMemos {
  private readonly memos = new globalThis.Map<string, { memo: PartsMemo<unknown>; count: number }>();

  /** A memo slot for a function that reads `reads`: call `get(state, compute)` with it. */
  slot<V>(reads: readonly spec.StatePart[]): (s: S, compute: () => V) => V {
    const key = reads.join(',');
    let entry = this.memos.get(key);
    if (entry === undefined) {
      entry = { memo: new PartsMemo<unknown>((s) => spec.statePartValues(s as S, reads)), count: 0 };
      this.memos.set(key, entry);
    }
    const { memo } = entry;
    const k = entry.count++;
    return (s, compute) => memo.get(s, k, compute) as V;
  }
}

export function scenarioWitnesses(c: spec.Constants, memos = new SharedMemos()): Witness<S>[] {
  return spec.scenarios.map((sc) => {
    const get = memos.slot<boolean>(sc.reads);
    return { name: sc.name, description: sc.description, holds: (s: S) => get(s, () => sc.holds(c, s)) };
  });
}

/** A state obligation as a checker invariant, computed once per distinct value of the parts it reads. */
function stateInvariant(c: spec.Constants, o: spec.StateObligation, memos: SharedMemos): Invariant<S> {
  const get = memos.slot<Verdict>(o.reads);
  return { name: o.name, description: o.description, check: (s: S) => get(s, () => verdictOf(o.check(c, s))) };
}

// ---------------------------------------------------------------------------------------------
// The model

function stepToJson(cfg: spec.SystemConfig, step: A): Json {
  if (step.kind === 'client') {
    return {
      client: cfg.clientIds.get(step.client) ?? step.client,
      seqno: step.seqno,
      dst: cfg.constants.config.replicaIds.get(step.dst) ?? step.dst,
    };
  }
  const replica = cfg.constants.config.replicaIds.get(step.replica) ?? step.replica;
  if (step.kind === 'view') return { replica, action: spec.oracleActionName(step), view: toItfValue(step.view) };
  if (step.kind === 'checkpoint') {
    return {
      replica,
      action: spec.oracleActionName(step),
      from: cfg.constants.config.replicaIds.get(step.from) ?? step.from,
      opn: step.opn,
    };
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
  return step.action === spec.Slot.ProcessPacket ? `${slot}(${step.packet?.msg.type ?? 'timeout'})` : slot;
}

/**
 * The components `rsl check --census` counts distinct values of: each replica's whole state and
 * its acceptor, proposer, learner, executor and election state, and each replica with the packet
 * set (what a replica's moves depend on); the packet set and its size; the clients; the ghost
 * history of executed batches.
 */
function rslCensus(n: number): NonNullable<Model<S, A>['census']> {
  const replicas = Array.from({ length: n }, (_x, i) => i);
  const parts = ['', '.acceptor', '.proposer', '.learner', '.executor', '.election', '+packets'];
  return {
    dimensions: [...replicas.flatMap((i) => parts.map((p) => `r${i}${p}`)), 'packets', 'packets.size', 'clients', 'executedBatches'],
    values: (s) => [
      ...replicas.flatMap((i) => {
        const sch = s.replicas.get(i)!;
        const r = sch.replica;
        return [sch, r.acceptor, r.proposer, r.learner, r.executor, r.proposer.electionState, List([sch, s.sentPackets])];
      }),
      s.sentPackets,
      s.sentPackets.size,
      s.clients,
      s.executedBatches,
    ],
  };
}

/** The checker model of the RSL system, with the spec's system configuration it explores. */
export type RslModel = Model<S, A> & {
  readonly system: spec.SystemConfig;
  /** The split for per-replica exploration (round granularity only). */
  readonly decomposition?: Decomposition<S, A, unknown>;
};

/** Builds the checker model for one configuration (and optionally one mutant). */
export function createRslModel(options: RslModelOptions): RslModel {
  const cfg = options.config;
  const system = systemConfigOf(cfg);
  const c = system.constants;
  // A spec mutant changes the explored system; an implementation mutant only what refinement runs.
  const implMutant = options.mutant === undefined ? undefined : findImplMutant(options.mutant);
  const P = options.mutant === undefined || implMutant !== undefined ? spec.defaultSpecActions : findMutant(options.mutant)?.actions;
  if (P === undefined) throw new RangeError(`unknown mutant "${options.mutant}" (see \`npx rsl list mutants\`)`);
  if (implMutant !== undefined && options.refinement === false) {
    throw new RangeError(`mutant "${options.mutant}" breaks the implementation: it can only be caught with refinement on`);
  }
  const wanted = selected(options.invariants);
  const codec = immutableCodec<S>({ immutable: Immutable, records: spec.systemRecordTypes });
  const memos = new SharedMemos();
  const invariants: Invariant<S>[] = spec.stateObligations.filter((o) => wanted(o.name)).map((o) => stateInvariant(c, o, memos));
  const stepProperties: StepProperty<S, A>[] = spec.stepObligations
    .filter((o) => wanted(o.name))
    .map((o) => ({ name: o.name, description: o.description, check: (from: S, _a: A, to: S) => verdictOf(o.check(c, from, to)) }));
  if (options.refinement !== false) {
    const refinement = refinementObligations(system, implMutant?.impl ?? defaultImplActions, wanted);
    stepProperties.push(...refinement.stepProperties);
    invariants.push(...refinement.invariants);
  }
  const cut = (s: S): boolean => outsideBounds(cfg, s) !== undefined;
  return {
    name: options.mutant === undefined ? `rsl:${cfg.name}` : `rsl:${cfg.name}:mutant=${options.mutant}`,
    configuration: options as unknown as Json,
    system,
    initStates: () => [spec.systemInit(system)],
    successors: (s) => {
      if (cfg.granularity !== 'round') {
        const all = spec.systemSuccessors(system, s, P);
        const chosen = cfg.hostByHost ? hostByHostSuccessors(cfg, all) : all;
        return chosen.map((x) => ({ action: x.step, state: x.state }));
      }
      // A round is one transition; the states it passes through travel in `via`, to be checked.
      const rounds = spec.systemRounds(system, s, P, cut).map((round) => ({ ...round[round.length - 1]!, round }));
      const chosen = cfg.hostByHost ? hostByHostSuccessors(cfg, rounds) : rounds;
      return chosen.map((x) => ({
        action: x.step,
        state: x.state,
        ...(x.round.length > 1 ? { via: x.round.slice(0, -1).map((sub) => ({ action: sub.step, state: sub.state })) } : {}),
      }));
    },
    actionName: stepName,
    formatAction: (a) => spec.formatStep(system, a),
    actionToJson: (a) => stepToJson(system, a),
    invariants,
    stepProperties,
    witnesses: scenarioWitnesses(c, memos).filter((w) => wanted(w.name)),
    outsideBounds: (s) => outsideBounds(cfg, s),
    census: rslCensus(cfg.replicas),
    ...(cfg.granularity === 'round' ? { decomposition: rslDecomposition(cfg, system, P, cut) as Decomposition<S, A, unknown> } : {}),
    ...(symmetryApplies(cfg) ? { representative: clientSymmetry(clientIdsOf(cfg.clients), (s, out) => codec.fingerprint!(s, out)) } : {}),
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
