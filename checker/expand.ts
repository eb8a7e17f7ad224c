/**
 * Expanding a batch of encoded states: the part of TLC's Worker loop that needs no shared state
 * (style-anchors §2, §7.7). For each state in order: decode it, evaluate the invariants and
 * witnesses, ask whether it is within bounds, and if it is to be expanded, generate its
 * successors, encode and fingerprint each (of its representative under symmetry) and evaluate the
 * step properties on each transition. Everything comes back as flat typed arrays, so a worker can
 * transfer it without copying and the main thread can merge it without allocating.
 *
 * The same function runs in worker threads and, with `workers: 0`, in the calling thread, which is
 * why the results do not depend on the number of workers.
 */
import type { Model, Verdict } from './model.js';
import { ByteWriter } from './bytes.js';
import { hash64 } from './fingerprint.js';
import { SeenSetReader, type SeenSetShare } from './seenSet.js';

export interface ExpandSettings {
  readonly symmetry: boolean;
  readonly checkDeadlock: boolean;
}

/** States with consecutive discovery indices, encoded back to back. */
export interface Batch {
  readonly bytes: Uint8Array;
  /** `count + 1` offsets into `bytes`. */
  readonly offsets: Uint32Array;
  /** False at the depth limit: check the states but do not generate successors. */
  readonly expand: boolean;
  /**
   * The main thread's seen set, shared read-only with workers: successors found in it are
   * flagged `known` and their bytes are not sent back.
   */
  readonly seen?: SeenSetShare;
}

/** Invariant verdict codes in `BatchResult.invariantCodes` and `stepCodes`. */
export const HELD_VACUOUSLY = 0;
export const HELD = 1;
export const FAILED = 2;

/** Bit in `BatchResult.flags`: the state is within bounds, was expanded, and has no successor. */
export const FLAG_DEADLOCK = 1;

export interface Explanation {
  /** State within the batch. */
  readonly state: number;
  /** Successor number within the batch for a step property; -1 for an invariant. */
  readonly successor: number;
  /** Index into the model's invariants or step properties. */
  readonly property: number;
  readonly text: string;
}

export interface ExpandError {
  readonly state: number;
  readonly phase: string;
  readonly message: string;
  readonly stack?: string;
}

export interface BatchResult {
  /** States fully processed: the batch size, or the index of the state that raised `error`. */
  readonly count: number;
  readonly shape: readonly [invariants: number, stepProperties: number, witnesses: number];
  /** Action and bound names used in this batch; `actions` and `bounds` index into it. */
  readonly names: readonly string[];
  readonly flags: Uint8Array;
  /** Per state: 0 if within bounds, else 1 + index into `names` of the bound it exceeds. */
  readonly bounds: Uint16Array;
  /** Per state and invariant (state-major): HELD_VACUOUSLY, HELD or FAILED. */
  readonly invariantCodes: Uint8Array;
  /** Per state and witness: 1 if the state satisfies it. */
  readonly witnessHits: Uint8Array;
  /** Per state: one past the index of its last successor (successors are numbered across the batch). */
  readonly successorEnds: Uint32Array;
  /** Per successor: high and low 32 bits of its fingerprint. */
  readonly fingerprints: Uint32Array;
  /** Per successor: index into `names` of its action's name. */
  readonly actions: Uint16Array;
  /** Per successor: 1 if it was certainly seen already (then it has no bytes), else 0. */
  readonly known: Uint8Array;
  /** Per successor and step property (successor-major): HELD_VACUOUSLY, HELD or FAILED. */
  readonly stepCodes: Uint8Array;
  readonly successorBytes: Uint8Array;
  /** `successors + 1` offsets into `successorBytes`. */
  readonly successorOffsets: Uint32Array;
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
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

function errorOf(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return e.stack === undefined ? { message: e.message } : { message: e.message, stack: e.stack };
  return { message: String(e) };
}

/** Expands batches for one model; keeps scratch buffers between batches. */
export class BatchExpander<S, A> {
  private readonly fp = new Uint32Array(2);
  /** Sizes of the last batch's output, to allocate the next one's about right. */
  private expectedSuccessors = 64;
  private expectedBytes = 1024;

  constructor(
    private readonly model: Model<S, A>,
    private readonly settings: ExpandSettings,
  ) {
    if (settings.symmetry && model.representative === undefined) {
      throw new Error(`symmetry was requested but model ${model.name} has no representative()`);
    }
  }

  /** Processes every state of `batch` in order; stops at the first state on which the model throws. */
  expand(batch: Batch): BatchResult {
    const model = this.model;
    const invariants = model.invariants;
    const steps = model.stepProperties ?? [];
    const witnesses = model.witnesses ?? [];
    const n = batch.offsets.length - 1;
    const names: string[] = [];
    const nameIds = new Map<string, number>();
    let lastName = '';
    let lastId = -1;
    const nameId = (name: string): number => {
      // Consecutive successors often come from the same action.
      if (name === lastName && lastId >= 0) return lastId;
      let id = nameIds.get(name);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        nameIds.set(name, id);
      }
      lastName = name;
      lastId = id;
      return id;
    };
    const flags = new Uint8Array(n);
    const bounds = new Uint16Array(n);
    const invariantCodes = new Uint8Array(n * invariants.length);
    const witnessHits = new Uint8Array(n * witnesses.length);
    const successorEnds = new Uint32Array(n);
    const fingerprints = new Grow(new Uint32Array(this.expectedSuccessors * 2), (k) => new Uint32Array(k));
    const actions = new Grow(new Uint16Array(this.expectedSuccessors), (k) => new Uint16Array(k));
    const known = new Grow(new Uint8Array(this.expectedSuccessors), (k) => new Uint8Array(k));
    const reader = batch.seen === undefined ? undefined : new SeenSetReader(batch.seen);
    const stepCodes = new Grow(new Uint8Array(this.expectedSuccessors * steps.length), (k) => new Uint8Array(k));
    const offsets = new Grow(new Uint32Array(this.expectedSuccessors + 1), (k) => new Uint32Array(k));
    const codec = model.codec;
    const encode = codec.encodeTransient === undefined ? (s: S) => codec.encode(s) : (s: S) => codec.encodeTransient!(s);
    const out = new ByteWriter(this.expectedBytes);
    const explanations: Explanation[] = [];
    const explainedInvariant = new Uint8Array(invariants.length);
    const explainedStep = new Uint8Array(steps.length);
    offsets.push(0);
    let successorCount = 0;
    let error: ExpandError | undefined;
    let done = 0;
    // What the model was doing, for the error report; a property's name is added only on failure.
    let phase = '';
    let property = '';

    for (let j = 0; j < n; j++) {
      try {
        phase = 'decode';
        const state = codec.decode(batch.bytes.subarray(batch.offsets[j]!, batch.offsets[j + 1]!));
        for (let k = 0; k < invariants.length; k++) {
          const inv = invariants[k]!;
          phase = 'invariant';
          property = inv.name;
          const v: Verdict = inv.check(state);
          if (v.holds) {
            invariantCodes[j * invariants.length + k] = v.premise ? HELD : HELD_VACUOUSLY;
          } else {
            invariantCodes[j * invariants.length + k] = FAILED;
            if (explainedInvariant[k] === 0) {
              explainedInvariant[k] = 1;
              explanations.push({ state: j, successor: -1, property: k, text: v.explanation });
            }
          }
        }
        for (let k = 0; k < witnesses.length; k++) {
          phase = 'witness';
          property = witnesses[k]!.name;
          if (witnesses[k]!.holds(state)) witnessHits[j * witnesses.length + k] = 1;
        }
        phase = 'outsideBounds';
        const bound = model.outsideBounds?.(state);
        if (bound !== undefined) bounds[j] = 1 + nameId(bound);
        if (bound === undefined && batch.expand) {
          phase = 'successors';
          const succs = model.successors(state);
          if (succs.length === 0 && this.settings.checkDeadlock) flags[j] = FLAG_DEADLOCK;
          actions.reserve(succs.length);
          known.reserve(succs.length);
          fingerprints.reserve(succs.length * 2);
          stepCodes.reserve(succs.length * steps.length);
          offsets.reserve(succs.length);
          for (const succ of succs) {
            phase = 'actionName';
            actions.push(nameId(model.actionName(succ.action)));
            let bytes: Uint8Array | undefined;
            if (this.settings.symmetry) {
              phase = 'representative';
              const rep = encode(model.representative!(succ.state));
              hash64(rep, 0, rep.length, this.fp);
            } else {
              phase = 'encode';
              bytes = encode(succ.state);
              hash64(bytes, 0, bytes.length, this.fp);
            }
            fingerprints.push(this.fp[0]!);
            fingerprints.push(this.fp[1]!);
            if (reader?.has(this.fp[0]!, this.fp[1]!) === true) {
              known.push(1);
            } else {
              known.push(0);
              phase = 'encode';
              out.bytes(bytes ?? encode(succ.state));
            }
            offsets.push(out.pos);
            for (let k = 0; k < steps.length; k++) {
              const prop = steps[k]!;
              phase = 'stepProperty';
              property = prop.name;
              const v = prop.check(state, succ.action, succ.state);
              if (v.holds) {
                stepCodes.push(v.premise ? HELD : HELD_VACUOUSLY);
              } else {
                stepCodes.push(FAILED);
                if (explainedStep[k] === 0) {
                  explainedStep[k] = 1;
                  explanations.push({ state: j, successor: successorCount, property: k, text: v.explanation });
                }
              }
            }
            successorCount++;
          }
        }
        successorEnds[j] = successorCount;
        done = j + 1;
      } catch (e) {
        const where = phase === 'invariant' || phase === 'witness' || phase === 'stepProperty' ? `${phase} ${property}` : phase;
        error = { state: j, phase: where, ...errorOf(e) };
        break;
      }
    }
    // A state that threw may have left partial successor data behind; cut back to the last whole state.
    const kept = done === 0 ? 0 : successorEnds[done - 1]!;
    this.expectedSuccessors = Math.max(64, kept);
    this.expectedBytes = Math.max(1024, out.pos);
    const result: BatchResult = {
      count: done,
      shape: [invariants.length, steps.length, witnesses.length],
      names,
      flags,
      bounds,
      invariantCodes,
      witnessHits,
      successorEnds,
      fingerprints: fingerprints.view().subarray(0, kept * 2),
      actions: actions.view().subarray(0, kept),
      known: known.view().subarray(0, kept),
      stepCodes: stepCodes.view().subarray(0, kept * steps.length),
      successorBytes: out.buf.subarray(0, offsets.data[kept]!),
      successorOffsets: offsets.view().subarray(0, kept + 1),
      explanations: explanations.filter((e) => e.state < done),
    };
    return error === undefined ? result : { ...result, error };
  }
}

/** The ArrayBuffers of a result, for zero-copy transfer out of a worker. */
export function transferables(r: BatchResult): ArrayBuffer[] {
  const arrays = [
    r.flags,
    r.bounds,
    r.invariantCodes,
    r.witnessHits,
    r.successorEnds,
    r.fingerprints,
    r.actions,
    r.known,
    r.stepCodes,
    r.successorBytes,
    r.successorOffsets,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}
