import { describe, expect, it } from 'vitest';
import { readPenDigits } from '../../scripts/pendigits';
import { PenDigitFormatError, TABLET_BOX, WRITER_FOLDS, WRITER_SPLIT, foldOf, parsePenDigits } from './pendigits';

describe('pen digits (UNIPEN)', () => {
  it('reads the real file: 7,494 digits of 30 writers, every digit 719-780 times', () => {
    const digits = readPenDigits();
    expect(digits).toHaveLength(7494);
    expect(new Set(digits.map((d) => d.writer)).size).toBe(30);
    const counts = Array.from({ length: 10 }, (_, label) => digits.filter((d) => d.label === label).length);
    for (const n of counts) expect(n).toBeGreaterThanOrEqual(719);
    for (const n of counts) expect(n).toBeLessThanOrEqual(780);
    // Segments made of several strokes ("DIGIT 6-7") keep all of them: most 4s and many 5s and 7s have two.
    expect(digits.filter((d) => d.strokes.length > 1).length).toBeGreaterThan(1000);
    const ys = digits.flatMap((d) => d.strokes.flat().map(([, y]) => y));
    expect(ys.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(ys.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(TABLET_BOX);
  });

  it('flips y so that it points down, and keeps strokes apart', () => {
    const text = ['.SEGMENT DIGIT 0-1 ? "7"', '.COMMENT 7 3 1', '.PEN_DOWN', ' 10 490', ' 90 490', '.PEN_UP', '.DT 100', '.PEN_DOWN', '30 300', '70 300', '.PEN_UP'].join('\n');
    expect(parsePenDigits(text)).toEqual([
      {
        label: 7,
        writer: 3,
        strokes: [
          [[10, 10], [90, 10]],
          [[30, 200], [70, 200]],
        ],
      },
    ]);
  });

  it('says where the file is not UNIPEN', () => {
    expect(() => parsePenDigits('.SEGMENT DIGIT 0 ? "x"')).toThrowError(PenDigitFormatError);
    expect(() => parsePenDigits('.SEGMENT DIGIT 0 ? "1"\n.COMMENT 1 2 3\n.PEN_DOWN\n12 abc')).toThrowError(/line 4/);
  });

  it('training and evaluation writers never overlap', () => {
    const train = new Set<number>(WRITER_SPLIT.train);
    expect(WRITER_SPLIT.evaluate.some((w) => train.has(w))).toBe(false);
    expect(train.size + WRITER_SPLIT.evaluate.length).toBe(30);
  });

  it('cross-validation folds hold every writer exactly once, 6 a fold', () => {
    expect(WRITER_FOLDS.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const fold of WRITER_FOLDS) expect(fold).toHaveLength(6);
    expect([1, 6, 7, 28, 30].map(foldOf)).toEqual([1, 1, 2, 5, 5]);
  });
});
