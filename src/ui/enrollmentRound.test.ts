import { describe, expect, it } from 'vitest';
import { askedDigit, drawingOfDigit, keepDrawing, readsWell, roundOver, roundSummary, skipDigit, startRound } from './enrollmentRound';

describe('the guided round', () => {
  it('asks for every digit twice, in order, and ends after the last drawing', () => {
    let round = startRound();
    const asked: number[] = [];
    while (!roundOver(round)) {
      asked.push(askedDigit(round)!);
      round = keepDrawing(round);
    }
    expect(asked).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]);
    expect(round.kept).toBe(20);
    expect(askedDigit(round)).toBeUndefined();
    expect(keepDrawing(round)).toBe(round);
  });

  it('counts the drawings of the asked digit', () => {
    const round = startRound();
    expect(drawingOfDigit(round)).toEqual({ index: 1, of: 2 });
    expect(drawingOfDigit(keepDrawing(round))).toEqual({ index: 2, of: 2 });
    expect(drawingOfDigit(keepDrawing(keepDrawing(round)))).toEqual({ index: 1, of: 2 });
  });

  it('skipping a digit leaves its remaining drawings, even after one was kept', () => {
    let round = keepDrawing(startRound());
    round = skipDigit(round);
    expect(askedDigit(round)).toBe(1);
    round = skipDigit(round);
    expect(askedDigit(round)).toBe(2);
    expect(round.skipped).toEqual([0, 1]);
    expect(round.kept).toBe(1);
    expect(round.queue).toHaveLength(16);
    expect(roundSummary(round)).toBe('Teaching round: 1 drawing kept; skipped 0, 1. The app learns from them in the background.');
  });

  it('says a digit reads well only when the asked digit is read with confidence', () => {
    const p = (digit: number, confidence: number) => Array.from({ length: 10 }, (_, d) => (d === digit ? confidence : (1 - confidence) / 9));
    expect(readsWell(p(3, 0.97), 3)).toBe(true);
    expect(readsWell(p(3, 0.6), 3)).toBe(false);
    expect(readsWell(p(8, 0.97), 3)).toBe(false);
    expect(readsWell(null, 3)).toBe(false);
    expect(readsWell(p(3, 0.97), undefined)).toBe(false);
    expect(roundSummary(skipDigit(startRound()))).toBe('Teaching round: nothing kept; skipped 0.');
  });
});
