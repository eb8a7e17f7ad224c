/**
 * The safety obligations of rsl-protocol.md §12 as pure predicates over one global state (or, for
 * the WLOG lemma, one step), with vacuity: every verdict says whether the obligation's hypothesis
 * was exercised non-vacuously in that state.
 *
 * Conventions of §12.0: `R = replica_ids`, `Q = LMinQuorumSize`, "from R" means `src ∈ R`, and
 * `Chosen(b, o, v) := |{k : 2b(b, o, v) from R[k] ∈ sent}| >= Q` (§12.1). All obligations of one
 * state share a single derived index (P2a, P2b, P1b, chosen triples) built in one pass over
 * `sentPackets` and memoised on that Set's identity; replica components are unpacked once per
 * `replicas` List. Each obligation's description states its premise.
 *
 * §12.3 helpers: besides those named in issue 3, lemma_1bMessageWithOpnImplicationsFor2b (the L9
 * proof's companion of L5) and lemma_Received2bMessageSendersAlwaysNonempty are included. Left out:
 * - lemma_CurrentVoteDoesNotExceedMaxBal: the same statement as lemma_VotePrecedesMaxBal.
 * - lemma_PacketInReceived1bWasSent: implied by lemma_Received1bPacketsAreFrommax_balISent1a.
 * - lemma_ActionThatOverwritesVoteWithSameBallotDoesntChangeValue, lemma_MaxBallotISent1aMonotonic:
 *   transition facts about one component's fields, used inside proofs; not state invariants.
 * - The Dafny-only extras (Message1a/2aLeqMaxBallotSenderSent1a, ...ShowsPrimaryReachedState2,
 *   ExecutedOperationAndAllBeforeItWereChosen, TransferredStateBasedOnChosenOperations): not in the
 *   lab's helper set; executed slots are covered by `agreement` and `replyCorrectness`.
 * Every helper included was checked by hand to be an invariant of the [V] protocol as written
 * (§5–§10), including lemma_MaxBalLeqMaxBallotPrimarySent1a (see its comment); none had to be
 * dropped. A scripted two-view run of the spec in the tests exercises every premise without a
 * violation.
 *
 * Modules: verdict.ts (verdicts, obligation shapes), derivedIndex.ts (the shared indices),
 * explain.ts (renderings for explanations), labLemmas.ts (§12.2, L1-L10), service.ts (§12.4),
 * helperLemmas.ts (§12.3), table.ts (the obligation tables the checker runs).
 */
export * from './verdict.js';
export * from './derivedIndex.js';
export * from './labLemmas.js';
export * from './service.js';
export * from './helperLemmas.js';
export * from './table.js';
