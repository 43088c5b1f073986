/**
 * Small geometry on pen strokes shared by the device variation (data/deviceAugment.ts) and the cleaning of a
 * drawing before it is rendered (cleanStrokes.ts): the box of the ink and its size (the larger side), lengths
 * along a stroke, the point at a given length, a direction's turn, and the distance from a point to the ink.
 * Pure.
 */
import type { Point, Stroke } from './mnistInput';

export type Mutable = Array<[number, number]>;

/** The box of all points, its centre and its size (the larger side; 0 for one point, NaN for none). */
export function inkBox(strokes: readonly Stroke[]): { x0: number; y0: number; x1: number; y1: number; cx: number; cy: number; size: number } {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const s of strokes)
    for (const [x, y] of s) {
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  return { x0, y0, x1, y1, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, size: x0 > x1 ? NaN : Math.max(x1 - x0, y1 - y0) };
}

/** Cumulative length along a stroke, from its first point. */
export function arcLengths(points: readonly Point[]): number[] {
  const out = [0];
  for (let i = 1; i < points.length; i++) out.push(out[i - 1]! + Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]));
  return out;
}

/** The point at arc length t (clamped to the stroke), given the stroke's arcLengths. */
export function pointAt(points: readonly Point[], lengths: readonly number[], t: number): [number, number] {
  if (points.length === 1) return [points[0]![0], points[0]![1]];
  let i = 1;
  while (i < points.length - 1 && lengths[i]! < t) i++;
  const [a, b] = [points[i - 1]!, points[i]!];
  const span = lengths[i]! - lengths[i - 1]!;
  const u = span > 0 ? Math.min(1, Math.max(0, (t - lengths[i - 1]!) / span)) : 0;
  return [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])];
}

/** The angle in degrees (0-180) between two directions; 0 when either is null. */
export function turnDegrees(ax: number, ay: number, bx: number, by: number): number {
  const n = Math.hypot(ax, ay) * Math.hypot(bx, by);
  if (n === 0) return 0;
  return (Math.acos(Math.max(-1, Math.min(1, (ax * bx + ay * by) / n))) * 180) / Math.PI;
}

/** Distance from a point to the segment a-b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Distance from a point to the pen's path of some strokes (a one-point stroke is a dot); Infinity for no ink. */
export function distanceToInk(p: Point, strokes: readonly Stroke[]): number {
  let best = Infinity;
  for (const s of strokes) {
    if (s.length === 1) best = Math.min(best, Math.hypot(p[0] - s[0]![0], p[1] - s[0]![1]));
    for (let i = 1; i < s.length; i++) best = Math.min(best, distanceToSegment(p, s[i - 1]!, s[i]!));
  }
  return best;
}
