/**
 * Scenarios the headline model must contain, so that a "holds" is not a vacuous pass: each is a
 * reachability witness over one global state, and a check fails when one is never reached. They
 * are facts about the protocol (a view change after a choice, competing clients), so they live
 * with it; the CLI turns them into the checker's witnesses.
 */
import { is } from 'immutable';
import type { Constants } from './configuration.js';
import { chosenValues, type StatePart } from './obligations/index.js';
import type { RslSystem } from './system.js';
import { balLt, type RequestBatch } from './types.js';

/** A named predicate that must hold in some reachable state. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Everything `holds` reads of the state (see `StateObligation.reads`). */
  readonly reads: readonly StatePart[];
  holds(c: Constants, s: RslSystem): boolean;
}

const competingProposals = new WeakMap<object, boolean>();

function twoClientsCompete(sent: RslSystem['sentPackets']): boolean {
  const proposals = sent.toArray().flatMap((p) => (p.msg.type === '2a' ? [p.msg] : []));
  const clientsOf = (v: RequestBatch): string =>
    v
      .map((r) => r.client)
      .toSet()
      .sort()
      .join(',');
  return proposals.some((a) =>
    proposals.some((b) => a.opn2a === b.opn2a && a.val2a.size > 0 && b.val2a.size > 0 && clientsOf(a.val2a) !== clientsOf(b.val2a)),
  );
}

export const scenarios: readonly Scenario[] = [
  {
    name: 'valueChosenThen2aInLaterView',
    description: 'a value is chosen at some ballot and a 2a for the same slot is sent at a later ballot',
    reads: ['sentPackets'],
    holds: (c, s) => {
      const chosen = chosenValues(c, s);
      return chosen.some((ch) => s.sentPackets.some((p) => p.msg.type === '2a' && p.msg.opn2a === ch.opn && balLt(ch.bal, p.msg.bal2a)));
    },
  },
  {
    name: 'viewChangeWhileAcceptedNotChosen',
    description: 'some replica moved past a view in which a value was accepted (2b sent) but not chosen',
    reads: ['proposers', 'sentPackets'],
    holds: (c, s) => {
      const chosen = chosenValues(c, s);
      return s.sentPackets.some((p) => {
        if (p.msg.type !== '2b') return false;
        const m = p.msg;
        const isChosen = chosen.some((ch) => ch.opn === m.opn2b && is(ch.bal, m.bal2b));
        return !isChosen && s.replicas.some((sch) => balLt(m.bal2b, sch.replica.proposer.electionState.currentView));
      });
    },
  },
  {
    name: 'twoClientsCompeteForOneSlot',
    description: "two 2a messages for the same slot propose different batches holding different clients' requests",
    reads: ['sentPackets'],
    holds: (_c, s) => {
      // It depends on the packet set alone, and states share packet sets (the codec interns them).
      let hit = competingProposals.get(s.sentPackets);
      if (hit === undefined) competingProposals.set(s.sentPackets, (hit = twoClientsCompete(s.sentPackets)));
      return hit;
    },
  },
  {
    name: 'executedAndReplied',
    description: 'a replica executed a batch and a client was sent a reply',
    reads: ['sentPackets'],
    holds: (_c, s) => s.sentPackets.some((p) => p.msg.type === 'Reply'),
  },
  {
    name: 'stateTransferCatchUp',
    description: 'a replica catches up by state transfer: its executed count passed a slot it never executed itself (AppStateSupply)',
    reads: ['executors', 'executedBatches'],
    // executedBatches records every slot a replica executed itself; state transfer skips slots.
    holds: (_c, s) => s.replicas.some((sch, i) => sch.replica.executor.opsComplete > (s.executedBatches.get(i)?.size ?? 0)),
  },
];
