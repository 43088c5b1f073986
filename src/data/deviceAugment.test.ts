import { describe, expect, it } from 'vitest';
import { readPenDigits } from '../../scripts/pendigits';
import { seededRandom } from '../model/seededRandom';
import { type Point, strokesToMnistInput } from '../preprocess/mnistInput';
import { arcLengths, distanceToInk, inkBox, turnDegrees } from '../preprocess/strokeGeometry';
import { DEVICE_VARIATION, type DeviceVariationSettings, addHook, addTremor, quantise, resampleStroke, strayDot, varyDevice } from './deviceAugment';

const NONE: DeviceVariationSettings = {
  resample: 0,
  spacing: [0, 0],
  grid: 0,
  hook: 0,
  hookLength: [0, 0],
  hookTurn: [0, 0],
  tremor: 0,
  strayDot: 0,
  strayDistance: [0, 0],
  strayLength: 0,
};
const cosine = (a: Float32Array, b: Float32Array) => {
  let [dot, na, nb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) [dot, na, nb] = [dot + a[i]! * b[i]!, na + a[i]! ** 2, nb + b[i]! ** 2];
  return dot / Math.sqrt(na * nb);
};
const length = (s: readonly Point[]) => arcLengths(s).at(-1)!;

describe('device variation', () => {
  const digits = readPenDigits().filter((d) => d.writer === 3);
  // A real stroke with corners (a 2 or a 3 has some), in tablet units.
  const stroke = digits.find((d) => d.strokes.length === 1 && d.strokes[0]!.length > 30)!.strokes[0]!;

  it('resamples a stroke along its length to the count asked, on its path, cutting corners by at most half a step', () => {
    const line: Point[] = [[0, 0], [100, 0]];
    expect(resampleStroke(line, 10)).toEqual(Array.from({ length: 11 }, (_, i) => [i * 10, 0]));
    const total = length(stroke);
    for (const spacing of [2, 5, 15, 40]) {
      const out = resampleStroke(stroke, spacing);
      expect(out).toHaveLength(Math.round(total / spacing) + 1);
      expect(out[0]).toEqual(stroke[0]);
      expect(out.at(-1)![0]).toBeCloseTo(stroke.at(-1)![0], 9);
      expect(out.at(-1)![1]).toBeCloseTo(stroke.at(-1)![1], 9);
      for (const p of out) expect(distanceToInk(p, [stroke])).toBeLessThan(1e-9);
      const step = total / (out.length - 1);
      for (const p of stroke) expect(distanceToInk(p, [out])).toBeLessThanOrEqual(step / 2 + 1e-9);
    }
    // Fewer points than the device's own (a lower point rate), and more (denser).
    expect(resampleStroke(stroke, 40).length).toBeLessThan(stroke.length);
    expect(resampleStroke(stroke, 2).length).toBeGreaterThan(stroke.length);
    expect(resampleStroke([[3, 4]], 5)).toEqual([[3, 4]]);
  });

  it('snaps coordinates to the grid, by at most half a step, with no repeated points', () => {
    const step = 7.5;
    const offset: Point = [1.25, 3];
    const out = quantise(stroke, step, offset);
    expect(out.length).toBeLessThanOrEqual(stroke.length);
    for (const [x, y] of out) {
      const [kx, ky] = [(x - offset[0]) / step, (y - offset[1]) / step];
      expect(Math.abs(kx - Math.round(kx))).toBeLessThan(1e-9);
      expect(Math.abs(ky - Math.round(ky))).toBeLessThan(1e-9);
    }
    out.slice(1).forEach((p, i) => expect(p).not.toEqual(out[i]));
    for (const p of stroke) expect(Math.min(...out.map((q) => Math.max(Math.abs(p[0] - q[0]), Math.abs(p[1] - q[1]))))).toBeLessThanOrEqual(step / 2 + 1e-9);
    expect(quantise(stroke, 0)).toEqual(stroke);
  });

  it('adds a hook at the end asked, of the length and turn asked', () => {
    const line: Point[] = Array.from({ length: 11 }, (_, i) => [i * 10, 0]);
    for (const [end, turn, side] of [['start', 120, 1], ['end', 150, -1], ['start', 170, -1]] as const) {
      const out = addHook(line, end, 6, turn, side, 3);
      expect(out).toHaveLength(14);
      const body = end === 'start' ? out.slice(3) : out.slice(0, 11);
      expect(body).toEqual(line);
      const hook = end === 'start' ? out.slice(0, 4) : out.slice(10).reverse();
      expect(length(hook)).toBeCloseTo(6, 9);
      // The pen's turn between the hook and the stroke (the stroke's direction leaving the joint is +x at the
      // start, -x at the end when walked backwards).
      const [a, b] = [hook.at(-2)!, hook.at(-1)!];
      expect(turnDegrees(b[0] - a[0], b[1] - a[1], end === 'start' ? 1 : -1, 0)).toBeCloseTo(turn, 6);
    }
    expect(addHook([[5, 5]], 'start', 6, 120)).toEqual([[5, 5]]);
  });

  it('adds smooth-ish tremor of about the amplitude asked', () => {
    const line: Point[] = Array.from({ length: 4000 }, (_, i) => [i, 0]);
    const out = addTremor(line, 2, seededRandom(4));
    const dy = out.map((p) => p[1]);
    const sd = Math.sqrt(dy.reduce((s, v) => s + v * v, 0) / dy.length);
    expect(sd).toBeGreaterThan(1.7);
    expect(sd).toBeLessThan(2.3);
    // Neighbouring points move together.
    const lag1 = dy.slice(1).reduce((s, v, i) => s + v * dy[i]!, 0) / (dy.length - 1) / sd ** 2;
    expect(lag1).toBeGreaterThan(0.5);
    expect(addTremor(line, 0, seededRandom(4))).toEqual(line);
  });

  it('puts a stray dot at the distance asked from the ink', () => {
    const d = digits[5]!;
    const size = inkBox(d.strokes).size;
    const random = seededRandom(9);
    for (const distance of [0.1, 0.2, 0.4]) {
      const dot = strayDot(d.strokes, distance * size, random);
      expect(dot).toHaveLength(1);
      const away = distanceToInk(dot[0]!, d.strokes);
      expect(away).toBeGreaterThanOrEqual(distance * size);
      expect(away).toBeLessThan(distance * size + size / 100 + 1e-9);
      const dash = strayDot(d.strokes, distance * size, random, 0.02 * size);
      expect(dash).toHaveLength(2);
      expect(length(dash)).toBeCloseTo(0.02 * size, 9);
    }
  });

  it('with every setting at zero gives the digit back, and leaves its input alone', () => {
    for (const d of digits.slice(0, 20)) {
      const before = JSON.stringify(d.strokes);
      expect(varyDevice(d.strokes, seededRandom(1), NONE)).toEqual(d.strokes);
      varyDevice(d.strokes, seededRandom(1));
      expect(JSON.stringify(d.strokes)).toBe(before);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const d = digits[0]!;
    expect(varyDevice(d.strokes, seededRandom(7))).toEqual(varyDevice(d.strokes, seededRandom(7)));
    expect(varyDevice(d.strokes, seededRandom(7))).not.toEqual(varyDevice(d.strokes, seededRandom(8)));
  });

  it('makes digits that still render and still look like their originals', () => {
    const random = seededRandom(11);
    const similarity = digits.map((d) => cosine(strokesToMnistInput(d.strokes)!, strokesToMnistInput(varyDevice(d.strokes, random, DEVICE_VARIATION))!));
    // Varied, not replaced: nearly every copy overlaps its original, most of them closely (a far stray dot
    // shrinks the digit in its box: those are the few below).
    expect(similarity.filter((s) => s > 0.5).length / digits.length).toBeGreaterThan(0.95);
    expect(similarity.filter((s) => s > 0.9).length / digits.length).toBeGreaterThan(0.85);
  });
});
