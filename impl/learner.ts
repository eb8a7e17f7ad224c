/** The concrete learner (rsl-protocol.md §8): per-slot 2b tallies in a Map, updated in place, and its abstraction. */
import { Map as IMap, Set as ISet } from 'immutable';
import type { LearnerState, LearnerTuple } from '../spec/index.js';
import { learnerTuple, LearnerStateRecord } from '../spec/index.js';
import { cIsReplica } from './configuration.js';
import { abstractBallot, abstractBatch, cBallot, cBalLt, concreteBallot, concreteBatch } from './message.js';
import type { CBallot, CEndPoint, CMessageOf, COperationNumber, CPacket, CReplicaConstants, CRequestBatch } from './types.js';

export interface CLearnerTuple {
  readonly received2bMessageSenders: Set<CEndPoint>;
  readonly candidateLearnedValue: CRequestBatch;
}

export interface CLearner {
  maxBallotSeen: CBallot;
  readonly unexecutedLearnerState: Map<COperationNumber, CLearnerTuple>;
}

/** CLearnerInit. */
export function cLearnerInit(_c: CReplicaConstants): CLearner {
  return { maxBallotSeen: cBallot(0, 0), unexecutedLearnerState: new Map() };
}

/** CLearnerProcess2b: tally a 2b; a newer ballot discards every older tally. */
export function cLearnerProcess2b(c: CReplicaConstants, s: CLearner, p: CPacket<CMessageOf<'2b'>>): void {
  const m = p.msg;
  if (!cIsReplica(p.src, c.config) || cBalLt(m.bal2b, s.maxBallotSeen)) return;
  const tallies = s.unexecutedLearnerState;
  if (cBalLt(s.maxBallotSeen, m.bal2b)) {
    s.maxBallotSeen = m.bal2b;
    tallies.clear();
    tallies.set(m.opn2b, { received2bMessageSenders: new Set([p.src]), candidateLearnedValue: m.val2b });
    return;
  }
  const tuple = tallies.get(m.opn2b);
  if (tuple === undefined) tallies.set(m.opn2b, { received2bMessageSenders: new Set([p.src]), candidateLearnedValue: m.val2b });
  else tuple.received2bMessageSenders.add(p.src);
}

/** CLearnerForgetDecision: drop the tally of slot `opn`. */
export function cLearnerForgetDecision(_c: CReplicaConstants, s: CLearner, opn: COperationNumber): void {
  s.unexecutedLearnerState.delete(opn);
}

/** CLearnerForgetOperationsBefore: keep the tallies of slots `>= opsComplete`, in one pass. */
export function cLearnerForgetOperationsBefore(_c: CReplicaConstants, s: CLearner, opsComplete: COperationNumber): void {
  for (const opn of s.unexecutedLearnerState.keys()) if (opn < opsComplete) s.unexecutedLearnerState.delete(opn);
}

// ---------------------------------------------------------------------------------------------
// Abstraction

export function abstractLearner(s: CLearner): LearnerState {
  return LearnerStateRecord({
    maxBallotSeen: abstractBallot(s.maxBallotSeen),
    unexecutedLearnerState: IMap<COperationNumber, LearnerTuple>().withMutations((m) => {
      for (const [opn, t] of s.unexecutedLearnerState) {
        m.set(opn, learnerTuple(ISet(t.received2bMessageSenders), abstractBatch(t.candidateLearnedValue)));
      }
    }),
  });
}

export function concreteLearner(s: LearnerState): CLearner {
  const tallies = new Map<COperationNumber, CLearnerTuple>();
  for (const [opn, t] of s.unexecutedLearnerState) {
    tallies.set(opn, {
      received2bMessageSenders: new Set(t.received2bMessageSenders),
      candidateLearnedValue: concreteBatch(t.candidateLearnedValue),
    });
  }
  return { maxBallotSeen: concreteBallot(s.maxBallotSeen), unexecutedLearnerState: tallies };
}
