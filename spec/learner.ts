/** The learner (rsl-protocol.md §8). Every function is pure. */
import { Map, Record, Set, type RecordOf } from 'immutable';
import { isReplica, type ReplicaConstants } from './configuration.js';
import type { Message2b, Packet } from './message.js';
import { balLt, ballot, learnerTuple, type Ballot, type LearnerTuples, type OperationNumber } from './types.js';

export interface LearnerStateProps {
  readonly maxBallotSeen: Ballot;
  readonly unexecutedLearnerState: LearnerTuples;
}
export type LearnerState = RecordOf<LearnerStateProps>;
export const LearnerStateRecord = Record<LearnerStateProps>({ maxBallotSeen: ballot(0, 0), unexecutedLearnerState: Map() }, 'LearnerState');

/** LLearnerInit. */
export function learnerInit(_c: ReplicaConstants): LearnerState {
  return LearnerStateRecord();
}

/**
 * LLearnerProcess2b (§8): tally a 2b. A 2b from a newer ballot discards every tally of older
 * ballots; within the current ballot the first 2b for a slot fixes the candidate value and later
 * ones only add their sender (the value is not compared: equal by lemma 2aMessagesFromSameBallotAndOperationMatch).
 */
export function learnerProcess2b(c: ReplicaConstants, s: LearnerState, p: Packet<Message2b>): LearnerState {
  const m = p.msg;
  const opn = m.opn2b;
  if (!isReplica(p.src, c.all.config) || balLt(m.bal2b, s.maxBallotSeen)) return s;
  if (balLt(s.maxBallotSeen, m.bal2b)) {
    return s.merge({
      maxBallotSeen: m.bal2b,
      unexecutedLearnerState: Map([[opn, learnerTuple(Set([p.src]), m.val2b)]]),
    });
  }
  const tuple = s.unexecutedLearnerState.get(opn);
  if (tuple === undefined) {
    return s.set('unexecutedLearnerState', s.unexecutedLearnerState.set(opn, learnerTuple(Set([p.src]), m.val2b)));
  }
  if (tuple.received2bMessageSenders.has(p.src)) return s;
  const grown = tuple.set('received2bMessageSenders', tuple.received2bMessageSenders.add(p.src));
  return s.set('unexecutedLearnerState', s.unexecutedLearnerState.set(opn, grown));
}

/** LLearnerForgetDecision (§8): drop the tally of slot `opn`, if any. */
export function learnerForgetDecision(_c: ReplicaConstants, s: LearnerState, opn: OperationNumber): LearnerState {
  return s.unexecutedLearnerState.has(opn) ? s.set('unexecutedLearnerState', s.unexecutedLearnerState.delete(opn)) : s;
}

/** LLearnerForgetOperationsBefore (§8): keep only the tallies of slots `>= opsComplete`. */
export function learnerForgetOperationsBefore(_c: ReplicaConstants, s: LearnerState, opsComplete: OperationNumber): LearnerState {
  const kept = s.unexecutedLearnerState.filter((_t, opn) => opn >= opsComplete);
  return kept.size === s.unexecutedLearnerState.size ? s : s.set('unexecutedLearnerState', kept);
}
