/**
 * The fast-check generators of the arguments of each of the 21 seed functions (concrete values,
 * from spec values generated far outside the bounded model), and the refinement check of one call.
 * Shared by properties.test.ts (the correct implementation) and mutants.test.ts (broken ones).
 */
import fc from 'fast-check';
import { concreteAcceptor } from '../../impl/acceptor.js';
import { defaultImplActions as T, type ImplActions, type ImplFunctionName } from '../../impl/actions.js';
import { concreteReplicaConstants } from '../../impl/configuration.js';
import { concreteElectionState } from '../../impl/election.js';
import { concreteBallot, concretePacket, concreteRequest } from '../../impl/message.js';
import { concreteProposer, type C1bPacket } from '../../impl/proposer.js';
import { functionChecks, sameObserved } from '../../refinement/functions.js';
import * as spec from '../../spec/index.js';
import * as arb from './arbitraries.js';

/**
 * Calls `name` of `impl` on `args` (already concrete) and says whether the outcome is one the spec
 * function allows and the representation invariants still hold.
 */
export function refinesWith(impl: ImplActions, name: ImplFunctionName, args: unknown[]): boolean {
  const check = functionChecks[name](args);
  const f = impl[name] as (...a: unknown[]) => unknown;
  const observed = check.observe(f(...args));
  return check.allowed.some((o) => sameObserved(o, observed)) && check.valid();
}

export const dstOf = (rc: spec.ReplicaConstants): string => arb.replicaIds[rc.myIndex]!;

/** One property per seed function: the generator of its arguments (concrete), by function name. */
export const seedFunctionProperties: { readonly [name: string]: fc.Arbitrary<unknown[]> } = {
  cAcceptorTruncateLog: fc
    .tuple(arb.constants, arb.acceptorState, arb.number(1300))
    .map(([rc, a, opn]) => [concreteReplicaConstants(rc), concreteAcceptor(a), opn]),
  cAcceptorProcessHeartbeat: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.acceptorState, arb.packetOf(dstOf(rc), 'Heartbeat'))
      .map(([c, a, p]) => [concreteReplicaConstants(c), concreteAcceptor(a), concretePacket(p)]),
  ),
  cAcceptorProcess1a: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.acceptorState, arb.packetOf(dstOf(rc), '1a'))
      .map(([c, a, p]) => [concreteReplicaConstants(c), concreteAcceptor(a), concretePacket(p)]),
  ),
  cAcceptorProcess2a: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.acceptorState, arb.packetOf(dstOf(rc), '2a'))
      .map(([c, a, p]) => [concreteReplicaConstants(c), concreteAcceptor(a), concretePacket(p)]),
  ),
  cElectionStateReflectReceivedRequest: fc
    .tuple(arb.constants, arb.electionState, arb.request)
    .map(([rc, es, r]) => [concreteReplicaConstants(rc), concreteElectionState(es), concreteRequest(r)]),
  cElectionStateCheckForViewTimeout: fc
    .tuple(arb.constants, arb.electionState, arb.number(3000))
    .map(([rc, es, t]) => [concreteReplicaConstants(rc), concreteElectionState(es), t]),
  cElectionStateCheckForQuorumOfViewSuspicions: fc
    .tuple(arb.constants, arb.electionState, arb.number(3000))
    .map(([rc, es, t]) => [concreteReplicaConstants(rc), concreteElectionState(es), t]),
  cElectionStateProcessHeartbeat: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.electionState, arb.packetOf(dstOf(rc), 'Heartbeat'), arb.number(3000))
      .map(([c, es, p, t]) => [concreteReplicaConstants(c), concreteElectionState(es), concretePacket(p), t]),
  ),
  cIsAfterLogTruncationPoint: fc.tuple(arb.number(1300), arb.oneBSet('r0')).map(([opn, S]) => [opn, S.toArray().map(concretePacket)]),
  cSetOfMessage1b: fc
    .array(arb.packetTo('r0'), { maxLength: 4 })
    .chain((others) => arb.oneBSet('r0').map((S) => [[...S.toArray(), ...others].map(concretePacket)])),
  cSetOfMessage1bAboutBallot: fc
    .tuple(arb.ballot, fc.array(arb.packetTo('r0'), { maxLength: 2 }))
    .chain(([b, others]) =>
      fc.oneof(arb.oneBSet('r0', b), arb.oneBSet('r0')).map((S) => [[...S.toArray(), ...others].map(concretePacket), concreteBallot(b), T]),
    ),
  cAllAcceptorsHadNoProposal: fc.tuple(arb.oneBSet('r0'), arb.number(1300)).map(([S, opn]) => [S.toArray().map(concretePacket), opn]),
  cExistsAcceptorHasProposalLargeThanOpn: fc
    .tuple(arb.oneBSet('r0'), arb.number(1300))
    .map(([S, opn]) => [S.toArray().map(concretePacket), opn]),
  cmax_balInS: fc
    .tuple(arb.ballot, arb.oneBSet('r0'), arb.number(1300))
    .map(([b, S, opn]) => [concreteBallot(b), S.toArray().map(concretePacket), opn]),
  cProposerProcessRequest: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.proposerState(dstOf(rc)), arb.packetOf(dstOf(rc), 'Request'))
      .map(([c, s, p]) => [concreteReplicaConstants(c), concreteProposer(s), concretePacket(p), T]),
  ),
  // Precondition (the replica's gate): no 1b from this sender in the set yet.
  cProposerProcess1b: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.proposerState(dstOf(rc)), arb.packetOf(dstOf(rc), '1b'))
      .filter(([, s, p]) => !s.received1bPackets.some((q) => q.src === p.src))
      .map(([c, s, p]) => [concreteReplicaConstants(c), concreteProposer(s), concretePacket(p) as C1bPacket]),
  ),
  cProposerMaybeEnterNewViewAndSend1a: arb.constants.chain((rc) =>
    fc.tuple(fc.constant(rc), arb.proposerState(dstOf(rc))).map(([c, s]) => [concreteReplicaConstants(c), concreteProposer(s)]),
  ),
  cProposerMaybeEnterPhase2: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.proposerState(dstOf(rc)), arb.number(1300))
      .map(([c, s, ltp]) => [concreteReplicaConstants(c), concreteProposer(s), ltp, T]),
  ),
  cProposerMaybeNominateValueAndSend2a: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.proposerState(dstOf(rc)), arb.number(100), arb.number(1300))
      .map(([c, s, t, ltp]) => [concreteReplicaConstants(c), concreteProposer(s), t, ltp, T]),
  ),
  cProposerNominateNewValueAndSend2a: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.proposerState(dstOf(rc)), arb.number(100), arb.number(1300))
      .map(([c, s, t, ltp]) => [concreteReplicaConstants(c), concreteProposer(s), t, ltp]),
  ),
  // Precondition: some 1b of the set has a vote for the next slot (the dispatcher's branch 2).
  cProposerNominateOldValueAndSend2a: arb.constants.chain((rc) =>
    fc
      .tuple(fc.constant(rc), arb.proposerState(dstOf(rc)), arb.number(1300))
      .map(([c, s, ltp]) => {
        const withVote = s.received1bPackets.toArray().flatMap((p) => p.msg.votes.keySeq().toArray());
        return [c, withVote.length === 0 ? s : s.set('nextOperationNumberToPropose', withVote[0]!), ltp] as const;
      })
      .filter(([, s]) => !spec.allAcceptorsHadNoProposal(s.received1bPackets, s.nextOperationNumberToPropose))
      .map(([c, s, ltp]) => [concreteReplicaConstants(c), concreteProposer(s), ltp, T]),
  ),
};
