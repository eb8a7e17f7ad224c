/**
 * configs/transfer-r3-b2.json, the shipped model in which state transfer happens (issue 14). Its
 * exhaustive run is `npm run check:large` (too long for `npm test`); here one behaviour of it is
 * driven round by round through the model `rsl check` explores: two replicas execute slot 0, r1's
 * log is truncated past it, r1 starts view (1,1) with StartingPhase2 at slot 1, and r2, which never
 * executed anything, catches up by AppStateRequest and AppStateSupply. Each round must be one of the
 * successors the model offers, and every obligation (refinement of the implementation included) is
 * evaluated on every state and sub-step along the way, so the executor's catch-up code, spec and
 * implementation, is checked on a real path of the shipped model.
 */
import { describe, expect, it } from 'vitest';
import { loadModelConfig } from '../../cli/config.js';
import { createRslModel } from '../../cli/rslModel.js';
import { check, type Successor } from '../../checker/index.js';
import { scenarios, type RslSystem, type SystemStep } from '../../spec/index.js';
import { scheduledModel } from '../helpers/scheduledSearch.js';

type S = RslSystem;
type A = SystemStep;

/** The rounds of the behaviour, each written as its sub-steps (as `rsl trace show` prints them), joined by " ; ". */
const schedule = [
  'r0.ProcessPacket c0->r0 Request seqno=0 val=inc ; r0.MaybeEnterNewViewAndSend1a',
  'r0.ProcessPacket r0->r0 1a bal=(1,0)',
  'r1.ProcessPacket r0->r1 1a bal=(1,0)',
  'r0.ProcessPacket r0->r0 1b bal=(1,0) ltp=0 votes={}',
  'r0.ProcessPacket r1->r0 1b bal=(1,0) ltp=0 votes={} ; r0.MaybeEnterPhase2 ; r0.MaybeNominateValueAndSend2a t=0',
  'r0.ProcessPacket r0->r0 2a bal=(1,0) opn=0 val=[c0#0]',
  'r1.ProcessPacket r0->r1 2a bal=(1,0) opn=0 val=[c0#0]',
  'r0.ProcessPacket r0->r0 2b bal=(1,0) opn=0 val=[c0#0]',
  'r0.ProcessPacket r1->r0 2b bal=(1,0) opn=0 val=[c0#0] ; r0.MaybeMakeDecision ; r0.MaybeExecute',
  'r1.ProcessPacket r0->r1 2b bal=(1,0) opn=0 val=[c0#0]',
  'r1.ProcessPacket r1->r1 2b bal=(1,0) opn=0 val=[c0#0] ; r1.MaybeMakeDecision ; r1.MaybeExecute',
  // The oracle moves r1 to its view, and lazy checkpoint news (r0 and r1 have executed slot 0: a
  // quorum) make the same round's slot 4 truncate r1's log at 1.
  'r1.ViewChange to (1,1) ; r1.LearnCheckpoint r0 executed 1 ; r1.LearnCheckpoint r1 executed 1 ; r1.MaybeEnterNewViewAndSend1a ; r1.TruncateLogBasedOnCheckpoints',
  'r1.ProcessPacket r1->r1 1a bal=(1,1)',
  'r0.ProcessPacket r1->r0 1a bal=(1,1)',
  'r1.ProcessPacket r1->r1 1b bal=(1,1) ltp=1 votes={}',
  'r1.ProcessPacket r0->r1 1b bal=(1,1) ltp=0 votes={0:(1,0)[c0#0]} ; r1.MaybeEnterPhase2',
  'r2.ProcessPacket r1->r2 StartingPhase2 bal=(1,1) ltp=1',
  'r0.ProcessPacket r2->r0 AppStateRequest bal=(1,1) opn=1',
  'r2.ProcessPacket r0->r2 AppStateSupply bal=(1,0) opn=1 app=1 cache={c0#0=1}',
];

const stateTransfer = scenarios.find((s) => s.name === 'stateTransferCatchUp')!;

describe('configs/transfer-r3-b2.json reaches state transfer', () => {
  it('drives a replica that never executed a slot to catch up by AppStateSupply, every obligation holding on the way', () => {
    const config = loadModelConfig('configs/transfer-r3-b2.json');
    const model = createRslModel({ config });
    const c = model.system.constants;
    const subSteps = (x: Successor<S, A>) => [...(x.via ?? []), { action: x.action, state: x.state }];
    const written = (x: Successor<S, A>) =>
      subSteps(x)
        .map((sub) => model.formatAction(sub.action))
        .join(' ; ');
    let state = model.initStates()[0]!;
    let checked = 0;
    // The host-step refinement verdict on each receipt of a catch-up message.
    const catchUp: string[] = [];
    for (const round of schedule) {
      const offered = model.successors(state).filter((x) => written(x) === round);
      expect(offered, round).toHaveLength(1);
      expect(model.outsideBounds!(state), round).toBeUndefined();
      expect(stateTransfer.holds(c, state), 'not before the last round').toBe(false);
      let from = state;
      for (const sub of subSteps(offered[0]!)) {
        for (const p of model.invariants) expect(p.check(sub.state), `${p.name} after ${round}`).toMatchObject({ holds: true });
        for (const p of model.stepProperties ?? []) {
          const v = p.check(from, sub.action, sub.state);
          expect(v, `${p.name} in ${round}`).toMatchObject({ holds: true });
          const step = model.formatAction(sub.action);
          if (p.name === 'refinement_HostStep' && /StartingPhase2|AppState/.test(step)) catchUp.push(`${step}: ${v.premise}`);
        }
        from = sub.state;
        checked++;
      }
      state = offered[0]!.state;
    }
    expect(checked).toBeGreaterThan(schedule.length);
    // r2 executed nothing itself and has executed count 1 now; the others executed slot 0.
    expect(stateTransfer.holds(c, state)).toBe(true);
    const executed = state.replicas.map((sch) => sch.replica.executor.opsComplete).toArray();
    expect(executed).toEqual([1, 1, 1]);
    expect(state.executedBatches.get(2)?.size ?? 0).toBe(0);
    expect(state.replicas.get(2)!.replica.executor.app).toBe(state.replicas.get(0)!.replica.executor.app);
    // The model's other scenarios: executed and replied is on this path too.
    const reached = model.witnesses!.filter((w) => w.holds(state)).map((w) => w.name);
    expect(reached).toEqual(expect.arrayContaining(['executedAndReplied', 'stateTransferCatchUp']));
    // The implementation ran each catch-up receipt and refined the spec's step (premise held).
    expect(catchUp).toEqual([
      'r2.ProcessPacket r1->r2 StartingPhase2 bal=(1,1) ltp=1: true',
      'r0.ProcessPacket r2->r0 AppStateRequest bal=(1,1) opn=1: true',
      'r2.ProcessPacket r0->r2 AppStateSupply bal=(1,0) opn=1 app=1 cache={c0#0=1}: true',
    ]);
  });
});

/**
 * The same chain as a directed search (test/helpers/scheduledSearch.ts): each entry says only which
 * replicas may move in that round and what their slot 0 receives (`r0|r1:AppStateRequest`: r0 or
 * r1 receives one), and the checker explores every transition that fits (which packet, which
 * ballot, what the rest of the round does), with every obligation, refinement included.
 */
const chain = [
  ...['r0:Request', 'r0:1a', 'r1|r2:1a', 'r0:1b', 'r0:1b', 'r0:2a', 'r1|r2:2a'],
  ...['r0:2b', 'r0:2b', 'r1|r2:2b', 'r1|r2:2b', 'r1:view', 'r1:1a', 'r0|r2:1a', 'r1:1b', 'r1:1b'],
  ...['r0|r1|r2:StartingPhase2', 'r0|r1|r2:AppStateRequest', 'r0|r1|r2:AppStateSupply'],
];

/** The chain entry `r<i>|r<j>:<message type or view>` as a test on a round's first sub-step. */
function entry(text: string): (step: SystemStep) => boolean {
  const [who, what] = text.split(':') as [string, string];
  const replicas = who.split('|').map((r) => Number(r.slice(1)));
  return (step) => {
    if (step.kind === 'client' || !replicas.includes(step.replica)) return false;
    if (step.kind === 'view') return what === 'view';
    return step.kind === 'replica' && step.action === 0 && step.packet?.msg.type === what;
  };
}

describe('configs/transfer-r3-b2.json, searched along the catch-up chain', () => {
  it('finds every way the chain allows to catch up, with no violation', async () => {
    const model = createRslModel({ config: loadModelConfig('configs/transfer-r3-b2.json') });
    const result = await check(scheduledModel(model, chain.map(entry), 'catch-up'), { workers: 0 });
    const status = (name: string) => result.properties.find((p) => p.name === name);
    expect(result.properties.filter((p) => p.status === 'violated')).toEqual([]);
    // The schedule ends after the supply: what is left is the restricted model's end, not a limit.
    expect(result.kind === 'incomplete').toBe(false);
    const transfer = status('stateTransferCatchUp')!;
    expect(transfer.status).toBe('witnessed');
    // Figures of a run of this test (the restricted space is small enough to pin exactly).
    expect({ distinct: result.stats.distinct, generated: result.stats.generated, caughtUp: transfer.premise }).toEqual({
      distinct: 1263,
      generated: 1669,
      caughtUp: 64,
    });
    // The catch-up receipts were run by the implementation and refined (premise held, no violation).
    expect(status('refinement_HostStep')).toMatchObject({ status: 'holds', violations: 0 });
    expect(status('opsCompleteNeverDecreases')).toMatchObject({ status: 'holds' });
  }, 120_000);
});
