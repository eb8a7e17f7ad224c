/** Seeded bugs in the proposer (rsl-protocol.md §7.3). */
import { Map, Set } from 'immutable';
import {
  balLt,
  broadcastToEveryone,
  message1a,
  outcome,
  proposerMaybeNominateValueAndSend2a,
  type Outcome,
  type ProposerState,
  type ReplicaConstants,
} from '../spec/index.js';
import { mutant } from './mutant.js';

/**
 * LProposerMaybeEnterNewViewAndSend1a (§7.3) without the `proposer_id == my_index` test: a replica
 * starts phase 1 of any view newer than its last 1a, including views that belong to another replica.
 */
function proposerMaybeEnterAnyNewViewAndSend1a(c: ReplicaConstants, s: ProposerState): Outcome<ProposerState> {
  const es = s.electionState;
  const v = es.currentView;
  if (!balLt(s.maxBallotISent1a, v)) return outcome(s);
  const state = s.merge({
    currentState: 1,
    maxBallotISent1a: v,
    received1bPackets: Set(),
    highestSeqnoRequestedByClientThisView: Map(),
    requestQueue: es.requestsReceivedPrevEpochs.concat(es.requestsReceivedThisEpoch),
  });
  return outcome(state, broadcastToEveryone(c.all.config, c.myIndex, message1a(v)));
}

export const proposerLeadsAnyView = mutant(
  'proposer-leads-any-view',
  'proposer',
  "MaybeEnterNewViewAndSend1a drops the proposer_id == my_index check, so a replica leads another replica's ballot",
  'proposerMaybeEnterNewViewAndSend1a',
  proposerMaybeEnterAnyNewViewAndSend1a,
);

export const proposerReusesSlot = mutant(
  'proposer-reuses-slot',
  'proposer',
  'MaybeNominateValueAndSend2a never advances next_operation_number_to_propose, so the leader proposes a second value for a slot',
  'proposerMaybeNominateValueAndSend2a',
  (c, s, clock, ltp) =>
    proposerMaybeNominateValueAndSend2a(c, s, clock, ltp).map((o) =>
      outcome(o.state.set('nextOperationNumberToPropose', s.nextOperationNumberToPropose), o.sent),
    ),
);

export const proposerMutants = [proposerLeadsAnyView, proposerReusesSlot] as const;
