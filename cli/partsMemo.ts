/**
 * Memoising a function of some parts of a state by the identity of those parts: the obligations
 * and scenarios declare which parts they read (`reads`), and the states of a run share those
 * parts far more than they share whole states (a few hundred packet sets over tens of thousands
 * of states), so each verdict is computed once per distinct combination of parts. The values are
 * immutable, so a hit by identity is always right; entries go when their keys are collected.
 */

interface TrieNode<V> {
  next: WeakMap<object, TrieNode<V>> | undefined;
  value: V | undefined;
  known: boolean;
}

export class IdentityMemo<V> {
  private readonly root: TrieNode<V> = { next: undefined, value: undefined, known: false };

  /** The value remembered for exactly these keys, in this order; else `compute()`, remembered. */
  get(keys: readonly object[], compute: () => V): V {
    let node = this.root;
    for (const key of keys) {
      node.next ??= new WeakMap();
      let child = node.next.get(key);
      if (child === undefined) {
        child = { next: undefined, value: undefined, known: false };
        node.next.set(key, child);
      }
      node = child;
    }
    if (!node.known) {
      node.value = compute();
      node.known = true;
    }
    return node.value as V;
  }
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
