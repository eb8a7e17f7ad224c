/** Seeded bugs in the acceptor (rsl-protocol.md §5.3). */
import { List, Map } from 'immutable';
import {
  acceptorProcess1a,
  acceptorProcess2a,
  balLeq,
  isReplica,
  me,
  message1b,
  outcome,
  packet,
  replicaConstantsValid,
  type AcceptorState,
  type Message1a,
  type Outcome,
  type Packet,
  type ReplicaConstants,
} from '../spec/index.js';
import { mutant } from './mutant.js';

/** LAcceptorProcess1a (§5.3) with `<=` for `<`: a ballot already promised is answered again. */
function acceptorProcess1aPromisingEqualBallot(c: ReplicaConstants, s: AcceptorState, inp: Packet<Message1a>): Outcome<AcceptorState> {
  const bal = inp.msg.bal1a;
  if (!isReplica(inp.src, c.all.config) || !balLeq(s.maxBal, bal) || !replicaConstantsValid(c)) return outcome(s);
  const reply = packet(inp.src, me(c), message1b(bal, s.logTruncationPoint, s.votes));
  return outcome(s.set('maxBal', bal), List([reply]));
}

export const acceptorPromisesEqualBallot = mutant(
  'acceptor-promises-equal-ballot',
  'acceptor',
  'Process1a promises on max_bal <= bal_1a instead of <, so an acceptor that already voted at a ballot answers that ballot again',
  'acceptorProcess1a',
  acceptorProcess1aPromisingEqualBallot,
);

export const acceptorForgetsPromise = mutant(
  'acceptor-forgets-promise',
  'acceptor',
  'Process1a sends the 1b but does not raise max_bal, so the promise is not recorded',
  'acceptorProcess1a',
  (c, s, inp) => {
    const o = acceptorProcess1a(c, s, inp);
    return outcome(o.state.set('maxBal', s.maxBal), o.sent);
  },
);

export const acceptorVotesWithoutRecording = mutant(
  'acceptor-votes-without-recording',
  'acceptor',
  'Process2a broadcasts the 2b but does not store the vote, so a later 1b would not report it',
  'acceptorProcess2a',
  (c, s, inp) => {
    const o = acceptorProcess2a(c, s, inp);
    return outcome(o.state.set('votes', s.votes), o.sent);
  },
);

export const acceptorOmitsVotesIn1b = mutant(
  'acceptor-1b-omits-votes',
  'acceptor',
  'Process1a sends the 1b with an empty votes map, so the next leader does not learn what was accepted',
  'acceptorProcess1a',
  (c, s, inp) => {
    const o = acceptorProcess1a(c, s.set('votes', Map()), inp);
    return outcome(o.state.set('votes', s.votes), o.sent);
  },
);

export const acceptorMutants = [
  acceptorPromisesEqualBallot,
  acceptorForgetsPromise,
  acceptorVotesWithoutRecording,
  acceptorOmitsVotesIn1b,
] as const;
