/**
 * Simulation: seeded random walks of bounded length that check the same properties as `check`
 * (TLC's -simulate, stateright's spawn_simulation). Each walk draws from its own PRNG stream
 * derived from the run's seed and the walk number, so the seed returned in the result replays
 * exactly the same walks.
 */
import { randomInt } from 'node:crypto';
import type { Model } from './model.js';
import type { SimulateOptions } from './options.js';
import type { CheckResult, Stats, StopReason, Trace, Violation, ViolationKind } from './result.js';
import { type Fingerprint, fingerprintHex } from './fingerprint.js';
import { FingerprintTable, NO_PARENT, SeenSet } from './seenSet.js';
import { stateFingerprint } from './trace.js';
import { Limits } from './limits.js';
import { runStats, Tally } from './tally.js';

/** splitmix32-style mixing of a 32-bit value (seeds the walk streams). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** xoshiro128** over four 32-bit words: a small, fast, seedable PRNG. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x6a09e667);
    this.c = mix32(this.b ^ 0xbb67ae85);
    this.d = mix32(this.c ^ 0x3c6ef372) | 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform integer in [0, n) for 0 < n ≤ 2^32. */
  below(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** The seed of walk `walk` of a run seeded with `seed`. */
function walkSeed(seed: number, walk: number): number {
  return mix32(seed ^ Math.imul(walk + 1, 0x27d4eb2f));
}

interface WalkFailure {
  readonly phase: string;
  readonly message: string;
  readonly stack?: string;
}

class Simulation<S, A> {
  private readonly seen = new SeenSet();
  /** Intermediate states of composite successors visited (to count distinct ones). */
  private readonly intermediates = new FingerprintTable();
  private readonly tally: Tally;
  private readonly limits: Limits;
  private readonly symmetry: boolean;
  private readonly stopAtFirst: boolean;
  private readonly maxDepth: number;
  private readonly fp = new Uint32Array(2);
  private readonly found = new Map<string, Violation<S, A>>();
  private generated = 0;
  private initial = 0;
  private depth = 0;
  private walks = 0;
  private stateNumber = 0;

  constructor(
    private readonly model: Model<S, A>,
    private readonly options: SimulateOptions,
    private readonly seed: number,
  ) {
    this.tally = new Tally(model as Model<unknown, unknown>);
    this.limits = new Limits(options);
    this.symmetry = options.symmetry ?? false;
    this.stopAtFirst = !(options.continueAfterViolation ?? false);
    this.maxDepth = Math.max(1, options.maxDepth ?? 100);
  }

  async run(): Promise<CheckResult<S, A>> {
    if (this.symmetry && this.model.representative === undefined) {
      return this.error({ phase: 'options', message: `symmetry was requested but model ${this.model.name} has no representative()` });
    }
    const plannedWalks = this.options.walks ?? (this.options.timeoutMs === undefined ? 1000 : Infinity);
    let inits: readonly S[];
    try {
      inits = this.model.initStates();
    } catch (e) {
      return this.error({ phase: 'initStates', ...errorText(e) });
    }
    this.generated += inits.length;
    try {
      this.initial = new Set(inits.map((s) => this.fingerprintHexOf(s))).size;
    } catch (e) {
      return this.error({ phase: 'encode', ...errorText(e) });
    }
    let stopped: StopReason | undefined;
    while (this.walks < plannedWalks && inits.length > 0) {
      stopped = this.limits.check(this.facts());
      if (stopped !== undefined) break;
      const failure = this.walk(inits, new Prng(walkSeed(this.seed, this.walks)));
      this.walks++;
      if (failure !== undefined) return this.error(failure.failure, failure.trace);
      if (this.stopAtFirst && this.found.size > 0) break;
      await this.limits.yieldIfDue();
    }
    const violations = [...this.found.values()];
    // A time budget without a walk count is the plan, not an interruption.
    const incomplete = stopped === 'timeout' && plannedWalks === Infinity ? undefined : stopped;
    if (violations.length > 0) {
      return { ...this.base(), kind: 'violation', violations, ...(incomplete === undefined ? {} : { stoppedBy: incomplete }) };
    }
    if (incomplete !== undefined) {
      return { ...this.base(), kind: 'incomplete', reason: incomplete, detail: this.limits.describe(incomplete) };
    }
    return { ...this.base(), kind: 'ok' };
  }

  /** One random walk; returns a model failure, if any. */
  private walk(inits: readonly S[], rng: Prng): { failure: WalkFailure; trace: Trace<S, A> } | undefined {
    const m = this.model;
    const t = this.tally;
    const states: S[] = [];
    const actions: A[] = [];
    const fingerprints: Fingerprint[] = [];
    const trace = (): Trace<S, A> => ({ states: [...states], actions: [...actions], fingerprints: [...fingerprints] });
    let phase = 'initStates';
    try {
      let state: S = inits[rng.below(inits.length)] as S;
      let newByAction = -1;
      for (;;) {
        phase = 'encode';
        const fresh = this.visit(state);
        if (fresh && newByAction >= 0) t.newStates[newByAction]!++;
        states.push(state);
        fingerprints.push(fingerprintHex(this.fp[0]!, this.fp[1]!));
        const depth = states.length;
        this.depth = Math.max(this.depth, depth);
        const number = this.stateNumber++;
        t.checked++;
        m.invariants.forEach((inv, k) => {
          phase = `invariant ${inv.name}`;
          const v = inv.check(state);
          if (v.premise) t.invariantPremise[k]!++;
          if (!v.holds) {
            t.invariantViolations[k]!++;
            this.note('invariant', inv.name, v.explanation, trace());
          }
        });
        (m.witnesses ?? []).forEach((w, k) => {
          phase = `witness ${w.name}`;
          if (w.holds(state)) t.witnessed(k, depth);
        });
        if (this.stopAtFirst && this.found.size > 0) return undefined;
        phase = 'outsideBounds';
        const bound = m.outsideBounds?.(state);
        if (bound !== undefined) {
          t.cut(bound);
          return undefined;
        }
        if (depth >= this.maxDepth) return undefined;
        phase = 'successors';
        const succs = m.successors(state);
        this.generated += succs.length;
        phase = 'actionName';
        const ids = succs.map((succ) => t.actionId(m.actionName(succ.action)));
        for (const id of ids) t.fire(id, number);
        for (const succ of succs) for (const sub of succ.via ?? []) t.fire(t.actionId(m.actionName(sub.action)), number);
        if (succs.length === 0) {
          if (this.options.checkDeadlock === true) {
            this.note('deadlock', 'deadlock', 'no action is enabled in this state, which is within bounds', trace());
          }
          return undefined;
        }
        const pick = rng.below(succs.length);
        const next = succs[pick]!;
        // A composite successor is walked sub-step by sub-step: every intermediate state is checked too.
        const subSteps = [...(next.via ?? []), { action: next.action, state: next.state }];
        for (let u = 0; u < subSteps.length; u++) {
          const { action, state: to } = subSteps[u]!;
          const from = states[states.length - 1]!;
          t.transitions++;
          (m.stepProperties ?? []).forEach((p, k) => {
            phase = `stepProperty ${p.name}`;
            const v = p.check(from, action, to);
            if (v.premise) t.stepPremise[k]!++;
            if (!v.holds) {
              t.stepViolations[k]!++;
              const stepTrace = trace();
              this.note('stepProperty', p.name, v.explanation, {
                states: [...stepTrace.states, to],
                actions: [...stepTrace.actions, action],
                fingerprints: [...stepTrace.fingerprints, this.fingerprintHexOf(to)],
              });
            }
          });
          if (this.stopAtFirst && this.found.size > 0) return undefined;
          if (u === subSteps.length - 1) break;
          actions.push(action);
          states.push(to);
          phase = 'fingerprint';
          fingerprints.push(this.fingerprintHexOf(to));
          if (this.intermediates.add(this.fp[0]!, this.fp[1]!)) t.intermediate++;
          m.invariants.forEach((inv, k) => {
            phase = `invariant ${inv.name}`;
            const v = inv.check(to);
            if (v.premise) t.invariantPremise[k]!++;
            if (!v.holds) {
              t.invariantViolations[k]!++;
              this.note('invariant', inv.name, v.explanation, trace());
            }
          });
          (m.witnesses ?? []).forEach((w, k) => {
            phase = `witness ${w.name}`;
            if (w.holds(to)) t.witnessed(k, depth + 1);
          });
          if (this.stopAtFirst && this.found.size > 0) return undefined;
        }
        actions.push(next.action);
        newByAction = ids[pick]!;
        state = next.state;
      }
    } catch (e) {
      return { failure: { phase, ...errorText(e) }, trace: trace() };
    }
  }

  private fingerprintHexOf(state: S): Fingerprint {
    this.fingerprint(state);
    return fingerprintHex(this.fp[0]!, this.fp[1]!);
  }

  private fingerprint(state: S): void {
    stateFingerprint(this.model, state, this.symmetry, this.fp);
  }

  /** Fingerprints `state` into `this.fp` and records it; true if it was not seen before. */
  private visit(state: S): boolean {
    this.fingerprint(state);
    return this.seen.insert(this.fp[0]!, this.fp[1]!, NO_PARENT, 0) >= 0;
  }

  private note(kind: ViolationKind, property: string, explanation: string, trace: Trace<S, A>): void {
    if (this.found.has(property)) return;
    this.found.set(property, { kind, property, explanation, depth: trace.states.length, trace });
  }

  private facts(): { distinct: number; generated: number; queue: number; depth: number; walks: number } {
    return { distinct: this.seen.size, generated: this.generated, queue: 0, depth: this.depth, walks: this.walks };
  }

  private stats(): Stats {
    return runStats(this.tally, {
      elapsedMs: this.limits.elapsedMs(),
      generated: this.generated,
      distinct: this.seen.size,
      depth: this.depth,
      frontier: 0,
      initial: this.initial,
      levelSizes: [],
      collisionBasis: this.tally.checked,
      seenSetBytes: this.seen.byteSize,
      intermediateSetBytes: this.intermediates.byteSize,
      workers: 0,
      symmetry: this.symmetry,
    });
  }

  private base(): { model: string; mode: 'simulation'; stats: Stats; properties: ReturnType<Tally['properties']>; seed: number } {
    return { model: this.model.name, mode: 'simulation', stats: this.stats(), properties: this.tally.properties(), seed: this.seed };
  }

  private error(failure: WalkFailure, trace?: Trace<S, A>): CheckResult<S, A> {
    return {
      ...this.base(),
      kind: 'error',
      phase: failure.phase,
      message: failure.message,
      ...(failure.stack === undefined ? {} : { stack: failure.stack }),
      ...(trace === undefined ? {} : { trace }),
    };
  }
}

function errorText(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return e.stack === undefined ? { message: e.message } : { message: e.message, stack: e.stack };
  return { message: String(e) };
}

/**
 * Random simulation of `model`: `walks` walks of at most `maxDepth` states from a random initial
 * state, each step to a uniformly chosen successor, checking invariants, witnesses and step
 * properties (and deadlocks, if asked) on what is visited. The result's `seed` reproduces the run;
 * its traces are the walks' prefixes up to each violation (not necessarily shortest).
 */
export async function simulate<S, A>(model: Model<S, A>, options: SimulateOptions = {}): Promise<CheckResult<S, A>> {
  const seed = options.seed === undefined ? randomInt(2 ** 32 - 1) : options.seed >>> 0;
  return new Simulation(model, options, seed).run();
}
