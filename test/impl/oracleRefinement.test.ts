/**
 * Refinement of the election oracle's own steps (refinement/oracle.ts): under the oracle, the four
 * election-timing refinement obligations are discharged, not vacuous. A view change is checked as
 * the implementation's receipt of the oracle's heartbeat and, to the successor view, as a quorum of
 * suspicions (view timeout, suspicious heartbeats, quorum check); checkpoint news as the receipt of
 * its heartbeat. Here: the checks are the oracle's own steps (spec facts), the four obligations
 * have a held premise on small oracle models, and a broken copy of each of the four functions is
 * caught there by its own obligation.
 */
import { is } from 'immutable';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { applyOverrides } from '../../cli/config.js';
import { refinementObligations } from '../../cli/refinementObligations.js';
import { createRslModel, type RslModel } from '../../cli/rslModel.js';
import { defaultImplActions, type ImplActions, type ImplFunctionName } from '../../impl/actions.js';
import {
  cComputeSuccessorView,
  cElectionStateCheckForViewTimeout,
  cElectionStateProcessHeartbeat,
  type CElectionState,
} from '../../impl/election.js';
import type { CAcceptor } from '../../impl/acceptor.js';
import { cGetReplicaIndex, cIsReplica, cMinQuorumSize, cUpperBoundedAddition } from '../../impl/configuration.js';
import type { CMessageOf, CPacket, CReplicaConstants } from '../../impl/types.js';
import { oracleStepActions, oracleStutterSlots } from '../../refinement/oracle.js';
import { specOutcomes } from '../../refinement/step.js';
import * as spec from '../../spec/index.js';
import { loadMutantsConfig } from '../helpers/mutantRuns.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The four obligations the oracle used to leave vacuous. */
const electionTiming = [
  'refinement_CAcceptorProcessHeartbeat',
  'refinement_CElectionStateProcessHeartbeat',
  'refinement_CElectionStateCheckForViewTimeout',
  'refinement_CElectionStateCheckForQuorumOfViewSuspicions',
] as const;

/** One replica, two views, the oracle, requests up front, one action per step: 492 states. */
const oneReplica = (): ReturnType<typeof loadMutantsConfig> =>
  applyOverrides(loadMutantsConfig(root, 'configs/tiny-r1-b2.json'), { scheduler: 'any', election: 'oracle', requestsUpFront: true });
/** Two replicas, two views, the oracle (configs/mutants-oracle-r2.json). */
const twoReplicas = (): ReturnType<typeof loadMutantsConfig> => loadMutantsConfig(root, 'configs/mutants-oracle-r2.json');

/** The model of `config` with only the refinement obligations `wanted` accepts, against `impl`. */
function refinementModel(config: ReturnType<typeof loadMutantsConfig>, impl: ImplActions, wanted: (name: string) => boolean): RslModel {
  const model = createRslModel({ config, refinement: false });
  const r = refinementObligations(model.system, impl, wanted);
  return { ...model, invariants: r.invariants, stepProperties: r.stepProperties, witnesses: [] };
}

/** Breadth-first over the first `limit` states of a model (one action per step). */
function states(model: RslModel, limit: number): spec.RslSystem[] {
  const seen = new Set<string>();
  const out: spec.RslSystem[] = [];
  for (const s of model.initStates()) {
    seen.add(spec.canonicalKey(s));
    out.push(s);
  }
  for (let k = 0; k < out.length && out.length < limit; k++) {
    for (const succ of model.successors(out[k]!)) {
      const key = spec.canonicalKey(succ.state);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(succ.state);
      }
    }
  }
  return out;
}

describe('the checks of an oracle step are the oracle step itself', () => {
  it.each([
    ['one replica', oneReplica, 1000],
    ['two replicas', twoReplicas, 6000],
  ] as const)(
    '%s: the heartbeat receipt reaches the oracle state, the suspicion path stutters until it does, the replaced slots stutter',
    (_n, config, limit) => {
      const model = createRslModel({ config: config(), refinement: false });
      const cfg = model.system;
      const rcs = spec.replicaConstantsOf(cfg);
      const seen = { view: 0, successor: 0, checkpoint: 0 };
      for (const s of states(model, limit)) {
        for (let i = 0; i < s.replicas.size; i++) {
          const pre = s.replicas.get(i)!;
          const rc = rcs[i]!;
          for (const slot of oracleStutterSlots) {
            for (const o of specOutcomes({ rc, pre, slot, input: { clock: 0 }, roundRobin: false })) {
              expect(is(spec.abstractReplicaTiming(rc, o.state.replica), pre.replica) && o.sent.size === 0).toBe(true);
            }
          }
          for (const step of spec.oracleSteps(cfg, s, i)) {
            const [receipt, ...path] = oracleStepActions(cfg, pre, step);
            // The oracle's post-state is the spec's own receipt of the synthesized heartbeat.
            expect(specOutcomes(receipt!.action).map((o) => o.state.replica)).toEqual([receipt!.outcomes![0]!.state.replica]);
            seen[step.kind]++;
            if (
              step.kind !== 'view' ||
              !is(step.view, spec.computeSuccessorView(pre.replica.proposer.electionState.currentView, cfg.constants.config))
            ) {
              expect(path).toEqual([]);
              continue;
            }
            seen.successor++;
            expect(path.map((x) => x.action.slot)).toContain(spec.Slot.CheckForViewTimeout);
            expect(path.at(-1)!.action.slot).toBe(spec.Slot.CheckForQuorumOfViewSuspicions);
            // Every state on the way is a faithful state that abstracts to the pre-state.
            for (const x of path) expect(is(spec.abstractReplicaTiming(rc, x.action.pre.replica), pre.replica)).toBe(true);
          }
        }
      }
      expect(seen.successor).toBeGreaterThan(0);
      expect(seen.checkpoint).toBeGreaterThan(0);
      expect(seen.view).toBeGreaterThan(seen.successor - 1);
    },
    60_000,
  );
});

describe('under the oracle the four election-timing refinement obligations are not vacuous', () => {
  it.each([
    ['one replica, exhaustive', oneReplica, undefined],
    ['two replicas, first 3,000 states', twoReplicas, 3000],
  ] as const)(
    '%s: each holds with a held premise',
    async (_n, config, maxStates) => {
      const model = refinementModel(config(), defaultImplActions, () => true);
      const result = await check(model, maxStates === undefined ? {} : { maxStates });
      for (const name of electionTiming) {
        const p = result.properties.find((x) => x.name === name);
        expect({ name, status: p?.status, premised: (p?.premise ?? 0) > 0 }).toEqual({ name, status: 'holds', premised: true });
      }
    },
    60_000,
  );

  it('one replica: every obligation and scenario gets the verdict it gets with the faithful election, refinement included', async () => {
    const verdicts = async (config: ReturnType<typeof loadMutantsConfig>): Promise<string[]> =>
      (await check(createRslModel({ config }), {})).properties.map((p) => `${p.name}: ${p.status}`);
    const faithful = applyOverrides(loadMutantsConfig(root, 'configs/tiny-r1-b2.json'), { scheduler: 'any' });
    const oracle = await verdicts(oneReplica());
    expect(oracle).toEqual(await verdicts(faithful));
    for (const name of electionTiming) expect(oracle).toContain(`${name}: holds`);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// One broken copy of each of the four functions.

/** CAcceptorProcessHeartbeat recording one less than the heartbeat's checkpoint (a fencepost). */
function checkpointOneShort(c: CReplicaConstants, s: CAcceptor, inp: CPacket<CMessageOf<'Heartbeat'>>): void {
  if (!cIsReplica(inp.src, c.config)) return;
  const k = cGetReplicaIndex(inp.src, c.config);
  const current = s.lastCheckpointedOperation[k];
  if (k < 0 || current === undefined || inp.msg.opnCkpt <= current) return;
  s.lastCheckpointedOperation[k] = inp.msg.opnCkpt - 1;
}

/** CElectionStateProcessHeartbeat that acts only on later views: a suspicion of the current view is dropped. */
function suspicionDropped(c: CReplicaConstants, es: CElectionState, p: CPacket<CMessageOf<'Heartbeat'>>, clock: number): void {
  if (
    p.msg.suspicious &&
    p.msg.balHeartbeat.seqno === es.currentView.seqno &&
    p.msg.balHeartbeat.proposerId === es.currentView.proposerId
  ) {
    return;
  }
  cElectionStateProcessHeartbeat(c, es, p, clock);
}

/** CElectionStateCheckForViewTimeout that suspects the view at every epoch end, even when no request waited. */
function suspectsWhenQuiet(c: CReplicaConstants, es: CElectionState, clock: number): void {
  if (clock >= es.epochEndTime && es.requestsReceivedPrevEpochs.length === 0) es.currentViewSuspectors.add(c.myIndex);
  cElectionStateCheckForViewTimeout(c, es, clock);
}

/** CElectionStateCheckForQuorumOfViewSuspicions moving one suspicion short of a quorum. */
function quorumOneShort(c: CReplicaConstants, es: CElectionState, clock: number): void {
  const maxi = c.params.maxIntegerVal;
  if (es.currentViewSuspectors.size < cMinQuorumSize(c.config) - 1 || !(es.currentView.seqno < maxi)) return;
  const epochLength = cUpperBoundedAddition(es.epochLength, es.epochLength, maxi);
  es.currentView = cComputeSuccessorView(es.currentView, c.config);
  es.currentViewSuspectors.clear();
  es.epochLength = epochLength;
  es.epochEndTime = cUpperBoundedAddition(clock, epochLength, maxi);
  for (const r of es.requestsReceivedThisEpoch) es.requestsReceivedPrevEpochs.push(r);
  es.requestsReceivedThisEpoch = [];
}

const broken: ReadonlyArray<readonly [ImplFunctionName, string, ImplActions]> = [
  [
    'cAcceptorProcessHeartbeat',
    'records one less than the checkpoint',
    { ...defaultImplActions, cAcceptorProcessHeartbeat: checkpointOneShort },
  ],
  [
    'cElectionStateProcessHeartbeat',
    'drops suspicions of the current view',
    { ...defaultImplActions, cElectionStateProcessHeartbeat: suspicionDropped },
  ],
  [
    'cElectionStateCheckForViewTimeout',
    'suspects when no request waited',
    { ...defaultImplActions, cElectionStateCheckForViewTimeout: suspectsWhenQuiet },
  ],
  [
    'cElectionStateCheckForQuorumOfViewSuspicions',
    'moves one suspicion short',
    { ...defaultImplActions, cElectionStateCheckForQuorumOfViewSuspicions: quorumOneShort },
  ],
];

describe('a broken copy of each is caught under the oracle by its own obligation', () => {
  it('the broken copies differ from the correct ones (and the correct one passes, above)', () => {
    expect(broken.map(([fn, , impl]) => impl[fn] !== defaultImplActions[fn])).toEqual([true, true, true, true]);
    expect(broken.map(([fn]) => `refinement_${fn.charAt(0).toUpperCase()}${fn.slice(1)}`)).toEqual([...electionTiming]);
  });

  it.each(broken.map(([fn, what, impl], k) => [fn, what, impl, electionTiming[k]!, k === 0 ? 'checkpoint' : 'view'] as const))(
    '%s (%s)',
    async (fn, _what, impl, obligation, kind) => {
      // Only its own obligation is checked: the run stops at the first violation of it.
      const result = await check(
        refinementModel(oneReplica(), impl, (name) => name === obligation),
        {},
      );
      expect(result.kind).toBe('violation');
      const v = result.kind === 'violation' ? result.violations[0] : undefined;
      expect(v?.property).toBe(obligation);
      expect(v?.explanation).toContain(`${fn.charAt(0).toUpperCase()}${fn.slice(1)} does not refine`);
      // Found at an oracle step: checkpoint news for the acceptor, a view change for the election.
      expect(v?.trace?.actions.at(-1)?.kind).toBe(kind);
    },
    60_000,
  );
});
