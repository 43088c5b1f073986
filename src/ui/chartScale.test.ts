import { describe, expect, it } from 'vitest';
import { downsample, fitRange, niceTicks } from './chartScale';

describe('chart scales', () => {
  it('ticks are round numbers covering the range', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(97.3, 99.4, 4)).toEqual([97.5, 98, 98.5, 99]);
    expect(niceTicks(0, 469, 5)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(0.02, 0.31, 4)).toEqual([0.1, 0.2, 0.3]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('the y range fits the data: accuracy near 99% is not a flat line at the top of 0-100', () => {
    const [lo, hi] = fitRange([98.6, 98.9, 99.1], [0, 100]);
    expect(lo).toBeGreaterThan(98.5);
    expect(hi).toBeLessThan(99.2);
    expect(fitRange([99.9, 100], [0, 100])[1]).toBe(100);
    expect(fitRange([0.5, 0.5], [0, Infinity], 0.1)).toEqual([0.45, 0.55]);
    expect(fitRange([], [0, 100])).toEqual([0, 1]);
  });

  it('downsampling averages neighbours and keeps their position', () => {
    expect(downsample([1, 3, 5, 7], 2)).toEqual([
      [0.5, 2],
      [2.5, 6],
    ]);
    expect(downsample([1, 2, 3], 10)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
});
