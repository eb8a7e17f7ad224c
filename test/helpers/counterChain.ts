/**
 * A counter 0..length with a hand-written codec (4 bytes, little endian), for deep traces and
 * model failures. `inc` adds one below `length`; `stay` is a self-loop on even numbers (so
 * generated > distinct). `belowLength` fails at `length`: the only trace to it has length + 1
 * states. `throwAt` makes `successors` throw there; `noStay` removes the self-loops, so `length`
 * becomes a deadlock.
 */
import { HOLDS, HOLDS_VACUOUSLY, violated, type Model, type StateCodec } from '../../checker/index.js';

export interface ChainOptions {
  readonly length: number;
  readonly throwAt?: number;
  readonly noStay?: boolean;
  readonly noInvariant?: boolean;
}

const codec: StateCodec<number> = {
  encode: (n) => new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]),
  decode: (b) => (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0,
};

export function createModel(options: ChainOptions): Model<number, 'inc' | 'stay'> {
  const { length } = options;
  return {
    name: `chain(${length})`,
    configuration: { ...options },
    initStates: () => [0],
    successors: (n) => {
      if (n === options.throwAt) throw new Error(`the model fails at ${n}`);
      const out: { action: 'inc' | 'stay'; state: number }[] = [];
      if (n < length) out.push({ action: 'inc', state: n + 1 });
      if (n % 2 === 0 && options.noStay !== true) out.push({ action: 'stay', state: n });
      return out;
    },
    actionName: (a) => a,
    formatAction: (a) => a,
    actionToJson: (a) => a,
    invariants:
      options.noInvariant === true
        ? []
        : [
            {
              name: 'belowLength',
              check: (n) => (2 * n < length ? HOLDS_VACUOUSLY : n < length ? HOLDS : violated(`reached ${n}`)),
            },
          ],
    codec,
    toItf: (n) => ({ n }),
  };
}
