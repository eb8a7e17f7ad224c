/** The obligation tables: every state and step obligation, in the order the checker reports them. */
import type { Constants } from '../configuration.js';
import type { RslSystem } from '../system.js';
import {
  lemmaDecidedOperationWasChosen,
  lemmaGetSent2bMessageFromLearnerState,
  lemmaMaxBalISent1aHasMeAsProposer,
  lemmaMaxBalLeqMaxBallotPrimarySent1a,
  lemmaReceived1bPacketsAreFromMaxBalISent1a,
  lemmaReceived2bMessageSendersAlwaysNonempty,
  lemmaReceived2bMessageSendersAlwaysValidReplicas,
  lemmaVotePrecedesMaxBal,
  lemmaVoteWithOpnImplies2aSent,
  lemma1bMessageImplicationsForAcceptorState,
  lemma1bMessageWithOpnImplicationsFor2b,
  lemma2aMessageHasValidBallot,
  lemma2aMessageImplicationsForProposerState,
  lemma2bMessageImplicationsForAcceptorState,
} from './helperLemmas.js';
import {
  lemmaChosenQuorumAnd2aFromLaterBallotMatchValues,
  lemmaChosenQuorumsMatchValue,
  lemmaQuorumIndexOverlap,
  lemmaVote1bMessageIsFromEarlierBallot,
  lemma1bMessageWithOpnImplies2aSent,
  lemma1bMessageWithoutOpnImplicationsFor2b,
  lemma2aMessageHas1bQuorumPermittingIt,
  lemma2aMessagesFromSameBallotAndOperationMatch,
  lemma2aMessagesFromSameBallotAndOperationMatchWLOG,
  lemma2bMessageHasCorresponding2aMessage,
} from './labLemmas.js';
import { agreement, opsCompleteNeverDecreases, replyCorrectness } from './service.js';
import type { ObligationVerdict, StateObligation, StatePart, StepObligation } from './verdict.js';

function stateObligation(
  name: string,
  description: string,
  check: (c: Constants, s: RslSystem) => ObligationVerdict,
  reads: readonly StatePart[],
  pairwise = false,
): StateObligation {
  return Object.freeze({ name, description, check, reads: Object.freeze([...reads]), ...(pairwise ? { pairwise } : {}) });
}

/** Every state obligation, in the order the checker evaluates and reports them. */
export const stateObligations: readonly StateObligation[] = Object.freeze([
  stateObligation(
    'lemma_2bMessageHasCorresponding2aMessage',
    'L1: every 2b from a replica has a 2a from a replica with the same bal, opn, val. Premise: a 2b exists.',
    lemma2bMessageHasCorresponding2aMessage,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_Vote1bMessageIsFromEarlierBallot',
    "L2: every vote in a replica's 1b is at a ballot below the 1b's. Premise: a 1b carries a vote.",
    lemmaVote1bMessageIsFromEarlierBallot,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_QuorumIndexOverlap',
    'L3: any two quorums present (2b quorums of chosen values, 1b quorums of a ballot) share a replica index. Premise: two quorums exist.',
    lemmaQuorumIndexOverlap,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_1bMessageWithOpnImplies2aSent',
    "L4: every vote in a replica's 1b was proposed by a 2a from a replica. Premise: a 1b carries a vote.",
    lemma1bMessageWithOpnImplies2aSent,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_1bMessageWithoutOpnImplicationsFor2b',
    'L5: a replica whose 1b at b had no vote for opn (opn >= its ltp) sends no 2b for opn below b. Premise: such a (1b, 2b) pair exists.',
    lemma1bMessageWithoutOpnImplicationsFor2b,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_2aMessagesFromSameBallotAndOperationMatch',
    'L6: 2as from replicas with the same bal and opn carry the same value. Premise: two 2a packets share a bal and opn.',
    lemma2aMessagesFromSameBallotAndOperationMatch,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_2aMessageHas1bQuorumPermittingIt',
    'L8: every 2a from a replica has a quorum of 1bs about its ballot that permits its value. Premise: a 2a exists.',
    lemma2aMessageHas1bQuorumPermittingIt,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_ChosenQuorumAnd2aFromLaterBallotMatchValues',
    'L9: a 2a at a ballot above one where a value was chosen for its slot proposes that value. Premise: a chosen value and a later-ballot 2a for its slot exist.',
    lemmaChosenQuorumAnd2aFromLaterBallotMatchValues,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_ChosenQuorumsMatchValue',
    'L10: all values chosen for a slot are equal. Premise: a slot is chosen at two different ballots.',
    lemmaChosenQuorumsMatchValue,
    ['sentPackets'],
  ),
  stateObligation(
    'agreement',
    'Replicas that executed the same slot executed the same batch. Premise: two replicas executed one slot.',
    agreement,
    ['executedBatches'],
    true,
  ),
  stateObligation(
    'replyCorrectness',
    "Every reply carries the counter value of its request's position in the decided order. Premise: a reply exists.",
    replyCorrectness,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_VotePrecedesMaxBal',
    "Every acceptor vote is at a ballot <= the acceptor's max_bal. Premise: an acceptor holds a vote.",
    lemmaVotePrecedesMaxBal,
    ['acceptors'],
  ),
  stateObligation(
    'lemma_VoteWithOpnImplies2aSent',
    'Every acceptor vote was proposed by a 2a from a replica. Premise: an acceptor holds a vote.',
    lemmaVoteWithOpnImplies2aSent,
    ['acceptors', 'sentPackets'],
  ),
  stateObligation(
    'lemma_2bMessageImplicationsForAcceptorState',
    "A 2b is reflected in its sender's acceptor (max_bal, and the vote unless truncated). Premise: a 2b exists.",
    lemma2bMessageImplicationsForAcceptorState,
    ['acceptors', 'sentPackets'],
  ),
  stateObligation(
    'lemma_1bMessageImplicationsForAcceptorState',
    "A 1b is reflected in its sender's acceptor (max_bal, votes kept or raised). Premise: a 1b exists.",
    lemma1bMessageImplicationsForAcceptorState,
    ['acceptors', 'sentPackets'],
  ),
  stateObligation(
    'lemma_1bMessageWithOpnImplicationsFor2b',
    "A replica's 2b for a slot its 1b had a vote for is at or above the 1b's ballot, that vote, or below it. Premise: such a (1b, 2b) pair exists.",
    lemma1bMessageWithOpnImplicationsFor2b,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_MaxBalLeqMaxBallotPrimarySent1a',
    "Every acceptor's max_bal is <= its proposer's max_ballot_i_sent_1a. Premise: an acceptor's max_bal is above (0,0).",
    lemmaMaxBalLeqMaxBallotPrimarySent1a,
    ['acceptors', 'proposers'],
    true,
  ),
  stateObligation(
    'lemma_max_balISent1aHasMeAsProposer',
    "Replica k's max_ballot_i_sent_1a has proposer id k. Premise: a proposer has left its initial ballot.",
    lemmaMaxBalISent1aHasMeAsProposer,
    ['proposers'],
  ),
  stateObligation(
    'lemma_Received1bPacketsAreFrommax_balISent1a',
    "A proposer's received 1bs were sent, by distinct replicas, about its max_ballot_i_sent_1a. Premise: a proposer holds a 1b.",
    lemmaReceived1bPacketsAreFromMaxBalISent1a,
    ['proposers', 'sentPackets'],
  ),
  stateObligation(
    'lemma_2aMessageImplicationsForProposerState',
    "A 2a is from its ballot's proposer, who is past that ballot or at it with next opn beyond the 2a's. Premise: a 2a exists.",
    lemma2aMessageImplicationsForProposerState,
    ['proposers', 'sentPackets'],
  ),
  stateObligation(
    'lemma_2aMessageHasValidBallot',
    'A 2a from a replica has seqno >= 0 and proposer id in [0, n). Premise: a 2a exists.',
    lemma2aMessageHasValidBallot,
    ['sentPackets'],
  ),
  stateObligation(
    'lemma_Received2bMessageSendersAlwaysValidReplicas',
    'Learners count 2b senders that are replicas. Premise: a learner tracks a slot.',
    lemmaReceived2bMessageSendersAlwaysValidReplicas,
    ['learners'],
  ),
  stateObligation(
    'lemma_Received2bMessageSendersAlwaysNonempty',
    'A slot a learner tracks has at least one 2b sender. Premise: a learner tracks a slot.',
    lemmaReceived2bMessageSendersAlwaysNonempty,
    ['learners'],
  ),
  stateObligation(
    'lemma_GetSent2bMessageFromLearnerState',
    "Each 2b sender a learner counted sent that 2b (learner's ballot, opn, candidate value). Premise: a learner tracks a slot.",
    lemmaGetSent2bMessageFromLearnerState,
    ['learners', 'sentPackets'],
  ),
  stateObligation(
    'lemma_DecidedOperationWasChosen',
    "An executor's pending decision (v, bal) for ops_complete is chosen. Premise: an executor holds a decision.",
    lemmaDecidedOperationWasChosen,
    ['executors', 'sentPackets'],
  ),
]);

/** Every step obligation. */
export const stepObligations: readonly StepObligation[] = Object.freeze([
  Object.freeze({
    name: 'lemma_2aMessagesFromSameBallotAndOperationMatchWLOG',
    description:
      'L7: every 2a newly sent in a step agrees with every 2a (old or new) with its bal and opn. Premise: a new 2a shares its bal and opn with another 2a.',
    check: lemma2aMessagesFromSameBallotAndOperationMatchWLOG,
  }),
  Object.freeze({
    name: 'opsCompleteNeverDecreases',
    description: "no replica's executed count (ops_complete) decreases in a step. Premise: some replica's count changed.",
    check: opsCompleteNeverDecreases,
  }),
]);
