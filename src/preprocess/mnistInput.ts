/**
 * From a drawing to the 28x28 input MNIST expects, the way MNIST itself was made: crop to the ink's bounding
 * box, scale (anti-aliased, keeping the aspect ratio) so the longer side is 20 px, and place it in a 28x28
 * frame so that its centre of mass sits at the centre. White ink on black, values in [0, 1]. Pure.
 */

/** A grey image: ink intensity per pixel in [0, 1], row-major. */
export interface InkImage {
  width: number;
  height: number;
  data: Float32Array;
}

export const MNIST_SIZE = 28;
export const DIGIT_BOX = 20;
/** Pixels fainter than this do not count as ink when finding the bounding box. */
export const INK_THRESHOLD = 0.05;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bounding box of the ink, or null when there is none. */
export function inkBounds(image: InkImage, threshold = INK_THRESHOLD): Box | null {
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

/**
 * Area-weighted resampling of a box of `image` to width x height: each output pixel is the mean of the source
 * area it covers (a box filter, exact for down- and up-scaling).
 */
export function resampleArea(image: InkImage, box: Box, width: number, height: number): Float32Array {
  const sx = box.width / width;
  const sy = box.height / height;
  // Horizontal pass into a (box.height x width) buffer, then vertical.
  const tmp = new Float32Array(box.height * width);
  for (let ox = 0; ox < width; ox++) {
    const x0 = ox * sx;
    const x1 = x0 + sx;
    for (let y = 0; y < box.height; y++) {
      const row = (box.y + y) * image.width + box.x;
      let sum = 0;
      for (let x = Math.floor(x0), end = Math.min(box.width, Math.ceil(x1)); x < end; x++) {
        const cover = Math.min(x + 1, x1) - Math.max(x, x0);
        sum += image.data[row + x]! * cover;
      }
      tmp[y * width + ox] = sum / sx;
    }
  }
  const out = new Float32Array(width * height);
  for (let oy = 0; oy < height; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < width; ox++) {
      let sum = 0;
      for (let y = Math.floor(y0), end = Math.min(box.height, Math.ceil(y1)); y < end; y++) {
        const cover = Math.min(y + 1, y1) - Math.max(y, y0);
        sum += tmp[y * width + ox]! * cover;
      }
      out[oy * width + ox] = sum / sy;
    }
  }
  return out;
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

/** The 784 inputs for the model, or null for an empty drawing (no prediction then, never a random digit). */
export function toMnistInput(image: InkImage, threshold = INK_THRESHOLD): Float32Array | null {
  const box = inkBounds(image, threshold);
  if (!box) return null;
  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const width = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.width * scale)));
  const height = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.height * scale)));
  const digit = resampleArea(image, box, width, height);
  const com = centreOfMass(digit, width, height);
  const offsetX = Math.round(MNIST_SIZE / 2 - com.x);
  const offsetY = Math.round(MNIST_SIZE / 2 - com.y);
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < height; y++) {
    const ty = y + offsetY;
    if (ty < 0 || ty >= MNIST_SIZE) continue;
    for (let x = 0; x < width; x++) {
      const tx = x + offsetX;
      if (tx < 0 || tx >= MNIST_SIZE) continue;
      out[ty * MNIST_SIZE + tx] = Math.min(1, Math.max(0, digit[y * width + x]!));
    }
  }
  return out;
}
