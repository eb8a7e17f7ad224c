/**
 * Service-level obligations (rsl-protocol.md §12.4 item 1, issue 3): what a client of the replicated
 * counter may rely on, stated over the ghost history of executed batches and the replies sent.
 */
import { is } from 'immutable';
import type { Constants } from '../configuration.js';
import { formatBatch } from '../format.js';
import type { RslSystem } from '../system.js';
import { appIncrementReply, appInvalidReply, type AppMessage, type EndPoint, type OperationNumber, type RequestBatch } from '../types.js';
import { derivedIndex, type DerivedIndex } from './derivedIndex.js';
import { appMessageText, replicaName } from './explain.js';
import { HOLDS, holds, VACUOUS, violation, type ObligationVerdict } from './verdict.js';

/**
 * Agreement of executed batches (§12.4 item 1): two replicas that both executed a slot (ghost
 * `executedBatches`) executed the same batch there. Premise: two replicas executed the same slot.
 */
export function agreement(c: Constants, s: RslSystem): ObligationVerdict {
  let premise = false;
  const executed = s.executedBatches;
  for (let i = 0; i < executed.size; i++)
    for (let j = i + 1; j < executed.size; j++) {
      const ei = executed.get(i);
      const ej = executed.get(j);
      if (ei === undefined || ej === undefined) continue;
      for (const [opn, bi] of ei) {
        const bj = ej.get(opn);
        if (bj === undefined) continue;
        premise = true;
        if (!is(bi, bj))
          return violation(
            `slot ${opn}: ${replicaName(c, i)} executed ${formatBatch(bi)} but ${replicaName(c, j)} executed ${formatBatch(bj)}`,
          );
      }
    }
  return holds(premise);
}

/** The decided order: slots 0, 1, ... while each has exactly one chosen value (L10). */
function decidedPrefix(ix: DerivedIndex): RequestBatch[] {
  // null marks a slot with two different chosen values: it has no decided value.
  const bySlot = new Map<OperationNumber, RequestBatch | null>();
  for (const ch of ix.chosen) {
    const seen = bySlot.get(ch.opn);
    if (seen === undefined) bySlot.set(ch.opn, ch.val);
    else if (seen !== null && !is(seen, ch.val)) bySlot.set(ch.opn, null);
  }
  const prefix: RequestBatch[] = [];
  for (let k = 0; ; k++) {
    const v = bySlot.get(k);
    if (v === undefined || v === null) return prefix;
    prefix.push(v);
  }
}

interface DecidedPosition {
  readonly slot: number;
  readonly index: number;
  readonly expected: AppMessage;
}

/**
 * For each (client, seqno), the positions of that request in the decided order and the reply the
 * counter (§9.2) gives there: an increment returns the count of increments up to and including it;
 * any other request gets AppInvalidReply and leaves the counter unchanged. Written from §9.2 rather
 * than by calling spec/app.ts, so a broken application is caught rather than trusted.
 */
function decidedPositions(prefix: readonly RequestBatch[]): Map<EndPoint, Map<number, DecidedPosition[]>> {
  const positions = new Map<EndPoint, Map<number, DecidedPosition[]>>();
  let counter = 0;
  prefix.forEach((batch, slot) =>
    batch.forEach((r, index) => {
      let expected: AppMessage;
      if (r.request.type === 'AppIncrementRequest') {
        counter += 1;
        expected = appIncrementReply(counter);
      } else {
        expected = appInvalidReply();
      }
      let byClient = positions.get(r.client);
      if (byClient === undefined) positions.set(r.client, (byClient = new Map()));
      let list = byClient.get(r.seqno);
      if (list === undefined) byClient.set(r.seqno, (list = []));
      list.push({ slot, index, expected });
    }),
  );
  return positions;
}

/**
 * Reply correctness (issue 3): every Reply from R to `dst` for seqno answers a request
 * `(dst, seqno)` that sits at some position (slot k, index i) of the decided order (slots 0..k all
 * chosen, each with one value) and carries the counter's reply for that position: for an increment,
 * `AppIncrementReply(sizes of the decided batches before k + i + 1)` when every request is an
 * increment. Premise: a Reply from R exists.
 */
export function replyCorrectness(c: Constants, s: RslSystem): ObligationVerdict {
  const ix = derivedIndex(c, s);
  if (ix.replies.length === 0) return VACUOUS;
  const prefix = decidedPrefix(ix);
  const positions = decidedPositions(prefix);
  for (const p of ix.replies) {
    const found = positions.get(p.dst)?.get(p.msg.seqnoReply) ?? [];
    if (found.some((pos) => is(p.msg.reply, pos.expected))) continue;
    const rendered = `Reply(seqno=${p.msg.seqnoReply}, ${appMessageText(p.msg.reply)}) ${p.src}->${p.dst}`;
    const req = `${p.dst}#${p.msg.seqnoReply}`;
    if (found.length === 0) {
      const decided = prefix.length === 0 ? 'no slot is decided' : `decided slots 0..${prefix.length - 1}`;
      return violation(`${rendered}: request ${req} is in no slot of the decided order (${decided})`);
    }
    const expected = found.map((pos) => `slot ${pos.slot} index ${pos.index} -> ${appMessageText(pos.expected)}`).join('; ');
    return violation(`${rendered}: request ${req} is decided at ${expected}`);
  }
  return HOLDS;
}

/**
 * A step property: no replica's executed count (`ops_complete`) ever decreases. A replica that
 * rolled back and replayed slots would break no lemma but would execute requests twice. Premise:
 * some replica's count changed in the step.
 */
export function opsCompleteNeverDecreases(c: Constants, from: RslSystem, to: RslSystem): ObligationVerdict {
  let premise = false;
  for (let i = 0; i < to.replicas.size; i++) {
    const before = from.replicas.get(i)?.replica.executor.opsComplete ?? 0;
    const after = to.replicas.get(i)?.replica.executor.opsComplete ?? 0;
    if (after < before) return violation(`${replicaName(c, i)}'s ops_complete went from ${before} down to ${after}`);
    if (after !== before) premise = true;
  }
  return holds(premise);
}
