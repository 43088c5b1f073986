/**
 * The stroke width of a digit image, in pixels: for a stroke of width w and length L, the ink is about w x L and
 * the outline about 2 x L, so w ~ 2 x ink / outline. Ink is the sum of intensities; the outline is the number of
 * pixel edges between ink (> 0.5) and background. Used to measure MNIST and to check that drawn digits match it.
 * Pure.
 */
export function strokeWidth(image: ArrayLike<number>, size = 28, maxValue = 1): number {
  let ink = 0;
  let outline = 0;
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < size && y < size && image[y * size + x]! > maxValue / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      ink += image[y * size + x]! / maxValue;
      if (!on(x, y)) continue;
      if (!on(x + 1, y)) outline++;
      if (!on(x - 1, y)) outline++;
      if (!on(x, y + 1)) outline++;
      if (!on(x, y - 1)) outline++;
    }
  }
  return outline > 0 ? (2 * ink) / outline : 0;
}
