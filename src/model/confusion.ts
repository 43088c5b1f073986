/** Confusion matrix and per-digit accuracy from true and predicted labels. Pure. */

/** matrix[trueDigit][predictedDigit] = count. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes = 10): number[][] {
  if (labels.length !== predicted.length) throw new RangeError(`${labels.length} labels but ${predicted.length} predictions`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]!++;
  return matrix;
}

/** For each digit: how many test images of it there are and the share predicted right (NaN when none). */
export function perDigitAccuracy(matrix: number[][]): Array<{ digit: number; count: number; accuracy: number }> {
  return matrix.map((row, digit) => {
    const count = row.reduce((a, b) => a + b, 0);
    return { digit, count, accuracy: count === 0 ? Number.NaN : row[digit]! / count };
  });
}

/** Indices of the images in one cell (true t, predicted p), at most `limit`. */
export function cellIndices(labels: ArrayLike<number>, predicted: ArrayLike<number>, t: number, p: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length && out.length < limit; i++) if (labels[i] === t && predicted[i] === p) out.push(i);
  return out;
}

/** Indices of all misclassified images, the most confidently wrong first. */
export function misclassified(labels: ArrayLike<number>, predicted: ArrayLike<number>, confidence: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== predicted[i]) out.push(i);
  return out.sort((a, b) => confidence[b]! - confidence[a]!);
}
