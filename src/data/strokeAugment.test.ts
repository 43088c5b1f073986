import { describe, expect, it } from 'vitest';
import { readPenDigits } from '../../scripts/pendigits';
import { seededRandom } from '../model/seededRandom';
import { strokesToMnistInput } from '../preprocess/mnistInput';
import { PEN_AUGMENTATION, type StrokeAugmentSettings, augmentStrokes, changeEnds } from './strokeAugment';

const NONE: StrokeAugmentSettings = { slant: 0, rotation: 0, aspect: 0, strokeShift: 0, strokeRotation: 0, endChange: 0, join: 0, split: 0 };
const length = (s: ReadonlyArray<readonly [number, number]>) => s.slice(1).reduce((a, p, i) => a + Math.hypot(p[0] - s[i]![0], p[1] - s[i]![1]), 0);

describe('stroke augmentation', () => {
  const digits = readPenDigits().filter((d) => d.writer === 3);

  it('with every setting at zero gives the digit back, and leaves its input alone', () => {
    for (const d of digits.slice(0, 20)) {
      const before = JSON.stringify(d.strokes);
      const out = augmentStrokes(d.strokes, seededRandom(1), NONE);
      expect(JSON.stringify(d.strokes)).toBe(before);
      out.forEach((s, i) => s.forEach((p, j) => {
        expect(p[0]).toBeCloseTo(d.strokes[i]![j]![0], 6);
        expect(p[1]).toBeCloseTo(d.strokes[i]![j]![1], 6);
      }));
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const d = digits[0]!;
    expect(augmentStrokes(d.strokes, seededRandom(7))).toEqual(augmentStrokes(d.strokes, seededRandom(7)));
    expect(augmentStrokes(d.strokes, seededRandom(7))).not.toEqual(augmentStrokes(d.strokes, seededRandom(8)));
  });

  it('cuts or draws on past a stroke\'s ends by the share asked', () => {
    const line: Array<[number, number]> = Array.from({ length: 11 }, (_, i) => [i * 10, 0]);
    expect(length(changeEnds(line, 0.1, 0.2))).toBeCloseTo(70, 6);
    const longer = changeEnds(line, -0.1, -0.1);
    expect(length(longer)).toBeCloseTo(120, 6);
    expect(longer[0]![0]).toBeCloseTo(-10, 6);
    expect(longer.at(-1)![0]).toBeCloseTo(110, 6);
    // Never more than a quarter from each end.
    expect(length(changeEnds(line, 0.9, 0.9))).toBeCloseTo(50, 6);
  });

  it('joins strokes where the pen was lifted, and lifts it within a stroke', () => {
    const fours = digits.filter((d) => d.strokes.length === 2);
    expect(fours.length).toBeGreaterThan(5);
    const joined = augmentStrokes(fours[0]!.strokes, seededRandom(3), { ...NONE, join: 1 });
    expect(joined).toHaveLength(1);
    expect(joined[0]).toHaveLength(fours[0]!.strokes[0]!.length + fours[0]!.strokes[1]!.length);
    const long = digits.find((d) => d.strokes.length === 1 && d.strokes[0]!.length >= 8)!;
    expect(augmentStrokes(long.strokes, seededRandom(3), { ...NONE, split: 1 })).toHaveLength(2);
  });

  it('makes digits that still render and still look like their originals', () => {
    const random = seededRandom(11);
    let similar = 0;
    for (const d of digits) {
      const a = strokesToMnistInput(d.strokes)!;
      const b = strokesToMnistInput(augmentStrokes(d.strokes, random, PEN_AUGMENTATION));
      expect(b).not.toBeNull();
      let [dot, na, nb] = [0, 0, 0];
      for (let i = 0; i < a.length; i++) {
        dot += a[i]! * b![i]!;
        na += a[i]! * a[i]!;
        nb += b![i]! * b![i]!;
      }
      if (dot / Math.sqrt(na * nb) > 0.5) similar++;
    }
    // Varied, not replaced: nearly every copy still overlaps its original.
    expect(similar / digits.length).toBeGreaterThan(0.9);
  });
});
