import { describe, expect, it } from 'vitest';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { strokeWidth } from '../preprocess/strokeWidth';
import { Augmenter, HANDWRITING_AUGMENTATION, blurMatrix, gaussianKernel } from './augment';
import { batchTensors } from './batches';

const test = readSplit(mnistDataDir(), 'test');
const image = (i: number) => test.images.subarray(i * 784, (i + 1) * 784);
const seeded = (seed: number) => () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const NONE = { probability: 1, rotation: 0, scale: 0, aspect: 0, shear: 0, shift: 0, elasticAlpha: 0, elasticSigma: 4, strokeWidth: 0 };
const mse = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;
const mass = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('handwriting augmentation', () => {
  it('with every setting at zero it is the identity (scaled to 0..1)', () => {
    const out = new Float32Array(784);
    new Augmenter(NONE, seeded(1)).augment(image(0), out);
    expect(mse(out, Array.from(image(0), (v) => v / 255))).toBeLessThan(1e-10);
  });

  it('changes the image, keeps it a digit of about the same ink, and is deterministic for a seed', () => {
    const a = new Float32Array(784);
    const b = new Float32Array(784);
    new Augmenter({ ...HANDWRITING_AUGMENTATION, probability: 1 }, seeded(7)).augment(image(3), a);
    new Augmenter({ ...HANDWRITING_AUGMENTATION, probability: 1 }, seeded(7)).augment(image(3), b);
    expect(Array.from(a)).toEqual(Array.from(b));
    const original = Float32Array.from(image(3), (v) => v / 255);
    expect(mse(a, original)).toBeGreaterThan(0.005);
    expect(mass(a) / mass(original)).toBeGreaterThan(0.5);
    expect(mass(a) / mass(original)).toBeLessThan(1.8);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
  });

  it('augments about the given share of images and passes the rest unchanged', () => {
    const augmenter = new Augmenter(HANDWRITING_AUGMENTATION, seeded(11));
    const original = Float32Array.from(image(5), (v) => v / 255);
    let changed = 0;
    for (let i = 0; i < 400; i++) {
      const out = new Float32Array(784);
      augmenter.augment(image(5), out);
      if (mse(out, original) > 1e-10) changed++;
    }
    expect(changed / 400).toBeGreaterThan(HANDWRITING_AUGMENTATION.probability - 0.08);
    expect(changed / 400).toBeLessThan(HANDWRITING_AUGMENTATION.probability + 0.08);
  });

  it('varies the stroke width both ways', () => {
    const widths = Array.from({ length: 200 }, (_, i) => {
      const out = new Float32Array(784);
      new Augmenter({ ...NONE, strokeWidth: HANDWRITING_AUGMENTATION.strokeWidth }, seeded(i + 1)).augment(image(1), out);
      return strokeWidth(out);
    });
    const base = strokeWidth(Float32Array.from(image(1), (v) => v / 255));
    expect(Math.min(...widths)).toBeLessThan(base * 0.85);
    expect(Math.max(...widths)).toBeGreaterThan(base * 1.15);
  });

  it('augments a whole batch, labels untouched', () => {
    const augmenter = new Augmenter(HANDWRITING_AUGMENTATION, seeded(3));
    const indices = Array.from({ length: 128 }, (_, i) => i);
    const split = { count: 10_000, images: test.images, labels: test.labels };
    const started = performance.now();
    const { xs, ys } = batchTensors(split, indices, (src, out, offset) => augmenter.augment(src, out, offset));
    const msPerImage = (performance.now() - started) / 128;
    const plain = batchTensors(split, indices);
    expect(Array.from(ys.dataSync())).toEqual(Array.from(plain.ys.dataSync()));
    expect(mse(xs.dataSync(), plain.xs.dataSync())).toBeGreaterThan(0.001);
    // A figure, not a test: training's own speed is measured by npm run bench.
    console.log(`augmentation: ${msPerImage.toFixed(3)} ms per image`);
    for (const t of [xs, ys, plain.xs, plain.ys]) t.dispose();
  });

  it('blurs the elastic field as the separable Gaussian with clamped edges does, tap by tap', () => {
    const kernel = gaussianKernel(HANDWRITING_AUGMENTATION.elasticSigma);
    const r = (kernel.length - 1) / 2;
    const clamp = (i: number) => Math.min(27, Math.max(0, i));
    const random = seeded(5);
    const field = Array.from({ length: 784 }, () => random() * 2 - 1);
    // Along x, then along y, each tap reading the nearest pixel inside the image.
    const rows = field.map((_, p) => kernel.reduce((s, k, i) => s + k * field[Math.floor(p / 28) * 28 + clamp((p % 28) + i - r)]!, 0));
    const direct = rows.map((_, p) => kernel.reduce((s, k, i) => s + k * rows[clamp(Math.floor(p / 28) + i - r) * 28 + (p % 28)]!, 0));
    const b = blurMatrix(kernel);
    // B F B^T = ((F B^T)^T B^T)^T.
    const timesBt = (m: number[]) => m.map((_, p) => Array.from({ length: 28 }, (_, j) => m[Math.floor(p / 28) * 28 + j]! * b[(p % 28) * 28 + j]!).reduce((s, v) => s + v, 0));
    const transposed = (m: number[]) => m.map((_, p) => m[(p % 28) * 28 + Math.floor(p / 28)]!);
    const byMatrix = transposed(timesBt(transposed(timesBt(field))));
    expect(Math.max(...direct.map((v, i) => Math.abs(v - byMatrix[i]!)))).toBeLessThan(1e-12);
    // Each row of the matrix keeps the kernel's weight: a constant field stays constant.
    for (let x = 0; x < 28; x++) expect(b.subarray(x * 28, x * 28 + 28).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });
});
