/** What the published MNIST data set is: the numbers every copy of it must match. */

export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;

export type Split = 'train' | 'test';

export const SPLIT_COUNTS: Record<Split, number> = { train: 60_000, test: 10_000 };

/** Images per digit 0-9, as published with MNIST. */
export const LABEL_COUNTS: Record<Split, readonly number[]> = {
  train: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  test: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
};

/** Counts how many labels of each digit there are; throws on a value outside 0-9. */
export function labelHistogram(labels: Uint8Array): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label >= NUM_CLASSES) throw new RangeError(`label ${label} at index ${i} is not a digit`);
    counts[label]!++;
  }
  return counts;
}
