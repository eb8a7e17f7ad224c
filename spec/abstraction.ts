/**
 * The election oracle: a sound over-approximation of the timing layer, for safety checking.
 *
 * Safety of RSL never depends on when views change, only on what a view change does. In this
 * abstraction a replica's election state keeps only its view, and forgets everything that only
 * exists to decide *when* to change views (suspectors, epoch length and end, the heartbeat time,
 * the value of the batch timer). It also forgets the requests the election is waiting for: they
 * are read only when the replica starts leading a view (they seed its request queue), so the
 * oracle offers, at that moment, every order of every choice of requests sent to the replica.
 * In exchange the environment may, at any moment:
 *  - move a replica to any later view (what a quorum of suspicions or a heartbeat from a later
 *    view does), computed by the spec's own heartbeat handling;
 *  - tell a replica's acceptor any checkpoint another replica has reached (what a heartbeat does
 *    for log truncation), again by the spec's own handling;
 *  - let the batch timer be expired or not, whenever it is armed.
 * No heartbeat packet is ever sent and no clock is kept. configs/README.md gives the argument that
 * every behaviour of the faithful model maps to a behaviour of this one; this module only holds
 * the abstraction function and the oracle's steps. Every function is pure.
 */
import { List, Set } from 'immutable';
import type { Configuration, ReplicaConstants } from './configuration.js';
import { computeSuccessorView, requestsMatch } from './election.js';
import { messageHeartbeat, packet } from './message.js';
import { incompleteBatchTimerOn } from './proposer.js';
import type { ReplicaState, SpecActions } from './replica.js';
import { balLt, ballot, type Ballot, type OperationNumber, type Request } from './types.js';

/**
 * The two clock readings the oracle offers MaybeNominateValueAndSend2a: an armed batch timer is
 * abstracted to fire at `timerExpired`, so reading `timerPending` means "not yet" and reading
 * `timerExpired` means "now".
 */
export const timerPending = 0;
export const timerExpired = 1;

/**
 * The abstraction function on one replica: the fields that only time views and heartbeats are
 * reset, the election's lists of waiting requests are emptied (see `waitingListChoices`), and an
 * armed batch timer keeps only the fact that it is armed. Returns `s` itself when it is already
 * abstract.
 */
export function abstractReplicaTiming(s: ReplicaState): ReplicaState {
  const pr = s.proposer;
  const es = pr.electionState;
  const abstractElection =
    es.currentViewSuspectors.size === 0 &&
    es.epochEndTime === 0 &&
    es.epochLength === 0 &&
    es.requestsReceivedPrevEpochs.size === 0 &&
    es.requestsReceivedThisEpoch.size === 0;
  const timer = pr.incompleteBatchTimer;
  const abstractTimer = timer.type === 'Off' || timer.when === timerExpired;
  if (abstractElection && abstractTimer && s.nextHeartbeatTime === 0) return s;
  const electionState = abstractElection
    ? es
    : es.merge({
        currentViewSuspectors: Set<number>(),
        epochEndTime: 0,
        epochLength: 0,
        requestsReceivedPrevEpochs: List(),
        requestsReceivedThisEpoch: List(),
      });
  const proposer = pr.merge({
    electionState,
    incompleteBatchTimer: abstractTimer ? timer : incompleteBatchTimerOn(timerExpired),
  });
  return s.merge({ nextHeartbeatTime: 0, proposer });
}

/**
 * Whether MaybeEnterNewViewAndSend1a would start a view now (its own guard, §7.3): the current view
 * is the replica's own and newer than its last 1a. Only then do the waiting requests matter.
 */
export function wouldEnterNewView(c: ReplicaConstants, s: ReplicaState): boolean {
  const v = s.proposer.electionState.currentView;
  return v.proposerId === c.myIndex && balLt(s.proposer.maxBallotISent1a, v);
}

/**
 * The waiting lists the oracle offers a replica about to lead a view: every sequence of distinct
 * requests (by client and seqno, as the election matches them) among `received`, shortest first.
 * The faithful election's list is always one of them: it holds requests the replica received, each
 * once, in the order received, minus some that were executed.
 */
export function waitingListChoices(received: readonly Request[]): List<Request>[] {
  const distinct = received.filter((r, k) => received.findIndex((x) => requestsMatch(x, r)) === k);
  const out: List<Request>[] = [];
  const extend = (prefix: List<Request>, rest: readonly Request[]): void => {
    out.push(prefix);
    rest.forEach((r, k) => extend(prefix.push(r), [...rest.slice(0, k), ...rest.slice(k + 1)]));
  };
  extend(List(), distinct);
  return out.sort((a, b) => a.size - b.size);
}

/** `s` with `waiting` as the election's list of waiting requests, for MaybeEnterNewViewAndSend1a to read. */
export function withWaitingList(s: ReplicaState, waiting: List<Request>): ReplicaState {
  return s.setIn(['proposer', 'electionState', 'requestsReceivedPrevEpochs'], waiting);
}

/** The first `limit` views in succession order: (1,0), (1,1), …, then (2,0), … */
export function firstViews(config: Configuration, limit: number): readonly Ballot[] {
  const views: Ballot[] = [];
  for (let v = ballot(1, 0); views.length < limit; v = computeSuccessorView(v, config)) views.push(v);
  return views;
}

/**
 * The oracle moves the replica to the later view `v`: the effect of a (non-suspicious) heartbeat
 * from `v`'s leader, through the spec's own ProcessHeartbeat, so the proposer steps down exactly
 * as it does in the faithful model. The caller abstracts the result.
 */
export function oracleViewChange(c: ReplicaConstants, s: ReplicaState, v: Ballot, P: SpecActions): ReplicaState {
  const leader = c.all.config.replicaIds.get(v.proposerId) ?? '';
  const hb = packet(c.all.config.replicaIds.get(c.myIndex) ?? '', leader, messageHeartbeat(v, false, 0));
  return s.set('proposer', P.proposerProcessHeartbeat(c, s.proposer, hb, 0));
}

/**
 * The oracle tells the replica's acceptor that replica `from` has executed `opn` operations (a
 * heartbeat's checkpoint), through the spec's own acceptor ProcessHeartbeat.
 */
export function oracleCheckpoint(
  c: ReplicaConstants,
  s: ReplicaState,
  from: number,
  opn: OperationNumber,
  P: SpecActions,
): ReplicaState {
  const src = c.all.config.replicaIds.get(from) ?? '';
  const hb = packet(c.all.config.replicaIds.get(c.myIndex) ?? '', src, messageHeartbeat(s.proposer.electionState.currentView, false, opn));
  return s.set('acceptor', P.acceptorProcessHeartbeat(c, s.acceptor, hb));
}
