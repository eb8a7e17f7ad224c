/** Seeded bugs in the executor (rsl-protocol.md §9.3). */
import { appIncrementReply, executorExecute, messageReply, outcome, packet, type Packet } from '../spec/index.js';
import { mutant } from './mutant.js';

/** A Reply packet whose counter value is one less (the value before the increment); other packets unchanged. */
function replyWithStaleCounter(p: Packet): Packet {
  const m = p.msg;
  if (m.type !== 'Reply' || m.reply.type !== 'AppIncrementReply') return p;
  return packet(p.dst, p.src, messageReply(m.seqnoReply, appIncrementReply(m.reply.response - 1)));
}

export const executorKeepsDecision = mutant(
  'executor-keeps-decision',
  'executor',
  'Execute does not reset next_op_to_execute, so the next slot is executed (with the same batch) without having been decided',
  'executorExecute',
  (c, s) => {
    const o = executorExecute(c, s);
    return outcome(o.state.set('nextOpToExecute', s.nextOpToExecute), o.sent);
  },
);

export const executorRepliesStaleCounter = mutant(
  'executor-replies-stale-counter',
  'executor',
  'Execute sends each reply with the counter value from before its increment',
  'executorExecute',
  (c, s) => {
    const o = executorExecute(c, s);
    return outcome(o.state, o.sent.map(replyWithStaleCounter));
  },
);

export const executorMutants = [executorKeepsDecision, executorRepliesStaleCounter] as const;
