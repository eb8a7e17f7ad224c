/**
 * Refinement of each implementation function on its own: for every entry of the implementation
 * table, how to abstract its arguments before the call, which spec function it refines (and so
 * what the spec allows), and how to abstract what the call did. Used to name the function at
 * fault when a replica action does not refine the spec, and by the property tests.
 */
import { is, List, Set as ISet } from 'immutable';
import { abstractAcceptor, cAcceptorValid, type CAcceptor } from '../impl/acceptor.js';
import type { ImplFunctionName } from '../impl/actions.js';
import { abstractReplicaConstants } from '../impl/configuration.js';
import { abstractElectionState, type CElectionState } from '../impl/election.js';
import { abstractExecutor, type CExecutor } from '../impl/executor.js';
import { abstractLearner, type CLearner } from '../impl/learner.js';
import { abstractBallot, abstractBatch, abstractPacket, abstractPackets } from '../impl/message.js';
import { abstractProposer, cProposerValid, type CProposer } from '../impl/proposer.js';
import { abstractReplica, type CReplica } from '../impl/replica.js';
import type { CBallot, CPacket, CReplicaConstants, CRequest } from '../impl/types.js';
import * as spec from '../spec/index.js';

/** What a call did (or what the spec allows it to do), abstracted. */
export interface Observed {
  readonly state?: unknown;
  readonly sent?: List<spec.Packet>;
  readonly value?: boolean;
}

/** A call's spec inputs (for display), the spec's permitted outcomes, and how to read the implementation's. */
export interface FunctionCheck {
  /** The spec function refined, by its reference name. */
  readonly refines: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly allowed: readonly Observed[];
  observe(result: unknown): Observed;
  /**
   * The representation invariants of the state the call updated still hold afterwards (the
   * Verus `self.valid()`): a vote-slot cache that is exact, one 1b per sender.
   */
  valid(): boolean;
}

/**
 * Preconditions (the Verus `requires`) of the functions that have one beyond validity: the
 * caller promises them, so a call outside them is the caller's fault.
 */
export const preconditions: { readonly [K in ImplFunctionName]?: (args: Args) => boolean } = {
  // The replica's 1b gate: no 1b from this sender yet.
  cProposerProcess1b: (a) => !(a[1] as CProposer).received1bPackets.some((q) => q.src === (a[2] as CPacket).src),
  // MaybeMakeDecision: the decision is for the next slot, and none is pending.
  cExecutorGetDecision: (a) => (a[1] as CExecutor).opsComplete === a[3] && (a[1] as CExecutor).nextOpToExecute.type === 'Unknown',
};

export function sameObserved(x: Observed, y: Observed): boolean {
  return is(x.state, y.state) && is(x.sent, y.sent) && x.value === y.value;
}

type Args = readonly unknown[];
/** How to check a call of one implementation function; `refines` names the spec function. */
export type Adapter = ((args: Args) => FunctionCheck) & { readonly refines: string };

function named(refines: string, f: (args: Args) => FunctionCheck): Adapter {
  return Object.assign(f, { refines });
}

/** The representation invariant of a component, by its abstraction function. */
function validity(abs: unknown, x: unknown): boolean {
  if (abs === acc) return cAcceptorValid(x as CAcceptor);
  if (abs === pro) return cProposerValid(x as CProposer);
  if (abs === rep) return cAcceptorValid((x as CReplica).acceptor) && cProposerValid((x as CReplica).proposer);
  return true;
}

const P = (p: unknown): spec.Packet => abstractPacket(p as CPacket);
const S = (xs: unknown): ISet<spec.Packet> => ISet((xs as readonly CPacket[]).map(abstractPacket));
const RC = (c: unknown): spec.ReplicaConstants => abstractReplicaConstants(c as CReplicaConstants);
const sent = (r: unknown): List<spec.Packet> => abstractPackets(r as readonly CPacket[]);
const batch = (v: unknown): spec.RequestBatch => abstractBatch(v as readonly CRequest[]);

/** A function that updates one component in place and sends nothing. */
function update<C, A>(
  refines: string,
  abs: (c: C) => A,
  specFn: (rc: spec.ReplicaConstants, s: A, ...rest: never[]) => A,
  rest: (args: Args) => Named,
): Adapter {
  return named(refines, (args) => {
    const rc = RC(args[0]);
    const pre = abs(args[1] as C);
    const named = rest(args);
    const after = (specFn as (rc: spec.ReplicaConstants, s: A, ...r: unknown[]) => A)(rc, pre, ...named.map(([, x]) => x));
    return {
      refines,
      inputs: { state: pre, ...Object.fromEntries(named) },
      allowed: [{ state: after }],
      observe: () => ({ state: abs(args[1] as C) }),
      valid: () => validity(abs, args[1]),
    };
  });
}

/** A function that updates one component in place and returns the packets it sends (one or more permitted outcomes). */
function act<C, A>(
  refines: string,
  abs: (c: C) => A,
  specFn: (rc: spec.ReplicaConstants, s: A, ...rest: never[]) => spec.Outcome<A> | readonly spec.Outcome<A>[],
  rest: (args: Args) => Named,
): Adapter {
  return named(refines, (args) => {
    const rc = RC(args[0]);
    const pre = abs(args[1] as C);
    const named = rest(args);
    const out = (specFn as (rc: spec.ReplicaConstants, s: A, ...r: unknown[]) => spec.Outcome<A> | readonly spec.Outcome<A>[])(
      rc,
      pre,
      ...named.map(([, x]) => x),
    );
    const outcomes = Array.isArray(out) ? (out as readonly spec.Outcome<A>[]) : [out as spec.Outcome<A>];
    return {
      refines,
      inputs: { state: pre, ...Object.fromEntries(named) },
      allowed: outcomes.map((o) => ({ state: o.state, sent: o.sent })),
      observe: (result) => ({ state: abs(args[1] as C), sent: sent(result) }),
      valid: () => validity(abs, args[1]),
    };
  });
}

/** A predicate: the same boolean as the spec's. */
function predicate(
  refines: string,
  inputs: (args: Args) => Record<string, unknown>,
  specFn: (x: Record<string, unknown>) => boolean,
): Adapter {
  return named(refines, (args) => {
    const x = inputs(args);
    return { refines, inputs: x, allowed: [{ value: specFn(x) }], observe: (result) => ({ value: result as boolean }), valid: () => true };
  });
}

const acc = (s: CAcceptor): spec.AcceptorState => abstractAcceptor(s);
const ele = (s: CElectionState): spec.ElectionState => abstractElectionState(s);
const pro = (s: CProposer): spec.ProposerState => abstractProposer(s);
const lea = (s: CLearner): spec.LearnerState => abstractLearner(s);
const exe = (s: CExecutor): spec.ExecutorState => abstractExecutor(s);
const rep = (s: CReplica): spec.ReplicaState => abstractReplica(s);

/** The arguments after the state, named for the explanation of a violation, in the spec function's order. */
type Named = ReadonlyArray<readonly [string, unknown]>;
const packetArg = (args: Args): Named => [['packet', P(args[2])]];
const numberArg =
  (name: string) =>
  (args: Args): Named => [[name, args[2]]];
const none = (): Named => [];

/** Every implementation function, checked against the spec function it refines. */
export const functionChecks: { readonly [K in ImplFunctionName]: Adapter } = {
  cAcceptorTruncateLog: update('LAcceptorTruncateLog', acc, spec.acceptorTruncateLog, numberArg('opn')),
  cAcceptorProcessHeartbeat: update('LAcceptorProcessHeartbeat', acc, spec.acceptorProcessHeartbeat, packetArg),
  cAcceptorProcess1a: act('LAcceptorProcess1a', acc, spec.acceptorProcess1a, packetArg),
  cAcceptorProcess2a: act('LAcceptorProcess2a', acc, spec.acceptorProcess2a, packetArg),

  cElectionStateReflectReceivedRequest: update(
    'ElectionStateReflectReceivedRequest',
    ele,
    spec.electionStateReflectReceivedRequest,
    (a) => [['request', batch([a[2]]).first()]],
  ),
  cElectionStateCheckForViewTimeout: update(
    'ElectionStateCheckForViewTimeout',
    ele,
    spec.electionStateCheckForViewTimeout,
    numberArg('clock'),
  ),
  cElectionStateCheckForQuorumOfViewSuspicions: update(
    'ElectionStateCheckForQuorumOfViewSuspicions',
    ele,
    spec.electionStateCheckForQuorumOfViewSuspicions,
    numberArg('clock'),
  ),
  cElectionStateProcessHeartbeat: update('ElectionStateProcessHeartbeat', ele, spec.electionStateProcessHeartbeat, (a) => [
    ['packet', P(a[2])],
    ['clock', a[3]],
  ]),
  cElectionStateReflectExecutedRequestBatch: update(
    'ElectionStateReflectExecutedRequestBatch',
    ele,
    spec.electionStateReflectExecutedRequestBatch,
    (a) => [['batch', batch(a[2])]],
  ),

  cIsAfterLogTruncationPoint: predicate(
    'LIsAfterLogTruncationPoint',
    (a) => ({ opn: a[0], S: S(a[1]) }),
    (x) => spec.isAfterLogTruncationPoint(x.opn as number, x.S as ISet<spec.Packet>),
  ),
  cSetOfMessage1b: predicate(
    'LSetOfMessage1b',
    (a) => ({ S: S(a[0]) }),
    (x) => spec.setOfMessage1b(x.S as ISet<spec.Packet>),
  ),
  cSetOfMessage1bAboutBallot: predicate(
    'LSetOfMessage1bAboutBallot',
    (a) => ({ S: S(a[0]), b: abstractBallot(a[1] as CBallot) }),
    (x) => spec.setOfMessage1bAboutBallot(x.S as ISet<spec.Packet>, x.b as spec.Ballot),
  ),
  cAllAcceptorsHadNoProposal: predicate(
    'LAllAcceptorsHadNoProposal',
    (a) => ({ S: S(a[0]), opn: a[1] }),
    (x) => spec.allAcceptorsHadNoProposal(x.S as ISet<spec.Packet>, x.opn as number),
  ),
  cExistsAcceptorHasProposalLargeThanOpn: predicate(
    'LExistsAcceptorHasProposalLargeThanOpn',
    (a) => ({ S: S(a[0]), op: a[1] }),
    (x) => spec.existsAcceptorHasProposalLargeThanOpn(x.S as ISet<spec.Packet>, x.op as number),
  ),
  cmax_balInS: predicate(
    'Lmax_balInS',
    (a) => ({ c: abstractBallot(a[0] as CBallot), S: S(a[1]), opn: a[2] }),
    (x) => spec.maxBalInS(x.c as spec.Ballot, x.S as ISet<spec.Packet>, x.opn as number),
  ),

  cProposerProcessRequest: update('LProposerProcessRequest', pro, spec.proposerProcessRequest, packetArg),
  cProposerProcess1b: update('LProposerProcess1b', pro, spec.proposerProcess1b, packetArg),
  cProposerMaybeEnterNewViewAndSend1a: act('LProposerMaybeEnterNewViewAndSend1a', pro, spec.proposerMaybeEnterNewViewAndSend1a, none),
  cProposerMaybeEnterPhase2: act('LProposerMaybeEnterPhase2', pro, spec.proposerMaybeEnterPhase2, numberArg('ltp')),
  cProposerMaybeNominateValueAndSend2a: act('LProposerMaybeNominateValueAndSend2a', pro, spec.proposerMaybeNominateValueAndSend2a, (a) => [
    ['clock', a[2]],
    ['ltp', a[3]],
  ]),
  cProposerNominateNewValueAndSend2a: act('LProposerNominateNewValueAndSend2a', pro, spec.proposerNominateNewValueAndSend2a, (a) => [
    ['clock', a[2]],
    ['ltp', a[3]],
  ]),
  cProposerNominateOldValueAndSend2a: act(
    'LProposerNominateOldValueAndSend2a',
    pro,
    spec.proposerNominateOldValueAndSend2a,
    numberArg('ltp'),
  ),
  cProposerCanNominateUsingOperationNumber: named('LProposerCanNominateUsingOperationNumber', (args) => {
    const rc = RC(args[0]);
    const pre = pro(args[1] as CProposer);
    const [ltp, opn] = [args[2] as number, args[3] as number];
    return {
      refines: 'LProposerCanNominateUsingOperationNumber',
      inputs: { state: pre, ltp, opn },
      allowed: [{ value: spec.proposerCanNominateUsingOperationNumber(rc, pre, ltp, opn) }],
      observe: (result) => ({ value: result as boolean }),
      valid: () => true,
    };
  }),
  cProposerProcessHeartbeat: update('LProposerProcessHeartbeat', pro, spec.proposerProcessHeartbeat, (a) => [
    ['packet', P(a[2])],
    ['clock', a[3]],
  ]),
  cProposerCheckForViewTimeout: update('LProposerCheckForViewTimeout', pro, spec.proposerCheckForViewTimeout, numberArg('clock')),
  cProposerCheckForQuorumOfViewSuspicions: update(
    'LProposerCheckForQuorumOfViewSuspicions',
    pro,
    spec.proposerCheckForQuorumOfViewSuspicions,
    numberArg('clock'),
  ),
  cProposerResetViewTimerDueToExecution: update(
    'LProposerResetViewTimerDueToExecution',
    pro,
    spec.proposerResetViewTimerDueToExecution,
    (a) => [['batch', batch(a[2])]],
  ),

  cLearnerProcess2b: update('LLearnerProcess2b', lea, spec.learnerProcess2b, packetArg),
  cLearnerForgetDecision: update('LLearnerForgetDecision', lea, spec.learnerForgetDecision, numberArg('opn')),
  cLearnerForgetOperationsBefore: update(
    'LLearnerForgetOperationsBefore',
    lea,
    spec.learnerForgetOperationsBefore,
    numberArg('opsComplete'),
  ),
  cExecutorGetDecision: update('LExecutorGetDecision', exe, spec.executorGetDecision, (a) => [
    ['bal', abstractBallot(a[2] as CBallot)],
    ['opn', a[3]],
    ['v', batch(a[4])],
  ]),
  cExecutorExecute: act('LExecutorExecute', exe, spec.executorExecute, none),
  cExecutorProcessAppStateSupply: update('LExecutorProcessAppStateSupply', exe, spec.executorProcessAppStateSupply, packetArg),
  cExecutorProcessAppStateRequest: act('LExecutorProcessAppStateRequest', exe, spec.executorProcessAppStateRequest, packetArg),
  cExecutorProcessStartingPhase2: act('LExecutorProcessStartingPhase2', exe, spec.executorProcessStartingPhase2, packetArg),
  cExecutorProcessRequest: act('LExecutorProcessRequest', exe, spec.executorProcessRequest, packetArg),

  // The spec's packet handlers are reached through its dispatcher, by message type.
  cReplicaNextProcessPacket: act('LReplicaNextProcessPacket', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', a[3]],
  ]),
  cReplicaNextProcessRequest: act('LReplicaNextProcessRequest', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', 0],
  ]),
  cReplicaNextProcess1b: act('LReplicaNextProcess1b', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', 0],
  ]),
  cReplicaNextProcess2a: act('LReplicaNextProcess2a', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', 0],
  ]),
  cReplicaNextProcess2b: act('LReplicaNextProcess2b', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', 0],
  ]),
  cReplicaNextProcessAppStateSupply: act('LReplicaNextProcessAppStateSupply', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', 0],
  ]),
  cReplicaNextProcessHeartbeat: act('LReplicaNextProcessHeartbeat', rep, spec.replicaNextProcessPacket, (a) => [
    ['packet', P(a[2])],
    ['clock', a[3]],
  ]),
  cReplicaNextSpontaneousTruncateLogBasedOnCheckpoints: act(
    'LReplicaNextSpontaneousTruncateLogBasedOnCheckpoints',
    rep,
    spec.replicaNextSpontaneousTruncateLogBasedOnCheckpoints,
    none,
  ),
  cReplicaNextSpontaneousMaybeMakeDecision: act(
    'LReplicaNextSpontaneousMaybeMakeDecision',
    rep,
    spec.replicaNextSpontaneousMaybeMakeDecision,
    none,
  ),
  cReplicaNextSpontaneousMaybeExecute: act('LReplicaNextSpontaneousMaybeExecute', rep, spec.replicaNextSpontaneousMaybeExecute, none),
  cReplicaNextReadClockMaybeSendHeartbeat: act(
    'LReplicaNextReadClockMaybeSendHeartbeat',
    rep,
    spec.replicaNextReadClockMaybeSendHeartbeat,
    numberArg('clock'),
  ),
};
