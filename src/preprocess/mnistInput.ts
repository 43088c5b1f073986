/**
 * From the pen's strokes to the 28x28 input MNIST expects, built from the strokes themselves rather than from a
 * bitmap of the pad: the strokes are scaled (aspect kept) so that the digit, ink included, fills MNIST's 20-px
 * box, then drawn at MNIST's own stroke width with a one-pixel anti-aliased edge, and moved so that the centre
 * of mass sits at the centre of the 28x28 frame. So a digit drawn small, large or off-centre gives the same
 * input, with strokes as thick as MNIST's, where scaling a bitmap made a small digit a thick blob.
 * White ink on black, values in [0, 1]. Pure.
 */
import { cleanStrokes } from './cleanStrokes';

export type Point = readonly [number, number];
export type Stroke = readonly Point[];

export const MNIST_SIZE = 28;
export const DIGIT_BOX = 20;
/**
 * The pen's width in pixels of the 28x28 frame, chosen so that inputs are as thick as MNIST's digits.
 * strokeWidth.ts's estimate (2 x ink / outline), by `npx tsx scripts/measure-stroke-width.ts`: MNIST's 10,000
 * test images median 1.97 px (mean 2.05, p10-p90 1.45-2.76); the training writers' pen digits drawn with this
 * pen, median 2.00 px (its one-pixel anti-aliased edge counts for less than its full width in that estimate).
 */
export const MNIST_STROKE_WIDTH = 2.45;

/** A grey image: ink intensity per pixel in [0, 1], row-major. */
export interface InkImage {
  width: number;
  height: number;
  data: Float32Array;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bounding box of the ink, or null when there is none. */
export function inkBounds(image: InkImage, threshold = 0.05): Box | null {
  let minX = image.width;
  let minY = image.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width;
    for (let x = 0; x < image.width; x++) {
      if (image.data[row + x]! > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Centre of mass (in pixel units, pixel centres at i + 0.5) of a width x height image. */
export function centreOfMass(data: Float32Array, width: number, height: number): { x: number; y: number } {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]!;
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: width / 2, y: height / 2 };
}

/**
 * Draws strokes (already in frame pixels) into a size x size image with a round pen of `width` px: each pixel
 * takes the largest coverage of any segment, with a linear one-pixel ramp at the edge (overlaps do not add up,
 * as with a real pen).
 */
export function drawStrokes(strokes: readonly Stroke[], width: number, size = MNIST_SIZE, out = new Float32Array(size * size)): Float32Array {
  const r = width / 2;
  const reach = r + 0.5;
  for (const stroke of strokes) {
    // A single point is a dot: one segment from the point to itself.
    const segments = Math.max(1, stroke.length - 1);
    for (let i = 0; i < segments && stroke.length > 0; i++) {
      const [ax, ay] = stroke[i]!;
      const [bx, by] = stroke[Math.min(i + 1, stroke.length - 1)]!;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
      const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + reach));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
      const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + reach));
      for (let y = y0; y <= y1; y++) {
        const py = y + 0.5;
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5;
          const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
          const ex = px - (ax + t * dx);
          const ey = py - (ay + t * dy);
          const v = Math.min(1, reach - Math.sqrt(ex * ex + ey * ey));
          const k = y * size + x;
          if (v > out[k]!) out[k] = v;
        }
      }
    }
  }
  return out;
}

/**
 * The 784 inputs for the model, or null for an empty drawing (no prediction then, never a random digit). The
 * strokes are cleaned first (cleanStrokes.ts: a tablet's pen-down and pen-up hooks, a stray dot far from the ink).
 */
export function strokesToMnistInput(strokes: readonly Stroke[], strokeWidth = MNIST_STROKE_WIDTH): Float32Array | null {
  return renderMnistInput(cleanStrokes(strokes), strokeWidth);
}

/** The 784 inputs for strokes as they are, uncleaned (strokesToMnistInput cleans first), or null for none. */
export function renderMnistInput(strokes: readonly Stroke[], strokeWidth = MNIST_STROKE_WIDTH): Float32Array | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const stroke of strokes) {
    for (const [x, y] of stroke) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (minX > maxX) return null;
  // The ink's box is the pen's path widened by the stroke on each side: the path gets the rest of the 20 px.
  const extent = Math.max(maxX - minX, maxY - minY);
  const scale = extent > 0 ? (DIGIT_BOX - strokeWidth) / extent : 0;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const place = (dx: number, dy: number) => strokes.map((s) => s.map(([x, y]): Point => [(x - cx) * scale + dx, (y - cy) * scale + dy]));
  const centred = drawStrokes(place(MNIST_SIZE / 2, MNIST_SIZE / 2), strokeWidth);
  const com = centreOfMass(centred, MNIST_SIZE, MNIST_SIZE);
  return drawStrokes(place(MNIST_SIZE - com.x, MNIST_SIZE - com.y), strokeWidth);
}
