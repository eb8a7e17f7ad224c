/**
 * The host step a UDP shell (or a test) drives: the replica plus its round-robin scheduler index
 * (rsl-protocol.md §10.4, §14.1). One call runs exactly one scheduler slot.
 */
import type { SchedulerState } from '../spec/index.js';
import { SchedulerStateRecord } from '../spec/index.js';
import { defaultImplActions, type ImplActions } from './actions.js';
import { abstractReplica, concreteReplica, cReplicaInit, cReplicaNumActions, cReplicaRunSlot, type CReplica } from './replica.js';
import type { CBallot, CPacket, CReplicaConstants } from './types.js';

export interface CHost {
  readonly constants: CReplicaConstants;
  readonly replica: CReplica;
  /** The slot the next `hostStep` runs, 0..9. */
  nextActionIndex: number;
  /** The implementation functions this host runs (the correct ones unless a test swaps some). */
  readonly impl: ImplActions;
}

/** A host in its initial state (LSchedulerInit). */
export function hostInit(c: CReplicaConstants, impl: ImplActions = defaultImplActions): CHost {
  return { constants: c, replica: cReplicaInit(c), nextActionIndex: 0, impl };
}

/** The scheduler slot the next `hostStep` runs (0..9). */
export function hostNextSlot(h: CHost): number {
  return h.nextActionIndex;
}

/**
 * Runs the slot `hostNextSlot(h)` selects, mutating `h`, then advances the slot (even after a
 * no-op). Slot 0 consumes `received` (null: nothing arrived); `clock` is read only by the slots
 * that read it. Returns the packets to send, in order; a broadcast is one packet per replica in
 * configuration order, the host itself included.
 */
export function hostStep(h: CHost, clock: number, received: CPacket | null): CPacket[] {
  const slot = h.nextActionIndex;
  const sent = cReplicaRunSlot(h.constants, h.replica, slot, clock, received, h.impl);
  h.nextActionIndex = (slot + 1) % cReplicaNumActions;
  return sent;
}

/** Plain figures for a status line. */
export interface CHostStatus {
  readonly view: CBallot;
  /** This host leads `view` (it is the view's proposer). */
  readonly leader: boolean;
  /** 0 = not leading, 1 = leader in phase 1, 2 = leader in phase 2. */
  readonly phase: number;
  /** Leader of the current view and in phase 2 of it. */
  readonly leadingPhase2: boolean;
  readonly opsComplete: number;
  readonly queueLength: number;
  readonly nextOperationNumberToPropose: number;
  readonly logTruncationPoint: number;
  readonly votes: number;
  readonly app: number;
}

export function hostStatus(h: CHost): CHostStatus {
  const r = h.replica;
  const pr = r.proposer;
  const view = pr.electionState.currentView;
  const leader = view.proposerId === h.constants.myIndex;
  return {
    view,
    leader,
    phase: pr.currentState,
    leadingPhase2:
      leader && pr.currentState === 2 && view.seqno === pr.maxBallotISent1a.seqno && view.proposerId === pr.maxBallotISent1a.proposerId,
    opsComplete: r.executor.opsComplete,
    queueLength: pr.requestQueue.length,
    nextOperationNumberToPropose: pr.nextOperationNumberToPropose,
    logTruncationPoint: r.acceptor.logTruncationPoint,
    votes: r.acceptor.votes.size,
    app: r.executor.app,
  };
}

// ---------------------------------------------------------------------------------------------
// Abstraction

/** The spec's scheduler state of a host (the Verus `@`). */
export function abstractHost(h: CHost): SchedulerState {
  return SchedulerStateRecord({ replica: abstractReplica(h.replica), nextActionIndex: h.nextActionIndex });
}

/** A fresh host in the state `s` of the spec, e.g. one the checker explored. */
export function concreteHost(c: CReplicaConstants, s: SchedulerState, impl: ImplActions = defaultImplActions): CHost {
  return { constants: c, replica: concreteReplica(s.replica), nextActionIndex: s.nextActionIndex, impl };
}
