/**
 * A toy model given as an explicit graph of rounds (composite successors, `Successor.via`), for
 * the trace rebuild of a violation inside a round. States are names; a round lists its sub-steps
 * as [action, state] pairs, the last pair being the round's final state. The invariant `notBad`
 * fails only at the state `bad`, which only the round from `B` reaches, after its second sub-step
 * (an intermediate state, never stored).
 *
 * The breadth-first order matters: from `S`, the rounds reach `A`, then `X`, then `B` (depth 2).
 * `X` is outside the bounds, so it gets a discovery index but is never queued: the batch of the
 * next level holds `A` and `B`, whose indices are not consecutive. With `shared`, `bad` is also
 * reached by the first sub-step of a second round from `B` (listed after the first one), so the
 * violating state is met again inside another successor after it was first checked. With `final`,
 * `bad` is instead the final state of the round from `B` (a stored state).
 */
import { HOLDS, violated, type Model, type Successor } from '../../checker/index.js';

export interface RoundGraphOptions {
  readonly shared?: boolean;
  readonly final?: boolean;
}

type Round = readonly (readonly [action: string, state: string])[];

function graph(options: RoundGraphOptions): Readonly<Record<string, readonly Round[]>> {
  const fromB: Round[] = [
    options.final === true
      ? [
          ['b1', 'b1'],
          ['b2', 'b2'],
          ['toBad', 'bad'],
        ]
      : [
          ['b1', 'b1'],
          ['b2', 'bad'],
          ['toD', 'D'],
        ],
  ];
  if (options.shared === true) {
    fromB.push([
      ['b0', 'bad'],
      ['toF', 'F'],
    ]);
  }
  return {
    S: [
      [
        ['s1', 's1'],
        ['toA', 'A'],
      ],
      [
        ['sx', 'sx'],
        ['toX', 'X'],
      ],
      [
        ['s2', 's2'],
        ['toB', 'B'],
      ],
    ],
    A: [
      [
        ['a1', 'a1'],
        ['a2', 'a2'],
        ['toC', 'C'],
      ],
    ],
    B: fromB,
    X: [
      [
        ['x1', 'x1'],
        ['toE', 'E'],
      ],
    ],
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createModel(options: RoundGraphOptions = {}): Model<string, string> {
  const rounds = graph(options);
  const successors = (s: string): Successor<string, string>[] =>
    (rounds[s] ?? []).map((round) => {
      const [action, state] = round[round.length - 1]!;
      return { via: round.slice(0, -1).map(([a, v]) => ({ action: a, state: v })), action, state };
    });
  return {
    name: `roundGraph(${options.shared === true ? 'shared' : ''}${options.final === true ? 'final' : ''})`,
    configuration: { shared: options.shared === true, final: options.final === true },
    initStates: () => ['S'],
    successors,
    actionName: (a) => a,
    formatAction: (a) => a,
    actionToJson: (a) => a,
    invariants: [{ name: 'notBad', check: (s) => (s === 'bad' ? violated('reached bad') : HOLDS) }],
    outsideBounds: (s) => (s === 'X' ? 'noX' : undefined),
    codec: { encode: (s) => encoder.encode(s), decode: (bytes) => decoder.decode(bytes) },
    toItf: (s) => ({ at: s }),
  };
}
