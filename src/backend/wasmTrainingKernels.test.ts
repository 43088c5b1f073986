import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { ownKernelsBuild } from './wasmTrainingKernels';

type Shape4 = [number, number, number, number];

/** Gradients of sum(conv2d(x, w) * r) with respect to x and w, on the current backend. */
function convGrads(x: Float32Array, xShape: Shape4, w: Float32Array, wShape: Shape4, r: Float32Array, pad: 'valid' | 'same') {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape);
    const wt = tf.tensor4d(w, wShape);
    const f = (a: tf.Tensor4D, b: tf.Tensor4D) => {
      const y = tf.conv2d(a, b, 1, pad);
      return y.mul(tf.tensor(r, y.shape)).sum();
    };
    const [dx, dw] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([xt, wt]);
    return { dx: Float32Array.from(dx!.dataSync()), dw: Float32Array.from(dw!.dataSync()) };
  });
}

function maxAbs(a: Float32Array): number {
  let max = 0;
  for (const v of a) max = Math.max(max, Math.abs(v));
  return max;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Uniform values in [lo, hi) from a fixed seed. */
const random = (n: number, seed: number, lo: number, hi: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => lo + ((s = (s * 16807) % 2147483647) / 2147483647) * (hi - lo));
};
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * `compute` on the cpu backend (the reference), then on wasm with its training kernels, which must leave no
 * tensor behind.
 */
async function onCpuThenWasm<T>(compute: () => T): Promise<{ reference: T; wasm: T }> {
  await tf.setBackend('cpu');
  const reference = compute();
  await startWasmBackend();
  expect(tf.getBackend()).toBe('wasm');
  const before = tf.memory().numTensors;
  const wasm = compute();
  expect(tf.memory().numTensors).toBe(before);
  return { reference, wasm };
}

describe('wasm training kernels against the cpu backend', () => {
  afterAll(startWasmBackend);

  const cases: Array<{ name: string; x: Shape4; w: Shape4; pad: 'valid' | 'same' }> = [
    { name: 'first conv layer (28x28x1 -> 32)', x: [8, 28, 28, 1], w: [3, 3, 1, 32], pad: 'valid' },
    { name: 'second conv layer (26x26x32 -> 64)', x: [4, 26, 26, 32], w: [3, 3, 32, 64], pad: 'valid' },
    { name: 'same padding, non-square kernel', x: [4, 9, 11, 3], w: [3, 5, 3, 4], pad: 'same' },
  ];

  for (const c of cases) {
    it(`${c.name}: dW and dx within 1e-4`, async () => {
      // Magnitudes as in training: activations in [0, 1], Glorot-sized weights, and the small upstream
      // gradients of a batch-mean loss.
      const x = random(size(c.x), 11, 0, 1);
      const w = random(size(c.w), 23, -0.1, 0.1);
      const outShape = c.pad === 'valid' ? [c.x[0], c.x[1] - c.w[0] + 1, c.x[2] - c.w[1] + 1, c.w[3]] : [c.x[0], c.x[1], c.x[2], c.w[3]];
      const r = random(size(outShape), 37, -1e-2, 1e-2);

      const { reference, wasm } = await onCpuThenWasm(() => convGrads(x, c.x, w, c.w, r, c.pad));

      const dwError = maxAbsDiff(wasm.dw, reference.dw);
      const dxError = maxAbsDiff(wasm.dx, reference.dx);
      expect(dwError).toBeLessThan(1e-4);
      expect(dxError).toBeLessThan(1e-4);
      // Not trivially small: the gradients carry real signal, and the error is float32 rounding only.
      const dwScale = maxAbs(reference.dw);
      const dxScale = maxAbs(reference.dx);
      expect(dwScale).toBeGreaterThan(0.05);
      expect(dxScale).toBeGreaterThan(1e-3);
      expect(dwError / dwScale).toBeLessThan(1e-5);
      expect(dxError / dxScale).toBeLessThan(1e-5);
    });
  }
});

describe('convolutions and Dense products on the wasm backend (forward), against the cpu backend', () => {
  afterAll(startWasmBackend);

  const convCases: Array<{ name: string; x: Shape4; w: Shape4; pad: 'valid' | 'same'; activation: 'relu' | 'linear'; bias: boolean }> = [
    { name: 'first conv layer, bias and ReLU', x: [3, 28, 28, 1], w: [3, 3, 1, 32], pad: 'valid', activation: 'relu', bias: true },
    { name: 'second conv layer, bias and ReLU', x: [2, 26, 26, 32], w: [3, 3, 32, 64], pad: 'valid', activation: 'relu', bias: true },
    // Output rows of 9 (two tiles of 4 and one that overlaps) and of 3 (single rows); zero padding.
    { name: 'same padding, 9 wide, no bias', x: [2, 5, 9, 4], w: [3, 3, 4, 16], pad: 'same', activation: 'linear', bias: false },
    { name: 'valid, 3 wide output, non-square kernel', x: [2, 6, 5, 3], w: [2, 3, 3, 8], pad: 'valid', activation: 'relu', bias: true },
  ];
  for (const c of convCases) {
    it(`${c.name}: within 1e-5 relative`, async () => {
      const x = random(size(c.x), 3, 0, 1);
      const w = random(size(c.w), 7, -0.2, 0.2);
      const b = random(c.w[3], 13, -0.5, 0.5);
      const conv = () =>
        tf.tidy(() =>
          Float32Array.from(
            tf.fused
              .conv2d({ x: tf.tensor4d(x, c.x), filter: tf.tensor4d(w, c.w), strides: 1, pad: c.pad, bias: c.bias ? tf.tensor1d(b) : undefined, activation: c.activation })
              .dataSync(),
          ),
        );
      const { reference, wasm } = await onCpuThenWasm(conv);
      expect(maxAbsDiff(wasm, reference) / maxAbs(reference)).toBeLessThan(1e-5);
      if (c.activation === 'relu') expect(reference.some((v) => v === 0)).toBe(true);
    });
  }

  const productCases: Array<{ name: string; a: number[]; b: number[]; activation: 'relu' | 'linear'; bias: boolean }> = [
    { name: 'the 9216x128 Dense layer, bias and ReLU', a: [37, 9216], b: [9216, 128], activation: 'relu', bias: true },
    { name: '5 rows, no bias, batched shape', a: [1, 5, 20], b: [1, 20, 16], activation: 'linear', bias: false },
    { name: 'the softmax layer (10 columns: wasm’s own kernel)', a: [6, 128], b: [128, 10], activation: 'linear', bias: true },
  ];
  for (const c of productCases) {
    it(`${c.name}: within 1e-5 relative`, async () => {
      const a = random(size(c.a), 5, -1, 1);
      const b = random(size(c.b), 9, -0.1, 0.1);
      const bias = random(c.b.at(-1)!, 15, -0.5, 0.5);
      const product = () =>
        tf.tidy(() => {
          const ta: tf.Tensor = tf.tensor(a, c.a);
          const tb: tf.Tensor = tf.tensor(b, c.b);
          const bt = c.bias ? tf.tensor1d(bias) : undefined;
          return Float32Array.from(tf.fused.matMul({ a: ta as tf.Tensor2D, b: tb as tf.Tensor2D, bias: bt, activation: c.activation }).dataSync());
        });
      const { reference, wasm } = await onCpuThenWasm(product);
      expect(maxAbsDiff(wasm, reference) / maxAbs(reference)).toBeLessThan(1e-5);
    });
  }
});

describe('wasm BatchMatMul with a transposed operand, against the cpu backend', () => {
  afterAll(startWasmBackend);

  // The Dense(128) layer's gradients: dW = x^T dy ([128, 9216]^T [128, 128]) and dx = dy W^T.
  const cases: Array<{ name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
    { name: 'dW = x^T dy of the 9216x128 layer', a: [128, 9216], b: [128, 128], transposeA: true, transposeB: false },
    { name: 'dx = dy W^T of the 9216x128 layer', a: [128, 128], b: [9216, 128], transposeA: false, transposeB: true },
    { name: 'A B^T with an odd number of rows', a: [7, 12], b: [8, 12], transposeA: false, transposeB: true },
    { name: 'A^T B with rows not a multiple of 4', a: [9, 10], b: [9, 8], transposeA: true, transposeB: false },
    { name: 'both transposed, batched', a: [2, 5, 3], b: [2, 4, 5], transposeA: true, transposeB: true },
  ];
  for (const c of cases) {
    it(`${c.name}: within 1e-5 relative`, async () => {
      const a = random(size(c.a), 5, -1, 1);
      const b = random(size(c.b), 9, -1, 1);
      const product = () =>
        tf.tidy(() => {
          const ta = tf.tensor(a, c.a);
          const tb = tf.tensor(b, c.b);
          return (c.a.length === 2 ? tf.matMul(ta as tf.Tensor2D, tb as tf.Tensor2D, c.transposeA, c.transposeB) : tf.matMul(ta as tf.Tensor3D, tb as tf.Tensor3D, c.transposeA, c.transposeB)).dataSync() as Float32Array;
        });
      const { reference, wasm } = await onCpuThenWasm(product);
      expect(wasm.length).toBe(reference.length);
      expect(maxAbsDiff(wasm, reference) / maxAbs(reference)).toBeLessThan(1e-5);
    });
  }
});

describe('Digit Lab’s own SIMD kernels on the wasm backend', () => {
  afterAll(startWasmBackend);

  it('run here (a SIMD build is chosen), so the cases above and below test them', async () => {
    await startWasmBackend();
    expect(['relaxed-simd', 'simd128']).toContain(ownKernelsBuild());
  });

  it('MaxPoolGrad of 2x2 stride-2 pooling matches the cpu backend, ties included (first maximum wins)', async () => {
    const shape: Shape4 = [3, 8, 10, 8];
    // Coarse values so that windows hold ties, as ReLU zeros and saturated pixels do.
    const x = Float32Array.from(random(size(shape), 3, 0, 1), (v) => Math.round(v * 3) / 3);
    const r = random(size([3, 4, 5, 8]), 5, -1, 1);
    const grad = () =>
      tf.tidy(() => {
        const f = (a: tf.Tensor4D) => tf.maxPool(a, 2, 2, 'valid').mul(tf.tensor(r, [3, 4, 5, 8])).sum();
        return Float32Array.from(tf.grad(f as (a: tf.Tensor) => tf.Tensor)(tf.tensor4d(x, shape)).dataSync());
      });
    const { reference, wasm } = await onCpuThenWasm(grad);
    expect(maxAbsDiff(wasm, reference)).toBe(0);
    // Each window passes its gradient to exactly one input: as many nonzero entries as windows.
    expect(reference.filter((v) => v !== 0).length).toBe(3 * 4 * 5 * 8);
  });

  it('Identity (tf.clone) shares memory: the clone outlives its original, and the memory is freed with the last', async () => {
    await startWasmBackend();
    const before = tf.memory().numDataBuffers;
    const original = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const copy = tf.clone(original);
    expect(tf.memory().numDataBuffers - before).toBe(1); // one buffer for both
    original.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    copy.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
    const labels = tf.tensor1d([1, 0, 2], 'int32');
    const cloned = tf.clone(labels);
    labels.dispose();
    expect(cloned.dtype).toBe('int32');
    expect(Array.from(cloned.dataSync())).toEqual([1, 0, 2]);
    cloned.dispose();
  });

  it('Sum of a batch-sized bias gradient (73,728 rows) keeps float32 precision: within 1e-6 of float64', async () => {
    await startWasmBackend();
    const [rows, columns] = [128 * 24 * 24, 16];
    const x = random(rows * columns, 29, 0, 1);
    const exact = new Float64Array(columns);
    for (let i = 0; i < x.length; i++) exact[i % columns]! += x[i]!;
    const sums = tf.tidy(() => Float32Array.from(tf.sum(tf.tensor2d(x, [rows, columns]), 0).dataSync()));
    // One running float32 sum over all rows was off by 4e-6 here; sums of blocks of rows, added up, are not.
    for (let j = 0; j < columns; j++) expect(Math.abs(sums[j]! - exact[j]!) / exact[j]!).toBeLessThan(1e-6);
  });

  it('Sum over leading axes (bias gradients) matches the cpu backend, and other sums still work', async () => {
    const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
      { shape: [6, 5, 7, 64], axis: [0, 1, 2], keepDims: false },
      { shape: [6, 5, 7, 32], axis: [2, 0, 1], keepDims: true },
      { shape: [33, 128], axis: 0, keepDims: false },
      { shape: [4, 10], axis: 0, keepDims: false }, // 10 columns: wasm's own kernel
      { shape: [6, 5, 64], axis: [1], keepDims: false }, // not leading: wasm's own kernel
      { shape: [6, 48], axis: -1, keepDims: false },
    ];
    for (const c of cases) {
      const x = random(size(c.shape), 17, -1, 1);
      const sum = () => tf.tidy(() => Float32Array.from(tf.sum(tf.tensor(x, c.shape), c.axis, c.keepDims).dataSync()));
      const shapeOf = () => tf.tidy(() => tf.sum(tf.tensor(x, c.shape), c.axis, c.keepDims).shape);
      await tf.setBackend('cpu');
      const reference = sum();
      const referenceShape = shapeOf();
      await startWasmBackend();
      expect(shapeOf()).toEqual(referenceShape);
      const wasm = sum();
      expect(maxAbsDiff(wasm, reference) / maxAbs(reference)).toBeLessThan(1e-5);
    }
  });
});
