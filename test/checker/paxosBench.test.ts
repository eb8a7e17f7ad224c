/**
 * The benchmark's model (bench/paxos.ts) is only a fair benchmark if it is right: its two
 * encodings must explore the same state space, which the brute-force enumerator confirms, and
 * breaking the acceptor's promise check must break agreement.
 */
import { describe, expect, it } from 'vitest';
import { check, replayTrace } from '../../checker/index.js';
import { createModel } from '../../bench/paxos.js';
import { bruteForce } from '../helpers/bruteForce.js';

describe('the benchmark Paxos model', () => {
  it('can explore the same space in both encodings as the brute-force enumerator', async () => {
    const bytes = await check(createModel({ ballots: 2, encoding: 'bytes' }));
    const immutable = await check(createModel({ ballots: 2, encoding: 'immutable' }));
    const b = bruteForce(createModel({ ballots: 2, encoding: 'immutable' }));
    expect(bytes.kind).toBe('ok');
    for (const r of [bytes, immutable]) {
      expect(r.stats).toMatchObject({ distinct: b.distinct, generated: b.generated, depth: b.depth });
      expect(r.properties.map((p) => [p.name, p.status, p.premise])).toEqual(bytes.properties.map((p) => [p.name, p.status, p.premise]));
    }
    expect(bytes.properties.find((p) => p.name === 'agreement')!.premise).toBe(b.invariantPremise.get('agreement'));
  });

  it('can lose agreement when acceptors ignore their promises', async () => {
    const model = createModel({ ballots: 2, unsafeVote: true });
    const r = await check(model);
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    expect(r.violations[0]!.property).toBe('agreement');
    const replay = replayTrace(
      model,
      r.violations[0]!.trace!.actions.map((a) => model.actionToJson(a)),
    );
    expect(replay.ok && replay.violations.some((v) => v.property === 'agreement')).toBe(true);
  });
});
