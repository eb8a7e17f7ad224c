/**
 * Seeded implementation bugs (mutants/impl.ts): the model explores the correct spec and refinement
 * catches each broken implementation, naming the function at fault, with a shortest (BFS)
 * counterexample of the pinned length that replays against the model. The pins come from a run;
 * every run here recomputes them.
 */
import { applyOverrides } from '../../cli/config.js';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, replayTrace, traceActions, traceToItf } from '../../checker/index.js';
import fc from 'fast-check';
import { defaultImplActions, implFunctionNames, referenceName, seedFunctionNames } from '../../impl/actions.js';
import { refinesWith, seedFunctionProperties } from './properties.js';
import { implMutants } from '../../mutants/index.js';
import { createRslModel } from '../../cli/rslModel.js';
import { loadMutantsConfig } from '../helpers/mutantRuns.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Pin {
  /** The configuration the model checker catches it on. */
  readonly config: string;
  /** The obligation violated first. */
  readonly obligation: string;
  /** The function the explanation blames (its reference name). */
  readonly blamed: string;
  /** Length of the shortest counterexample, in states. */
  readonly states: number;
}

const tiny = 'configs/tiny-r1-b2.json';

const pinned: Readonly<Record<string, Pin>> = {
  'impl-acceptor-promises-before-check': {
    config: tiny,
    obligation: 'refinement_StutteringSteps',
    blamed: 'CAcceptorProcess1a',
    states: 9,
  },
  'impl-acceptor-heartbeat-lowers-checkpoint': {
    config: tiny,
    obligation: 'refinement_StutteringSteps',
    blamed: 'CAcceptorProcessHeartbeat',
    states: 15,
  },
  'impl-replica-votes-before-ballot-check': {
    config: tiny,
    obligation: 'refinement_StutteringSteps',
    blamed: 'CReplicaNextProcess2a',
    states: 13,
  },
  'impl-replica-1b-twice-from-one-sender': {
    config: tiny,
    obligation: 'refinement_StutteringSteps',
    blamed: 'CReplicaNextProcess1b',
    states: 4,
  },
  'impl-proposer-batch-one-short': {
    config: tiny,
    obligation: 'refinement_CProposerNominateNewValueAndSend2a',
    blamed: 'CProposerNominateNewValueAndSend2a',
    states: 8,
  },
  'impl-election-records-request-twice': {
    config: tiny,
    obligation: 'refinement_StutteringSteps',
    blamed: 'CElectionStateReflectReceivedRequest',
    states: 3,
  },
  'impl-election-view-change-keeps-suspectors': {
    config: tiny,
    obligation: 'refinement_CElectionStateCheckForQuorumOfViewSuspicions',
    blamed: 'CElectionStateCheckForQuorumOfViewSuspicions',
    states: 6,
  },
};

/**
 * Mutants no shipped configuration that finishes can catch, and why; the property test of their
 * function catches them instead (below). A truncation above the truncation point needs three
 * replicas (checkpoints) or an acceptor ahead of the leader's (a 1b), beyond every model that finishes.
 */
const caughtByPropertiesOnly: Readonly<Record<string, string>> = {
  'impl-acceptor-truncates-one-short': 'CAcceptorTruncateLog',
};

describe('the implementation mutants', () => {
  it('pins every mutant, and every pin is a mutant; there are at least six', () => {
    expect(implMutants.map((m) => m.name).sort()).toEqual([...Object.keys(pinned), ...Object.keys(caughtByPropertiesOnly)].sort());
    expect(implMutants.length).toBeGreaterThanOrEqual(6);
  });

  it('replace exactly the one table entry they name', () => {
    for (const m of implMutants) {
      expect(
        implFunctionNames.filter((k) => m.impl[k] !== defaultImplActions[k]),
        m.name,
      ).toEqual([m.entry]);
    }
  });
});

describe.each(implMutants.filter((m) => pinned[m.name] !== undefined).map((m) => [m.name, m] as const))('%s', (name, m) => {
  const pin = pinned[name]!;
  it(`is caught on ${pin.config} by ${pin.obligation}, blaming ${pin.blamed}, with a ${pin.states}-state trace that replays`, async () => {
    // One action per step (the `any` scheduler): the pins are of that model.
    const config = applyOverrides(loadMutantsConfig(root, pin.config), { scheduler: 'any' });
    const model = createRslModel({ config, mutant: name });
    const result = await check(model, {});
    expect(result.kind).toBe('violation');
    const v = result.kind === 'violation' ? result.violations.find((x) => x.kind !== 'witness') : undefined;
    expect({ obligation: v?.property, states: v?.trace?.states.length }).toEqual({ obligation: pin.obligation, states: pin.states });
    expect(v?.explanation).toContain(`${pin.blamed} does not refine`);
    expect(referenceName(m.entry)).toBe(pin.blamed);
    const itf = traceToItf(model, v!.trace!, { property: v!.property, kind: v!.kind, explanation: v!.explanation });
    const replay = replayTrace(model, traceActions(itf), itf.states);
    expect(replay.ok && replay.violations.some((x) => x.property === pin.obligation)).toBe(true);
  }, 240_000);
});

describe('the property test of the broken function catches every seed-function mutant', () => {
  for (const m of implMutants.filter((x) => seedFunctionNames.includes(x.entry))) {
    it(`${m.name} (${referenceName(m.entry)})`, () => {
      const arbitrary = seedFunctionProperties[m.entry]!;
      const check = fc.check(
        fc.property(arbitrary, (args) => refinesWith(m.impl, m.entry, args)),
        { numRuns: 2000, seed: 7 },
      );
      expect(check.failed, `${m.name} survived 2000 generated inputs`).toBe(true);
    });
  }
  it('covers the mutants that no model catches', () => {
    for (const [name, fn] of Object.entries(caughtByPropertiesOnly)) {
      expect(referenceName(implMutants.find((m) => m.name === name)!.entry)).toBe(fn);
    }
  });
});
