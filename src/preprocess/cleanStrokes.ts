/**
 * Takes out of a drawing, before it is rendered, the noise a tablet or screen adds that can go without losing any
 * of the digit: a stray dot (a stroke whose extent is tiny and that lies far from the rest of the ink: it would
 * otherwise widen the digit's box and shrink the digit), and the hooks many tablets record where the pen comes
 * down or lifts off (a short piece at a stroke's end that turns sharply against the rest of it: "dehooking", a
 * standard step of online handwriting recognition). Conservative: a dot is only taken out when other ink
 * remains (a drawing that is only a dot or a dash stays as it is), and a hook only when it is shorter than 6%
 * of the drawing's size, the stroke turns by more than 90 degrees right where it ends and against the rest, and
 * goes on for at least 3 times as long, so a 1's flag, a 7's bar, a 4's stub or a 9's tail stay (and a longer
 * piece is never cut part-way). Sizes are shares of the drawing's size (the larger side of its box); a dot is
 * judged against the rest of the drawing. Pure; the input is left as it is. Not yet in the pad's path: it
 * belongs in front of strokesToMnistInput, with a retrain on cleaned pen digits.
 */
import type { Point, Stroke } from './mnistInput';
import { type Mutable, arcLengths, distanceToInk, inkBox, pointAt, turnDegrees } from './strokeGeometry';

export interface CleanSettings {
  /** A stroke is a dot when its extent (the larger side of its box) is under this share of the rest's size. */
  dotSize: number;
  /** ... and a stray one when it is more than this share of the rest's size away from all the rest. */
  dotDistance: number;
  /** Longest hook (length along the stroke). */
  hookLength: number;
  /** A hook turns by more than this many degrees against the stroke, right after it and over the rest. */
  hookTurn: number;
  /** The stroke must go on, past the hook, for at least this many times the hook's length. */
  restRatio: number;
  /** The rest's direction is taken over this length past the hook (or twice the hook's length, if more). */
  restLength: number;
}

export const STROKE_CLEANING: CleanSettings = { dotSize: 0.04, dotDistance: 0.15, hookLength: 0.06, hookTurn: 90, restRatio: 3, restLength: 0.1 };

const copy = (points: readonly Point[]): Mutable => points.map((p) => [p[0], p[1]]);

/** Strokes that are stray dots taken out, one at a time, each judged against all the other strokes left. */
export function removeStrayDots(strokes: readonly Stroke[], settings: CleanSettings = STROKE_CLEANING): Mutable[] {
  let out = strokes.map(copy);
  for (let i = 0; i < out.length; ) {
    const stroke = out[i]!;
    const rest = out.filter((s, j) => j !== i && s.length > 0);
    const size = inkBox(rest).size;
    const own = inkBox([stroke]).size;
    const stray =
      stroke.length > 0 && size > 0 && own < settings.dotSize * size && stroke.every((p) => distanceToInk(p, rest) > settings.dotDistance * size);
    if (stray) out = out.filter((_, j) => j !== i);
    else i++;
  }
  return out;
}

/** How many points a hook at the stroke's start takes (0 for none): the cut is at a corner (the stroke turns
 * sharply against the hook right after the point), the one where the rest of the stroke turns sharpest. */
function hookAtStart(points: readonly Point[], size: number, settings: CleanSettings): number {
  if (points.length < 3) return 0;
  const lengths = arcLengths(points);
  const total = lengths.at(-1)!;
  const [x0, y0] = points[0]!;
  let [cut, sharpest] = [0, settings.hookTurn];
  for (let j = 1; j < points.length - 1 && lengths[j]! <= settings.hookLength * size; j++) {
    const hook = lengths[j]!;
    if (hook === 0 || total - hook < settings.restRatio * hook) continue;
    const [xj, yj] = points[j]!;
    // The stroke turns right there (over its next segment, or a quarter of the hook's length if longer), not
    // only further on: a cut is at a corner, never part-way along a longer piece.
    const [rx, ry] = pointAt(points, lengths, Math.max(lengths[j + 1]!, 1.25 * hook));
    const [qx, qy] = pointAt(points, lengths, hook + Math.max(settings.restLength * size, 2 * hook));
    const local = turnDegrees(xj - x0, yj - y0, rx - xj, ry - yj);
    const turn = turnDegrees(xj - x0, yj - y0, qx - xj, qy - yj);
    if (local > settings.hookTurn && turn > sharpest) [cut, sharpest] = [j, turn];
  }
  return cut;
}

/** The stroke without a hook at its start and one at its end, in the drawing of the given size. */
export function dehook(points: readonly Point[], size: number, settings: CleanSettings = STROKE_CLEANING): Mutable {
  const start = copy(points).slice(hookAtStart(points, size, settings)).reverse();
  return start.slice(hookAtStart(start, size, settings)).reverse();
}

/** The drawing without stray dots and hooks. */
export function cleanStrokes(strokes: readonly Stroke[], settings: CleanSettings = STROKE_CLEANING): Array<Array<[number, number]>> {
  const kept = removeStrayDots(strokes, settings);
  const size = inkBox(kept).size;
  return size > 0 ? kept.map((s) => dehook(s, size, settings)) : kept;
}
