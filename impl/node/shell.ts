/**
 * The replica shell: the only code that owns a replica's socket and clock. It runs the §10.4
 * round-robin scheduler of a `HostEngine` as fast as datagrams arrive, and sleeps when idle.
 *
 * - Receive: every datagram is queued as it arrives; scheduler slot 0 takes one per round. It is
 *   parsed strictly (impl/node/wire.ts) when slot 0 takes it; a malformed datagram, a replica
 *   message from an address outside the cluster, or a Reply sent to a replica is dropped and
 *   counted (and slot 0 takes the next one), never a crash and never a state change.
 * - Rounds run back to back while there is work; the shell yields to the event loop after a
 *   round that sent a datagram (so it leaves at once: dgram sends on the next tick) or after a
 *   bounded number of rounds (so the socket keeps being read). When the queue is empty and a whole round sent
 *   nothing, the shell sleeps until the engine's next timer deadline (heartbeat, batch timer,
 *   view timeout) or the next datagram, whichever comes first: no spinning when idle.
 * - Clock: whole milliseconds of the monotonic `performance.now()`.
 * - Packets a replica sends to itself (its share of every broadcast) are queued directly instead
 *   of through the kernel: a delivery UDP may make, and two system calls fewer per broadcast.
 * - A broadcast's message is serialised once and the same bytes sent to every destination.
 * - Optional fault injection on packets to other replicas (loss, duplication, reordering) for the
 *   fault tests, for a bounded time.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { CMessage, CPacket, CReplicaConstants } from '../types.js';
import { bindAddress } from './cluster.js';
import type { EngineStatus, HostEngine } from './engine.js';
import { decodeMessage, encodeMessage, messageTags, tagName } from './wire.js';

/** Requested kernel receive and send buffer (the default holds only ~256 small datagrams). */
export const requestedSocketBuffer = 4 * 1024 * 1024;
/** Datagrams waiting for slot 0 beyond this are dropped (and counted). */
const maxQueue = 200_000;
/** Scheduler rounds run before yielding to the event loop to read the socket again. */
const roundsPerTurn = 64;

export interface FaultInjection {
  /** Probability that a packet to another replica is dropped. */
  readonly loss: number;
  /** Probability that it is sent twice. */
  readonly dup: number;
  /** Probability that it is held back for up to `reorderMs` before being sent. */
  readonly reorder: number;
  readonly reorderMs: number;
  /** Faults are injected for this long after start, then never again. */
  readonly forMs: number;
}

export interface ShellOptions {
  readonly constants: CReplicaConstants;
  readonly engine: HostEngine;
  readonly faults?: FaultInjection;
}

/** One message type's counters. */
export type TypeCounts = Partial<Record<string, number>>;

export interface ShellStats {
  readonly replica: string;
  readonly engine: string;
  readonly uptimeMs: number;
  readonly status: EngineStatus;
  readonly received: TypeCounts;
  readonly sent: TypeCounts;
  /** Packets this replica delivered to itself (its share of its broadcasts). */
  readonly self: number;
  readonly dropped: TypeCounts;
  readonly droppedTotal: number;
  readonly batches: { readonly count: number; readonly requests: number; readonly max: number };
  readonly rounds: number;
  readonly recvBufferBytes: number;
  readonly sendBufferBytes: number;
}

interface Queued {
  readonly src: string;
  readonly bytes: Buffer | null;
  /** Already decoded (a packet to self). */
  readonly msg: CMessage | null;
}

interface Dest {
  readonly address: string;
  readonly port: number;
}

function bump(counts: TypeCounts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function sumCounts(counts: TypeCounts): number {
  let n = 0;
  for (const v of Object.values(counts)) n += v ?? 0;
  return n;
}

export class ReplicaShell {
  private readonly engine: HostEngine;
  private readonly me: string;
  private readonly replicas: ReadonlySet<string>;
  private readonly port: number;
  private readonly faults: FaultInjection | undefined;
  private socket: Socket | null = null;
  private readonly queue: Queued[] = [];
  private head = 0;
  private scheduled = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private idleAt = Infinity;
  private stopped = false;
  private readonly startedAt = performance.now();
  private readonly dests = new Map<string, Dest>();
  private readonly loopbackSources = new Map<number, string>();
  private lastMsg: CMessage | null = null;
  private lastBytes: Buffer | null = null;
  private recvBufferBytes = 0;
  private sendBufferBytes = 0;
  private rounds = 0;
  private networkSends = 0;
  private self = 0;
  private readonly receivedByTag = new Array<number>(11).fill(0);
  private readonly sentByTag = new Array<number>(11).fill(0);
  private readonly dropped: TypeCounts = {};
  private batchCount = 0;
  private batchRequests = 0;
  private batchMax = 0;

  constructor(private readonly options: ShellOptions) {
    const c = options.constants;
    this.engine = options.engine;
    this.me = c.config.replicaIds[c.myIndex]!;
    this.replicas = new Set(c.config.replicaIds);
    this.port = Number(this.me.split(':')[1]);
    this.faults = options.faults;
  }

  /** Binds the socket and starts the scheduler. Rejects (one-line message) if the port is taken. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', recvBufferSize: requestedSocketBuffer, sendBufferSize: requestedSocketBuffer });
      const onBindError = (e: Error): void => reject(new Error(`cannot bind ${this.me}: ${e.message}`));
      socket.once('error', onBindError);
      socket.bind(this.port, bindAddress, () => {
        socket.off('error', onBindError);
        // Send errors (e.g. an unreachable client) arrive here; they are counted, never fatal.
        socket.on('error', () => bump(this.dropped, 'send-error'));
        socket.on('message', (buf, rinfo) => this.onMessage(buf, rinfo));
        this.recvBufferBytes = socket.getRecvBufferSize();
        this.sendBufferBytes = socket.getSendBufferSize();
        this.socket = socket;
        this.schedule();
        resolve();
      });
    });
  }

  /** Stops the scheduler and closes the socket; returns the final counters. */
  async stop(): Promise<ShellStats> {
    this.stopped = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    const s = this.socket;
    this.socket = null;
    if (s !== null) await new Promise<void>((resolve) => s.close(() => resolve()));
    return this.stats();
  }

  stats(): ShellStats {
    const named = (counts: readonly number[]): TypeCounts => {
      const out: TypeCounts = {};
      counts.forEach((n, tag) => {
        if (n > 0) out[tagName(tag) ?? 'Invalid'] = n;
      });
      return out;
    };
    return {
      replica: this.me,
      engine: this.engine.name,
      uptimeMs: Math.round(performance.now() - this.startedAt),
      status: this.engine.status(),
      received: named(this.receivedByTag),
      sent: named(this.sentByTag),
      self: this.self,
      dropped: { ...this.dropped },
      droppedTotal: sumCounts(this.dropped),
      batches: { count: this.batchCount, requests: this.batchRequests, max: this.batchMax },
      rounds: this.rounds,
      recvBufferBytes: this.recvBufferBytes,
      sendBufferBytes: this.sendBufferBytes,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Receiving

  private onMessage(buf: Buffer, rinfo: RemoteInfo): void {
    if (this.queue.length - this.head >= maxQueue) {
      bump(this.dropped, 'queue-full');
      return;
    }
    this.queue.push({ src: this.sourceOf(rinfo), bytes: buf, msg: null });
    this.schedule();
  }

  /** "ip:port" of a sender; loopback senders' strings are kept per port (they are few and recur). */
  private sourceOf(rinfo: RemoteInfo): string {
    if (rinfo.address !== bindAddress) return `${rinfo.address}:${rinfo.port}`;
    let s = this.loopbackSources.get(rinfo.port);
    if (s === undefined) {
      s = `${bindAddress}:${rinfo.port}`;
      if (this.loopbackSources.size > 70_000) this.loopbackSources.clear();
      this.loopbackSources.set(rinfo.port, s);
    }
    return s;
  }

  /** The next acceptable queued packet, or null; drops (and counts) everything unacceptable. */
  private takePacket(): CPacket | null {
    while (this.head < this.queue.length) {
      const q = this.queue[this.head++]!;
      if (q.msg !== null) return { dst: this.me, src: q.src, msg: q.msg };
      const d = decodeMessage(q.bytes!);
      if (!d.ok) {
        bump(this.dropped, d.error.kind);
        continue;
      }
      const type = d.msg.type;
      if (type === 'Reply') {
        bump(this.dropped, 'reply-to-replica');
        continue;
      }
      if (type !== 'Request' && !this.replicas.has(q.src)) {
        bump(this.dropped, 'stranger');
        continue;
      }
      this.receivedByTag[messageTags[type]]!++;
      return { dst: this.me, src: q.src, msg: d.msg };
    }
    return null;
  }

  private compactQueue(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  // -------------------------------------------------------------------------------------------
  // The scheduler loop

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    if (this.stopped) return;
    // An armed idle timer is left alone (re-arming it on every datagram costs more than the
    // spurious wake-up it may cause).
    let quiet = false;
    for (let i = 0; i < roundsPerTurn && !quiet; i++) {
      const hadWork = this.head < this.queue.length;
      const before = this.networkSends;
      const sent = this.round();
      quiet = !hadWork && sent === 0 && this.head === this.queue.length;
      // dgram hands a datagram to the kernel only after the current callback returns (its address
      // lookup completes on the next tick): end the turn so that what this round sent leaves now,
      // not after the rounds that follow.
      if (this.networkSends !== before) break;
    }
    this.compactQueue();
    if (!quiet) this.schedule();
    else this.sleep();
  };

  /**
   * One full round: the ten slots in order, starting wherever the engine is. The clock is read
   * once per round: every slot of the round that reads it sees the same (non-decreasing) value,
   * one of the readings a real clock may give.
   */
  private round(): number {
    let sent = 0;
    const clock = Math.floor(performance.now());
    for (let i = 0; i < 10; i++) {
      const slot = this.engine.nextSlot();
      const received = slot === 0 ? this.takePacket() : null;
      const out = this.engine.step(clock, received);
      for (const p of out) this.send(p);
      sent += out.length;
    }
    this.rounds++;
    return sent;
  }

  /** Sleeps until the engine's next deadline (at most one heartbeat period away) or a datagram. */
  private sleep(): void {
    const now = performance.now();
    const cap = now + this.options.constants.params.heartbeatPeriod;
    // A deadline already past did nothing in the quiet round just run: wait for the cap instead.
    const deadline = this.engine.nextDeadline();
    const at = deadline > now ? Math.min(cap, deadline) : cap;
    if (this.idleTimer !== null && this.idleAt <= at) return;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleAt = at;
    this.idleTimer = setTimeout(
      () => {
        this.idleTimer = null;
        this.idleAt = Infinity;
        this.schedule();
      },
      Math.ceil(at - now),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  private dest(ep: string): Dest {
    let d = this.dests.get(ep);
    if (d === undefined) {
      const i = ep.lastIndexOf(':');
      d = { address: ep.slice(0, i), port: Number(ep.slice(i + 1)) };
      if (this.dests.size > 10_000) this.dests.clear();
      this.dests.set(ep, d);
    }
    return d;
  }

  private send(p: CPacket): void {
    const msg = p.msg;
    if (msg.type === '2a' && p.dst === this.me) {
      // One 2a broadcast includes exactly one packet to self: count the batch once.
      this.batchCount++;
      this.batchRequests += msg.val2a.length;
      if (msg.val2a.length > this.batchMax) this.batchMax = msg.val2a.length;
    }
    if (p.dst === this.me) {
      this.self++;
      this.queue.push({ src: this.me, bytes: null, msg });
      return;
    }
    const socket = this.socket;
    if (socket === null) return;
    let bytes: Buffer;
    if (msg === this.lastMsg && this.lastBytes !== null) bytes = this.lastBytes;
    else {
      const e = encodeMessage(msg);
      if (!e.ok) {
        bump(this.dropped, `unencodable-${msg.type}`);
        return;
      }
      bytes = e.bytes;
      this.lastMsg = msg;
      this.lastBytes = bytes;
    }
    const d = this.dest(p.dst);
    const tag = messageTags[msg.type];
    if (this.faults !== undefined && this.replicas.has(p.dst) && performance.now() - this.startedAt < this.faults.forMs) {
      this.sendFaulty(socket, bytes, d, tag, this.faults);
      return;
    }
    this.sentByTag[tag]!++;
    this.networkSends++;
    socket.send(bytes, d.port, d.address);
  }

  private sendFaulty(socket: Socket, bytes: Buffer, d: Dest, tag: number, f: FaultInjection): void {
    if (Math.random() < f.loss) {
      bump(this.dropped, 'injected-loss');
      return;
    }
    const copies = Math.random() < f.dup ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.sentByTag[tag]!++;
      this.networkSends++;
      if (Math.random() < f.reorder) {
        setTimeout(() => this.socket?.send(bytes, d.port, d.address), Math.random() * f.reorderMs);
      } else socket.send(bytes, d.port, d.address);
    }
  }
}

/** A status line: view, leadership, ops, batches and packet counters. */
export function formatStatus(s: ShellStats): string {
  const st = s.status;
  const role = st.leader ? 'leader' : `phase ${st.phase}`;
  const counts = (c: TypeCounts): string =>
    Object.entries(c)
      .map(([k, v]) => `${k}:${v}`)
      .join(' ') || '-';
  const avg = s.batches.count === 0 ? 0 : s.batches.requests / s.batches.count;
  return (
    `${s.replica} [${s.engine}] view ${st.view.seqno}.${st.view.proposerId} ${role} ops ${st.opsComplete} counter ${st.app} ` +
    `queue ${st.requestQueue} batches ${s.batches.count} (avg ${avg.toFixed(1)}, max ${s.batches.max}) | ` +
    `in ${counts(s.received)} | out ${counts(s.sent)} self ${s.self} | dropped ${s.droppedTotal} ${counts(s.dropped)}`
  );
}
