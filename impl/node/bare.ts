/**
 * The bare IronRSL message pattern, for the benchmark's ceiling: the same datagrams on the same
 * kind of socket as a replica (request to replica 0, 2a from it to all, 2b from all to all, a
 * reply from every replica for every request), with no protocol logic at all: no scheduler, no
 * state, no full parse. Replica 0 batches requests as the protocol does (a full batch at once, a
 * partial one after max_batch_delay); a 2b is the 2a's bytes with the tag changed (the two
 * messages have the same layout); a node replies to a batch when it has counted a quorum of 2bs.
 * Like the shell, a node hands its own share of a broadcast to itself without the kernel.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { CReplicaConstants, CRequest } from '../types.js';
import { bindAddress } from './cluster.js';
import { requestedSocketBuffer } from './shell.js';
import { encodeMessage, formatEndPoint } from './wire.js';

export interface BareStats {
  readonly replica: string;
  readonly engine: 'bare';
  readonly requests: number;
  readonly batches: number;
  readonly replies: number;
  readonly recvBufferBytes: number;
}

interface Dest {
  readonly address: string;
  readonly port: number;
}

function destOf(ep: string): Dest {
  const i = ep.lastIndexOf(':');
  return { address: ep.slice(0, i), port: Number(ep.slice(i + 1)) };
}

export class BarePatternNode {
  private socket: Socket | null = null;
  private readonly me: string;
  private readonly others: readonly Dest[];
  private readonly quorum: number;
  private readonly pending: CRequest[] = [];
  private flushScheduled = false;
  private batchTimer: NodeJS.Timeout | null = null;
  private readonly votes = new Map<number, number>();
  private nextOpn = 0;
  private requests = 0;
  private batches = 0;
  private replies = 0;
  private counter = 0;
  private recvBufferBytes = 0;

  constructor(private readonly c: CReplicaConstants) {
    this.me = c.config.replicaIds[c.myIndex]!;
    this.others = c.config.replicaIds.filter((_, i) => i !== c.myIndex).map(destOf);
    this.quorum = Math.floor(c.config.replicaIds.length / 2) + 1;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', recvBufferSize: requestedSocketBuffer, sendBufferSize: requestedSocketBuffer });
      socket.once('error', (e) => reject(new Error(`cannot bind ${this.me}: ${e.message}`)));
      socket.bind(destOf(this.me).port, bindAddress, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        socket.on('message', (buf, rinfo) => this.onMessage(buf, rinfo));
        this.recvBufferBytes = socket.getRecvBufferSize();
        this.socket = socket;
        resolve();
      });
    });
  }

  async stop(): Promise<BareStats> {
    if (this.batchTimer !== null) clearTimeout(this.batchTimer);
    const s = this.socket;
    this.socket = null;
    if (s !== null) await new Promise<void>((resolve) => s.close(() => resolve()));
    return this.stats();
  }

  stats(): BareStats {
    return {
      replica: this.me,
      engine: 'bare',
      requests: this.requests,
      batches: this.batches,
      replies: this.replies,
      recvBufferBytes: this.recvBufferBytes,
    };
  }

  private onMessage(buf: Buffer, rinfo: RemoteInfo): void {
    const tag = buf[0];
    if (tag === 1 && buf.length === 10 && this.c.myIndex === 0) {
      this.requests++;
      this.pending.push({
        client: `${rinfo.address}:${rinfo.port}`,
        seqno: buf.readUInt32LE(1) + buf.readUInt32LE(5) * 0x1_0000_0000,
        request: { type: 'AppIncrementRequest' },
      });
      if (this.pending.length >= this.c.params.maxBatchSize) {
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(this.flush);
        }
      } else if (this.batchTimer === null) {
        this.batchTimer = setTimeout(this.flush, this.c.params.maxBatchDelay);
      }
    } else if (tag === 4) this.accept(buf);
    else if (tag === 5) this.learn(buf);
  }

  /**
   * Replica 0: propose the waiting requests, max_batch_size per 2a. Like the protocol's proposer
   * (§14.4), a full batch goes at once and a partial one after max_batch_delay, so the bare
   * pattern sends the same datagrams, batch for batch.
   */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.batchTimer !== null) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const size = this.c.params.maxBatchSize;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, size);
      const e = encodeMessage({ type: '2a', bal2a: { seqno: 1, proposerId: 0 }, opn2a: this.nextOpn++, val2a: batch });
      if (!e.ok) continue;
      this.batches++;
      this.broadcast(e.bytes);
      this.accept(e.bytes);
    }
  };

  /** A 2a arrived (or was proposed here): answer with the 2b to everyone, self included. */
  private accept(twoA: Buffer): void {
    const twoB = Buffer.from(twoA);
    twoB[0] = 5;
    this.broadcast(twoB);
    this.learn(twoB);
  }

  private broadcast(bytes: Buffer): void {
    const s = this.socket;
    if (s === null) return;
    for (const d of this.others) s.send(bytes, d.port, d.address);
  }

  /** A 2b: on the quorum-th one for its slot, reply to every request of the batch. */
  private learn(twoB: Buffer): void {
    const opn = twoB.readUInt32LE(17) + twoB.readUInt32LE(21) * 0x1_0000_0000;
    const n = (this.votes.get(opn) ?? 0) + 1;
    if (n === this.c.config.replicaIds.length) this.votes.delete(opn);
    else this.votes.set(opn, n);
    if (n !== this.quorum) return;
    const s = this.socket;
    if (s === null) return;
    const count = twoB.readUInt32LE(25);
    let p = 33;
    for (let i = 0; i < count; i++) {
      // A request: u64 length 6, 4 bytes IPv4, 2 bytes port, u64 seqno, app tag.
      const ip = twoB.readUInt32BE(p + 8);
      const port = twoB.readUInt16BE(p + 12);
      const reply = Buffer.allocUnsafe(18);
      reply[0] = 7;
      twoB.copy(reply, 1, p + 14, p + 22);
      reply[9] = 1;
      this.counter++;
      reply.writeUInt32LE(this.counter >>> 0, 10);
      reply.writeUInt32LE(Math.floor(this.counter / 0x1_0000_0000), 14);
      const ep = formatEndPoint(ip * 65536 + port);
      s.send(reply, port, ep.slice(0, ep.lastIndexOf(':')));
      this.replies++;
      p += 23;
    }
  }
}
