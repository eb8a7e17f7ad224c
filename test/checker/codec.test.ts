/**
 * The canonical immutable.js codec (style-anchors §7.1–7.2): lossless, canonical (equal values,
 * however built, encode to equal bytes; different values to different bytes), and the memo of
 * decoded sub-values never changes a single byte.
 */
import * as Immutable from 'immutable';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, Stack, is } from 'immutable';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { immutableCodec } from '../../checker/index.js';

const Point = Record({ x: 0, y: 0 }, 'Point');
const Tagged = Record({ tag: '', body: null as unknown }, 'Tagged');
const records = { Point, Tagged };
const codec = (memoize = true) => immutableCodec<unknown>({ immutable: Immutable, records, memoize });

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.double(),
  fc.string({ unit: 'grapheme' }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
);

/** Arbitrary immutable values (no plain arrays inside: Immutable.is compares those by identity). */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }).map((xs) => List(xs)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 5 }).map((es) => IMap(es)),
    fc.array(tie('value'), { maxLength: 5 }).map((xs) => ISet(xs)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 5 }).map((es) => OrderedMap(es)),
    fc.array(tie('value'), { maxLength: 5 }).map((xs) => OrderedSet(xs)),
    fc.tuple(fc.integer(), fc.integer()).map(([x, y]) => Point({ x, y })),
    fc.tuple(fc.string(), tie('value')).map(([tag, body]) => Tagged({ tag, body })),
  ),
}));

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

describe('immutableCodec', () => {
  it('can round-trip any immutable value', () => {
    const c = codec();
    fc.assert(fc.property(value, (v) => is(c.decode(c.encode(v)), v)));
  });

  it('can tell values apart exactly when Immutable.is does', () => {
    const c = codec();
    fc.assert(fc.property(value, value, (a, b) => sameBytes(c.encode(a), c.encode(b)) === is(a, b)));
  });

  it('can encode Maps and Sets independently of their insertion history', () => {
    const c = codec();
    const entries = fc.uniqueArray(fc.tuple(fc.oneof(fc.integer(), fc.string()), value), {
      selector: ([k]) => k,
      maxLength: 40,
    });
    fc.assert(
      fc.property(entries, fc.array(fc.integer(), { maxLength: 10 }), (es, extra) => {
        const forward = IMap(es);
        const backward = IMap([...es].reverse());
        // Extra keys inserted first and then removed leave a differently shaped trie behind.
        const churned = extra
          .reduce((m, k) => m.set(`extra${k}`, k), IMap<unknown, unknown>())
          .merge(IMap(es))
          .deleteAll(extra.map((k) => `extra${k}`).filter((k) => !es.some(([key]) => key === k)));
        const keys = es.map(([k]) => k);
        return (
          sameBytes(c.encode(forward), c.encode(backward)) &&
          sameBytes(c.encode(forward), c.encode(churned)) &&
          sameBytes(c.encode(ISet(keys)), c.encode(ISet([...keys].reverse())))
        );
      }),
    );
  });

  it('can keep the order of ordered collections', () => {
    const c = codec();
    expect(sameBytes(c.encode(List([1, 2])), c.encode(List([2, 1])))).toBe(false);
    expect(sameBytes(c.encode(OrderedSet([1, 2])), c.encode(OrderedSet([2, 1])))).toBe(false);
    expect(
      sameBytes(
        c.encode(
          OrderedMap([
            [1, 0],
            [2, 0],
          ]),
        ),
        c.encode(
          OrderedMap([
            [2, 0],
            [1, 0],
          ]),
        ),
      ),
    ).toBe(false);
  });

  it('can produce the same bytes with and without the memo, after decoding and editing', () => {
    const memo = codec(true);
    const plain = codec(false);
    fc.assert(
      fc.property(value, value, (v, w) => {
        // Decoding fills the memo; the edited value shares the decoded parts.
        const decoded = memo.decode(plain.encode(List([v, w])));
        const edited = (decoded as List<unknown>).push(v).set(0, w);
        return sameBytes(memo.encode(edited), plain.encode(edited)) && sameBytes(memo.encode(decoded), plain.encode(decoded));
      }),
    );
  });

  it('can encode numbers exactly and strings as UTF-8', () => {
    const c = codec();
    for (const n of [
      0,
      -0,
      1,
      -1,
      127,
      128,
      2 ** 31,
      -(2 ** 31) - 1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      2 ** 60,
      0.5,
      NaN,
      Infinity,
    ]) {
      expect(is(c.decode(c.encode(n)), n)).toBe(true);
    }
    expect(c.decode(c.encode('grüße, 世界 🎉'))).toBe('grüße, 世界 🎉');
    expect(c.encode('é').length).toBe(1 + 1 + 2);
  });

  it('can write a Stack as the List that Immutable.is equates it with', () => {
    const c = codec();
    expect(sameBytes(c.encode(Stack([1, 2])), c.encode(List([1, 2])))).toBe(true);
  });

  it('can refuse what it cannot encode canonically, saying what to do', () => {
    const c = codec();
    const Unknown = Record({ a: 1 }, 'Unknown');
    expect(() => c.encode(Unknown())).toThrow(/not registered/);
    expect(() => c.encode({ a: 1 })).toThrow(/plain object/);
    expect(() => c.decode(new Uint8Array([99]))).toThrow(/unknown tag/);
    expect(() => c.decode(new Uint8Array([4, 1, 4]))).toThrow(/left over/);
  });

  it('can fingerprint values part by part: equal values alike however built, distinct ones apart', () => {
    const c = codec();
    const fp = (v: unknown): string => {
      const out = new Uint32Array(2);
      c.fingerprint!(v, out);
      return `${out[0]}:${out[1]}`;
    };
    fc.assert(fc.property(value, value, (a, b) => (fp(a) === fp(b)) === is(a, b)));
    // A decoded copy (new objects), and a List built element by element, fingerprint the same.
    fc.assert(fc.property(value, (v) => fp(c.decode(c.encode(v))) === fp(v)));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (xs) => fp(List(xs)) === fp(xs.reduce<List<unknown>>((l, x) => l.push(x), List()))),
    );
    // Remembered parts do not change a whole value's fingerprint.
    const nested = Tagged({ tag: 'a', body: List([Point({ x: 1, y: 2 }), ISet([1, 2])]) });
    const before = fp(nested);
    fp((nested.body as List<unknown>).get(0));
    expect(fp(nested.set('tag', 'b'))).not.toBe(before);
    expect(fp(Tagged({ tag: 'a', body: List([Point({ x: 1, y: 2 }), ISet([2, 1])]) }))).toBe(before);
  });

  it('can round-trip plain arrays at the top level', () => {
    const c = codec();
    expect(c.decode(c.encode([1, 'a', List([true])]))).toEqual([1, 'a', List([true])]);
  });
});
