import { describe, expect, it } from 'vitest';
import { cellIndices, confusionMatrix, misclassified, perDigitAccuracy } from './confusion';

describe('confusion matrix', () => {
  const labels = [0, 0, 1, 1, 1, 2, 2, 2, 2];
  const predicted = [0, 1, 1, 1, 2, 2, 2, 0, 2];
  const confidence = [0.9, 0.6, 0.8, 0.7, 0.95, 0.9, 0.8, 0.55, 0.99];

  it('counts true digit by predicted digit', () => {
    expect(confusionMatrix(labels, predicted, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
  });

  it('gives accuracy per digit, NaN for a digit with no images', () => {
    const perDigit = perDigitAccuracy(confusionMatrix(labels, predicted, 4));
    expect(perDigit.slice(0, 3)).toEqual([
      { digit: 0, count: 2, accuracy: 0.5 },
      { digit: 1, count: 3, accuracy: 2 / 3 },
      { digit: 2, count: 4, accuracy: 0.75 },
    ]);
    expect(perDigit[3]!.accuracy).toBeNaN();
  });

  it('finds the images of a cell and the misclassified ones, most confident first', () => {
    expect(cellIndices(labels, predicted, 2, 2)).toEqual([5, 6, 8]);
    expect(cellIndices(labels, predicted, 2, 2, 2)).toEqual([5, 6]);
    expect(misclassified(labels, predicted, confidence)).toEqual([4, 1, 7]);
  });

  it('refuses mismatched lengths', () => {
    expect(() => confusionMatrix([1, 2], [1])).toThrow(RangeError);
  });
});
