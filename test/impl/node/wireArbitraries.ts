/** fast-check generators of concrete messages (impl/types.ts) whose every field the wire can carry. */
import fc from 'fast-check';
import type { CAppMessage, CBallot, CMessage, CReply, CRequest, CVote } from '../../../impl/types.js';
import { formatEndPoint } from '../../../impl/node/wire.js';

export const u64 = fc.oneof(fc.nat(40), fc.nat(), fc.maxSafeNat());
export const endPoint = fc.tuple(fc.nat(0xffff_ffff), fc.nat(0xffff)).map(([ip, port]) => formatEndPoint(ip * 65536 + port));
export const ballot: fc.Arbitrary<CBallot> = fc.record({ seqno: u64, proposerId: u64 });
export const appMessage: fc.Arbitrary<CAppMessage> = fc.oneof(
  fc.constant({ type: 'AppIncrementRequest' } as const),
  u64.map((response) => ({ type: 'AppIncrementReply', response }) as const),
  fc.constant({ type: 'AppInvalidReply' } as const),
);
export const request: fc.Arbitrary<CRequest> = fc.record({ client: endPoint, seqno: u64, request: appMessage });
export const reply: fc.Arbitrary<CReply> = fc.record({ client: endPoint, seqno: u64, reply: appMessage });
export const batch = fc.array(request, { maxLength: 6 });
export const vote: fc.Arbitrary<CVote> = fc.record({ maxValueBal: ballot, maxVal: batch });

export const message: fc.Arbitrary<CMessage> = fc.oneof(
  fc.record({ type: fc.constant('Request' as const), seqnoReq: u64, val: appMessage }),
  fc.record({ type: fc.constant('1a' as const), bal1a: ballot }),
  fc.record({
    type: fc.constant('1b' as const),
    bal1b: ballot,
    logTruncationPoint: u64,
    votes: fc.uniqueArray(fc.tuple(u64, vote), { maxLength: 5, selector: ([k]) => k }).map((es) => new Map(es)),
  }),
  fc.record({ type: fc.constant('2a' as const), bal2a: ballot, opn2a: u64, val2a: batch }),
  fc.record({ type: fc.constant('2b' as const), bal2b: ballot, opn2b: u64, val2b: batch }),
  fc.record({ type: fc.constant('Heartbeat' as const), balHeartbeat: ballot, suspicious: fc.boolean(), opnCkpt: u64 }),
  fc.record({ type: fc.constant('Reply' as const), seqnoReply: u64, reply: appMessage }),
  fc.record({ type: fc.constant('AppStateRequest' as const), balStateReq: ballot, opnStateReq: u64 }),
  fc.record({
    type: fc.constant('AppStateSupply' as const),
    balStateSupply: ballot,
    opnStateSupply: u64,
    appState: u64,
    replyCache: fc.uniqueArray(fc.tuple(endPoint, reply), { maxLength: 4, selector: ([k]) => k }).map((es) => new Map(es)),
  }),
  fc.record({ type: fc.constant('StartingPhase2' as const), bal2: ballot, logTruncationPoint2: u64 }),
);
