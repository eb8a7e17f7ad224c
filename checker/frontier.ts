/**
 * The frontier of the breadth-first search: the states of the next level, collected into batches
 * (encoded, or as objects when they stay in this thread) with their discovery indices, and the
 * queue of sealed batches.
 */
import { ByteWriter } from './bytes.js';
import type { Batch } from './expand.js';

/** A batch of one level, ready to be expanded. */
export interface SealedBatch {
  readonly level: number;
  /**
   * The discovery index of each state of the batch, in order. They increase but need not be
   * consecutive: a state outside the bounds gets an index and is never queued.
   */
  readonly indices: Uint32Array;
  readonly batch: Batch;
  /** The final batch of its level: merging it closes the level. */
  last: boolean;
}

/** Collects the states of the next level into batches: encoded, or as objects. */
export class LevelBuilder {
  private writer: ByteWriter;
  private offsets: Uint32Array;
  private states: unknown[] = [];
  private indices: Uint32Array;
  count = 0;

  constructor(
    readonly level: number,
    private readonly batchSize: number,
    expectedBytes: number,
  ) {
    this.writer = new ByteWriter(expectedBytes);
    this.offsets = new Uint32Array(Math.min(batchSize, 64) + 1);
    this.indices = new Uint32Array(Math.min(batchSize, 64));
  }

  /** Size of the byte buffer now in use (batches of the next level are likely to need as much). */
  get capacity(): number {
    return this.writer.buf.length;
  }

  /** Appends an encoded state; true when the batch is full. */
  append(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    this.writer.bytes(bytes, start, end);
    if (this.count + 1 === this.offsets.length) {
      const next = new Uint32Array(Math.min(this.batchSize, this.offsets.length * 2) + 1);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[this.count + 1] = this.writer.pos;
    return this.added(index);
  }

  /** Appends a state object; true when the batch is full. */
  appendObject(index: number, state: unknown): boolean {
    this.states.push(state);
    return this.added(index);
  }

  /** Records the index of the state just appended; true when the batch is full. */
  private added(index: number): boolean {
    if (this.count === this.indices.length) {
      const next = new Uint32Array(Math.min(this.batchSize, this.indices.length * 2));
      next.set(this.indices);
      this.indices = next;
    }
    this.indices[this.count++] = index;
    return this.count === this.batchSize;
  }

  /**
   * Hands out the batch as exact-size copies and keeps the (grown) buffers for the next batch: a
   * view into the buffer would pin its whole capacity, up to twice the bytes, for every batch on
   * the queue, and a batch sealed early (at the end of a level) would pin far more.
   */
  seal(): SealedBatch {
    const batch: Batch =
      this.states.length > 0
        ? { bytes: new Uint8Array(0), offsets: new Uint32Array(0), states: this.states }
        : { bytes: this.writer.buf.slice(0, this.writer.pos), offsets: this.offsets.slice(0, this.count + 1) };
    const sealed: SealedBatch = { level: this.level, indices: this.indices.slice(0, this.count), batch, last: false };
    this.writer.pos = 0;
    this.states = [];
    this.count = 0;
    return sealed;
  }
}

/** First-in first-out queue with O(1) removal from the front. */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T {
    const item = this.items[this.head]!;
    // Let go of it: a taken batch holds its states (objects, in this thread), which must not
    // outlive their expansion.
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
