/**
 * The RSL system split for per-replica exploration (checker/compositional.ts): the shared part is
 * what every replica may read (the packet set, the clients, and the replicas' executed counts,
 * which the election oracle's checkpoint news read); replica i's local part is its scheduler
 * state, its clock and its ghost history of executed batches.
 *
 * The decomposition's promises, and why they hold here:
 *  - A round of replica i reads only its own state, the packets addressed to it, its clock and
 *    (oracle checkpoint news) the others' executed counts, and writes only its own state and the
 *    packet set (spec/rounds.ts); a client step reads and writes only the clients and the packets.
 *  - Every state obligation is a conjunction over replicas (or, `pairwise`, over pairs of
 *    replicas) of conditions on their parts and the packet set (spec/obligations/verdict.ts); the
 *    scenarios are disjunctions over replicas; the refinement of stuttering actions is checked
 *    replica by replica.
 *  - Step obligations read the packet sets and the moving replica, before and after.
 *  - The bounds cut a state when one replica leaves them (cli/bounds.ts).
 */
import { List, type Map as ImmutableMap } from 'immutable';
import type { Decomposition } from '../checker/compositional.js';
import * as spec from '../spec/index.js';
import { replicaOutsideBounds } from './bounds.js';
import type { ModelConfig } from './config.js';
import { stutteringObligation } from './refinementObligations.js';

type S = spec.RslSystem;
type A = spec.SystemStep;
/** A replica's local part: [scheduler state, clock, executed batches]. */
type Local = List<unknown>;

/** Obligations and scenarios that read no replica's own parts. */
function arityOf(reads: readonly spec.StatePart[], pairwise: boolean | undefined): 0 | 1 | 2 {
  if (pairwise === true) return 2;
  return reads.every((r) => r === 'sentPackets') ? 0 : 1;
}

export function rslDecomposition(
  cfg: ModelConfig,
  system: spec.SystemConfig,
  P: spec.SpecActions,
  cut: (s: S) => boolean,
): Decomposition<S, A, Local> {
  const arities = new Map<string, 0 | 1 | 2>();
  for (const o of spec.stateObligations) arities.set(o.name, arityOf(o.reads, o.pairwise));
  for (const sc of spec.scenarios) arities.set(sc.name, arityOf(sc.reads, undefined));
  // Refinement of the stuttering actions is checked replica by replica (refinement/system.ts).
  arities.set(stutteringObligation, 1);
  return {
    components: cfg.replicas,
    sharedPart: (s) => List([s.sentPackets, s.clients, List(s.replicas.map((r) => r.replica.executor.opsComplete))]),
    localPart: (s, i) => List([s.replicas.get(i)!, s.clocks.get(i)!, s.executedBatches.get(i)!]),
    withLocal: (s, i, l) => {
      const sch = l.get(0) as spec.SchedulerState;
      if (s.replicas.get(i) === sch && s.executedBatches.get(i) === l.get(2) && s.clocks.get(i) === l.get(1)) return s;
      return s.merge({
        replicas: s.replicas.set(i, sch),
        clocks: s.clocks.set(i, l.get(1) as number),
        executedBatches: s.executedBatches.set(i, l.get(2) as ImmutableMap<spec.OperationNumber, spec.RequestBatch>),
      });
    },
    successorsOf: (s, i) => {
      if (i < 0) return spec.clientSuccessors(system, s).map((x) => ({ action: x.step, state: x.state }));
      return spec.replicaRounds(system, s, i, P, cut).map((round) => {
        const last = round[round.length - 1]!;
        return {
          action: last.step,
          state: last.state,
          ...(round.length > 1 ? { via: round.slice(0, -1).map((sub) => ({ action: sub.step, state: sub.state })) } : {}),
        };
      });
    },
    outsideBounds: (s, i) => replicaOutsideBounds(cfg, s.replicas.get(i)!),
    // The pairwise obligations read a replica's executed batches (agreement) and its acceptor's
    // max_bal and proposer's max_ballot_i_sent_1a (lemma_MaxBalLeqMaxBallotPrimarySent1a), no more.
    pairProjection: (l) => {
      const r = (l.get(0) as spec.SchedulerState).replica;
      return List([l.get(2), r.acceptor.maxBal, r.proposer.maxBallotISent1a]);
    },
    arity: (name) => {
      const a = arities.get(name);
      if (a === undefined) throw new RangeError(`no arity known for property "${name}"`);
      return a;
    },
  };
}
