/**
 * The breadth-first exploration core (TLC's ModelChecker; style-anchors §2, §7.5–7.7): one loop for
 * any number of workers.
 *
 * States travel in batches, level by level, each with the discovery indices of its states (in order,
 * with gaps where a state outside the bounds was not queued): as objects when they are expanded in
 * this thread, as encoded bytes when workers may take them. A batch is expanded
 * (in this thread or a worker: see expand.ts) and its result merged here, in batch order, into the
 * seen set: each successor's fingerprint is looked up, and a new one gets the next discovery index,
 * its parent pointer, the verdicts computed on it when it was found and, if it is within bounds and
 * above the depth limit, a place in a batch of the next level. Because merging is sequential and in
 * order, discovery indices, counts, verdicts and traces do not depend on how many workers expanded
 * the batches, or in which order they finished.
 *
 * Properties are evaluated on each state when it is first found, before it is queued (as TLC
 * does), so every distinct state counted has been checked, also in a run stopped by a limit. As
 * all states of depth <= d are found before any state of depth d + 1, the first violation found is
 * at the smallest depth, so its trace is a shortest one; and a run that stops at it has merged
 * exactly the same states whatever the number of workers. A composite successor (`Successor.via`)
 * is one transition: depth counts composite transitions, and its intermediate states are checked
 * (each distinct one once, counted as `intermediate`) but never stored or expanded.
 */
import type { Model } from './model.js';
import type { CheckOptions } from './options.js';
import type { CheckResult, PropertyReport, Stats, StopReason, Trace, Violation, ViolationKind } from './result.js';
import { Fifo, LevelBuilder, type SealedBatch } from './frontier.js';
import { FingerprintTable, NO_PARENT, SeenSet } from './seenSet.js';
import { confirmViolation, extendTrace, rebuildTrace } from './trace.js';
import { BatchExpander, type BatchResult, type ExpandSettings, FAILED, FLAG_DEADLOCK, HELD } from './expand.js';
import { defaultWorkerScript, type Expander, poolExpander } from './parallel.js';
import { Limits } from './limits.js';
import { runStats, Tally } from './tally.js';

/** A violation as first found; its trace is rebuilt when the run ends. */
interface Found {
  readonly kind: ViolationKind;
  readonly property: string;
  readonly explanation: string;
  /** The violating state's discovery index, or (with `step`) the index of the step's source. */
  readonly index: number;
  readonly depth: number;
  /**
   * A violation on a transition or inside a composite one: which successor of the state `index`
   * (with its fingerprint), and how many of its sub-steps the trace takes (all when absent).
   */
  readonly step?: { readonly ordinal: number; readonly hi: number; readonly lo: number; readonly subSteps?: number };
}

interface ModelFailure {
  readonly index: number;
  readonly successor?: { readonly ordinal: number; readonly subSteps?: number };
  readonly phase: string;
  readonly message: string;
  readonly stack?: string;
}

function inProcessExpander<S, A>(expander: BatchExpander<S, A>): Expander {
  return {
    run: (batch) => Promise.resolve(expander.expand(batch)),
    close: () => Promise.resolve(),
  };
}

function errorText(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return e.stack === undefined ? { message: e.message } : { message: e.message, stack: e.stack };
  return { message: String(e) };
}

class Exploration<S, A> {
  private readonly seen: SeenSet;
  /** Intermediate states of composite successors checked so far. */
  private readonly intermediates = new FingerprintTable(1 << 10);
  private readonly symmetry: boolean;
  private readonly stopAtFirst: boolean;
  private readonly batchSize: number;
  private readonly limits: Limits;
  private readonly queue = new Fifo<SealedBatch>();
  private readonly keepObjects: boolean;
  /** With `census`: per dimension, the fingerprints of the values it took. */
  private readonly census: FingerprintTable[] | undefined;
  private builder: LevelBuilder;
  private lastSealed: SealedBatch | undefined;

  private generated = 0;
  private initial = 0;
  private depth = 0;
  /** States put on the queue, and states taken off it and expanded. */
  private queued = 0;
  private expanded = 0;
  /** Distinct states first found at depth d + 1, at index d. */
  private readonly levelSizes: number[] = [];
  private depthCut = false;
  private stopReason: StopReason | undefined;
  private failure: ModelFailure | undefined;
  private readonly found: Found[] = [];
  private readonly tally: Tally;
  private readonly invariantFound: boolean[];
  private readonly stepFound: boolean[];
  private deadlockFound = false;

  constructor(
    private readonly model: Model<S, A>,
    private readonly options: CheckOptions,
  ) {
    const workers = Math.max(0, Math.floor(options.workers ?? 0));
    // Workers read the seen set to leave out successors already seen; only this thread writes it.
    this.seen = new SeenSet(1 << 12, workers > 0);
    this.keepObjects = workers === 0;
    this.census = options.census === true ? (model.census?.dimensions ?? []).map(() => new FingerprintTable()) : undefined;
    this.symmetry = options.symmetry ?? false;
    this.stopAtFirst = !(options.continueAfterViolation ?? false);
    this.batchSize = Math.max(1, options.batchSize ?? 1024);
    this.limits = new Limits(options);
    this.builder = new LevelBuilder(1, this.batchSize, 1024);
    this.tally = new Tally(model as Model<unknown, unknown>);
    this.invariantFound = new Array<boolean>(model.invariants.length).fill(false);
    this.stepFound = new Array<boolean>(model.stepProperties?.length ?? 0).fill(false);
  }

  async run(): Promise<CheckResult<S, A>> {
    const workers = Math.max(0, Math.floor(this.options.workers ?? 0));
    if (this.symmetry && this.model.representative === undefined) {
      return this.errorResult('options', `symmetry was requested but model ${this.model.name} has no representative()`);
    }
    if (workers > 0 && this.options.factory === undefined) {
      return this.errorResult('options', 'workers > 0 needs options.factory so that worker threads can build the model');
    }
    this.stopReason = this.limits.check(this.progressFacts());
    if (this.stopReason !== undefined) return this.result();
    if (this.census !== undefined && this.model.census === undefined) {
      return this.errorResult('options', `a census was requested but model ${this.model.name} has no census`);
    }
    const settings: ExpandSettings = {
      symmetry: this.symmetry,
      checkDeadlock: this.options.checkDeadlock ?? false,
      census: this.census !== undefined,
    };
    // Expansion here, and the successors it keeps as objects when no worker needs them encoded.
    const expander = new BatchExpander(this.model, { ...settings, keepObjects: this.keepObjects }, this.seen);
    const initError = this.addInitialStates(expander);
    if (initError !== undefined) return this.errorResult(initError.phase, initError.message, initError.stack);
    if (this.failure !== undefined || this.stopReason !== undefined || this.stopForViolation()) return this.result();
    const local = inProcessExpander(expander);
    let pool: Expander | undefined;
    try {
      if (workers > 0) {
        pool = poolExpander(this.options.workerScript ?? defaultWorkerScript(), workers, this.options.factory!, settings);
      }
    } catch (e) {
      const { message, stack } = errorText(e);
      return this.errorResult('workers', message, stack);
    }
    let crashed: { message: string; stack?: string } | undefined;
    try {
      await this.loop(local, pool, workers === 0 ? 1 : workers * 3);
    } catch (e) {
      crashed = errorText(e);
    } finally {
      await pool?.close();
    }
    if (crashed !== undefined) return this.errorResult('workers', crashed.message, crashed.stack);
    return this.result();
  }

  /** Checks and queues the initial states (level 1); a model failure is returned, not thrown. */
  private addInitialStates(expander: BatchExpander<S, A>): { phase: string; message: string; stack?: string } | undefined {
    let inits: readonly S[];
    try {
      inits = this.model.initStates();
    } catch (e) {
      return { phase: 'initStates', ...errorText(e) };
    }
    const r = expander.initial(inits);
    if (r.error !== undefined)
      return { phase: r.error.phase, message: r.error.message, ...(r.error.stack === undefined ? {} : { stack: r.error.stack }) };
    if (!this.shapeMatches(r, 0)) return undefined;
    const names = r.names;
    const bounds = r.bounds;
    let row = 0;
    for (let ordinal = 0; ordinal < inits.length; ordinal++) {
      this.generated++;
      if (r.known[ordinal] === 1) continue;
      const index = this.seen.insert(r.fingerprints[2 * ordinal]!, r.fingerprints[2 * ordinal + 1]!, NO_PARENT, ordinal);
      const thisRow = row++;
      if (index < 0) continue;
      this.initial++;
      this.foundAt(1);
      this.countCensus(r, thisRow);
      if (!this.checkRow(r, thisRow, { index, depth: 1 })) return undefined;
      const bound = bounds[thisRow]!;
      if (bound !== 0) this.tally.cut(names[bound - 1]!);
      else this.enqueue(r, ordinal, index, 1);
      if (this.reachedMaxStates()) return undefined;
    }
    this.endLevel();
    return undefined;
  }

  /**
   * Dispatches sealed batches and merges their results in order. With a pool, only batches of at
   * least 1/8 of the full size travel to a worker: the small ones (the narrow first and last levels,
   * level ends) cost less here than a round trip. Where a batch is expanded does not change its result.
   */
  private async loop(local: Expander, pool: Expander | undefined, maxInFlight: number): Promise<void> {
    const inFlight: { sealed: SealedBatch; result: Promise<BatchResult> }[] = [];
    const shipFrom = this.batchSize / 8;
    while (this.stopReason === undefined && this.failure === undefined && !this.stopForViolation()) {
      while (inFlight.length < maxInFlight && this.queue.size > 0) {
        const sealed = this.queue.shift();
        const share = this.seen.share();
        const ship = pool !== undefined && sealed.batch.offsets.length - 1 >= shipFrom;
        if (!ship) pool?.practise?.(sealed.batch);
        const result = ship ? pool.run(share === undefined ? sealed.batch : { ...sealed.batch, seen: share }) : local.run(sealed.batch);
        // Results left unread when the run stops must not surface as unhandled rejections.
        result.catch(() => undefined);
        inFlight.push({ sealed, result });
      }
      const head = inFlight.shift();
      if (head === undefined) break;
      this.merge(head.sealed, await head.result);
      this.stopReason ??= this.limits.check(this.progressFacts());
      await this.limits.yieldIfDue();
    }
  }

  private stopForViolation(): boolean {
    return this.stopAtFirst && this.found.length > 0;
  }

  private reachedMaxStates(): boolean {
    const max = this.options.maxStates;
    if (max !== undefined && this.seen.size >= max) {
      this.stopReason = 'maxStates';
      return true;
    }
    return false;
  }

  private seal(last = false): void {
    const sealed = this.builder.seal();
    sealed.last = last;
    this.queue.push(sealed);
    this.lastSealed = sealed;
  }

  /** The level being built is complete: seal what is left and start the next one. */
  private endLevel(): void {
    if (this.builder.count > 0) this.seal(true);
    else if (this.lastSealed !== undefined && this.lastSealed.level === this.builder.level) this.lastSealed.last = true;
    this.builder = new LevelBuilder(this.builder.level + 1, this.batchSize, this.builder.capacity);
  }

  /** Queues new state `index` (successor `s` of a result) at `depth`, unless the depth limit stops it. */
  private enqueue(r: BatchResult, s: number, index: number, depth: number): void {
    const maxDepth = this.options.maxDepth;
    if (maxDepth !== undefined && depth >= maxDepth) {
      this.depthCut = true;
      return;
    }
    this.queued++;
    const full =
      r.states !== undefined
        ? this.builder.appendObject(index, r.states[s])
        : this.builder.append(index, r.successorBytes, r.successorOffsets[s]!, r.successorOffsets[s + 1]!);
    if (full) this.seal();
  }

  private shapeMatches(r: BatchResult, index: number): boolean {
    const nInv = this.model.invariants.length;
    const nStep = this.model.stepProperties?.length ?? 0;
    const nWit = this.model.witnesses?.length ?? 0;
    if (r.shape[0] === nInv && r.shape[1] === nStep && r.shape[2] === nWit) return true;
    this.failure = {
      index,
      phase: 'workers',
      message:
        `the model built by the worker factory has ${r.shape.join('/')} invariants/step properties/witnesses, ` +
        `the model given to check() has ${nInv}/${nStep}/${nWit}: the factory must build the same model`,
    };
    return false;
  }

  /**
   * Tallies check row `row` of `r` (a state first found, or an intermediate state first checked) at
   * `where`; false when the run must stop at a violation it shows.
   */
  private checkRow(
    r: BatchResult,
    row: number,
    where: { readonly index: number; readonly depth: number; readonly step?: Found['step'] },
  ): boolean {
    const t = this.tally;
    const nInv = r.shape[0];
    const nWit = r.shape[2];
    const codes = r.invariantCodes;
    for (let k = 0; k < nInv; k++) {
      const code = codes[row * nInv + k]!;
      if (code === HELD) t.invariantPremise[k]!++;
      else if (code === FAILED) {
        t.invariantPremise[k]!++;
        t.invariantViolations[k]!++;
        if (!this.invariantFound[k]) {
          this.invariantFound[k] = true;
          const text = r.explanations.find((e) => e.kind === 'row' && e.at === row && e.property === k)?.text ?? '';
          this.found.push({ kind: 'invariant', property: this.model.invariants[k]!.name, explanation: text, ...where });
          if (this.stopAtFirst) return false;
        }
      }
    }
    const hits = r.witnessHits;
    for (let k = 0; k < nWit; k++) if (hits[row * nWit + k] === 1) t.witnessed(k, where.depth);
    return true;
  }

  /** Merges one batch result, state by state, stopping exactly where a stop condition arises. */
  private merge(sealed: SealedBatch, r: BatchResult): void {
    if (!this.shapeMatches(r, sealed.indices[0]!)) return;
    const model = this.model;
    const steps = model.stepProperties ?? [];
    const nStep = steps.length;
    const actionIds = new Int32Array(r.names.length).fill(-1);
    const seen = this.seen;
    const t = this.tally;
    // The result arrays, read once: objects that come out of a message may have slow property access.
    const { fingerprints: fps, actions, known, via, stepCodes, flags, successorEnds, names, bounds } = r;
    const { intermediateFingerprints: ifps, intermediateKnown } = r;
    const { fired, enabled, lastEnabledBy, newStates } = t;
    const level = sealed.level;
    let s = 0;
    let sub = 0;
    let mid = 0;
    let row = 0;
    /** Successors not known to be seen so far: their census values are in that order. */
    let finals = 0;
    for (let j = 0; j < r.count; j++) {
      const index = sealed.indices[j]!;
      this.expanded++;
      if ((flags[j]! & FLAG_DEADLOCK) !== 0 && !this.deadlockFound) {
        this.deadlockFound = true;
        this.found.push({
          kind: 'deadlock',
          property: 'deadlock',
          explanation: 'no action is enabled in this state, which is within bounds',
          index,
          depth: level,
        });
        if (this.stopAtFirst) return;
      }
      const first = s;
      const end = successorEnds[j]!;
      for (; s < end; s++) {
        const ordinal = s - first;
        const hi = fps[2 * s]!;
        const lo = fps[2 * s + 1]!;
        const subSteps = via[s]! + 1;
        let id = -1;
        for (let u = 0; u < subSteps; u++, sub++) {
          const local = actions[sub]!;
          id = actionIds[local]!;
          if (id < 0) id = actionIds[local] = t.actionId(names[local]!);
          fired[id]!++;
          if (lastEnabledBy[id] !== index) {
            lastEnabledBy[id] = index;
            enabled[id]!++;
          }
          t.transitions++;
          const whole = u === subSteps - 1;
          for (let k = 0; k < nStep; k++) {
            const code = stepCodes[sub * nStep + k]!;
            if (code === HELD) t.stepPremise[k]!++;
            else if (code === FAILED) {
              t.stepPremise[k]!++;
              t.stepViolations[k]!++;
              if (!this.stepFound[k]) {
                this.stepFound[k] = true;
                const text = r.explanations.find((e) => e.kind === 'subStep' && e.at === sub && e.property === k)?.text ?? '';
                this.found.push({
                  kind: 'stepProperty',
                  property: steps[k]!.name,
                  explanation: text,
                  index,
                  depth: level + 1,
                  step: { ordinal, hi, lo, ...(whole ? {} : { subSteps: u + 1 }) },
                });
                if (this.stopAtFirst) return this.countSuccessors(ordinal + 1);
              }
            }
          }
          if (whole) break;
          // The intermediate state this sub-step reached.
          if (intermediateKnown[mid] === 0) {
            const thisRow = row++;
            if (this.intermediates.add(ifps[2 * mid]!, ifps[2 * mid + 1]!)) {
              t.intermediate++;
              const step = { ordinal, hi, lo, subSteps: u + 1 };
              if (!this.checkRow(r, thisRow, { index, depth: level + 1, step })) return this.countSuccessors(ordinal + 1);
            }
          }
          mid++;
        }
        sub++;
        // A successor a worker (or this batch) already found cannot be new.
        if (known[s] === 0) {
          const thisRow = row++;
          const finalRow = finals++;
          const added = seen.insert(hi, lo, index, ordinal);
          if (added >= 0) {
            newStates[id]!++;
            this.foundAt(level + 1);
            this.countCensus(r, finalRow);
            if (!this.checkRow(r, thisRow, { index: added, depth: level + 1 })) return this.countSuccessors(ordinal + 1);
            const bound = bounds[thisRow]!;
            if (bound !== 0) t.cut(names[bound - 1]!);
            else this.enqueue(r, s, added, level + 1);
            if (this.reachedMaxStates()) return this.countSuccessors(ordinal + 1);
          }
        }
      }
      this.countSuccessors(end - first);
    }
    if (r.error !== undefined) {
      const { state, ...rest } = r.error;
      this.failure = { index: sealed.indices[state]!, ...rest };
      return;
    }
    if (sealed.last) this.endLevel();
  }

  /** The census values of the `k`-th successor not known to be seen in `r`, counted for a new state. */
  private countCensus(r: BatchResult, k: number): void {
    const tables = this.census;
    if (tables === undefined) return;
    const n = tables.length;
    for (let d = 0; d < n; d++) tables[d]!.add(r.census[2 * (k * n + d)]!, r.census[2 * (k * n + d) + 1]!);
  }

  /** One more distinct state, first found (and checked) at `depth`. */
  private foundAt(depth: number): void {
    this.tally.checked++;
    this.levelSizes[depth - 1] = (this.levelSizes[depth - 1] ?? 0) + 1;
    if (depth > this.depth) this.depth = depth;
  }

  /** `n` more successors generated. */
  private countSuccessors(n: number): void {
    this.generated += n;
  }

  private progressFacts(): { distinct: number; generated: number; queue: number; depth: number } {
    return {
      distinct: this.seen.size,
      generated: this.generated,
      queue: this.queued - this.expanded,
      depth: this.depth,
    };
  }

  private traceTo(found: Found): Trace<S, A> {
    let trace = rebuildTrace(this.model, this.seen, found.index, this.symmetry);
    if (found.step !== undefined) {
      const { ordinal, hi, lo, subSteps } = found.step;
      trace = extendTrace(this.model, trace, ordinal, { hi, lo }, this.symmetry, subSteps);
    }
    confirmViolation(this.model, trace, found.kind, found.property);
    return trace;
  }

  private stats(): Stats {
    const distinct = this.seen.size;
    return runStats(this.tally, {
      elapsedMs: this.limits.elapsedMs(),
      generated: this.generated,
      distinct,
      depth: this.depth,
      frontier: this.queued - this.expanded,
      initial: this.initial,
      levelSizes: this.levelSizes,
      collisionBasis: this.generated,
      seenSetBytes: this.seen.byteSize,
      intermediateSetBytes: this.intermediates.byteSize,
      workers: Math.max(0, Math.floor(this.options.workers ?? 0)),
      symmetry: this.symmetry,
      ...(this.census === undefined
        ? {}
        : { census: (this.model.census?.dimensions ?? []).map((name, d) => ({ name, distinct: this.census![d]!.size })) }),
    });
  }

  private base(): { model: string; mode: 'exhaustive'; stats: Stats; properties: PropertyReport[] } {
    return { model: this.model.name, mode: 'exhaustive', stats: this.stats(), properties: this.tally.properties() };
  }

  private errorResult(phase: string, message: string, stack?: string, trace?: Trace<S, A>): CheckResult<S, A> {
    return {
      ...this.base(),
      kind: 'error',
      phase,
      message,
      ...(stack === undefined ? {} : { stack }),
      ...(trace === undefined ? {} : { trace }),
    };
  }

  private result(): CheckResult<S, A> {
    if (this.failure !== undefined) {
      const f = this.failure;
      let trace: Trace<S, A> | undefined;
      try {
        if (f.index < this.seen.size) trace = rebuildTrace(this.model, this.seen, f.index, this.symmetry);
        // Then to the successor the model failed on, if it can be reached again.
        if (trace !== undefined && f.successor !== undefined) {
          const { ordinal, subSteps } = f.successor;
          trace = extendTrace(this.model, trace, ordinal, undefined, this.symmetry, subSteps);
        }
      } catch {
        trace = undefined;
      }
      return this.errorResult(f.phase, f.message, f.stack, trace);
    }
    const violations: Violation<S, A>[] = [];
    try {
      for (const f of this.found) {
        violations.push({
          kind: f.kind,
          property: f.property,
          explanation: f.explanation,
          depth: f.depth,
          trace: this.traceTo(f),
        });
      }
    } catch (e) {
      const { message, stack } = errorText(e);
      return this.errorResult('trace', message, stack);
    }
    const exhaustive = this.stopReason === undefined && !this.depthCut && !this.stopForViolation();
    if (exhaustive) {
      (this.model.witnesses ?? []).forEach((w, k) => {
        if (this.tally.witnessHits[k] === 0) {
          violations.push({
            kind: 'witness',
            property: w.name,
            explanation: 'no reachable state satisfies this witness',
            depth: 0,
          });
        }
      });
    }
    const stopped: StopReason | undefined = this.stopReason ?? (this.depthCut ? 'maxDepth' : undefined);
    if (violations.length > 0) {
      const incomplete = this.stopForViolation() ? undefined : stopped;
      return { ...this.base(), kind: 'violation', violations, ...(incomplete === undefined ? {} : { stoppedBy: incomplete }) };
    }
    if (stopped !== undefined) {
      return { ...this.base(), kind: 'incomplete', reason: stopped, detail: this.limits.describe(stopped) };
    }
    return { ...this.base(), kind: 'ok' };
  }
}

/**
 * Exhaustive breadth-first check of `model` (TLC's BFS mode). Guarantees: the first violation
 * reported has a shortest trace (rebuilt by replay and validated against the stored
 * fingerprints); counts, verdicts and traces are the same for any `workers`; with
 * `continueAfterViolation`, one shortest trace per violated property. Never throws for a model
 * failure: that is an `error` result.
 */
export async function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): Promise<CheckResult<S, A>> {
  return new Exploration(model, options).run();
}
