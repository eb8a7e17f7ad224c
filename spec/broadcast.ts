/** LBroadcastToEveryone (rsl-protocol.md §4). */
import type { Configuration } from './configuration.js';
import { packet, type Packet, type RslMessage } from './message.js';
import { List } from 'immutable';

/**
 * One packet per replica, in replica order, including the one addressed to the sender itself.
 * An out-of-range sender index has no valid broadcast; it yields the empty list.
 */
export function broadcastToEveryone<M extends RslMessage>(c: Configuration, myIndex: number, m: M): List<Packet<M>> {
  const src = c.replicaIds.get(myIndex);
  if (src === undefined || myIndex < 0) return List();
  return c.replicaIds.map((dst) => packet(dst, src, m));
}
