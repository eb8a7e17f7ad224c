/**
 * Compositional exploration: the reachable states of a system of components that share only a
 * grow-only environment, enumerated as a product instead of one by one.
 *
 * A model that supplies a `Decomposition` splits each state into a shared part (what every
 * component may read: for a message-passing system, the set of messages sent) and one local part
 * per component, and promises that a step of component i reads only the shared part and i's local
 * part, and writes only those (an environment step, component -1, reads and writes only the shared
 * part). For every shared part g the closure computes sets L_i(g) of local parts: a step of i from
 * (g, l) adds its result l' to L_i(g'), and, since no other component moved, every local part that
 * another component j has at g is carried to g' as well. By induction on a run, every reachable
 * state (g, l_0, …, l_{n-1}) has each l_i in L_i(g): the product of the sets over-approximates the
 * reachable states. It is exact when no two components' histories need each other's messages in
 * opposite orders; the tests measure that against breadth-first search on small models, and every
 * trace this module reports is a concrete run, found by interleaving the components' recorded
 * histories (`realize`), never a product state taken on trust.
 *
 * Properties are checked on the product without enumerating it. The model says how many
 * components each invariant or witness reads jointly (`arity`):
 *  - 0: only the shared part;
 *  - 1: a conjunction over components of a predicate on (shared part, one local part) for an
 *    invariant, with a premise that is the matching disjunction (for a witness: a disjunction);
 *  - 2: the same over pairs of components.
 * A property of arity k holds on every product state iff it holds on every state that takes k
 * components from the sets and the rest from one fixed member state of the shared part (the
 * part's template), which is what the closure evaluates as each local part arrives. Step
 * properties are evaluated on each step of a component, from the template with that component's
 * local part: the model promises they read only the shared part and the moving component.
 *
 * States a step passes through (a composite successor's `via`) and states outside the model's
 * bounds are not expanded: they go to derived parts (via and cut), keyed by their shared part,
 * the mover and the source part, which share the source's sets of the other components' local
 * parts (by alias), so that they are checked in combination with all of them, later arrivals
 * included.
 */
import { type Invariant, type Model, type StepProperty, type Verdict, type Witness } from './model.js';
import { fingerprintHex, type Fingerprint } from './fingerprint.js';
import { getHeapStatistics } from 'node:v8';
import { stateFingerprint } from './trace.js';
import { realize, subStepsOf } from './compositionalTrace.js';
import type { Decomposition, Entry, Locator, Origin, Part } from './compositionalModel.js';

export type { Decomposition, Entry, Locator, Origin, Part } from './compositionalModel.js';
import type { Trace } from './result.js';

export interface PropertyTally<S, A> {
  readonly name: string;
  readonly kind: 'invariant' | 'stepProperty' | 'witness';
  readonly description?: string;
  checked: number;
  premise: number;
  violations: number;
  /** The first state (or step) where the premise held, or the witness was satisfied. */
  firstPremise?: Locator<S, A>;
  /** The first violation, with its explanation. */
  firstViolation?: { readonly at: Locator<S, A>; readonly explanation: string };
}

export interface CompositionalStats {
  readonly parts: number;
  readonly transientParts: number;
  /** Local parts stored per component (summed over shared parts), boundary parts only. */
  readonly pairs: readonly number[];
  /** Local parts of the moving component held in via and cut parts. */
  readonly transientLocals: number;
  /** Product size over the boundary parts: the states (an upper bound; see the module comment). */
  readonly productStates: number;
  /** Product size over the cut parts: states outside the bounds, checked, not expanded. */
  readonly cutStates: number;
  /** Product size over the parts of states inside composite successors. */
  readonly intermediateStates: number;
  /** Steps computed (each successor of each expanded local part). */
  readonly generated: number;
  /** Local parts found but not yet expanded. */
  readonly queued: number;
  readonly elapsedMs: number;
}

export interface CompositionalResult<S, A> {
  readonly complete: boolean;
  readonly stoppedBy?: 'timeout' | 'aborted' | 'memory' | 'violation';
  readonly stats: CompositionalStats;
  readonly properties: readonly PropertyTally<S, A>[];
  /** A concrete run to the locator's state (and step), or the reason none was found. */
  realize(at: Locator<S, A>): Trace<S, A> | string;
}

export interface CompositionalOptions {
  readonly timeoutMs?: number;
  /** Aborting it stops the run (`stoppedBy: 'aborted'`). */
  readonly signal?: AbortSignal;
  /** Stop at the first violation (default true). */
  readonly stopAtViolation?: boolean;
  /** Called every `progressIntervalMs` (default 10 s). */
  readonly onProgress?: (stats: CompositionalStats) => void;
  readonly progressIntervalMs?: number;
}

type Tally<S, A> = PropertyTally<S, A>;

/** The run stops (`memory`) when the heap in use passes this fraction of its limit, as breadth-first search does. */
const heapLimitFraction = 0.9;

/** Local parts expanded between two looks at the clock, the signal, the heap and the progress callback. */
const yieldEvery = 256;

/** Runs the closure of `model` as decomposed by `d` (see the module comment). */
export async function exploreCompositionally<S, A, L>(
  model: Model<S, A>,
  d: Decomposition<S, A, L>,
  options: CompositionalOptions = {},
): Promise<CompositionalResult<S, A>> {
  const started = Date.now();
  const n = d.components;
  const fp = new Uint32Array(2);
  const keyOf = (value: unknown): Fingerprint => {
    stateFingerprint(model, value as S, false, fp);
    return fingerprintHex(fp[0]!, fp[1]!);
  };
  const tally = <P extends { readonly name: string; readonly description?: string }>(p: P, kind: Tally<S, A>['kind']): Tally<S, A> => ({
    name: p.name,
    kind,
    ...(p.description === undefined ? {} : { description: p.description }),
    checked: 0,
    premise: 0,
    violations: 0,
  });
  const invariants: { p: Invariant<S>; t: Tally<S, A>; arity: number }[] = model.invariants.map((p) => ({
    p,
    t: tally(p, 'invariant'),
    arity: d.arity(p.name),
  }));
  const witnesses: { p: Witness<S>; t: Tally<S, A>; arity: number }[] = (model.witnesses ?? []).map((p) => ({
    p,
    t: tally(p, 'witness'),
    arity: d.arity(p.name),
  }));
  const steps: { p: StepProperty<S, A>; t: Tally<S, A> }[] = (model.stepProperties ?? []).map((p) => ({ p, t: tally(p, 'stepProperty') }));
  const stopAtViolation = options.stopAtViolation !== false;
  let violated = false;

  const parts = new Map<string, Part<S, A>>();
  const noLinks: Part<S, A>['links'] = Object.freeze([]) as unknown as Part<S, A>['links'];
  const noLinked: Set<number> = new Set();
  const noKeys: Set<Fingerprint> = new Set();
  const noDerived: Part<S, A>[] = Object.freeze([]) as unknown as Part<S, A>[];
  let transientParts = 0;
  let generated = 0;
  // First in, first out: local parts are expanded in the order found, so that shallow violations
  // are met early and the histories behind a trace stay short.
  const todo: { part: Part<S, A>; i: number; entry: Entry<S, A> }[] = [];
  let head = 0;
  const carries: { part: Part<S, A>; i: number; entry: Entry<S, A> }[] = [];
  const pairwise = invariants.some((x) => x.arity === 2) || witnesses.some((x) => x.arity === 2);

  /** The locator of `state` in `part`; `known` is the entry of a component's local part that `part` may not store. */
  const locate = (part: Part<S, A>, state: S, known?: Entry<S, A>, at?: number): Locator<S, A> => ({
    part,
    entries: Array.from({ length: n }, (_x, j) => (j === at ? known! : part.locals[j]!.get(keyOf(d.localPart(state, j)))!)),
  });

  /** Counts a verdict, remembering where the first premise and the first violation were met. */
  const record = (t: Tally<S, A>, v: Verdict, at: () => Locator<S, A>): void => {
    t.checked++;
    if (v.premise) {
      t.premise++;
      t.firstPremise ??= at();
    }
    if (!v.holds) {
      t.violations++;
      t.firstViolation ??= { at: at(), explanation: v.explanation };
      violated = true;
    }
  };

  /** Evaluates the state properties whose arity `arities` accepts on `state` (a member of `part`'s product). */
  const checkState = (
    part: Part<S, A>,
    state: S,
    arities: (a: number) => boolean,
    component?: number,
    entry?: Entry<S, A>,
    single = false,
  ): void => {
    const here = (): Locator<S, A> => locate(part, state, entry, component);
    for (const { p, t, arity } of invariants) {
      if (!arities(arity)) continue;
      record(t, single && p.componentCheck !== undefined ? p.componentCheck(state, component!) : p.check(state), here);
    }
    for (const { p, t, arity } of witnesses) {
      if (!arities(arity)) continue;
      t.checked++;
      if (p.holds(state)) {
        t.premise++;
        t.firstPremise ??= here();
      }
    }
  };

  const isOne = (a: number): boolean => a === 1;
  const isTwo = (a: number): boolean => a === 2;

  /**
   * The states of `part`'s product that take `entry` for component i and the template elsewhere,
   * checked: the properties of one component, and those of two with every other component's
   * representatives (`only`: with those of that component alone). `single` false skips the
   * properties of one component (a via part with its source's shared part has them checked there).
   */
  const checkArrival = (part: Part<S, A>, i: number, entry: Entry<S, A>, single = true, only?: number): void => {
    const one = d.withLocal(part.template, i, entry.local as L);
    // The other components' conjuncts were checked when their own local parts arrived.
    if (single) checkState(part, one, isOne, i, entry, true);
    if (!pairwise || !newRepresentative(part, i, entry)) return;
    for (let j = 0; j < n; j++) {
      if (j === i || (only !== undefined && j !== only)) continue;
      for (const other of part.reps[j]!) checkState(part, d.withLocal(one, j, other.local as L), isTwo, i, entry);
    }
  };

  /** Whether `entry` is the first at `part` with its projection for the pairwise properties (then it becomes a representative). */
  const newRepresentative = (part: Part<S, A>, i: number, entry: Entry<S, A>): boolean => {
    if (entry.representative === true) return true;
    const k = keyOf(d.pairProjection?.(entry.local as L, i) ?? entry.local);
    if (part.repKeys[i]!.has(k)) return false;
    part.repKeys[i]!.add(k);
    part.reps[i]!.push(entry);
    entry.representative = true;
    if (part.kind !== 'boundary' && i === part.mover) part.locals[i]!.set(entry.key, entry);
    return true;
  };

  /** Stores a new local part of component i at `part`; undefined if it was known. */
  const insert = (part: Part<S, A>, i: number, key: Fingerprint, local: unknown, origin: Origin<S, A>): Entry<S, A> | undefined => {
    const entry: Entry<S, A> = { key, local, origin, representative: false };
    if (part.kind !== 'boundary' && i === part.mover) {
      // A derived part keeps only the keys of its mover's local parts (the most numerous of all),
      // and the entries of its representatives for the pairwise properties (`newRepresentative`).
      if (part.moverKeys.has(key)) return undefined;
      part.moverKeys.add(key);
      if (part.moverKeys.size === 1) part.locals[i]!.set(key, entry);
      return entry;
    }
    if (part.locals[i]!.has(key)) return undefined;
    part.locals[i]!.set(key, entry);
    if (part.kind === 'boundary') todo.push({ part, i, entry });
    return entry;
  };

  const add = (part: Part<S, A>, i: number, key: Fingerprint, local: unknown, origin: Origin<S, A>): void => {
    const entry = insert(part, i, key, local, origin);
    if (entry === undefined) return;
    checkArrival(part, i, entry);
    for (const { to, mover } of part.links) if (mover !== i) carries.push({ part: to, i, entry });
    // The via parts that share this part's local parts see the new one too.
    for (const via of part.derived) {
      if (via.mover === i) continue;
      if (via.sameShared) checkArrival(via, i, entry, false, via.mover);
      else checkArrival(via, i, entry);
    }
  };

  const newPart = (
    key: string,
    shared: Fingerprint,
    template: S,
    kind: Part<S, A>['kind'],
    mover: number,
    source?: Part<S, A>,
  ): Part<S, A> => {
    const alias = (j: number): boolean => source !== undefined && j !== mover;
    const part: Part<S, A> = {
      key,
      shared,
      template,
      kind,
      mover,
      sameShared: source !== undefined && source.shared === shared,
      locals: Array.from({ length: n }, (_x, j) => (alias(j) ? source!.locals[j]! : new Map())),
      reps: Array.from({ length: n }, (_x, j) => (alias(j) ? source!.reps[j]! : [])),
      repKeys: Array.from({ length: n }, (_x, j) => (alias(j) ? source!.repKeys[j]! : new Set())),
      id: parts.size,
      moverKeys: kind === 'boundary' ? noKeys : new Set(),
      // Only boundary parts are linked or have derived parts: the others share one empty list.
      links: kind === 'boundary' ? [] : noLinks,
      linked: kind === 'boundary' ? new Set() : noLinked,
      derived: kind === 'boundary' ? [] : noDerived,
    };
    parts.set(key, part);
    if (kind !== 'boundary') transientParts++;
    return part;
  };

  /** The boundary part of `state` (created, with its template's local parts, on first sight). */
  const partOf = (state: S, mover: number, origin: (j: number) => Origin<S, A>): Part<S, A> => {
    const shared = keyOf(d.sharedPart(state));
    let part = parts.get(shared);
    if (part === undefined) {
      part = newPart(shared, shared, state, 'boundary', mover);
      const entries = Array.from({ length: n }, (_x, j) => {
        const local = d.localPart(state, j);
        return insert(part!, j, keyOf(local), local, origin(j))!;
      });
      checkState(part, state, (a) => a === 0);
      entries.forEach((e, j) => checkArrival(part!, j, e));
    }
    return part;
  };

  /**
   * The part of a state inside a step of `mover` from `source` (via), or of a state outside the
   * bounds that such a step reaches (cut): it shares the source's local parts of every other
   * component (by alias, not copy), so it is keyed by the source too.
   */
  const derivedPartOf = (
    state: S,
    kind: 'via' | 'cut',
    mover: number,
    source: Part<S, A>,
    key: Fingerprint,
    local: unknown,
    origin: Origin<S, A>,
  ): void => {
    const shared = keyOf(d.sharedPart(state));
    const partKey = `${shared}/${kind}${mover}/${source.key}`;
    let part = parts.get(partKey);
    if (part !== undefined) {
      const e = insert(part, mover, key, local, origin);
      if (e !== undefined) checkArrival(part, mover, e);
      return;
    }
    part = newPart(partKey, shared, state, kind, mover, source);
    source.derived.push(part);
    const e = insert(part, mover, key, local, origin)!;
    if (!part.sameShared) {
      checkState(part, state, (a) => a === 0);
      for (let j = 0; j < n; j++) if (j !== mover) for (const other of part.locals[j]!.values()) checkArrival(part, j, other);
    }
    checkArrival(part, mover, e);
  };

  /** Records that a step of `mover` leads from `from` to `to`: the others' local parts at `from` are carried. */
  const link = (from: Part<S, A>, to: Part<S, A>, mover: number): void => {
    const key = to.id * (n + 1) + mover + 1;
    if (to === from || from.linked.has(key)) return;
    from.linked.add(key);
    from.links.push({ to, mover });
    for (let j = 0; j < n; j++) {
      if (j === mover) continue;
      for (const entry of from.locals[j]!.values()) carries.push({ part: to, i: j, entry });
    }
  };

  const settle = (): void => {
    for (let c = carries.pop(); c !== undefined; c = carries.pop())
      add(c.part, c.i, c.entry.key, c.entry.local, { kind: 'carry', from: c.entry });
  };

  const checkStep = (from: S, action: A, to: S, at: () => Locator<S, A>): void => {
    for (const { p, t } of steps) record(t, p.check(from, action, to), at);
  };

  /** Every successor of component i from local part `entry` at `part`. */
  const expand = (part: Part<S, A>, i: number, entry: Entry<S, A>): void => {
    const pre = d.withLocal(part.template, i, entry.local as L);
    for (const succ of d.successorsOf(pre, i)) {
      generated++;
      const chain = subStepsOf(succ);
      const actions = chain.map((sub) => sub.action);
      let prev = pre;
      chain.forEach((sub, k) => {
        const origin = (j: number): Origin<S, A> =>
          j === i
            ? { kind: 'step', from: entry, actions, subSteps: k + 1 }
            : { kind: 'carry', from: part.locals[j]!.get(keyOf(d.localPart(sub.state, j)))! };
        checkStep(prev, sub.action, sub.state, () => ({ ...locate(part, pre), step: { actions, subSteps: k + 1, mover: i } }));
        prev = sub.state;
        const local = d.localPart(sub.state, i);
        const key = keyOf(local);
        const cut = d.outsideBounds(sub.state, i) !== undefined;
        if (k < chain.length - 1 || cut) {
          derivedPartOf(sub.state, cut ? 'cut' : 'via', i, part, key, local, origin(i));
          return;
        }
        const to = partOf(sub.state, i, origin);
        add(to, i, key, local, origin(i));
        link(part, to, i);
        settle();
      });
    }
  };

  const init = model.initStates();
  for (const s of init) partOf(s, -1, () => ({ kind: 'init' }));
  settle();
  const interval = options.progressIntervalMs ?? 10_000;
  let nextProgress = Date.now() + interval;
  let stoppedBy: CompositionalResult<S, A>['stoppedBy'];
  const statsNow = (): CompositionalStats => ({
    ...stats(parts, transientParts, generated, Date.now() - started, n),
    queued: todo.length - head,
  });
  // The environment's steps from a part are taken once per part, from its template.
  const envDone = new Set<Part<S, A>>();
  const expandEnvironment = (part: Part<S, A>): void => {
    if (envDone.has(part) || part.kind !== 'boundary') return;
    envDone.add(part);
    for (const succ of d.successorsOf(part.template, -1)) {
      generated++;
      const origin = (j: number): Origin<S, A> => ({ kind: 'carry', from: part.locals[j]!.get(keyOf(d.localPart(succ.state, j)))! });
      checkStep(part.template, succ.action, succ.state, () => ({
        ...locate(part, part.template),
        step: { actions: [succ.action], subSteps: 1, mover: -1 },
      }));
      link(part, partOf(succ.state, -1, origin), -1);
      settle();
    }
  };
  let sinceYield = 0;
  for (let w = todo[head]; w !== undefined; w = todo[head]) {
    head++;
    if (violated && stopAtViolation) break;
    if (++sinceYield === yieldEvery) {
      // Let the event loop run (a Ctrl-C reaches `signal` only then).
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted === true) {
        stoppedBy = 'aborted';
        head--;
        break;
      }
      const heap = getHeapStatistics();
      if (heap.used_heap_size > heapLimitFraction * heap.heap_size_limit) {
        stoppedBy = 'memory';
        head--;
        break;
      }
      if (options.onProgress !== undefined && Date.now() >= nextProgress) {
        options.onProgress(statsNow());
        nextProgress = Date.now() + interval;
      }
    }
    if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) {
      stoppedBy = 'timeout';
      head--;
      break;
    }
    expandEnvironment(w.part);
    expand(w.part, w.i, w.entry);
    if (head > 1 << 16 && head * 2 > todo.length) {
      todo.splice(0, head);
      head = 0;
    }
  }
  if (violated && stopAtViolation) stoppedBy = 'violation';
  const properties = [...invariants.map((x) => x.t), ...steps.map((x) => x.t), ...witnesses.map((x) => x.t)];
  return {
    complete: stoppedBy === undefined,
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
    stats: statsNow(),
    properties,
    realize: (at) => realize(model, d, at, keyOf),
  };
}

function stats<S, A>(
  parts: Map<string, Part<S, A>>,
  transientParts: number,
  generated: number,
  elapsedMs: number,
  n: number,
): Omit<CompositionalStats, 'queued'> {
  const pairs = new Array<number>(n).fill(0);
  let productStates = 0;
  let cutStates = 0;
  let intermediateStates = 0;
  let transientLocals = 0;
  for (const part of parts.values()) {
    const product = part.locals.reduce((x, l, j) => x * (part.kind !== 'boundary' && j === part.mover ? part.moverKeys.size : l.size), 1);
    if (part.kind === 'via') intermediateStates += product;
    else if (part.kind === 'cut') cutStates += product;
    if (part.kind !== 'boundary') transientLocals += part.moverKeys.size;
    else {
      productStates += product;
      part.locals.forEach((l, j) => (pairs[j] = (pairs[j] ?? 0) + l.size));
    }
  }
  return {
    parts: parts.size - transientParts,
    transientParts,
    pairs,
    transientLocals,
    productStates,
    cutStates,
    intermediateStates,
    generated,
    elapsedMs,
  };
}
