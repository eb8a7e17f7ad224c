/**
 * The Verus port's wire format (rsl-protocol.md §14.2), for every message: client Request/Reply
 * and the messages between replicas, so that the lab's own UDP client can talk to these replicas.
 *
 *   u64      8 bytes little-endian          bool   1 byte (0 or 1)
 *   Vec<T>   u64 length, then the elements  enum   1-byte tag, then the variant's fields
 *   HashMap  u64 length, then (key, value)  struct fields in declaration order
 *   EndPoint Vec<u8>: u64 length 6, then 4 bytes IPv4 and a big-endian port
 *
 * Message tags: 1 Request, 2 1a, 3 1b, 4 2a, 5 2b, 6 Heartbeat, 7 Reply, 8 AppStateRequest,
 * 9 AppStateSupply, 10 StartingPhase2 (0 = Invalid). AppMessage tags: 0 Increment, 1 Reply(u64),
 * 2 Invalid. Packet src/dst are not in the payload: they are the UDP addresses.
 *
 * Decoding is strict and total: any datagram that is not exactly the encoding of one message
 * yields a typed `WireError` (never an exception), so the shell can drop and count it. Integers are
 * JS numbers, so a u64 above 2^53 - 1 is rejected as out of range rather than rounded.
 */
import type { CAppMessage, CBallot, CEndPoint, CMessage, CMessageType, CReply, CRequest, CRequestBatch, CVote } from '../types.js';

/** The largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP header bytes). */
export const maxDatagramBytes = 65_507;
/** `RequestBatchSizeLimit` of the Verus implementation: no batch on the wire is longer. */
export const maxBatchLength = 1000;
/** The Verus vote map bound (`max_log_length < 1001`). */
export const maxVotesLength = 1000;

export type WireErrorKind =
  | 'empty'
  | 'oversized'
  | 'unknown-tag'
  | 'invalid-message'
  | 'truncated'
  | 'trailing-bytes'
  | 'bad-bool'
  | 'bad-endpoint'
  | 'int-out-of-range'
  | 'length-out-of-range'
  | 'duplicate-key'
  | 'unencodable'
  /** A decoder bug, not a property of the input: the fuzz tests require that it never occurs. */
  | 'internal';

export interface WireError {
  readonly kind: WireErrorKind;
  readonly detail: string;
}

export type DecodeResult = { readonly ok: true; readonly msg: CMessage } | { readonly ok: false; readonly error: WireError };

export const messageTags: Readonly<Record<CMessageType, number>> = Object.freeze({
  Invalid: 0,
  Request: 1,
  '1a': 2,
  '1b': 3,
  '2a': 4,
  '2b': 5,
  Heartbeat: 6,
  Reply: 7,
  AppStateRequest: 8,
  AppStateSupply: 9,
  StartingPhase2: 10,
});

const tagNames: readonly CMessageType[] = (Object.keys(messageTags) as CMessageType[]).sort((a, b) => messageTags[a] - messageTags[b]);

/** The message type a datagram's first byte announces, or undefined (for per-type counters). */
export function tagName(tag: number): CMessageType | undefined {
  return tag >= 1 && tag <= 10 ? tagNames[tag] : undefined;
}

/** Thrown only inside this module and always caught by `decodeMessage`/`encodeMessage`. */
class WireFault extends Error {
  constructor(
    readonly kind: WireErrorKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const twoTo32 = 0x1_0000_0000;
/** High 32-bit word limit so that hi * 2^32 + lo stays <= Number.MAX_SAFE_INTEGER. */
const maxSafeHi = 0x1f_ffff;

// ---------------------------------------------------------------------------------------------
// End points: "a.b.c.d:port" <-> 6 bytes

const endPointCacheLimit = 4096;
const endPointStrings = new Map<number, string>();
const endPointBytes = new Map<string, number>();

/** The 48-bit value IPv4 * 2^16 + port of an "a.b.c.d:port" string, or undefined if malformed. */
export function parseEndPoint(ep: CEndPoint): number | undefined {
  const cached = endPointBytes.get(ep);
  if (cached !== undefined) return cached;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(ep);
  if (m === null) return undefined;
  const parts = m.slice(1, 5).map(Number);
  const port = Number(m[5]);
  if (parts.some((x) => x > 255) || port > 65535 || formatEndPointParts(parts, port) !== ep) return undefined;
  const value = (((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!) * 65536 + port;
  if (endPointBytes.size >= endPointCacheLimit) endPointBytes.clear();
  endPointBytes.set(ep, value);
  return value;
}

function formatEndPointParts(parts: readonly number[], port: number): string {
  return `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3]}:${port}`;
}

/** The canonical string of a 48-bit end point value (the inverse of `parseEndPoint`). */
export function formatEndPoint(value: number): string {
  const cached = endPointStrings.get(value);
  if (cached !== undefined) return cached;
  const port = value % 65536;
  let ip = Math.floor(value / 65536);
  const parts = [0, 0, 0, 0];
  for (let i = 3; i >= 0; i--) {
    parts[i] = ip % 256;
    ip = Math.floor(ip / 256);
  }
  const s = formatEndPointParts(parts, port);
  if (endPointStrings.size >= endPointCacheLimit) endPointStrings.clear();
  endPointStrings.set(value, s);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Decoding

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new WireFault('truncated', `needs ${n} more byte(s) at offset ${this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u64(): number {
    this.need(8);
    const b = this.buf;
    const p = this.pos;
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
    const hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24)) >>> 0;
    if (hi > maxSafeHi) throw new WireFault('int-out-of-range', `u64 at offset ${p} exceeds 2^53 - 1`);
    this.pos = p + 8;
    return hi * twoTo32 + lo;
  }

  bool(): boolean {
    const at = this.pos;
    const v = this.u8();
    if (v > 1) throw new WireFault('bad-bool', `bool byte ${v} at offset ${at}`);
    return v === 1;
  }

  /** A collection length: at most `limit`, and no more elements than the bytes left could hold. */
  length(limit: number, minElementBytes: number): number {
    const at = this.pos;
    const n = this.u64();
    if (n > limit || n * minElementBytes > this.buf.length - this.pos) {
      throw new WireFault('length-out-of-range', `length ${n} at offset ${at}`);
    }
    return n;
  }

  endPoint(): CEndPoint {
    const at = this.pos;
    const len = this.u64();
    if (len !== 6) throw new WireFault('bad-endpoint', `end point of ${len} bytes at offset ${at} (expected 6)`);
    this.need(6);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 6;
    const ip = ((b[p]! * 256 + b[p + 1]!) * 256 + b[p + 2]!) * 256 + b[p + 3]!;
    return formatEndPoint(ip * 65536 + b[p + 4]! * 256 + b[p + 5]!);
  }

  ballot(): CBallot {
    const seqno = this.u64();
    return { seqno, proposerId: this.u64() };
  }

  appMessage(): CAppMessage {
    const at = this.pos;
    const tag = this.u8();
    if (tag === 0) return appIncrement;
    if (tag === 1) return { type: 'AppIncrementReply', response: this.u64() };
    if (tag === 2) return appInvalid;
    throw new WireFault('unknown-tag', `app message tag ${tag} at offset ${at}`);
  }

  request(): CRequest {
    const client = this.endPoint();
    const seqno = this.u64();
    return { client, seqno, request: this.appMessage() };
  }

  reply(): CReply {
    const client = this.endPoint();
    const seqno = this.u64();
    return { client, seqno, reply: this.appMessage() };
  }

  batch(): CRequestBatch {
    const n = this.length(maxBatchLength, requestMinBytes);
    const out: CRequest[] = new Array<CRequest>(n);
    for (let i = 0; i < n; i++) out[i] = this.request();
    return out;
  }

  vote(): CVote {
    const maxValueBal = this.ballot();
    return { maxValueBal, maxVal: this.batch() };
  }
}

const appIncrement: CAppMessage = Object.freeze({ type: 'AppIncrementRequest' });
const appInvalid: CAppMessage = Object.freeze({ type: 'AppInvalidReply' });
/** Smallest encodings: a request = end point (14) + seqno (8) + app tag (1). */
const requestMinBytes = 23;
const voteEntryMinBytes = 8 + 16 + 8;
const replyCacheEntryMinBytes = 14 + requestMinBytes;

function decodeBody(r: Reader, tag: number): CMessage {
  switch (tag) {
    case 1: {
      const seqnoReq = r.u64();
      return { type: 'Request', seqnoReq, val: r.appMessage() };
    }
    case 2:
      return { type: '1a', bal1a: r.ballot() };
    case 3: {
      const bal1b = r.ballot();
      const logTruncationPoint = r.u64();
      const n = r.length(maxVotesLength, voteEntryMinBytes);
      const votes = new Map<number, CVote>();
      for (let i = 0; i < n; i++) {
        const at = r.pos;
        const opn = r.u64();
        if (votes.has(opn)) throw new WireFault('duplicate-key', `vote for slot ${opn} twice (offset ${at})`);
        votes.set(opn, r.vote());
      }
      return { type: '1b', bal1b, logTruncationPoint, votes };
    }
    case 4: {
      const bal2a = r.ballot();
      const opn2a = r.u64();
      return { type: '2a', bal2a, opn2a, val2a: r.batch() };
    }
    case 5: {
      const bal2b = r.ballot();
      const opn2b = r.u64();
      return { type: '2b', bal2b, opn2b, val2b: r.batch() };
    }
    case 6: {
      const balHeartbeat = r.ballot();
      const suspicious = r.bool();
      return { type: 'Heartbeat', balHeartbeat, suspicious, opnCkpt: r.u64() };
    }
    case 7: {
      const seqnoReply = r.u64();
      return { type: 'Reply', seqnoReply, reply: r.appMessage() };
    }
    case 8: {
      const balStateReq = r.ballot();
      return { type: 'AppStateRequest', balStateReq, opnStateReq: r.u64() };
    }
    case 9: {
      const balStateSupply = r.ballot();
      const opnStateSupply = r.u64();
      const appState = r.u64();
      const n = r.length(Number.MAX_SAFE_INTEGER, replyCacheEntryMinBytes);
      const replyCache = new Map<CEndPoint, CReply>();
      for (let i = 0; i < n; i++) {
        const at = r.pos;
        const key = r.endPoint();
        if (replyCache.has(key)) throw new WireFault('duplicate-key', `reply cache entry for ${key} twice (offset ${at})`);
        replyCache.set(key, r.reply());
      }
      return { type: 'AppStateSupply', balStateSupply, opnStateSupply, appState, replyCache };
    }
    case 10: {
      const bal2 = r.ballot();
      return { type: 'StartingPhase2', bal2, logTruncationPoint2: r.u64() };
    }
    case 0:
      throw new WireFault('invalid-message', 'tag 0 (CMessageInvalid) is never sent');
    default:
      throw new WireFault('unknown-tag', `message tag ${tag}`);
  }
}

/** Parses one datagram. Total: every input yields a message or a typed error. */
export function decodeMessage(buf: Uint8Array): DecodeResult {
  if (buf.length === 0) return { ok: false, error: { kind: 'empty', detail: 'empty datagram' } };
  if (buf.length > maxDatagramBytes) {
    return { ok: false, error: { kind: 'oversized', detail: `${buf.length} bytes > ${maxDatagramBytes}` } };
  }
  const r = new Reader(buf);
  try {
    const msg = decodeBody(r, r.u8());
    if (r.pos !== buf.length) {
      return { ok: false, error: { kind: 'trailing-bytes', detail: `${buf.length - r.pos} byte(s) after the message` } };
    }
    return { ok: true, msg };
  } catch (e) {
    if (e instanceof WireFault) return { ok: false, error: { kind: e.kind, detail: e.detail } };
    return { ok: false, error: { kind: 'internal', detail: String(e) } };
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Writes into a buffer sized exactly by `encodedSize`, so nothing is regrown or copied. */
class Writer {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) throw new WireFault('internal', `encodedSize undercounted (offset ${this.pos}, ${n} more)`);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u64(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new WireFault('unencodable', `${v} is not a u64 below 2^53`);
    this.ensure(8);
    const b = this.buf;
    const p = this.pos;
    const lo = v >>> 0;
    const hi = Math.floor(v / twoTo32);
    b[p] = lo & 0xff;
    b[p + 1] = (lo >>> 8) & 0xff;
    b[p + 2] = (lo >>> 16) & 0xff;
    b[p + 3] = lo >>> 24;
    b[p + 4] = hi & 0xff;
    b[p + 5] = (hi >>> 8) & 0xff;
    b[p + 6] = (hi >>> 16) & 0xff;
    b[p + 7] = hi >>> 24;
    this.pos = p + 8;
  }

  endPoint(ep: CEndPoint): void {
    const v = parseEndPoint(ep);
    if (v === undefined) throw new WireFault('unencodable', `end point "${ep}" is not a.b.c.d:port`);
    this.u64(6);
    this.ensure(6);
    const b = this.buf;
    const p = this.pos;
    let x = v;
    for (let i = 5; i >= 0; i--) {
      b[p + i] = x % 256;
      x = Math.floor(x / 256);
    }
    this.pos = p + 6;
  }

  ballot(b: CBallot): void {
    this.u64(b.seqno);
    this.u64(b.proposerId);
  }

  appMessage(m: CAppMessage): void {
    if (m.type === 'AppIncrementRequest') this.u8(0);
    else if (m.type === 'AppIncrementReply') {
      this.u8(1);
      this.u64(m.response);
    } else this.u8(2);
  }

  request(q: CRequest | CReply, app: CAppMessage): void {
    this.endPoint(q.client);
    this.u64(q.seqno);
    this.appMessage(app);
  }

  batch(v: CRequestBatch): void {
    if (v.length > maxBatchLength) throw new WireFault('unencodable', `batch of ${v.length} > ${maxBatchLength}`);
    this.u64(v.length);
    for (const q of v) this.request(q, q.request);
  }
}

function encodeBody(w: Writer, m: CMessage): void {
  w.u8(messageTags[m.type]);
  switch (m.type) {
    case 'Invalid':
      return;
    case 'Request':
      w.u64(m.seqnoReq);
      w.appMessage(m.val);
      return;
    case '1a':
      w.ballot(m.bal1a);
      return;
    case '1b':
      w.ballot(m.bal1b);
      w.u64(m.logTruncationPoint);
      if (m.votes.size > maxVotesLength) throw new WireFault('unencodable', `${m.votes.size} votes > ${maxVotesLength}`);
      w.u64(m.votes.size);
      for (const [opn, v] of m.votes) {
        w.u64(opn);
        w.ballot(v.maxValueBal);
        w.batch(v.maxVal);
      }
      return;
    case '2a':
      w.ballot(m.bal2a);
      w.u64(m.opn2a);
      w.batch(m.val2a);
      return;
    case '2b':
      w.ballot(m.bal2b);
      w.u64(m.opn2b);
      w.batch(m.val2b);
      return;
    case 'Heartbeat':
      w.ballot(m.balHeartbeat);
      w.u8(m.suspicious ? 1 : 0);
      w.u64(m.opnCkpt);
      return;
    case 'Reply':
      w.u64(m.seqnoReply);
      w.appMessage(m.reply);
      return;
    case 'AppStateRequest':
      w.ballot(m.balStateReq);
      w.u64(m.opnStateReq);
      return;
    case 'AppStateSupply':
      w.ballot(m.balStateSupply);
      w.u64(m.opnStateSupply);
      w.u64(m.appState);
      w.u64(m.replyCache.size);
      for (const [ep, rep] of m.replyCache) {
        w.endPoint(ep);
        w.request(rep, rep.reply);
      }
      return;
    case 'StartingPhase2':
      w.ballot(m.bal2);
      w.u64(m.logTruncationPoint2);
      return;
  }
}

export type EncodeResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly error: WireError };

function appSize(m: CAppMessage): number {
  return m.type === 'AppIncrementReply' ? 9 : 1;
}

/** End point (14) + seqno (8) + app message. */
function requestSize(app: CAppMessage): number {
  return 22 + appSize(app);
}

function batchSize(v: CRequestBatch): number {
  let n = 8;
  for (const q of v) n += requestSize(q.request);
  return n;
}

/** The exact length of a message's encoding (end points counted as valid, 6 bytes). */
export function encodedSize(m: CMessage): number {
  switch (m.type) {
    case 'Invalid':
      return 1;
    case 'Request':
      return 9 + appSize(m.val);
    case '1a':
      return 17;
    case '1b': {
      let n = 33;
      for (const v of m.votes.values()) n += 24 + batchSize(v.maxVal);
      return n;
    }
    case '2a':
      return 25 + batchSize(m.val2a);
    case '2b':
      return 25 + batchSize(m.val2b);
    case 'Heartbeat':
      return 26;
    case 'Reply':
      return 9 + appSize(m.reply);
    case 'AppStateRequest':
    case 'StartingPhase2':
      return 25;
    case 'AppStateSupply': {
      let n = 41;
      for (const r of m.replyCache.values()) n += 14 + requestSize(r.reply);
      return n;
    }
  }
}

/**
 * Serialises one message into a fresh Buffer of exactly its length (fresh, because dgram keeps a
 * reference to the bytes until the send completes). A message that cannot be encoded (an end
 * point that is not IPv4, an integer beyond 2^53 - 1, more than a datagram) yields a typed error.
 */
export function encodeMessage(m: CMessage): EncodeResult {
  const size = encodedSize(m);
  if (size > maxDatagramBytes)
    return { ok: false, error: { kind: 'oversized', detail: `message needs ${size} bytes > ${maxDatagramBytes}` } };
  const w = new Writer(Buffer.allocUnsafe(size));
  try {
    encodeBody(w, m);
  } catch (e) {
    if (e instanceof WireFault) return { ok: false, error: { kind: e.kind, detail: e.detail } };
    throw e;
  }
  if (w.pos !== size) return { ok: false, error: { kind: 'internal', detail: `encodedSize said ${size}, wrote ${w.pos}` } };
  return { ok: true, bytes: w.buf };
}

/** The 10-byte client request of the lab's client: `[1] ++ seqno ++ [0]`. */
export function encodeClientRequest(seqno: number): Buffer {
  const out = Buffer.allocUnsafe(10);
  out[0] = 1;
  out.writeUInt32LE(seqno >>> 0, 1);
  out.writeUInt32LE(Math.floor(seqno / twoTo32), 5);
  out[9] = 0;
  return out;
}

/**
 * The lab client's acceptance test (§14.3): an 18-byte Reply (tag 7) carrying an increment reply
 * (app tag 1). Returns [seqno, counter value], or undefined for any other datagram.
 */
export function decodeClientReply(buf: Uint8Array): readonly [number, number] | undefined {
  if (buf.length !== 18 || buf[0] !== 7 || buf[9] !== 1) return undefined;
  const d = decodeMessage(buf);
  if (!d.ok || d.msg.type !== 'Reply' || d.msg.reply.type !== 'AppIncrementReply') return undefined;
  return [d.msg.seqnoReply, d.msg.reply.response];
}
