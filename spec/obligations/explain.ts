/**
 * The short renderings obligations put in their explanations: messages as `2b(bal=(1,0), opn=0,
 * val=[c0#0]) from r2`, quorums as index sets. Ballots, batches and votes are written by
 * spec/format.ts, as everywhere else.
 */
import type { Constants } from '../configuration.js';
import { formatBallot, formatBatch, formatVotes } from '../format.js';
import type { Message1b, Message2a, Message2b, Packet } from '../message.js';
import type { AppMessage, Ballot, OperationNumber } from '../types.js';
import { groupsAt, type ChosenValue, type DerivedIndex } from './derivedIndex.js';

/** An application message by its type, with the counter value of a reply: `AppIncrementReply(2)`. */
export function appMessageText(m: AppMessage): string {
  return m.type === 'AppIncrementReply' ? `AppIncrementReply(${m.response})` : m.type;
}

function text2a(m: Message2a): string {
  return `2a(bal=${formatBallot(m.bal2a)}, opn=${m.opn2a}, val=${formatBatch(m.val2a)})`;
}

function text2b(m: Message2b): string {
  return `2b(bal=${formatBallot(m.bal2b)}, opn=${m.opn2b}, val=${formatBatch(m.val2b)})`;
}

function text1b(m: Message1b): string {
  return `1b(bal=${formatBallot(m.bal1b)}, ltp=${m.logTruncationPoint}, votes=${formatVotes(m.votes)})`;
}

/** `{0,2}`: replica indices in ascending order. */
export function formatIndices(indices: Iterable<number>): string {
  return `{${[...indices].sort((a, b) => a - b).join(',')}}`;
}

/** `val=[c0#0] chosen at bal=(1,0) for opn=0 by quorum {0,1}`. */
export function formatChosen(ch: ChosenValue): string {
  return `val=${formatBatch(ch.val)} chosen at bal=${formatBallot(ch.bal)} for opn=${ch.opn} by quorum ${formatIndices(ch.indices)}`;
}

export function from2a(p: Packet<Message2a>): string {
  return `${text2a(p.msg)} from ${p.src}`;
}

export function from2b(p: Packet<Message2b>): string {
  return `${text2b(p.msg)} from ${p.src}`;
}

export function from1b(p: Packet<Message1b>): string {
  return `${text1b(p.msg)} from ${p.src}`;
}

/** The values of P2a[opn][bal], or `none`. */
export function describe2asAt(ix: DerivedIndex, opn: OperationNumber, bal: Ballot): string {
  const values = groupsAt(ix.p2a, opn, bal)?.values ?? [];
  return values.length === 0 ? 'none' : values.map((g) => formatBatch(g.val)).join(' ');
}

/** Replica k's id, or `#k` for an index outside the configuration. */
export function replicaName(c: Constants, k: number): string {
  return c.config.replicaIds.get(k) ?? `#${k}`;
}
