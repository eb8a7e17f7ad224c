/**
 * Concrete runs to states of a compositional exploration (checker/compositional.ts): each
 * component's recorded history (the steps by which its local part was reached, through the
 * shared parts it was carried along) is replayed, and a breadth-first search over the ways to
 * interleave the histories, with the environment's steps in between, looks for one that reaches
 * the state. Only a run found this way is ever reported: a product state no interleaving reaches
 * is not taken for a reachable one.
 */
import type { Decomposition, Entry, Locator, Origin } from './compositionalModel.js';
import type { Fingerprint } from './fingerprint.js';
import type { Model, Successor } from './model.js';
import type { Trace } from './result.js';

/** One recorded step of one component's history. */
interface HistoryStep<A> {
  readonly actions: readonly A[];
  readonly subSteps: number;
  readonly after: Fingerprint;
}

/** The steps component i took to reach `entry`, oldest first. */
function historyOf<S, A>(entry: Entry<S, A>): HistoryStep<A>[] {
  const out: HistoryStep<A>[] = [];
  for (let e: Entry<S, A> | undefined = entry; e !== undefined;) {
    const o: Origin<S, A> = e.origin;
    if (o.kind === 'step') out.push({ actions: o.actions, subSteps: o.subSteps, after: e.key });
    e = o.kind === 'init' ? undefined : o.from;
  }
  return out.reverse();
}

/** The sub-steps of a successor, in order. */
export function subStepsOf<S, A>(succ: Successor<S, A>): { readonly action: A; readonly state: S }[] {
  return [...(succ.via ?? []), { action: succ.action, state: succ.state }];
}

/** Whether `succ` is the step whose sub-steps' actions were recorded as `actions`. */
const sameActions = <S, A>(model: Model<S, A>, succ: Successor<S, A>, actions: readonly A[]): boolean => {
  const a = subStepsOf(succ);
  const json = (x: A): string => JSON.stringify(model.actionToJson(x));
  return a.length === actions.length && a.every((s, k) => json(s.action) === json(actions[k]!));
};

/** Most interleavings a rebuilding search visits before it gives up. */
const realizeLimit = 200_000;

/**
 * A concrete run of the model to the state `at` describes (each component's local part there),
 * found by breadth-first search over interleavings of the components' recorded histories, with
 * environment steps in between; or why none was found.
 */
export function realize<S, A, L>(
  model: Model<S, A>,
  d: Decomposition<S, A, L>,
  at: Locator<S, A>,
  keyOf: (v: unknown) => Fingerprint,
): Trace<S, A> | string {
  const n = d.components;
  const histories = at.entries.map(historyOf);
  const target = at.entries.reduce<S>((s, e, j) => d.withLocal(s, j, e.local as L), at.part.template);
  // `keyOf` fingerprints any value with the model's codec, whole states included.
  const goal = keyOf(target);
  interface Node {
    readonly state: S;
    readonly positions: readonly number[];
    readonly parent?: { readonly node: Node; readonly successor: Successor<S, A>; readonly subSteps: number };
  }
  const done = (node: Node): boolean => node.positions.every((p, j) => p === histories[j]!.length);
  const seen = new Set<string>();
  const queue: Node[] = model.initStates().map((state) => ({ state, positions: histories.map(() => 0) }));
  let found: Node | undefined;
  for (let q = 0; q < queue.length && found === undefined; q++) {
    if (q > realizeLimit) return `no run found within ${realizeLimit} interleavings`;
    const node = queue[q]!;
    const stateKey = keyOf(node.state);
    const key = `${stateKey}|${node.positions.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (stateKey === goal && done(node)) {
      found = node;
      break;
    }
    // A run goes on neither from inside a composite step nor from outside the bounds.
    const partial = node.parent !== undefined && node.parent.subSteps < subStepsOf(node.parent.successor).length;
    if (partial || model.outsideBounds?.(node.state) !== undefined) continue;
    for (let j = 0; j < n; j++) {
      const p = node.positions[j]!;
      const next = histories[j]![p];
      if (next === undefined) continue;
      for (const succ of d.successorsOf(node.state, j)) {
        if (!sameActions(model, succ, next.actions)) continue;
        const state = subStepsOf(succ)[next.subSteps - 1]!.state;
        if (keyOf(d.localPart(state, j)) !== next.after) continue;
        const positions = node.positions.map((x, k) => (k === j ? x + 1 : x));
        queue.push({ state, positions, parent: { node, successor: succ, subSteps: next.subSteps } });
      }
    }
    for (const succ of d.successorsOf(node.state, -1))
      queue.push({ state: succ.state, positions: node.positions, parent: { node, successor: succ, subSteps: 1 } });
  }
  if (found === undefined) return 'no interleaving of the recorded histories reaches it';
  const chain: Node[] = [];
  for (let x: Node | undefined = found; x !== undefined; x = x.parent?.node) chain.push(x);
  chain.reverse();
  const states: S[] = [chain[0]!.state];
  const actions: A[] = [];
  for (const node of chain.slice(1)) {
    const { successor, subSteps } = node.parent!;
    for (const sub of subStepsOf(successor).slice(0, subSteps)) {
      actions.push(sub.action);
      states.push(sub.state);
    }
  }
  if (at.step !== undefined) {
    // The step itself, taken again from the state reached (its actions identify it).
    const { actions: recorded, subSteps, mover } = at.step;
    const again = d.successorsOf(states[states.length - 1]!, mover).find((x) => sameActions(model, x, recorded));
    if (again === undefined) return 'the step is not enabled in the run rebuilt to its source';
    for (const sub of subStepsOf(again).slice(0, subSteps)) {
      actions.push(sub.action);
      states.push(sub.state);
    }
  }
  return { states, actions, fingerprints: states.map((x) => keyOf(x)) };
}
