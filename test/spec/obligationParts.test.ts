/**
 * What each obligation and scenario reads (`reads`, spec/obligations/verdict.ts): the model
 * computes a verdict once per distinct value of those parts (cli/partsMemo.ts), which is only
 * right if the verdict depends on nothing else. Checked on reachable states of two configurations,
 * with and without a seeded bug: for random pairs (s, t), the state made of t with the declared
 * parts of s gets exactly s's verdict (and explanation).
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadModelConfig } from '../../cli/config.js';
import { createRslModel } from '../../cli/rslModel.js';
import * as spec from '../../spec/index.js';
import { mulberry32 } from './systemFixtures.js';

type S = spec.RslSystem;

const configPath = (name: string): string => fileURLToPath(new URL(`../../configs/${name}.json`, import.meta.url));

/** The first `limit` distinct states of a breadth-first search of the model. */
function sampleStates(config: string, mutant: string | undefined, limit: number): { c: spec.Constants; states: S[] } {
  const model = createRslModel({ config: loadModelConfig(configPath(config)), ...(mutant === undefined ? {} : { mutant }) });
  const fp = new Uint32Array(2);
  const seen = new Set<string>();
  const states: S[] = [];
  let frontier = [...model.initStates()];
  while (frontier.length > 0 && states.length < limit) {
    const next: S[] = [];
    for (const s of frontier) {
      model.codec.fingerprint!(s, fp);
      const key = `${fp[0]}:${fp[1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      states.push(s);
      for (const succ of model.successors(s)) next.push(succ.state);
    }
    frontier = next;
  }
  return { c: model.system.constants, states: states.slice(0, limit) };
}

/** `t` with the parts `reads` taken from `s`. */
function withParts(t: S, s: S, reads: readonly spec.StatePart[]): S {
  let out = t;
  for (const part of reads) {
    if (part === 'sentPackets') out = out.set('sentPackets', s.sentPackets);
    else if (part === 'executedBatches') out = out.set('executedBatches', s.executedBatches);
    else {
      const field = ({ acceptors: 'acceptor', proposers: 'proposer', learners: 'learner', executors: 'executor' } as const)[part];
      out = out.set(
        'replicas',
        out.replicas.map((sch, k) => sch.set('replica', sch.replica.set(field, s.replicas.get(k)!.replica.get(field) as never))),
      );
    }
  }
  return out;
}

const runs: [string, string | undefined][] = [
  ['mutants-oracle-r2', undefined],
  ['mutants-oracle-r2', 'learner-counts-across-ballots'],
  ['tiny-r3-b2', undefined],
];

describe('every obligation and scenario reads only the parts it declares', () => {
  for (const [config, mutant] of runs) {
    it(`on states of ${config}${mutant === undefined ? '' : ` with ${mutant}`}`, () => {
      const { c, states } = sampleStates(config, mutant, 1500);
      expect(states.length).toBeGreaterThan(500);
      const random = mulberry32(13);
      const pick = (): S => states[Math.floor(random() * states.length)]!;
      let differing = 0;
      for (let n = 0; n < 400; n++) {
        const s = pick();
        const t = pick();
        if (s !== t) differing++;
        for (const o of spec.stateObligations) expect([o.name, o.check(c, withParts(t, s, o.reads))]).toEqual([o.name, o.check(c, s)]);
        for (const sc of spec.scenarios) expect([sc.name, sc.holds(c, withParts(t, s, sc.reads))]).toEqual([sc.name, sc.holds(c, s)]);
      }
      expect(differing).toBeGreaterThan(300);
    });
  }

  it('would notice an undeclared part: a verdict that changes with the replicas is told apart', () => {
    const { c, states } = sampleStates('mutants-oracle-r2', undefined, 1500);
    const o = spec.stateObligations.find((x) => x.name === 'lemma_max_balISent1aHasMeAsProposer')!;
    // Declared as reading the proposers: with only the packet set taken over, premises differ somewhere.
    const changes = states.some((s, i) => {
      const t = states[(i * 7 + 3) % states.length]!;
      return o.check(c, withParts(t, s, ['sentPackets'])).premise !== o.check(c, s).premise;
    });
    expect(changes).toBe(true);
  });
});
