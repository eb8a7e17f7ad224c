/**
 * A walk on a grid with violations planted at several depths. From (x, y) one may step right,
 * up, or diagonally; states beyond x = 4 or y = 4 are outside the bounds (counted, not expanded).
 * The BFS level of (x, y) is max(x, y) + 1, so by hand:
 * - `avoidA` fails at (2, 2) (level 3) and at (4, 1) (level 5): its shortest trace has 3 states;
 * - `avoidB` fails at (3, 4) only: 5 states;
 * - the step property `noRightIntoThreeThree` fails on right (2, 3) -> (3, 3), from level 4: 5 states.
 */
import * as Immutable from 'immutable';
import { Record, type RecordOf } from 'immutable';
import { HOLDS, HOLDS_VACUOUSLY, immutableCodec, violated, type Model } from '../../checker/index.js';

interface PointProps {
  readonly x: number;
  readonly y: number;
}
export type Point = RecordOf<PointProps>;
export const PointRecord = Record<PointProps>({ x: 0, y: 0 }, 'Point');

export type Move = 'right' | 'up' | 'diagonal';

const at = (s: Point, x: number, y: number): boolean => s.x === x && s.y === y;

export function createModel(): Model<Point, Move> {
  return {
    name: 'layered',
    initStates: () => [PointRecord()],
    successors: (s) => [
      { action: 'right' as const, state: s.set('x', s.x + 1) },
      { action: 'up' as const, state: s.set('y', s.y + 1) },
      { action: 'diagonal' as const, state: PointRecord({ x: s.x + 1, y: s.y + 1 }) },
    ],
    actionName: (a) => a,
    formatAction: (a) => a,
    actionToJson: (a) => a,
    invariants: [
      {
        name: 'avoidA',
        check: (s) => (s.x < 2 ? HOLDS_VACUOUSLY : at(s, 2, 2) || at(s, 4, 1) ? violated(`at ${s.x},${s.y}`) : HOLDS),
      },
      { name: 'avoidB', check: (s) => (at(s, 3, 4) ? violated('at 3,4') : HOLDS) },
    ],
    stepProperties: [
      {
        name: 'noRightIntoThreeThree',
        check: (from, a, to) => (a !== 'right' ? HOLDS_VACUOUSLY : at(from, 2, 3) && at(to, 3, 3) ? violated('right into 3,3') : HOLDS),
      },
    ],
    witnesses: [
      { name: 'farCorner', holds: (s) => at(s, 4, 4) },
      { name: 'beyondBounds', holds: (s) => s.x > 5 },
    ],
    outsideBounds: (s) => (s.x > 4 ? 'maxX' : s.y > 4 ? 'maxY' : undefined),
    codec: immutableCodec<Point>({ immutable: Immutable, records: { Point: PointRecord } }),
    toItf: (s) => ({ x: s.x, y: s.y }),
  };
}
