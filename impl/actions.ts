/**
 * The table of implementation functions, and the call recorder.
 *
 * Every implementation function that calls another one calls it through a table `T` of this
 * type, which the host carries. The default table holds the plain functions, so a normal run pays
 * one property load per call and nothing else. `instrumented` wraps every entry to report each
 * call (name, arguments before and after, result) to a recorder: that is how the refinement check
 * counts and checks the functions a transition exercised. A mutant is a table with one entry
 * replaced (mutants/impl.ts).
 */
import { cAcceptorProcess1a, cAcceptorProcess2a, cAcceptorProcessHeartbeat, cAcceptorTruncateLog } from './acceptor.js';
import {
  cElectionStateCheckForQuorumOfViewSuspicions,
  cElectionStateCheckForViewTimeout,
  cElectionStateProcessHeartbeat,
  cElectionStateReflectExecutedRequestBatch,
  cElectionStateReflectReceivedRequest,
} from './election.js';
import {
  cExecutorExecute,
  cExecutorGetDecision,
  cExecutorProcessAppStateRequest,
  cExecutorProcessAppStateSupply,
  cExecutorProcessRequest,
  cExecutorProcessStartingPhase2,
} from './executor.js';
import { cLearnerForgetDecision, cLearnerForgetOperationsBefore, cLearnerProcess2b } from './learner.js';
import {
  cAllAcceptorsHadNoProposal,
  cExistsAcceptorHasProposalLargeThanOpn,
  cIsAfterLogTruncationPoint,
  cmax_balInS,
  cProposerCanNominateUsingOperationNumber,
  cProposerCheckForQuorumOfViewSuspicions,
  cProposerCheckForViewTimeout,
  cProposerMaybeEnterNewViewAndSend1a,
  cProposerMaybeEnterPhase2,
  cProposerMaybeNominateValueAndSend2a,
  cProposerNominateNewValueAndSend2a,
  cProposerNominateOldValueAndSend2a,
  cProposerProcess1b,
  cProposerProcessHeartbeat,
  cProposerProcessRequest,
  cProposerResetViewTimerDueToExecution,
  cSetOfMessage1b,
  cSetOfMessage1bAboutBallot,
} from './proposer.js';
import {
  cReplicaNextProcess1b,
  cReplicaNextProcess2a,
  cReplicaNextProcess2b,
  cReplicaNextProcessAppStateSupply,
  cReplicaNextProcessHeartbeat,
  cReplicaNextProcessPacket,
  cReplicaNextProcessRequest,
  cReplicaNextReadClockMaybeSendHeartbeat,
  cReplicaNextSpontaneousMaybeExecute,
  cReplicaNextSpontaneousMaybeMakeDecision,
  cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints,
  type ReplicaTable,
} from './replica.js';

/** The plain functions, by name. */
const functions: ReplicaTable = {
  // acceptor (#1-#4)
  cAcceptorTruncateLog,
  cAcceptorProcessHeartbeat,
  cAcceptorProcess1a,
  cAcceptorProcess2a,
  // election (#5-#8) and its given helper
  cElectionStateReflectReceivedRequest,
  cElectionStateCheckForViewTimeout,
  cElectionStateCheckForQuorumOfViewSuspicions,
  cElectionStateProcessHeartbeat,
  cElectionStateReflectExecutedRequestBatch,
  // proposer predicates (#9-#14)
  cIsAfterLogTruncationPoint,
  cSetOfMessage1b,
  cSetOfMessage1bAboutBallot,
  cAllAcceptorsHadNoProposal,
  cExistsAcceptorHasProposalLargeThanOpn,
  cmax_balInS,
  // proposer actions (#15-#21) and given helpers
  cProposerProcessRequest,
  cProposerProcess1b,
  cProposerMaybeEnterNewViewAndSend1a,
  cProposerMaybeEnterPhase2,
  cProposerMaybeNominateValueAndSend2a,
  cProposerNominateNewValueAndSend2a,
  cProposerNominateOldValueAndSend2a,
  cProposerCanNominateUsingOperationNumber,
  cProposerProcessHeartbeat,
  cProposerCheckForViewTimeout,
  cProposerCheckForQuorumOfViewSuspicions,
  cProposerResetViewTimerDueToExecution,
  // learner and executor (provided by the lab)
  cLearnerProcess2b,
  cLearnerForgetDecision,
  cLearnerForgetOperationsBefore,
  cExecutorGetDecision,
  cExecutorExecute,
  cExecutorProcessAppStateSupply,
  cExecutorProcessAppStateRequest,
  cExecutorProcessStartingPhase2,
  cExecutorProcessRequest,
  // replica (provided by the lab)
  cReplicaNextProcessPacket,
  cReplicaNextProcessRequest,
  cReplicaNextProcess1b,
  cReplicaNextProcess2a,
  cReplicaNextProcess2b,
  cReplicaNextProcessAppStateSupply,
  cReplicaNextProcessHeartbeat,
  cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints,
  cReplicaNextSpontaneousMaybeMakeDecision,
  cReplicaNextSpontaneousMaybeExecute,
  cReplicaNextReadClockMaybeSendHeartbeat,
};

export type ImplActions = ReplicaTable;
export type ImplFunctionName = keyof ImplActions;

/** The correct implementation. */
export const defaultImplActions: ImplActions = Object.freeze({ ...functions });

/** Every implementation function name, in table order. */
export const implFunctionNames: readonly ImplFunctionName[] = Object.freeze(Object.keys(functions) as ImplFunctionName[]);

/** The 21 functions of the seed's Part 2, in the seed's table order (rsl-protocol.md §13.2). */
export const seedFunctionNames: readonly ImplFunctionName[] = Object.freeze([
  'cAcceptorTruncateLog',
  'cAcceptorProcessHeartbeat',
  'cAcceptorProcess1a',
  'cAcceptorProcess2a',
  'cElectionStateReflectReceivedRequest',
  'cElectionStateCheckForViewTimeout',
  'cElectionStateCheckForQuorumOfViewSuspicions',
  'cElectionStateProcessHeartbeat',
  'cIsAfterLogTruncationPoint',
  'cSetOfMessage1b',
  'cSetOfMessage1bAboutBallot',
  'cAllAcceptorsHadNoProposal',
  'cExistsAcceptorHasProposalLargeThanOpn',
  'cmax_balInS',
  'cProposerProcessRequest',
  'cProposerProcess1b',
  'cProposerMaybeEnterNewViewAndSend1a',
  'cProposerMaybeEnterPhase2',
  'cProposerMaybeNominateValueAndSend2a',
  'cProposerNominateNewValueAndSend2a',
  'cProposerNominateOldValueAndSend2a',
]);

/** The reference's name of an implementation function: `cAcceptorTruncateLog` -> `CAcceptorTruncateLog`. */
export function referenceName(name: ImplFunctionName): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Sees every call made through an instrumented table. `enter` runs before the function (the
 * arguments are still in their pre-state), `exit` after it (the same argument objects, now
 * mutated, and the result). Calls nest: `enter`s and `exit`s pair up like brackets.
 */
export interface CallRecorder {
  enter(name: ImplFunctionName, args: readonly unknown[]): void;
  exit(name: ImplFunctionName, args: readonly unknown[], result: unknown): void;
}

/**
 * `T` with every entry reporting to `recorder`. Inner calls reach the recorder too because every
 * function passes the table it was given (this one) on to the functions it calls.
 */
export function instrumented(T: ImplActions, recorder: CallRecorder): ImplActions {
  const out: Record<string, unknown> = {};
  for (const name of implFunctionNames) {
    const f = T[name] as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]): unknown => {
      recorder.enter(name, args);
      const result = f(...args);
      recorder.exit(name, args, result);
      return result;
    };
  }
  return Object.freeze(out) as unknown as ImplActions;
}
