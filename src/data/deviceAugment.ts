/**
 * The same digit as another tablet or screen would record it: a different point rate (each stroke resampled along
 * its length at another spacing: fewer points are joined by straight segments, as the pad joins them; more are
 * denser), coarser coordinates (snapped to a grid of up to 1/40 of the digit's size), the small hook many tablets
 * record where the pen comes down or lifts off, tremor (small, smooth-ish noise on every point), and now and
 * then a stray dot away from the ink. Each variation is its own function; `varyDevice` draws them all. Pure and
 * deterministic for a given random source; the input is left as it is. Sizes are shares of the digit's size (the
 * larger side of its box). The spacing range covers about 200 down to 30 points a second for a digit written in
 * about 0.5-1 s along a path of 2-3 times its size (UCI pen digits themselves: median 5.8% of the size).
 */
import type { Point, Stroke } from '../preprocess/mnistInput';
import { type Mutable, arcLengths, distanceToInk, inkBox, pointAt } from '../preprocess/strokeGeometry';

export interface DeviceVariationSettings {
  /** Chance that the strokes are resampled at all (otherwise the recorded points are kept). */
  resample: number;
  /** Range of the spacing between resampled points, drawn log-uniformly. */
  spacing: readonly [number, number];
  /** Largest grid step of the coordinates (the step is drawn from [0, grid]). */
  grid: number;
  /** Chance of a hook at each end of each stroke. */
  hook: number;
  /** Range of a hook's length. */
  hookLength: readonly [number, number];
  /** Range of how sharply the pen turns between a hook and its stroke, degrees (180 = straight on). */
  hookTurn: readonly [number, number];
  /** Largest tremor (standard deviation of the noise on each point; drawn from [0, tremor] per digit). */
  tremor: number;
  /** Chance of a stray dot. */
  strayDot: number;
  /** Range of the stray dot's distance from the ink. */
  strayDistance: readonly [number, number];
  /** Largest length of a stray dot drawn as two points (half of them; the others are one point). */
  strayLength: number;
}

export const DEVICE_VARIATION: DeviceVariationSettings = {
  resample: 0.8,
  spacing: [0.01, 0.15],
  grid: 1 / 40,
  hook: 0.2,
  hookLength: [0.02, 0.06],
  hookTurn: [110, 170],
  tremor: 0.008,
  strayDot: 0.1,
  strayDistance: [0.1, 0.45],
  strayLength: 0.02,
};

const copy = (points: readonly Point[]): Mutable => points.map((p) => [p[0], p[1]]);
const between = (random: () => number, [lo, hi]: readonly [number, number]) => lo + random() * (hi - lo);

/** A standard normal number (Box-Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * The stroke resampled at even steps along its length, as close to `spacing` as fits: its first and last points
 * are kept, the points between lie on its path (corners between two samples are cut, as a slow device cuts them).
 * A stroke of one point, of no length, or a spacing of 0 comes back as it is.
 */
export function resampleStroke(points: readonly Point[], spacing: number): Mutable {
  const lengths = arcLengths(points);
  const total = lengths.at(-1)!;
  if (points.length < 2 || total === 0 || !(spacing > 0)) return copy(points);
  const steps = Math.max(1, Math.round(total / spacing));
  return Array.from({ length: steps + 1 }, (_, i) => pointAt(points, lengths, (total * i) / steps));
}

/** Coordinates snapped to a grid of `step` (its lines at offset + k x step); a point repeating the one before is
 * dropped, as a device reports no move. A step of 0 keeps the points. */
export function quantise(points: readonly Point[], step: number, offset: Point = [0, 0]): Mutable {
  if (!(step > 0)) return copy(points);
  const out: Mutable = [];
  for (const [x, y] of points) {
    const q: [number, number] = [offset[0] + step * Math.round((x - offset[0]) / step), offset[1] + step * Math.round((y - offset[1]) / step)];
    const last = out.at(-1);
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/**
 * A hook at the stroke's start or end: `count` points on a short straight path of `length` from the end point,
 * such that the pen turns by `turn` degrees between the hook and the stroke (a positive side turns one way, a
 * negative the other). The stroke's own direction there is taken over twice the hook's length. A stroke of
 * one point or of no length gets no hook.
 */
export function addHook(points: readonly Point[], end: 'start' | 'end', length: number, turn: number, side = 1, count = 3): Mutable {
  if (end === 'end') return addHook([...points].reverse(), 'start', length, turn, side, count).reverse();
  const lengths = arcLengths(points);
  const total = lengths.at(-1)!;
  if (points.length < 2 || total === 0 || !(length > 0)) return copy(points);
  const [x0, y0] = points[0]!;
  const [qx, qy] = pointAt(points, lengths, Math.min(total, 2 * length));
  const d = Math.hypot(qx - x0, qy - y0) || 1;
  const [ux, uy] = [(qx - x0) / d, (qy - y0) / d];
  // The pen arrives at the first point going along v and leaves along u: v is u turned by `turn` degrees.
  const a = ((Math.sign(side) || 1) * turn * Math.PI) / 180;
  const [vx, vy] = [Math.cos(a) * ux - Math.sin(a) * uy, Math.sin(a) * ux + Math.cos(a) * uy];
  const hook: Mutable = [];
  for (let k = count; k >= 1; k--) hook.push([x0 - (vx * length * k) / count, y0 - (vy * length * k) / count]);
  return [...hook, ...copy(points)];
}

/** Tremor: Gaussian noise of standard deviation `amplitude` on each point, correlated from one point to the next
 * by `smoothness` (0 = independent), so that the path wavers rather than jitters. */
export function addTremor(points: readonly Point[], amplitude: number, random: () => number, smoothness = 0.7): Mutable {
  if (!(amplitude > 0)) return copy(points);
  const fresh = Math.sqrt(1 - smoothness * smoothness);
  let [nx, ny] = [gaussian(random), gaussian(random)];
  return points.map(([x, y], i) => {
    if (i > 0) [nx, ny] = [smoothness * nx + fresh * gaussian(random), smoothness * ny + fresh * gaussian(random)];
    return [x + amplitude * nx, y + amplitude * ny];
  });
}

/**
 * A stray dot `distance` (at least) from the ink: from a random point of the ink, out in a random direction to
 * where the ink is that far. With `length` > 0, a two-point stroke that long pointing further out; otherwise one
 * point. The strokes must hold some ink.
 */
export function strayDot(strokes: readonly Stroke[], distance: number, random: () => number, length = 0): Mutable {
  const all = strokes.flat();
  const [x0, y0] = all[Math.min(all.length - 1, Math.floor(random() * all.length))]!;
  const a = 2 * Math.PI * random();
  const [ux, uy] = [Math.cos(a), Math.sin(a)];
  const { size } = inkBox(strokes);
  const step = Math.max(distance, size) / 100;
  let r = 0;
  while (r < 2 * size + 2 * distance && distanceToInk([x0 + ux * r, y0 + uy * r], strokes) < distance) r += step;
  const dot: Mutable = [[x0 + ux * r, y0 + uy * r]];
  if (length > 0) dot.push([x0 + ux * (r + length), y0 + uy * (r + length)]);
  return dot;
}

/** The digit as another device would record it. */
export function varyDevice(strokes: readonly Stroke[], random: () => number, settings: DeviceVariationSettings = DEVICE_VARIATION): Array<Array<[number, number]>> {
  const size = inkBox(strokes).size;
  if (!(size >= 0)) return strokes.map(copy);
  const unit = size > 0 ? size : 1;
  const [lo, hi] = settings.spacing;
  const spacing = random() < settings.resample && hi > 0 ? (lo > 0 ? lo * (hi / lo) ** random() : random() * hi) * unit : 0;
  const tremor = random() * settings.tremor * unit;
  const grid = random() * settings.grid * unit;
  const hook = (s: Mutable, end: 'start' | 'end') =>
    random() < settings.hook ? addHook(s, end, between(random, settings.hookLength) * unit, between(random, settings.hookTurn), random() < 0.5 ? 1 : -1) : s;
  const out = strokes.map((stroke) => {
    let s = hook(hook(copy(stroke), 'start'), 'end');
    s = resampleStroke(s, spacing);
    return addTremor(s, tremor, random);
  });
  if (random() < settings.strayDot) out.push(strayDot(out, between(random, settings.strayDistance) * unit, random, random() < 0.5 ? random() * settings.strayLength * unit : 0));
  if (!(grid > 0)) return out;
  const offset: Point = [random() * grid, random() * grid];
  return out.map((s) => quantise(s, grid, offset));
}
