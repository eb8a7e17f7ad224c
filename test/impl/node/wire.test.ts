import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeClientReply,
  decodeMessage,
  encodeClientRequest,
  encodeMessage,
  formatEndPoint,
  maxDatagramBytes,
  parseEndPoint,
  type WireErrorKind,
} from '../../../impl/node/wire.js';
import type { CMessage } from '../../../impl/types.js';
import { message } from './wireArbitraries.js';

function encode(m: CMessage): Buffer {
  const e = encodeMessage(m);
  if (!e.ok) throw new Error(`cannot encode: ${e.error.detail}`);
  return e.bytes;
}

function errorKind(bytes: Uint8Array): WireErrorKind | undefined {
  const d = decodeMessage(bytes);
  return d.ok ? undefined : d.error.kind;
}

describe('wire format, fixed byte layouts of §14.2', () => {
  it('the client request is [1] ++ seqno LE ++ [0], 10 bytes, and decodes as a Request', () => {
    const bytes = encodeClientRequest(0x0102030405);
    expect([...bytes]).toEqual([1, 5, 4, 3, 2, 1, 0, 0, 0, 0]);
    expect(encode({ type: 'Request', seqnoReq: 0x0102030405, val: { type: 'AppIncrementRequest' } })).toEqual(bytes);
    expect(decodeMessage(bytes)).toEqual({
      ok: true,
      msg: { type: 'Request', seqnoReq: 0x0102030405, val: { type: 'AppIncrementRequest' } },
    });
  });

  it('the reply is [7] ++ seqno ++ [1] ++ value, 18 bytes, which the client accepts', () => {
    const bytes = encode({ type: 'Reply', seqnoReply: 258, reply: { type: 'AppIncrementReply', response: 7 } });
    expect([...bytes]).toEqual([7, 2, 1, 0, 0, 0, 0, 0, 0, 1, 7, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeClientReply(bytes)).toEqual([258, 7]);
    const invalidReply = encode({ type: 'Reply', seqnoReply: 258, reply: { type: 'AppInvalidReply' } });
    expect(decodeClientReply(invalidReply)).toBeUndefined();
    expect(decodeClientReply(bytes.subarray(0, 17))).toBeUndefined();
  });

  it('an end point is a length 6 and IPv4 + big-endian port; a 2b carries the batch of requests', () => {
    const bytes = encode({
      type: '2b',
      bal2b: { seqno: 1, proposerId: 2 },
      opn2b: 3,
      val2b: [{ client: '127.0.0.1:6001', seqno: 9, request: { type: 'AppIncrementRequest' } }],
    });
    const le = (n: number) => [n, 0, 0, 0, 0, 0, 0, 0];
    expect([...bytes]).toEqual([5, ...le(1), ...le(2), ...le(3), ...le(1), ...le(6), 127, 0, 0, 1, 0x17, 0x71, ...le(9), 0]);
  });

  it('a heartbeat carries its bool as one byte', () => {
    const bytes = encode({ type: 'Heartbeat', balHeartbeat: { seqno: 0, proposerId: 0 }, suspicious: true, opnCkpt: 0 });
    expect(bytes.length).toBe(1 + 16 + 1 + 8);
    expect(bytes[17]).toBe(1);
    bytes[17] = 2;
    expect(errorKind(bytes)).toBe('bad-bool');
  });

  it('end point strings and their 48-bit values are inverse, and only canonical a.b.c.d:port parses', () => {
    expect(parseEndPoint('127.0.0.1:4001')).toBe(0x7f000001 * 65536 + 4001);
    expect(formatEndPoint(parseEndPoint('10.1.2.3:65535')!)).toBe('10.1.2.3:65535');
    for (const bad of ['localhost:1', '127.0.0.1', '127.0.0.1:65536', '256.0.0.1:1', '127.0.0.01:1', '::1:4', '1.2.3.4:01']) {
      expect(parseEndPoint(bad)).toBeUndefined();
    }
    const e = encodeMessage({
      type: '2a',
      bal2a: { seqno: 0, proposerId: 0 },
      opn2a: 0,
      val2a: [{ client: 'r0', seqno: 1, request: { type: 'AppIncrementRequest' } }],
    });
    expect(e.ok ? 'encoded' : e.error.kind).toBe('unencodable');
  });

  it('integers beyond 2^53 - 1 are refused in both directions', () => {
    const bytes = encodeClientRequest(0);
    bytes.writeUInt32LE(0x0020_0000, 5); // the high word of 2^53
    expect(errorKind(bytes)).toBe('int-out-of-range');
    const e = encodeMessage({ type: 'Request', seqnoReq: 2 ** 53, val: { type: 'AppIncrementRequest' } });
    expect(e.ok ? 'encoded' : e.error.kind).toBe('unencodable');
  });

  it('a message too large for one datagram is refused by the encoder, not truncated', () => {
    const big = Array.from({ length: 1000 }, (_, i) => ({
      client: '127.0.0.1:6000',
      seqno: i,
      request: { type: 'AppIncrementRequest' } as const,
    }));
    const votes = new Map(Array.from({ length: 10 }, (_, i) => [i, { maxValueBal: { seqno: 1, proposerId: 0 }, maxVal: big }] as const));
    const e = encodeMessage({ type: '1b', bal1b: { seqno: 1, proposerId: 0 }, logTruncationPoint: 0, votes });
    expect(e.ok ? 'encoded' : e.error.kind).toBe('oversized');
    expect(errorKind(new Uint8Array(maxDatagramBytes + 1))).toBe('oversized');
  });
});

describe('wire format, properties', () => {
  it('decode(encode(m)) = m for every message type', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encode(m))).toEqual({ ok: true, msg: m });
      }),
      { numRuns: 2000 },
    );
  });

  it('every proper prefix of a valid encoding is rejected as truncated (or a too-long length)', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, k) => {
        const bytes = encode(m);
        const cut = k % bytes.length;
        const kind = errorKind(bytes.subarray(0, cut));
        expect(cut === 0 ? kind === 'empty' : kind === 'truncated' || kind === 'length-out-of-range').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('bytes after a valid encoding are rejected', () => {
    fc.assert(
      fc.property(message, fc.uint8Array({ minLength: 1, maxLength: 8 }), (m, extra) => {
        expect(errorKind(Buffer.concat([encode(m), extra]))).toBe('trailing-bytes');
      }),
      { numRuns: 500 },
    );
  });

  it('tag 0 and tags above 10 are rejected', () => {
    expect(errorKind(Uint8Array.of(0))).toBe('invalid-message');
    for (let tag = 11; tag < 256; tag++) expect(errorKind(Uint8Array.of(tag, ...new Uint8Array(40)))).toBe('unknown-tag');
  });

  it('the parser is total: random bytes and bit-flipped encodings never throw, and what decodes re-encodes to the same bytes', () => {
    const flipped = fc.tuple(message, fc.array(fc.nat(), { minLength: 1, maxLength: 4 })).map(([m, flips]) => {
      const bytes = Buffer.from(encode(m));
      for (const f of flips) bytes[Math.floor(f / 8) % bytes.length]! ^= 1 << (f % 8);
      return bytes;
    });
    const random = fc.uint8Array({ maxLength: 200 });
    const tagged = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 120 })).map(([t, b]) => Uint8Array.of(t, ...b));
    let decoded = 0;
    fc.assert(
      fc.property(fc.oneof(flipped, random, tagged), (bytes) => {
        const d = decodeMessage(bytes);
        if (!d.ok) {
          expect(d.error.kind).not.toBe('internal');
          return;
        }
        decoded++;
        // Strictness: the only accepted byte strings are encodings, so re-encoding gives them back.
        expect(Buffer.compare(encode(d.msg), Buffer.from(bytes))).toBe(0);
      }),
      { numRuns: 20_000 },
    );
    expect(decoded).toBeGreaterThan(0);
  });
});
