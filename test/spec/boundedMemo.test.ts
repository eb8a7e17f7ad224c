/**
 * The bounded memo tables (spec/boundedMemo.ts, cli/partsMemo.ts): they keep at most two
 * generations, keep what is in use, and dropping entries changes no result of a run: the same
 * states, transitions, levels and verdicts whether the memos keep everything or almost nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../checker/index.js';
import { loadModelConfig, symmetryApplies } from '../../cli/config.js';
import { IdentityMemo } from '../../cli/partsMemo.js';
import { createRslModel } from '../../cli/rslModel.js';
import { BoundedMemo } from '../../spec/boundedMemo.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';

afterEach(() => BoundedMemo.limitForTests(undefined));

describe('BoundedMemo', () => {
  it('holds at most two generations of `capacity` cells', () => {
    const m = new BoundedMemo<number, string>(4);
    for (let k = 0; k < 100; k++) {
      m.set(k, `v${k}`);
      expect(m.size).toBeLessThanOrEqual(8);
    }
    // The latest entries are kept, the earliest are gone.
    expect(m.get(99)).toBe('v99');
    expect(m.get(0)).toBeUndefined();
  });

  it('keeps an entry that is used in every generation', () => {
    const m = new BoundedMemo<number, string>(4);
    m.set(-1, 'hot');
    for (let k = 0; k < 100; k++) {
      m.set(k, `v${k}`);
      expect(m.get(-1)).toBe('hot');
    }
  });

  it('counts the cells of nested entries, when they move and when they grow', () => {
    const m = new BoundedMemo<string, Map<number, number>>(5, (inner) => 1 + inner.size);
    const inner = new Map<number, number>();
    m.set('a', inner);
    for (let k = 0; k < 4; k++) {
      inner.set(k, k);
      m.grew(1);
    }
    // Five cells: the young generation is full and became the old one.
    m.set('b', new Map());
    m.set('c', new Map());
    m.set('d', new Map());
    m.set('e', new Map());
    m.set('f', new Map());
    expect(m.get('a')).toBeUndefined();
    expect(m.get('f')).toBeDefined();
  });

  it('limitForTests caps every capacity until it is lifted', () => {
    const m = new BoundedMemo<number, number>(1000);
    BoundedMemo.limitForTests(2);
    for (let k = 0; k < 10; k++) m.set(k, k);
    expect(m.size).toBeLessThanOrEqual(4);
    BoundedMemo.limitForTests(undefined);
    for (let k = 10; k < 100; k++) m.set(k, k);
    expect(m.size).toBeGreaterThanOrEqual(90);
  });
});

describe('IdentityMemo', () => {
  it('computes once per combination while it is kept, again after it was dropped', () => {
    const memo = new IdentityMemo<number>(3);
    const parts = Array.from({ length: 10 }, () => ({}));
    let computed = 0;
    const value = (i: number): number => memo.get([parts[i]!, parts[0]!], () => (computed++, i));
    expect(value(1)).toBe(1);
    expect(value(1)).toBe(1);
    expect(computed).toBe(1);
    // A combination from the old generation is copied, not recomputed.
    value(2);
    value(3);
    expect(value(1)).toBe(1);
    expect(computed).toBe(3);
    // Two more generations go by without it: it is gone from both.
    for (let i = 4; i < 10; i++) value(i);
    expect(computed).toBe(9);
    expect(value(1)).toBe(1);
    expect(computed).toBe(10);
  });
});

function summary(r: CheckResult<RslSystem, SystemStep>): unknown {
  const { distinct, generated, levelSizes, intermediate, cutByBound } = r.stats;
  return {
    kind: r.kind,
    distinct,
    generated,
    levelSizes,
    intermediate,
    cutByBound,
    properties: r.properties,
    violations: r.kind === 'violation' ? r.violations.map((v) => [v.property, v.depth, v.trace?.states.length]) : [],
  };
}

async function run(file: string, maxStates: number | undefined, mutant?: string): Promise<unknown> {
  const config = loadModelConfig(file);
  const model = createRslModel({ config, refinement: false, ...(mutant === undefined ? {} : { mutant }) });
  return summary(
    await check(model, {
      symmetry: symmetryApplies(config),
      continueAfterViolation: true,
      ...(maxStates === undefined ? {} : { maxStates }),
    }),
  );
}

describe('a run whose memos keep almost nothing', () => {
  // Rounds with the faithful election; action granularity with the oracle, and a seeded bug that
  // violates obligations on many states; client symmetry.
  const cases: [string, number | undefined, string?][] = [
    ['configs/tiny-r1-b2.json', undefined],
    ['configs/mutants-oracle-r2.json', 4_000],
    ['configs/mutants-oracle-r2.json', 10_000, 'learner-counts-across-ballots'],
    ['configs/tiny-r3-b2.json', 1_500],
  ];
  for (const [file, maxStates, mutant] of cases) {
    it(`finds the same states, transitions and verdicts on ${file}${mutant === undefined ? '' : ` with ${mutant}`}`, async () => {
      const kept = await run(file, maxStates, mutant);
      // Tiny tables drop everything at once; small ones keep some entries while others go.
      for (const limit of [2, 32]) {
        BoundedMemo.limitForTests(limit);
        expect(await run(file, maxStates, mutant)).toEqual(kept);
      }
    }, 120_000);
  }
});
