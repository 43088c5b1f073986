/**
 * Augmentation of a pen digit before it is rendered: the variation of the pen itself, which an image-level
 * augmentation (augment.ts) cannot make. The whole digit is slanted, rotated and made wider or narrower; each
 * stroke moves and turns a little on its own (where a writer puts the bar of a 4 or the flag of a 1); each
 * stroke starts and ends a little earlier or later (a 1's flag and base, a 9's stem, a 7's bar are longer or
 * shorter); the pen is lifted where it was not, or not lifted where it was. Pure and deterministic for a
 * given random source; about 0.02 ms a digit before rendering.
 */
import type { Point, Stroke } from '../preprocess/mnistInput';
import { arcLengths, inkBox, pointAt } from '../preprocess/strokeGeometry';

export interface StrokeAugmentSettings {
  /** Largest horizontal shear (x shift per unit of y) either way. */
  slant: number;
  /** Largest rotation of the whole digit either way, degrees. */
  rotation: number;
  /** The width is scaled by a factor drawn from [1 - aspect, 1 + aspect]. */
  aspect: number;
  /** Largest move of one stroke either way, as a share of the digit's size. */
  strokeShift: number;
  /** Largest rotation of one stroke about its own centre either way, degrees. */
  strokeRotation: number;
  /** Largest share of a stroke's length cut from, or drawn on past, each of its ends. */
  endChange: number;
  /** Chance that two consecutive strokes are drawn as one (the pen not lifted between them). */
  join: number;
  /** Chance that a stroke of at least 8 points is drawn as two (the pen lifted in the middle). */
  split: number;
}

export const PEN_AUGMENTATION: StrokeAugmentSettings = {
  slant: 0.25,
  rotation: 8,
  aspect: 0.15,
  strokeShift: 0.05,
  strokeRotation: 6,
  endChange: 0.12,
  join: 0.15,
  split: 0.1,
};

type Mutable = Array<[number, number]>;

const uniform = (random: () => number, max: number) => (random() * 2 - 1) * max;

function bounds(strokes: readonly Stroke[]): { cx: number; cy: number; size: number } {
  const { cx, cy, size } = inkBox(strokes);
  return { cx, cy, size: Math.max(size, 1e-6) };
}

function rotateAbout(points: Mutable, cx: number, cy: number, degrees: number): void {
  const a = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  for (const p of points) {
    const [dx, dy] = [p[0] - cx, p[1] - cy];
    p[0] = cx + c * dx - s * dy;
    p[1] = cy + s * dx + c * dy;
  }
}

/**
 * Cuts a share of the stroke's length from its start and its end (a negative share draws on past the end, along
 * its last direction). A stroke keeps at least half its length.
 */
export function changeEnds(points: readonly Point[], start: number, end: number): Mutable {
  if (points.length < 2 || (start === 0 && end === 0)) return points.map((p) => [p[0], p[1]]);
  const lengths = arcLengths(points);
  const total = lengths.at(-1)!;
  if (total === 0) return points.map((p) => [p[0], p[1]]);
  const [s, e] = [Math.min(start, 0.25), Math.min(end, 0.25)];
  const from = s * total;
  const to = (1 - e) * total;
  const out: Mutable = [];
  if (s < 0) {
    const [a, b] = [points[0]!, points[1]!];
    const d = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    out.push([a[0] + ((a[0] - b[0]) / d) * -from, a[1] + ((a[1] - b[1]) / d) * -from]);
  } else out.push(pointAt(points, lengths, from));
  for (let i = 0; i < points.length; i++) if (lengths[i]! > Math.max(from, 0) && lengths[i]! < Math.min(to, total)) out.push([points[i]![0], points[i]![1]]);
  if (e < 0) {
    const [a, b] = [points.at(-2)!, points.at(-1)!];
    const d = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    out.push([b[0] + ((b[0] - a[0]) / d) * (to - total), b[1] + ((b[1] - a[1]) / d) * (to - total)]);
  } else out.push(pointAt(points, lengths, to));
  return out;
}

/** A new digit drawn as the same writer might have drawn it another time. The input is left as it is. */
export function augmentStrokes(strokes: readonly Stroke[], random: () => number, settings: StrokeAugmentSettings = PEN_AUGMENTATION): Array<Array<[number, number]>> {
  const { cx, cy, size } = bounds(strokes);
  // Pen lifts first, on the original strokes.
  let lifted: Mutable[] = [];
  for (const stroke of strokes) {
    const copy: Mutable = stroke.map((p) => [p[0], p[1]]);
    if (lifted.length && random() < settings.join) lifted[lifted.length - 1]!.push(...copy);
    else if (copy.length >= 8 && random() < settings.split) {
      const at = Math.floor(copy.length * (0.3 + 0.4 * random()));
      lifted.push(copy.slice(0, at), copy.slice(at + 1));
    } else lifted.push(copy);
  }
  lifted = lifted.filter((s) => s.length > 0);
  const out = lifted.map((stroke) => {
    const ends = changeEnds(stroke, uniform(random, settings.endChange), uniform(random, settings.endChange));
    const own = bounds([ends]);
    rotateAbout(ends, own.cx, own.cy, uniform(random, settings.strokeRotation));
    const [dx, dy] = [uniform(random, settings.strokeShift) * size, uniform(random, settings.strokeShift) * size];
    for (const p of ends) {
      p[0] += dx;
      p[1] += dy;
    }
    return ends;
  });
  const shear = uniform(random, settings.slant);
  const widen = 1 + uniform(random, settings.aspect);
  const all = out.flat();
  for (const p of all) {
    const [x, y] = [p[0] - cx, p[1] - cy];
    p[0] = cx + (x + shear * y) * widen;
  }
  rotateAbout(all, cx, cy, uniform(random, settings.rotation));
  return out;
}
