/** A growable byte buffer: the one place that (re)allocates encoding space. */
export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  varuint(n: number): void {
    this.ensure(8);
    const buf = this.buf;
    let pos = this.pos;
    while (n >= 0x80000000) {
      buf[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n >= 0x80) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /**
   * Appends `src[start, end)`. Below 256 bytes a plain loop: `set` on a range needs a fresh
   * `subarray` view of `src`, and for the short encodings of model states that allocation costs
   * more than the copy (it was a third of a run on 36-byte states).
   */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    if (n < 256) {
      const buf = this.buf;
      let pos = this.pos;
      for (let i = start; i < end; i++) buf[pos++] = src[i]!;
      this.pos = pos;
      return;
    }
    this.buf.set(start === 0 && end === src.length ? src : src.subarray(start, end), this.pos);
    this.pos += n;
  }

  /** A copy of everything written since `start`. */
  copy(start = 0): Uint8Array {
    return this.buf.slice(start, this.pos);
  }
}

/** Reads an unsigned LEB128 at `at.pos` and advances it. */
export function readVaruint(buf: Uint8Array, at: { pos: number }): number {
  let pos = at.pos;
  let result = 0;
  let scale = 1;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated encoding: a number runs past the end of the bytes');
    result += (b & 0x7f) * scale;
    if (b < 0x80) break;
    scale *= 128;
  }
  at.pos = pos;
  return result;
}

/** Lexicographic order of two byte ranges of `buf` (a proper prefix sorts first). */
export function compareRanges(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let i = 0; i < n; i++) {
    const d = buf[a + i]! - buf[b + i]!;
    if (d !== 0) return d;
  }
  return aEnd - a - (bEnd - b);
}
