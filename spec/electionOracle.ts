/**
 * The election oracle: a sound over-approximation of the timing layer, for safety checking.
 *
 * Safety of RSL never depends on when views change, only on what a view change does. In this
 * abstraction a replica's election state keeps the requests it is waiting for and its view (up to
 * the views it leads: see `representativeView`), and forgets everything that only exists to decide
 * *when* to change views (suspectors, epoch length and end, the split of the waiting requests into
 * this epoch and earlier ones, the heartbeat time, the value of the batch timer). In exchange the
 * environment may, at any moment:
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
import { boundRequestSequence } from './collections.js';
import type { Configuration, ReplicaConstants } from './configuration.js';
import { computeSuccessorView, successorViewFields } from './election.js';
import { messageHeartbeat, packet, type MessageHeartbeat, type Packet } from './message.js';
import { incompleteBatchTimerOn } from './proposer.js';
import type { ReplicaState, SpecActions } from './replica.js';
import { ballot, type Ballot, type OperationNumber } from './types.js';

/**
 * The two clock readings the oracle offers MaybeNominateValueAndSend2a: an armed batch timer is
 * abstracted to fire at `timerExpired`, so reading `timerPending` means "not yet" and reading
 * `timerExpired` means "now".
 */
export const timerPending = 0;
export const timerExpired = 1;

/**
 * The abstraction function on one replica: the fields that only time views and heartbeats are
 * reset, the waiting requests are kept as one list (this epoch's appended to earlier epochs', the
 * order in which every action of the spec reads them), an armed batch timer keeps only the fact
 * that it is armed, and a view the replica does not lead becomes its representative. Returns `s`
 * itself when it is already abstract.
 */
export function abstractReplicaTiming(c: ReplicaConstants, s: ReplicaState): ReplicaState {
  const pr = s.proposer;
  const es = pr.electionState;
  const abstractElection =
    es.currentViewSuspectors.size === 0 && es.epochEndTime === 0 && es.epochLength === 0 && es.requestsReceivedThisEpoch.size === 0;
  const timer = pr.incompleteBatchTimer;
  const abstractTimer = timer.type === 'Off' || timer.when === timerExpired;
  const view = representativeView(c.all.config, c.myIndex, es.currentView);
  const abstractView = view === es.currentView;
  if (abstractElection && abstractTimer && abstractView && s.nextHeartbeatTime === 0) return s;
  const waiting = boundRequestSequence(es.requestsReceivedPrevEpochs.concat(es.requestsReceivedThisEpoch), c.all.params.maxIntegerVal);
  const timingErased = abstractElection
    ? es
    : es.merge({
        currentViewSuspectors: Set<number>(),
        epochEndTime: 0,
        epochLength: 0,
        requestsReceivedPrevEpochs: waiting,
        requestsReceivedThisEpoch: List(),
      });
  const electionState = abstractView ? timingErased : timingErased.set('currentView', view);
  const proposer = pr.merge({
    electionState,
    incompleteBatchTimer: abstractTimer ? timer : incompleteBatchTimerOn(timerExpired),
  });
  return s.merge({ nextHeartbeatTime: 0, proposer });
}

/**
 * The view a replica is abstracted to. A replica's view is read only to ask whether the replica
 * leads it (entering it, nominating in it) and, by a view change, which later views remain; so
 * every view the replica does not lead behaves like any other between the same two of its own
 * views. Such a view is replaced by the first view after the replica's latest own view below it,
 * or by the initial view (1,0) when no own view lies below. Views the replica leads are kept.
 */
export function representativeView(config: Configuration, me: number, view: Ballot): Ballot {
  if (view.proposerId === me) return view;
  // Compared as numbers first: this runs on every successor, and most views are representatives.
  const ownBelowSeqno = view.proposerId > me ? view.seqno : view.seqno - 1;
  if (ownBelowSeqno < 1) return view.seqno === 1 && view.proposerId === 0 ? view : ballot(1, 0);
  const [seqno, id] = successorViewFields(ownBelowSeqno, me, config);
  return seqno === view.seqno && id === view.proposerId ? view : ballot(seqno, id);
}

const viewLists = new WeakMap<Configuration, globalThis.Map<number, readonly Ballot[]>>();

/**
 * The first `limit` views in succession order: (1,0), (1,1), …, then (2,0), … Memoised per
 * configuration object: the oracle asks for them at every step of every replica.
 */
export function firstViews(config: Configuration, limit: number): readonly Ballot[] {
  let byLimit = viewLists.get(config);
  if (byLimit === undefined) viewLists.set(config, (byLimit = new globalThis.Map()));
  let views = byLimit.get(limit);
  if (views === undefined) {
    const list: Ballot[] = [];
    for (let v = ballot(1, 0); list.length < limit; v = computeSuccessorView(v, config)) list.push(v);
    views = Object.freeze(list);
    byLimit.set(limit, views);
  }
  return views;
}

/**
 * The heartbeat a view change to `v` stands for: a non-suspicious heartbeat from `v`'s leader,
 * carrying no checkpoint. refinement/ runs the implementation on this same packet.
 */
export function oracleViewHeartbeat(c: ReplicaConstants, v: Ballot): Packet<MessageHeartbeat> {
  const leader = c.all.config.replicaIds.get(v.proposerId) ?? '';
  return packet(c.all.config.replicaIds.get(c.myIndex) ?? '', leader, messageHeartbeat(v, false, 0));
}

/**
 * The heartbeat a checkpoint news stands for: from replica `from`, about the receiver's own view
 * (so the proposer ignores it), carrying the executed count `opn`.
 */
export function oracleCheckpointHeartbeat(
  c: ReplicaConstants,
  s: ReplicaState,
  from: number,
  opn: OperationNumber,
): Packet<MessageHeartbeat> {
  const src = c.all.config.replicaIds.get(from) ?? '';
  return packet(c.all.config.replicaIds.get(c.myIndex) ?? '', src, messageHeartbeat(s.proposer.electionState.currentView, false, opn));
}

/**
 * The oracle moves the replica to the later view `v`: the effect of a (non-suspicious) heartbeat
 * from `v`'s leader, through the spec's own ProcessHeartbeat, so the proposer steps down exactly
 * as it does in the faithful model. The caller abstracts the result.
 */
export function oracleViewChange(c: ReplicaConstants, s: ReplicaState, v: Ballot, P: SpecActions): ReplicaState {
  return s.set('proposer', P.proposerProcessHeartbeat(c, s.proposer, oracleViewHeartbeat(c, v), 0));
}

/**
 * The oracle tells the replica's acceptor that replica `from` has executed `opn` operations (a
 * heartbeat's checkpoint), through the spec's own acceptor ProcessHeartbeat.
 */
export function oracleCheckpoint(c: ReplicaConstants, s: ReplicaState, from: number, opn: OperationNumber, P: SpecActions): ReplicaState {
  return s.set('acceptor', P.acceptorProcessHeartbeat(c, s.acceptor, oracleCheckpointHeartbeat(c, s, from, opn)));
}
