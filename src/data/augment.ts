/**
 * Augmentation suited to handwriting, applied per image as a batch is cut (training worker and Node script):
 * an elastic distortion (Simard, Steinkraus & Platt 2003: a random displacement field smoothed by a Gaussian),
 * a small rotation, scale, aspect change and shear about the centre, a shift of a pixel or so, and a thinner or
 * thicker stroke. One bilinear resampling for the geometry; the stroke width by a grey-scale 3x3 erosion or
 * dilation blended in. Pure and deterministic for a given random source. About 0.1 ms per image.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from './mnistFacts';

export interface AugmentSettings {
  /** The share of images augmented; the others pass unchanged, so the clean digits stay in sight. */
  probability: number;
  /** Largest rotation either way, degrees. */
  rotation: number;
  /** Scale is drawn from [1 - scale, 1 + scale]; the aspect ratio from [1 - aspect, 1 + aspect]. */
  scale: number;
  aspect: number;
  /** Horizontal shear, largest |x shift per y|. */
  shear: number;
  /** Largest shift either way, pixels. */
  shift: number;
  /** Elastic field: strength (pixels, before smoothing) and smoothness (Gaussian sigma, pixels). */
  elasticAlpha: number;
  elasticSigma: number;
  /** Largest stroke-width change: the blend weight of a 3x3 dilation or erosion. */
  strokeWidth: number;
}

export const HANDWRITING_AUGMENTATION: AugmentSettings = {
  probability: 0.5,
  rotation: 10,
  scale: 0.1,
  aspect: 0.1,
  shear: 0.2,
  shift: 1,
  elasticAlpha: 20,
  elasticSigma: 5,
  strokeWidth: 0.6,
};

const N = IMAGE_SIZE;

export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(sigma * 2.5);
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/**
 * The separable Gaussian blur with clamped edges as one 28x28 matrix B (a row of B holds the kernel's weights, those
 * that fall off an edge added to the edge pixel): blurring a field F is B F B^T, two products without a branch
 * (four times faster than tap by tap with clamped indices, which was most of augmenting a batch).
 */
export function blurMatrix(kernel: Float32Array): Float64Array {
  const r = (kernel.length - 1) / 2;
  const b = new Float64Array(N * N);
  for (let x = 0; x < N; x++) for (let i = -r; i <= r; i++) b[x * N + Math.min(N - 1, Math.max(0, x + i))]! += kernel[i + r]!;
  return b;
}

/** field := B field B^T, using `tmp` as scratch. */
function blur(field: Float32Array, b: Float64Array, tmp: Float32Array): void {
  // tmp = field B^T: each row of the field blurred along x.
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += field[y * N + j]! * b[x * N + j]!;
      tmp[y * N + x] = s;
    }
  }
  // field = B tmp: each column blurred along y.
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) field[y * N + x] = 0;
    for (let j = 0; j < N; j++) {
      const w = b[y * N + j]!;
      for (let x = 0; x < N; x++) field[y * N + x]! += w * tmp[j * N + x]!;
    }
  }
}

/** Reusable buffers and the kernel for one worker or script: augmenting allocates nothing per image. */
export class Augmenter {
  private readonly dx = new Float32Array(IMAGE_PIXELS);
  private readonly dy = new Float32Array(IMAGE_PIXELS);
  private readonly tmp = new Float32Array(IMAGE_PIXELS);
  private readonly warped = new Float32Array(IMAGE_PIXELS);
  private readonly blur: Float64Array;

  constructor(
    private readonly settings: AugmentSettings = HANDWRITING_AUGMENTATION,
    private readonly random: () => number = Math.random,
  ) {
    this.blur = blurMatrix(gaussianKernel(settings.elasticSigma));
  }

  private uniform(limit: number): number {
    return (this.random() * 2 - 1) * limit;
  }

  /** Writes an augmented copy of `src` (784 values, 0..255) into `out` (784 values, 0..1). */
  augment(src: ArrayLike<number>, out: Float32Array, outOffset = 0): void {
    const s = this.settings;
    if (s.probability < 1 && this.random() >= s.probability) {
      for (let i = 0; i < IMAGE_PIXELS; i++) out[outOffset + i] = src[i]! / 255;
      return;
    }
    const { dx, dy, tmp, warped } = this;
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      dx[i] = this.uniform(1);
      dy[i] = this.uniform(1);
    }
    blur(dx, this.blur, tmp);
    blur(dy, this.blur, tmp);
    // Output pixel p maps back to source A^-1 (p - c - t) + c + elastic(p).
    const angle = (this.uniform(s.rotation) * Math.PI) / 180;
    const scale = 1 + this.uniform(s.scale);
    const aspect = 1 + this.uniform(s.aspect);
    const shear = this.uniform(s.shear);
    const sx = scale * aspect;
    const sy = scale / aspect;
    // Forward A = R * Shear * S; inverse computed directly.
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const a = [cos * sx, cos * shear * sy - sin * sy, sin * sx, sin * shear * sy + cos * sy];
    const det = a[0]! * a[3]! - a[1]! * a[2]!;
    const inv = [a[3]! / det, -a[1]! / det, -a[2]! / det, a[0]! / det];
    const tx = this.uniform(s.shift);
    const ty = this.uniform(s.shift);
    const c = N / 2;
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        const i = y * N + x;
        const px = x + 0.5 - c - tx;
        const py = y + 0.5 - c - ty;
        const u = inv[0]! * px + inv[1]! * py + c - 0.5 + dx[i]! * s.elasticAlpha;
        const v = inv[2]! * px + inv[3]! * py + c - 0.5 + dy[i]! * s.elasticAlpha;
        warped[i] = bilinear(src, u, v) / 255;
      }
    }
    // Stroke width: blend towards a 3x3 grey-scale dilation (thicker) or erosion (thinner).
    const width = this.uniform(s.strokeWidth);
    const grow = width > 0;
    const w = Math.abs(width);
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        let m = warped[y * N + x]!;
        for (let j = -1; j <= 1; j++) {
          for (let i = -1; i <= 1; i++) {
            const xx = x + i;
            const yy = y + j;
            const v = xx < 0 || yy < 0 || xx >= N || yy >= N ? 0 : warped[yy * N + xx]!;
            m = grow ? Math.max(m, v) : Math.min(m, v);
          }
        }
        out[outOffset + y * N + x] = warped[y * N + x]! * (1 - w) + m * w;
      }
    }
  }
}

/** The source pixel at (x, y), 0 outside the image. */
function pixel(src: ArrayLike<number>, x: number, y: number): number {
  return x < 0 || y < 0 || x >= N || y >= N ? 0 : src[y * N + x]!;
}

function bilinear(src: ArrayLike<number>, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  return (pixel(src, x0, y0) * (1 - fx) + pixel(src, x0 + 1, y0) * fx) * (1 - fy) + (pixel(src, x0, y0 + 1) * (1 - fx) + pixel(src, x0 + 1, y0 + 1) * fx) * fy;
}
