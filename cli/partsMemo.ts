/**
 * Memoising a function of some parts of a state by the identity of those parts: the obligations
 * and scenarios declare which parts they read (`reads`), and the states of a run share those
 * parts far more than they share whole states (a few hundred packet sets over tens of thousands
 * of states), so each verdict is computed once per distinct combination of parts. The values are
 * immutable, so a hit by identity is always right.
 *
 * The memo is bounded, like the successor function's (spec/boundedMemo.ts says why): the
 * combinations of parts grow with the states (on mutants-oracle-r2 these memos cost about
 * 100 bytes per distinct state when nothing was dropped), while the checker evaluates each state
 * once, when it is found, so only the combinations of recent states recur. Two generations of
 * `capacity` combinations each: the young one fills, becomes the old one, and the previous old one
 * is dropped whole; a combination found in the old one is copied into the young one.
 */

import { BoundedMemo } from '../spec/boundedMemo.js';

interface TrieNode<V> {
  next: Map<object, TrieNode<V>> | undefined;
  value: V | undefined;
  known: boolean;
}

const newNode = <V>(): TrieNode<V> => ({ next: undefined, value: undefined, known: false });

/** Combinations kept per generation. */
const PARTS_CAPACITY = 1 << 9;

export class IdentityMemo<V> {
  private young: TrieNode<V> = newNode();
  private old: TrieNode<V> = newNode();
  private youngCount = 0;

  constructor(private readonly capacity = PARTS_CAPACITY) {}

  /** The value remembered for exactly these keys, in this order; else `compute()`, remembered. */
  get(keys: readonly object[], compute: () => V): V {
    let node = this.young;
    for (const key of keys) {
      node.next ??= new Map();
      let child = node.next.get(key);
      if (child === undefined) node.next.set(key, (child = newNode()));
      node = child;
    }
    if (!node.known) {
      const before = find(this.old, keys);
      node.value = before !== undefined ? before.value : compute();
      node.known = true;
      if (++this.youngCount >= BoundedMemo.limited(this.capacity)) {
        this.old = this.young;
        this.young = newNode();
        this.youngCount = 0;
      }
    }
    return node.value as V;
  }
}

/** The node of `keys` in the trie `root`, if it holds a value. */
function find<V>(root: TrieNode<V>, keys: readonly object[]): TrieNode<V> | undefined {
  let node: TrieNode<V> | undefined = root;
  for (const key of keys) {
    node = node.next?.get(key);
    if (node === undefined) return undefined;
  }
  return node.known ? node : undefined;
}

/**
 * One memo shared by every function that reads the same parts: the parts of a state are looked
 * up once for all of them (the checker evaluates them one after another on the same state).
 */
export class PartsMemo<V> {
  private readonly memo = new IdentityMemo<(V | undefined)[]>();
  private lastState: object | undefined;
  private lastRow: (V | undefined)[] = [];

  constructor(private readonly partsOf: (state: object) => readonly object[]) {}

  /** Function number `k`'s value on `state`, computed by `compute` the first time for these parts. */
  get(state: object, k: number, compute: () => V): V {
    if (state !== this.lastState) {
      this.lastRow = this.memo.get(this.partsOf(state), () => []);
      this.lastState = state;
    }
    let v = this.lastRow[k];
    if (v === undefined) this.lastRow[k] = v = compute();
    return v;
  }
}
