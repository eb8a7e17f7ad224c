/**
 * Short human renderings of spec values and system steps, for traces and the CLI. Pure.
 * Examples: ballot `(1,0)`, packet `r0->r1 2a bal=(1,0) opn=0 val=[c0#0]`,
 * step `r1.ProcessPacket r0->r1 2a bal=(1,0) opn=0 val=[c0#0]`.
 */
import type { CheckpointStep, SystemConfig, SystemStep, ViewChangeStep } from './system.js';
import type { Packet, RslMessage } from './message.js';
import { schedulerSlots, Slot } from './replica.js';
import type { AppMessage, Ballot, Reply, ReplyCache, Request, RequestBatch, Vote, Votes } from './types.js';

/** `(seqno,proposerId)`. */
export function formatBallot(b: Ballot): string {
  return `(${b.seqno},${b.proposerId})`;
}

/** `inc` for a request, the counter value for a reply, `invalid` for an invalid reply. */
export function formatAppMessage(m: AppMessage): string {
  switch (m.type) {
    case 'AppIncrementRequest':
      return 'inc';
    case 'AppIncrementReply':
      return String(m.response);
    case 'AppInvalidReply':
      return 'invalid';
  }
}

/** `client#seqno`, with the operation appended when it is not an increment. */
export function formatRequest(r: Request): string {
  const op = r.request.type === 'AppIncrementRequest' ? '' : `:${formatAppMessage(r.request)}`;
  return `${r.client}#${r.seqno}${op}`;
}

/** `[c0#0,c1#0]`. */
export function formatBatch(v: RequestBatch): string {
  return `[${v.map(formatRequest).join(',')}]`;
}

/** `c0#0=1`: a cached reply. */
export function formatReply(r: Reply): string {
  return `${r.client}#${r.seqno}=${formatAppMessage(r.reply)}`;
}

/** `(1,0)[c0#0]`: a vote's ballot and value. */
export function formatVote(v: Vote): string {
  return `${formatBallot(v.maxValueBal)}${formatBatch(v.maxVal)}`;
}

/** `{0:(1,0)[c0#0]}`: votes by slot. */
export function formatVotes(votes: Votes): string {
  const entries = votes
    .entrySeq()
    .sortBy(([opn]) => opn)
    .map(([opn, v]) => `${opn}:${formatVote(v)}`);
  return `{${entries.join(',')}}`;
}

function formatCache(cache: ReplyCache): string {
  return `{${cache.valueSeq().map(formatReply).sort().join(',')}}`;
}

/** The message type followed by its fields as `key=value`. */
export function formatMessage(m: RslMessage): string {
  switch (m.type) {
    case 'Invalid':
      return 'Invalid';
    case 'Request':
      return `Request seqno=${m.seqnoReq} val=${formatAppMessage(m.val)}`;
    case '1a':
      return `1a bal=${formatBallot(m.bal1a)}`;
    case '1b':
      return `1b bal=${formatBallot(m.bal1b)} ltp=${m.logTruncationPoint} votes=${formatVotes(m.votes)}`;
    case '2a':
      return `2a bal=${formatBallot(m.bal2a)} opn=${m.opn2a} val=${formatBatch(m.val2a)}`;
    case '2b':
      return `2b bal=${formatBallot(m.bal2b)} opn=${m.opn2b} val=${formatBatch(m.val2b)}`;
    case 'Heartbeat':
      return `Heartbeat bal=${formatBallot(m.balHeartbeat)} suspicious=${m.suspicious} ckpt=${m.opnCkpt}`;
    case 'Reply':
      return `Reply seqno=${m.seqnoReply} reply=${formatAppMessage(m.reply)}`;
    case 'AppStateRequest':
      return `AppStateRequest bal=${formatBallot(m.balStateReq)} opn=${m.opnStateReq}`;
    case 'AppStateSupply':
      return `AppStateSupply bal=${formatBallot(m.balStateSupply)} opn=${m.opnStateSupply} app=${m.appState} cache=${formatCache(m.replyCache)}`;
    case 'StartingPhase2':
      return `StartingPhase2 bal=${formatBallot(m.bal2)} ltp=${m.logTruncationPoint2}`;
  }
}

/** `src->dst <message>`. */
export function formatPacket(p: Packet): string {
  return `${p.src}->${p.dst} ${formatMessage(p.msg)}`;
}

/** The name of an election-oracle step, as traces and coverage show it. */
export function oracleActionName(step: ViewChangeStep | CheckpointStep): string {
  return step.kind === 'view' ? 'ViewChange' : 'LearnCheckpoint';
}

/** What an election-oracle step says: `to (1,1)`, or `r2 executed 1`. */
export function formatOracleDetails(cfg: SystemConfig, step: ViewChangeStep | CheckpointStep): string {
  if (step.kind === 'view') return `to ${formatBallot(step.view)}`;
  return `${cfg.constants.config.replicaIds.get(step.from) ?? `replica${step.from}`} executed ${step.opn}`;
}

/**
 * One line per system step: `<replica id>.<slot name>` with the received packet (or `timeout`),
 * the clock reading `t=` and a non-zero outcome `choice=`; or `<client id>.SendRequest seqno=… to <replica id>`;
 * or `<replica id>.ViewChange to (1,1)` / `<replica id>.LearnCheckpoint r2 executed 1` (election oracle).
 */
export function formatStep(cfg: SystemConfig, step: SystemStep): string {
  const replicaId = (i: number): string => cfg.constants.config.replicaIds.get(i) ?? `replica${i}`;
  if (step.kind === 'client') {
    return `${cfg.clientIds.get(step.client) ?? `client${step.client}`}.SendRequest seqno=${step.seqno} to ${replicaId(step.dst)}`;
  }
  if (step.kind !== 'replica') return `${replicaId(step.replica)}.${oracleActionName(step)} ${formatOracleDetails(cfg, step)}`;
  const parts = [`${replicaId(step.replica)}.${schedulerSlots[step.action]?.name ?? `slot${step.action}`}`];
  if (step.action === Slot.ProcessPacket) parts.push(step.packet === undefined ? 'timeout' : formatPacket(step.packet));
  if (step.clock !== undefined) parts.push(`t=${step.clock}`);
  if (step.choice !== 0) parts.push(`choice=${step.choice}`);
  return parts.join(' ');
}
