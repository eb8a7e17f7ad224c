/**
 * Expanding a batch of states: the part of TLC's Worker loop that needs no shared state
 * (style-anchors §2, §7.7). For each state in order: generate its successors; fingerprint each (its
 * representative under symmetry); evaluate the step properties on every sub-step and the
 * invariants and witnesses on every intermediate state of a composite successor; and, for each
 * successor not already known to be seen, evaluate the invariants, witnesses and bounds on it and
 * keep it (as an object, or encoded for another thread). States are thus checked when they are
 * first found, before they are queued (as TLC does); the main thread decides which are new.
 * Everything comes back as flat typed arrays, so a worker can transfer it without copying and the
 * main thread can merge it without allocating.
 *
 * The same code runs in worker threads and, with `workers: 0`, in the calling thread, which is
 * why the results do not depend on the number of workers.
 */
import type { Model, Successor, Verdict } from './model.js';
import { ByteWriter } from './bytes.js';
import { FingerprintTable, SeenSetReader, type SeenSetShare } from './seenSet.js';
import { stateFingerprint } from './trace.js';

export interface ExpandSettings {
  readonly symmetry: boolean;
  readonly checkDeadlock: boolean;
  /**
   * Keep new successors as objects (`BatchResult.states`) instead of encoding them: for expansion
   * in the thread that also queues them, where a state object costs less than encoding it now and
   * decoding it later.
   */
  readonly keepObjects?: boolean;
  /** Fingerprint the model's census values of every successor not known to be seen. */
  readonly census?: boolean;
}

/** States of one level, all within bounds and to be expanded (in the order of their discovery indices). */
export interface Batch {
  /** The states encoded back to back (empty when `states` is given). */
  readonly bytes: Uint8Array;
  /** `count + 1` offsets into `bytes`. */
  readonly offsets: Uint32Array;
  /** The states themselves, when the batch never leaves the thread that built it. */
  readonly states?: readonly unknown[];
  /**
   * The main thread's seen set, shared read-only with workers: successors found in it are
   * flagged `known`, and are neither checked nor sent back.
   */
  readonly seen?: SeenSetShare;
}

/** Verdict codes in `BatchResult.invariantCodes` and `stepCodes`. */
export const HELD_VACUOUSLY = 0;
export const HELD = 1;
export const FAILED = 2;

/** Bit in `BatchResult.flags`: the state has no successor. */
export const FLAG_DEADLOCK = 1;

export interface Explanation {
  /** A check row (see `BatchResult.invariantCodes`) for an invariant, a sub-step for a step property. */
  readonly kind: 'row' | 'subStep';
  readonly at: number;
  /** Index into the model's invariants or step properties. */
  readonly property: number;
  readonly text: string;
}

export interface ExpandError {
  readonly state: number;
  /** When it failed on a successor: which one of the state's, and after how many of its sub-steps (all when absent). */
  readonly successor?: { readonly ordinal: number; readonly subSteps?: number };
  readonly phase: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * What expanding a batch found. Successors are numbered across the batch; a successor has
 * `via[s] + 1` sub-steps (numbered across the batch too) and `via[s]` intermediate states. A check
 * row holds the verdicts on one checked state: an intermediate state not known to be checked
 * already, then the successor itself if it is not known to be seen, in successor order.
 */
export interface BatchResult {
  /** States fully processed: the batch size, or the index of the state that raised `error`. */
  readonly count: number;
  readonly shape: readonly [invariants: number, stepProperties: number, witnesses: number];
  /** Action and bound names used in this batch; `actions` and `bounds` index into it. */
  readonly names: readonly string[];
  /** Per state: FLAG_DEADLOCK. */
  readonly flags: Uint8Array;
  /** Per state: one past the number of its last successor. */
  readonly successorEnds: Uint32Array;
  /** Per successor: high and low 32 bits of its fingerprint. */
  readonly fingerprints: Uint32Array;
  /** Per successor: 1 if it was certainly seen already (then it has no row and no bytes), else 0. */
  readonly known: Uint8Array;
  /** Per successor: the number of its intermediate states (0 for an ordinary successor). */
  readonly via: Uint32Array;
  /** Per sub-step: index into `names` of its action's name. */
  readonly actions: Uint16Array;
  /** Per sub-step and step property (sub-step-major): HELD_VACUOUSLY, HELD or FAILED. */
  readonly stepCodes: Uint8Array;
  /** Per intermediate state: its fingerprint. */
  readonly intermediateFingerprints: Uint32Array;
  /** Per intermediate state: 1 if this thread has checked it before (then it has no row), else 0. */
  readonly intermediateKnown: Uint8Array;
  /** Per check row and invariant (row-major): HELD_VACUOUSLY, HELD or FAILED. */
  readonly invariantCodes: Uint8Array;
  /** Per check row and witness: 1 if the state satisfies it. */
  readonly witnessHits: Uint8Array;
  /** Per check row: 0 if within bounds (always for an intermediate state), else 1 + index into `names`. */
  readonly bounds: Uint16Array;
  /** Encoded successors (not known ones), unless `states` holds them. */
  readonly successorBytes: Uint8Array;
  /** `successors + 1` offsets into `successorBytes`. */
  readonly successorOffsets: Uint32Array;
  /** With `census`: per successor not known to be seen, the fingerprints of its census values. */
  readonly census: Uint32Array;
  /** With `keepObjects`: per successor, the state (undefined when known). */
  readonly states?: readonly unknown[];
  /** The first failure of each property in this batch, with its explanation. */
  readonly explanations: readonly Explanation[];
  readonly error?: ExpandError;
}

/** Growable Uint32Array / Uint16Array / Uint8Array (successor counts are not known in advance). */
class Grow<T extends Uint32Array | Uint16Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let size = Math.max(16, this.data.length * 2);
    while (size < this.length + n) size *= 2;
    const next = this.make(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  push(x: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = x;
  }
  /** Appends `n` zeros and returns where they start. */
  zeros(n: number): number {
    this.reserve(n);
    const at = this.length;
    this.data.fill(0, at, at + n);
    this.length += n;
    return at;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const u32 = (n: number): Uint32Array => new Uint32Array(n);
const u16 = (n: number): Uint16Array => new Uint16Array(n);
const u8 = (n: number): Uint8Array => new Uint8Array(n);

function errorOf(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return e.stack === undefined ? { message: e.message } : { message: e.message, stack: e.stack };
  return { message: String(e) };
}

/** Anything that can say a fingerprint is certainly in the seen set. */
export interface SeenLookup {
  has(hi: number, lo: number): boolean;
}

/** The output buffers of one batch being expanded. */
class Output<S, A> {
  readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private lastName = '';
  private lastId = -1;
  readonly fingerprints: Grow<Uint32Array>;
  readonly known: Grow<Uint8Array>;
  readonly via: Grow<Uint32Array>;
  readonly actions: Grow<Uint16Array>;
  readonly stepCodes: Grow<Uint8Array>;
  readonly intermediateFingerprints: Grow<Uint32Array>;
  readonly intermediateKnown: Grow<Uint8Array>;
  readonly invariantCodes: Grow<Uint8Array>;
  readonly witnessHits: Grow<Uint8Array>;
  readonly bounds: Grow<Uint16Array>;
  readonly offsets: Grow<Uint32Array>;
  readonly census = new Grow(u32(16), u32);
  readonly out: ByteWriter;
  readonly states: unknown[] | undefined;
  readonly explanations: Explanation[] = [];
  private readonly explainedInvariant: Uint8Array;
  private readonly explainedStep: Uint8Array;
  rows = 0;
  subSteps = 0;

  constructor(model: Model<S, A>, expected: number, expectedBytes: number, keepObjects: boolean) {
    const nInv = model.invariants.length;
    const nStep = model.stepProperties?.length ?? 0;
    const nWit = model.witnesses?.length ?? 0;
    this.fingerprints = new Grow(u32(expected * 2), u32);
    this.known = new Grow(u8(expected), u8);
    this.via = new Grow(u32(expected), u32);
    this.actions = new Grow(u16(expected), u16);
    this.stepCodes = new Grow(u8(expected * nStep), u8);
    this.intermediateFingerprints = new Grow(u32(16), u32);
    this.intermediateKnown = new Grow(u8(16), u8);
    this.invariantCodes = new Grow(u8((expected >> 2) * nInv + 16), u8);
    this.witnessHits = new Grow(u8((expected >> 2) * nWit + 16), u8);
    this.bounds = new Grow(u16((expected >> 2) + 16), u16);
    this.offsets = new Grow(u32(expected + 1), u32);
    this.offsets.push(0);
    this.out = new ByteWriter(keepObjects ? 16 : expectedBytes);
    this.states = keepObjects ? [] : undefined;
    this.explainedInvariant = new Uint8Array(nInv);
    this.explainedStep = new Uint8Array(nStep);
  }

  nameId(name: string): number {
    // Consecutive successors often come from the same action.
    if (name === this.lastName && this.lastId >= 0) return this.lastId;
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    this.lastName = name;
    this.lastId = id;
    return id;
  }

  explainInvariant(k: number, row: number, text: string): void {
    if (this.explainedInvariant[k] === 1) return;
    this.explainedInvariant[k] = 1;
    this.explanations.push({ kind: 'row', at: row, property: k, text });
  }

  explainStep(k: number, subStep: number, text: string): void {
    if (this.explainedStep[k] === 1) return;
    this.explainedStep[k] = 1;
    this.explanations.push({ kind: 'subStep', at: subStep, property: k, text });
  }
}

/** Expands batches for one model; keeps scratch buffers (and what it has checked) between batches. */
export class BatchExpander<S, A> {
  private readonly fp = new Uint32Array(2);
  /** Sizes of the last batch's output, to allocate the next one's about right. */
  private expectedSuccessors = 64;
  private expectedBytes = 1024;
  /** Successors met in the batch being expanded: a later copy is certainly not new. */
  private readonly inBatch = new FingerprintTable(1 << 10);
  /**
   * Intermediate states this expander has checked in batches whose results are merged (merging is
   * in batch order, so the main thread has counted them, or will before it reads this batch).
   */
  private readonly checkedIntermediates = new FingerprintTable(1 << 10);
  /** What the model was doing, for the error report; a property's name is added only on failure. */
  private phase = '';
  private property = '';
  /** The successor being processed (-1: none yet), and the sub-steps of it taken so far (-1: all). */
  private ordinal = -1;
  private subSteps = -1;

  constructor(
    private readonly model: Model<S, A>,
    private readonly settings: ExpandSettings,
    /** In the main thread: the seen set itself, to skip successors already seen. */
    private readonly seenHere?: SeenLookup,
  ) {
    if (settings.symmetry && model.representative === undefined) {
      throw new Error(`symmetry was requested but model ${model.name} has no representative()`);
    }
    if (settings.census === true && model.census === undefined)
      throw new Error(`a census was requested but model ${model.name} has no census`);
  }

  /**
   * Checks the initial states: a result with one pseudo-state whose successors, without actions
   * or sub-steps, are the initial states.
   */
  initial(states: readonly S[]): BatchResult {
    const o = new Output<S, A>(this.model, Math.max(16, states.length), 1024, this.settings.keepObjects === true);
    this.inBatch.clear();
    let error: ExpandError | undefined;
    try {
      for (const state of states) this.found(o, state, this.seenHere, false);
    } catch (e) {
      error = { state: 0, phase: this.where(), ...errorOf(e) };
    }
    const successorEnds = new Uint32Array(1);
    successorEnds[0] = o.known.length;
    return this.result(o, error === undefined ? 1 : 0, new Uint8Array(1), successorEnds, error);
  }

  /**
   * Processes every state of `batch` in order; stops at the first state on which the model throws.
   * With `practice`, the result will be dropped, so nothing is remembered from it.
   */
  expand(batch: Batch, practice = false): BatchResult {
    const model = this.model;
    const codec = model.codec;
    const n = batch.states?.length ?? batch.offsets.length - 1;
    const o = new Output<S, A>(model, this.expectedSuccessors, this.expectedBytes, this.settings.keepObjects === true);
    const flags = new Uint8Array(n);
    const successorEnds = new Uint32Array(n);
    const reader: SeenLookup | undefined = batch.seen === undefined ? this.seenHere : new SeenSetReader(batch.seen);
    this.inBatch.clear();
    let error: ExpandError | undefined;
    let done = 0;
    // Where each state's output starts, to cut a failed state's partial output back.
    let mark = this.mark(o);
    for (let j = 0; j < n; j++) {
      try {
        this.phase = 'decode';
        const state =
          batch.states === undefined
            ? codec.decode(batch.bytes.subarray(batch.offsets[j]!, batch.offsets[j + 1]!))
            : (batch.states[j] as S);
        this.phase = 'successors';
        this.ordinal = -1;
        const succs = model.successors(state);
        if (succs.length === 0 && this.settings.checkDeadlock) flags[j] = FLAG_DEADLOCK;
        for (let k = 0; k < succs.length; k++) {
          this.ordinal = k;
          this.successor(o, state, succs[k]!, reader, practice);
        }
        successorEnds[j] = o.known.length;
        done = j + 1;
        mark = this.mark(o);
      } catch (e) {
        error = { state: j, phase: this.where(), ...this.failedSuccessor(), ...errorOf(e) };
        this.cut(o, mark);
        break;
      }
    }
    this.expectedSuccessors = Math.max(64, o.known.length);
    this.expectedBytes = Math.max(1024, o.out.pos);
    return this.result(o, done, flags, successorEnds, error);
  }

  private failedSuccessor(): { successor?: { ordinal: number; subSteps?: number } } {
    if (this.ordinal < 0) return {};
    return { successor: { ordinal: this.ordinal, ...(this.subSteps < 0 ? {} : { subSteps: this.subSteps }) } };
  }

  private where(): string {
    const p = this.phase;
    return p === 'invariant' || p === 'witness' || p === 'stepProperty' ? `${p} ${this.property}` : p;
  }

  /** One successor of `from`: its sub-steps, its intermediate states, and itself. */
  private successor(o: Output<S, A>, from: S, succ: Successor<S, A>, reader: SeenLookup | undefined, practice: boolean): void {
    const model = this.model;
    const via = succ.via;
    let prev = from;
    if (via !== undefined) {
      for (let k = 0; k < via.length; k++) {
        const sub = via[k]!;
        this.subSteps = k + 1;
        this.subStep(o, prev, sub.action, sub.state);
        this.phase = 'fingerprint';
        stateFingerprint(model, sub.state, this.settings.symmetry, this.fp);
        const hi = this.fp[0]!;
        const lo = this.fp[1]!;
        o.intermediateFingerprints.push(hi);
        o.intermediateFingerprints.push(lo);
        const known = practice ? this.checkedIntermediates.has(hi, lo) : !this.checkedIntermediates.add(hi, lo);
        o.intermediateKnown.push(known ? 1 : 0);
        if (!known) this.checkRow(o, sub.state, false);
        prev = sub.state;
      }
    }
    this.subSteps = -1;
    this.subStep(o, prev, succ.action, succ.state);
    o.via.push(via?.length ?? 0);
    this.found(o, succ.state, reader, true);
  }

  /** A state just reached (a successor, or an initial state): fingerprint, and check it unless known. */
  private found(o: Output<S, A>, state: S, reader: SeenLookup | undefined, isSuccessor: boolean): void {
    this.phase = this.settings.symmetry ? 'representative' : 'fingerprint';
    stateFingerprint(this.model, state, this.settings.symmetry, this.fp);
    const hi = this.fp[0]!;
    const lo = this.fp[1]!;
    o.fingerprints.push(hi);
    o.fingerprints.push(lo);
    const known = reader?.has(hi, lo) === true || !this.inBatch.add(hi, lo);
    o.known.push(known ? 1 : 0);
    if (!isSuccessor) o.via.push(0);
    if (!known) {
      this.checkRow(o, state, true);
      if (this.settings.census === true) this.census(o, state);
      if (o.states !== undefined) {
        o.states.push(state);
      } else {
        this.phase = 'encode';
        const codec = this.model.codec;
        o.out.bytes(codec.encodeTransient === undefined ? codec.encode(state) : codec.encodeTransient(state));
      }
    } else if (o.states !== undefined) {
      o.states.push(undefined);
    }
    o.offsets.push(o.out.pos);
  }

  private census(o: Output<S, A>, state: S): void {
    this.phase = 'census';
    for (const value of this.model.census!.values(state)) {
      stateFingerprint(this.model, value as S, false, this.fp);
      o.census.push(this.fp[0]!);
      o.census.push(this.fp[1]!);
    }
  }

  /** The step properties on `from --action--> to`, as one sub-step. */
  private subStep(o: Output<S, A>, from: S, action: A, to: S): void {
    const model = this.model;
    this.phase = 'actionName';
    o.actions.push(o.nameId(model.actionName(action)));
    const steps = model.stepProperties ?? [];
    for (let k = 0; k < steps.length; k++) {
      const prop = steps[k]!;
      this.phase = 'stepProperty';
      this.property = prop.name;
      const v = prop.check(from, action, to);
      if (v.holds) {
        o.stepCodes.push(v.premise ? HELD : HELD_VACUOUSLY);
      } else {
        o.stepCodes.push(FAILED);
        o.explainStep(k, o.subSteps, v.explanation);
      }
    }
    o.subSteps++;
  }

  /** Invariants, witnesses and (for a state that may be queued) bounds on `state`, as one row. */
  private checkRow(o: Output<S, A>, state: S, withBounds: boolean): void {
    const model = this.model;
    const invariants = model.invariants;
    const witnesses = model.witnesses ?? [];
    const row = o.rows++;
    for (let k = 0; k < invariants.length; k++) {
      const inv = invariants[k]!;
      this.phase = 'invariant';
      this.property = inv.name;
      const v: Verdict = inv.check(state);
      if (v.holds) {
        o.invariantCodes.push(v.premise ? HELD : HELD_VACUOUSLY);
      } else {
        o.invariantCodes.push(FAILED);
        o.explainInvariant(k, row, v.explanation);
      }
    }
    const at = o.witnessHits.zeros(witnesses.length);
    for (let k = 0; k < witnesses.length; k++) {
      this.phase = 'witness';
      this.property = witnesses[k]!.name;
      if (witnesses[k]!.holds(state)) o.witnessHits.data[at + k] = 1;
    }
    let bound: string | undefined;
    if (withBounds) {
      this.phase = 'outsideBounds';
      bound = model.outsideBounds?.(state);
    }
    o.bounds.push(bound === undefined ? 0 : 1 + o.nameId(bound));
  }

  private mark(o: Output<S, A>): readonly number[] {
    return [o.known.length, o.actions.length, o.intermediateKnown.length, o.rows, o.out.pos, o.explanations.length, o.census.length];
  }

  /** Drops the output written after `mark` (by a state that threw). */
  private cut(o: Output<S, A>, mark: readonly number[]): void {
    const [succs, subSteps, intermediates, rows, pos, explanations, census] = mark as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    o.census.length = census;
    const nInv = this.model.invariants.length;
    const nStep = this.model.stepProperties?.length ?? 0;
    const nWit = this.model.witnesses?.length ?? 0;
    o.fingerprints.length = succs * 2;
    o.known.length = succs;
    o.via.length = succs;
    o.offsets.length = succs + 1;
    o.states?.splice(succs);
    o.actions.length = subSteps;
    o.stepCodes.length = subSteps * nStep;
    o.subSteps = subSteps;
    o.intermediateFingerprints.length = intermediates * 2;
    o.intermediateKnown.length = intermediates;
    o.rows = rows;
    o.invariantCodes.length = rows * nInv;
    o.witnessHits.length = rows * nWit;
    o.bounds.length = rows;
    o.out.pos = pos;
    o.explanations.splice(explanations);
  }

  private result(
    o: Output<S, A>,
    count: number,
    flags: Uint8Array,
    successorEnds: Uint32Array,
    error: ExpandError | undefined,
  ): BatchResult {
    const model = this.model;
    const result: BatchResult = {
      count,
      shape: [model.invariants.length, model.stepProperties?.length ?? 0, model.witnesses?.length ?? 0],
      names: o.names,
      flags,
      successorEnds,
      fingerprints: o.fingerprints.view(),
      known: o.known.view(),
      via: o.via.view(),
      actions: o.actions.view(),
      stepCodes: o.stepCodes.view(),
      intermediateFingerprints: o.intermediateFingerprints.view(),
      intermediateKnown: o.intermediateKnown.view(),
      invariantCodes: o.invariantCodes.view(),
      witnessHits: o.witnessHits.view(),
      bounds: o.bounds.view(),
      successorBytes: o.out.buf.subarray(0, o.out.pos),
      successorOffsets: o.offsets.view(),
      census: o.census.view(),
      ...(o.states === undefined ? {} : { states: o.states }),
      explanations: o.explanations,
    };
    return error === undefined ? result : { ...result, error };
  }
}

/** The ArrayBuffers of a result, for zero-copy transfer out of a worker. */
export function transferables(r: BatchResult): ArrayBuffer[] {
  const arrays = [
    r.flags,
    r.successorEnds,
    r.fingerprints,
    r.known,
    r.via,
    r.actions,
    r.stepCodes,
    r.intermediateFingerprints,
    r.intermediateKnown,
    r.invariantCodes,
    r.witnessHits,
    r.bounds,
    r.successorBytes,
    r.successorOffsets,
    r.census,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}
