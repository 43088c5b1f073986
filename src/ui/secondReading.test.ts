import { describe, expect, it } from 'vitest';
import { CLOSE_RULE, secondReading } from './secondReading';

/** Ten probabilities, all `rest` but the given digits. */
function probs(given: Record<number, number>, rest = 0): number[] {
  return Array.from({ length: 10 }, (_, d) => given[d] ?? rest);
}

describe('secondReading', () => {
  it('names the other digit when the two most likely are close', () => {
    expect(secondReading(probs({ 7: 0.55, 1: 0.4 }, 0.05 / 8))).toEqual({ digit: 1, probability: 0.4 });
    expect(secondReading(probs({ 1: 0.5, 7: 0.5 }))).toEqual({ digit: 7, probability: 0.5 });
  });

  it('says nothing when the top digit is far ahead', () => {
    expect(secondReading(probs({ 7: 0.97, 1: 0.03 }))).toBeUndefined();
    // A quarter of the top is the line: just under it is not close, on it is.
    expect(secondReading(probs({ 7: 0.8, 1: 0.19 }, 0.01 / 8))).toBeUndefined();
    expect(secondReading(probs({ 7: 0.8, 1: 0.2 }))).toEqual({ digit: 1, probability: 0.2 });
  });

  it('never offers a digit under the floor, however spread the reading', () => {
    // Ten digits nearly alike: the second is close to the top but only 9% likely.
    expect(secondReading(probs({ 3: 0.19 }, 0.09))).toBeUndefined();
    expect(secondReading(probs({ 3: 0.3, 5: 0.1 }, 0.6 / 8))).toEqual({ digit: 5, probability: 0.1 });
  });

  it('finds the top and the second wherever they are, ties to the lower digit', () => {
    expect(secondReading(probs({ 0: 0.3, 9: 0.6 }, 0.1 / 8))).toEqual({ digit: 0, probability: 0.3 });
    expect(secondReading(probs({ 0: 0.6, 9: 0.3 }, 0.1 / 8))).toEqual({ digit: 9, probability: 0.3 });
    expect(secondReading(Float32Array.from(probs({ 4: 0.45, 9: 0.45 }, 0.1 / 8)))?.digit).toBe(9);
  });

  it('has nothing to say without a reading, and follows another rule when given one', () => {
    expect(secondReading(null)).toBeUndefined();
    expect(secondReading(undefined)).toBeUndefined();
    expect(secondReading([])).toBeUndefined();
    expect(secondReading(probs({ 7: 0.9, 1: 0.1 }), { ratio: 0.1, floor: 0.05 })).toEqual({ digit: 1, probability: 0.1 });
    expect(secondReading(probs({ 7: 0.9, 1: 0.1 }), CLOSE_RULE)).toBeUndefined();
  });
});
