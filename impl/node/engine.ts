/**
 * What the UDP shell drives: one replica's host step, one §10.4 scheduler slot at a time. The
 * shell owns the socket and the clock; an engine owns the replica state and never does I/O.
 *
 * Two engines: `impl` (impl/'s concrete host, mutable structures) and `spec` (the spec's own pure
 * functions over immutable.js values: literally the code the checker explored).
 */
import { schedulerInit, schedulerNext, type ReplicaConstants, type RslMessage, type SchedulerState } from '../../spec/index.js';
import { abstractReplicaConstants } from '../configuration.js';
import { hostInit, hostNextSlot, hostStatus, hostStep, type CHost } from '../host.js';
import { abstractPacket, concreteMessage } from '../message.js';
import type { CBallot, CMessage, CPacket, CReplicaConstants } from '../types.js';

export type EngineName = 'impl' | 'spec';

export interface EngineStatus {
  readonly view: CBallot;
  /** 1 = phase 1 (collecting 1bs), 2 = phase 2 (proposing), 0 = not leading. */
  readonly phase: number;
  /** This replica is the view's proposer and in phase 2. */
  readonly leader: boolean;
  readonly opsComplete: number;
  /** The counter's value. */
  readonly app: number;
  readonly requestQueue: number;
}

export interface HostEngine {
  readonly name: EngineName;
  /** The slot the next `step` runs (0..9). */
  nextSlot(): number;
  /**
   * Runs exactly one scheduler slot. Slot 0 consumes `received` (null = nothing arrived); the
   * other slots ignore it. Returns the packets to send, in order.
   */
  step(clock: number, received: CPacket | null): readonly CPacket[];
  status(): EngineStatus;
  /**
   * The earliest clock reading at which a timer may enable a spontaneous action (heartbeat,
   * incomplete-batch timer, view timeout), so that an idle shell sleeps until then.
   */
  nextDeadline(): number;
}

/**
 * The spec engine: `schedulerNext` of spec/replica.ts on immutable values, with packets converted
 * at the boundary. The scheduler is a relation only where the proposer may choose among old
 * values (unique in reachable states), so the first outcome is taken; a slot with no outcome
 * (disabled) leaves the state as it is and still advances the slot, as a TimeoutReceive does.
 */
export class SpecEngine implements HostEngine {
  readonly name = 'spec';
  private readonly c: ReplicaConstants;
  private s: SchedulerState;

  constructor(constants: CReplicaConstants) {
    this.c = abstractReplicaConstants(constants);
    this.s = schedulerInit(this.c);
  }

  nextSlot(): number {
    return this.s.nextActionIndex;
  }

  step(clock: number, received: CPacket | null): readonly CPacket[] {
    const slot = this.s.nextActionIndex;
    const input = slot === 0 && received !== null ? { packet: abstractPacket(received), clock } : { clock };
    const outcomes = schedulerNext(this.c, this.s, input);
    const o = outcomes[0];
    if (o === undefined) {
      this.s = this.s.set('nextActionIndex', (slot + 1) % 10);
      return [];
    }
    this.s = o.state;
    if (o.sent.size === 0) return [];
    // A broadcast sends one message record to every replica: convert it once, so the shell
    // serialises it once.
    let lastAbs: RslMessage | undefined;
    let lastCon: CMessage | undefined;
    return o.sent.toArray().map((p) => {
      if (p.msg !== lastAbs) {
        lastAbs = p.msg;
        lastCon = concreteMessage(p.msg);
      }
      return { dst: p.dst, src: p.src, msg: lastCon! };
    });
  }

  status(): EngineStatus {
    const r = this.s.replica;
    const view = r.proposer.electionState.currentView;
    return {
      view: { seqno: view.seqno, proposerId: view.proposerId },
      phase: r.proposer.currentState,
      leader: view.proposerId === this.c.myIndex && r.proposer.currentState === 2,
      opsComplete: r.executor.opsComplete,
      app: r.executor.app,
      requestQueue: r.proposer.requestQueue.size,
    };
  }

  nextDeadline(): number {
    const r = this.s.replica;
    const timer = r.proposer.incompleteBatchTimer;
    return Math.min(r.nextHeartbeatTime, r.proposer.electionState.epochEndTime, timer.type === 'On' ? timer.when : Infinity);
  }
}

/** The impl engine: impl/host.ts's `hostStep` on the concrete, mutable replica. */
export class ImplEngine implements HostEngine {
  readonly name = 'impl';
  private readonly h: CHost;

  constructor(constants: CReplicaConstants) {
    this.h = hostInit(constants);
  }

  nextSlot(): number {
    return hostNextSlot(this.h);
  }

  step(clock: number, received: CPacket | null): readonly CPacket[] {
    return hostStep(this.h, clock, received);
  }

  status(): EngineStatus {
    const s = hostStatus(this.h);
    return {
      view: { seqno: s.view.seqno, proposerId: s.view.proposerId },
      phase: s.phase,
      leader: s.leadingPhase2,
      opsComplete: s.opsComplete,
      app: s.app,
      requestQueue: s.queueLength,
    };
  }

  nextDeadline(): number {
    const r = this.h.replica;
    const timer = r.proposer.incompleteBatchTimer;
    return Math.min(r.nextHeartbeatTime, r.proposer.electionState.epochEndTime, timer.type === 'On' ? timer.when : Infinity);
  }
}

export function makeEngine(name: EngineName, constants: CReplicaConstants): HostEngine {
  return name === 'spec' ? new SpecEngine(constants) : new ImplEngine(constants);
}
