/**
 * The ten safety lemmas of the lab (seed/lab2-verus-multipaxos.txt, issue 3 point 2), spelled as
 * there: the names the obligations must carry. Written from the issue text, not from spec/, so the
 * tests that use it can catch a renamed obligation.
 */
export const labLemmas: readonly string[] = [
  'lemma_2bMessageHasCorresponding2aMessage',
  'lemma_Vote1bMessageIsFromEarlierBallot',
  'lemma_QuorumIndexOverlap',
  'lemma_1bMessageWithOpnImplies2aSent',
  'lemma_1bMessageWithoutOpnImplicationsFor2b',
  'lemma_2aMessagesFromSameBallotAndOperationMatch',
  'lemma_2aMessagesFromSameBallotAndOperationMatchWLOG',
  'lemma_2aMessageHas1bQuorumPermittingIt',
  'lemma_ChosenQuorumAnd2aFromLaterBallotMatchValues',
  'lemma_ChosenQuorumsMatchValue',
];

/** The one lab lemma that is a step property rather than a state invariant. */
export const labStepLemma = 'lemma_2aMessagesFromSameBallotAndOperationMatchWLOG';
