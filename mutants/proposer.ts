/** Seeded bugs in the proposer (rsl-protocol.md §7.3). */
import { Map, Set } from 'immutable';
import {
  allAcceptorsHadNoProposal,
  balLt,
  broadcastToEveryone,
  message1a,
  message2a,
  outcome,
  proposerCanNominateUsingOperationNumber,
  proposerMaybeNominateValueAndSend2a,
  type Ballot,
  type OperationNumber,
  type Outcome,
  type ProposerState,
  type ReplicaConstants,
  type RequestBatch,
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

/**
 * LProposerNominateOldValueAndSend2a (§7.3) choosing by the wrong end of the ballot order: of the
 * votes the received 1bs report for the next slot, re-propose one at the LOWEST ballot instead of
 * a highest-numbered proposal. One outcome per distinct value at that ballot (in a fixed order);
 * everything else as in the correct action. The same as the correct choice whenever every vote
 * for the slot is at one ballot, so it takes two values voted at two ballots to show.
 */
function proposerNominateLowestVoteAndSend2a(c: ReplicaConstants, s: ProposerState): readonly Outcome<ProposerState>[] {
  const opn = s.nextOperationNumberToPropose;
  const votes = s.received1bPackets
    .toList()
    .map((p) => (p.msg.type === '1b' ? p.msg.votes.get(opn) : undefined))
    .filter((w) => w !== undefined);
  let lowest: Ballot | undefined;
  for (const w of votes) if (lowest === undefined || balLt(w.maxValueBal, lowest)) lowest = w.maxValueBal;
  const values = votes
    .filter((w) => lowest !== undefined && w.maxValueBal.equals(lowest))
    .map((w) => w.maxVal)
    .toSet()
    .sortBy((v: RequestBatch) => JSON.stringify(v.toJS()));
  const state = s.set('nextOperationNumberToPropose', opn + 1);
  return values.toArray().map((v) => outcome(state, broadcastToEveryone(c.all.config, c.myIndex, message2a(s.maxBallotISent1a, opn, v))));
}

export const proposerNominatesLowestVote = mutant(
  'proposer-nominates-lowest-vote',
  'proposer',
  'NominateOldValueAndSend2a re-proposes a vote of the lowest ballot the 1bs report for the slot, not one of the highest',
  'proposerMaybeNominateValueAndSend2a',
  (c, s, clock, ltp: OperationNumber) => {
    const opn = s.nextOperationNumberToPropose;
    // The dispatcher's branch (2), NominateOld; every other branch is the correct dispatcher's.
    if (proposerCanNominateUsingOperationNumber(c, s, ltp, opn) && !allAcceptorsHadNoProposal(s.received1bPackets, opn)) {
      return proposerNominateLowestVoteAndSend2a(c, s);
    }
    return proposerMaybeNominateValueAndSend2a(c, s, clock, ltp);
  },
);

export const proposerMutants = [proposerLeadsAnyView, proposerReusesSlot, proposerNominatesLowestVote] as const;
