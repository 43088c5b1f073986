/**
 * conv2d_winograd and conv2d_winograd_f4 (Winograd F(2x2, 3x3) and F(4x4, 3x3), kernels/trainingKernelsWat.ts)
 * against the cpu backend: the second conv layer's forward pass and input gradient as training runs them (on the
 * tile wasmTrainingKernels.ts picks), and both kernels themselves on ragged shapes (output sizes that are not a
 * multiple of the tile, asymmetric padding, blocks of tiles that do not divide the image); and the filter gradient
 * as Winograd F(3x3, 2x2), conv_filter_grad_winograd, likewise.
 *
 * Tolerance: Winograd adds and subtracts inputs, and filter taps, before it multiplies (with coefficients up to 8
 * in F(4x4, 3x3)), so its float32 rounding grows with the magnitudes of those terms rather than with the result's.
 * Measured against the cpu backend (itself float32) in these cases, as a fraction of the output's largest magnitude:
 * F(2x2) 1.6e-7 to 7.5e-7, F(4x4) 2.4e-7 to 5.9e-6 (the largest: the 64 -> 32 input gradient, 576 products a sum);
 * the direct conv2d kernel gave 1.4e-7 to 5.7e-7 on the same inputs. The bounds, 1e-5 for F(2x2) as for the other
 * kernels and 2e-5 for F(4x4), leave factors of 13 and 3.4; a wrong sign, coefficient or tile in a transform errs
 * by 1e-2 or more.
 *
 * The filter gradient as Winograd F(3x3, 2x2) (conv_filter_grad_winograd), the same way: 1.2e-7 to 3.3e-7 of dW's
 * largest magnitude in these cases (both builds), direct conv_filter_grad 0 to 1.2e-6 (it sums each image's 576
 * products per tap in one chain; Winograd a block's tiles, then the blocks); bound 1e-5.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { convFilterGradWinogradScratchFloats, convWinogradScratchFloats, trainingKernelsFor } from './kernels/trainingKernels';
import { WINOGRAD_TILE, winogradFits } from './wasmTrainingKernels';

type Shape4 = [number, number, number, number];
/** Of the output's largest magnitude, by tile (see the top of this file). */
const TOLERANCE = { 2: 1e-5, 4: 2e-5 } as const;

const random = (n: number, seed: number, lo: number, hi: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => lo + ((s = (s * 16807) % 2147483647) / 2147483647) * (hi - lo));
};
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** max |a - b| / max |b|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

/** The wasm backend's own kernels, and the byte offset of a tensor in its memory. */
function wasmKernels() {
  const backend = tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } }; dataIdMap: { get(id: object): { memoryOffset: number } } };
  return { kernels: trainingKernelsFor(backend.wasm.asm.memory)!, at: (t: tf.Tensor) => backend.dataIdMap.get(t.dataId).memoryOffset };
}

/**
 * `compute` on the cpu backend, then on wasm, where it must leave no tensor behind; with the tile and padding
 * (pt, pb, pl, pr) of each call that the wasm run made to a Winograd kernel.
 */
async function onCpuThenWasm<T>(compute: () => T): Promise<{ reference: T; wasm: T; calls: Array<{ tile: number; pads: number[] }> }> {
  await tf.setBackend('cpu');
  const reference = compute();
  await startWasmBackend();
  const before = tf.memory().numTensors;
  const { kernels } = wasmKernels();
  const spies = [vi.spyOn(kernels, 'conv2dWinograd'), vi.spyOn(kernels, 'conv2dWinogradF4')] as const;
  try {
    const wasm = compute();
    expect(tf.memory().numTensors).toBe(before);
    const calls = spies.flatMap((spy, i) => spy.mock.calls.map((args) => ({ tile: i === 0 ? 2 : 4, pads: args.slice(10, 14) })));
    return { reference, wasm, calls };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

describe('Winograd F(2x2, 3x3) convolution on the wasm backend, against the cpu backend', () => {
  afterAll(startWasmBackend);

  it('runs for the second conv layer (forward 32 -> 64, input gradient 64 -> 32), not for the first or 4 channels', () => {
    expect(winogradFits(3, 3, 32, 64)).toBe(true);
    expect(winogradFits(3, 3, 64, 32)).toBe(true);
    expect(winogradFits(3, 3, 1, 32)).toBe(false);
    expect(winogradFits(3, 3, 4, 32)).toBe(false);
    expect(winogradFits(3, 5, 32, 64)).toBe(false);
    expect(winogradFits(3, 3, 32, 10)).toBe(false);
  });

  it('the second conv layer forward (26x26x32 -> 24x24x64, bias and ReLU)', async () => {
    const xs: Shape4 = [3, 26, 26, 32];
    const ws: Shape4 = [3, 3, 32, 64];
    const x = random(size(xs), 3, 0, 1);
    const w = random(size(ws), 7, -0.1, 0.1);
    const b = random(64, 13, -0.5, 0.5);
    const conv = () =>
      tf.tidy(() =>
        Float32Array.from(tf.fused.conv2d({ x: tf.tensor4d(x, xs), filter: tf.tensor4d(w, ws), strides: 1, pad: 'valid', bias: tf.tensor1d(b), activation: 'relu' }).dataSync()),
      );
    const { reference, wasm, calls } = await onCpuThenWasm(conv);
    expect(calls).toEqual([{ tile: WINOGRAD_TILE, pads: [0, 0, 0, 0] }]);
    expect(relativeError(wasm, reference)).toBeLessThan(TOLERANCE[WINOGRAD_TILE]);
    expect(reference.some((v) => v === 0)).toBe(true);
  });

  it('the second conv layer input gradient (24x24x64 padded by 2 -> 26x26x32) and a same-padded one', async () => {
    for (const pad of ['valid', 'same'] as const) {
      const xs: Shape4 = [3, 26, 26, 32];
      const ws: Shape4 = [3, 3, 32, 64];
      const outShape = pad === 'valid' ? [3, 24, 24, 64] : [3, 26, 26, 64];
      const x = random(size(xs), 11, 0, 1);
      const w = random(size(ws), 23, -0.1, 0.1);
      const r = random(size(outShape), 37, -1e-2, 1e-2);
      const dx = () =>
        tf.tidy(() => {
          const f = (a: tf.Tensor4D) => tf.conv2d(a, tf.tensor4d(w, ws), 1, pad).mul(tf.tensor(r, outShape)).sum();
          return Float32Array.from(tf.grad(f as (a: tf.Tensor) => tf.Tensor)(tf.tensor4d(x, xs)).dataSync());
        });
      const { reference, wasm, calls } = await onCpuThenWasm(dx);
      // The forward pass (unpadded, or padded by 1), then the input gradient: dy padded by 2 (or 1), the filter rotated.
      const forward = pad === 'valid' ? 0 : 1;
      const backward = pad === 'valid' ? 2 : 1;
      expect(calls).toEqual([
        { tile: WINOGRAD_TILE, pads: Array(4).fill(forward) },
        { tile: WINOGRAD_TILE, pads: Array(4).fill(backward) },
      ]);
      expect(relativeError(wasm, reference)).toBeLessThan(TOLERANCE[WINOGRAD_TILE]);
    }
  });

  // Output sizes that are not a multiple of the tile (a last row and column of tiles partly outside), asymmetric
  // padding, and blocks of 5 tiles: blocks that end mid-row, and a last block of fewer than the GEMM's 4 rows.
  const cases: Array<{ name: string; x: Shape4; co: number; pads: [number, number, number, number]; block: number; bias: boolean; relu: boolean }> = [
    { name: 'valid, odd output 7 x 5', x: [2, 9, 7, 8], co: 16, pads: [0, 0, 0, 0], block: 5, bias: true, relu: true },
    { name: 'asymmetric padding, odd output 8 x 9', x: [2, 7, 8, 12], co: 8, pads: [1, 2, 0, 3], block: 5, bias: false, relu: false },
    { name: 'the second conv layer (26x26x32 -> 64), bias and ReLU', x: [2, 26, 26, 32], co: 64, pads: [0, 0, 0, 0], block: 48, bias: true, relu: true },
    { name: 'its input gradient (24x24x64 padded by 2 -> 32)', x: [2, 24, 24, 64], co: 32, pads: [2, 2, 2, 2], block: 48, bias: false, relu: false },
    { name: 'one output pixel', x: [1, 3, 3, 8], co: 24, pads: [0, 0, 0, 0], block: 48, bias: true, relu: false },
    { name: 'padded by 2 (a full convolution), one block per image', x: [2, 6, 6, 16], co: 8, pads: [2, 2, 2, 2], block: 48, bias: false, relu: true },
  ];
  for (const tile of [2, 4] as const) {
    for (const c of cases) {
      it(`the kernel itself, F(${tile}x${tile}, 3x3): ${c.name}`, async () => {
        const [n, h, wd, ci] = c.x;
        const [pt, pb, pl, pr] = c.pads;
        const ws: Shape4 = [3, 3, ci, c.co];
        const ys: Shape4 = [n, h + pt + pb - 2, wd + pl + pr - 2, c.co];
        const x = random(size(c.x), 5, -1, 1);
        const w = random(size(ws), 9, -0.2, 0.2);
        const b = random(c.co, 15, -0.5, 0.5);
        await tf.setBackend('cpu');
        const reference = tf.tidy(() =>
          Float32Array.from(
            tf.fused
              .conv2d({
                x: tf.tensor4d(x, c.x),
                filter: tf.tensor4d(w, ws),
                strides: 1,
                pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]],
                bias: c.bias ? tf.tensor1d(b) : undefined,
                activation: c.relu ? 'relu' : 'linear',
              })
              .dataSync(),
          ),
        );
        await startWasmBackend();
        const { kernels, at } = wasmKernels();
        const [xt, wt, bt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, ws), tf.tensor1d(b)];
        // Output and scratch start as garbage, not zeros: the kernel must write every output and clear its padding.
        const yt = tf.fill(ys, Number.NaN);
        const scratch = tf.fill([convWinogradScratchFloats(tile, h, wd, ci, c.co, pt, pb, pl, pr, c.block)], Number.NaN);
        (tile === 2 ? kernels.conv2dWinograd : kernels.conv2dWinogradF4)(at(xt), at(wt), at(bt), c.bias ? 1 : 0, at(yt), n, h, wd, ci, c.co, pt, pb, pl, pr, c.relu ? 1 : 0, at(scratch), c.block);
        const wasm = Float32Array.from(yt.dataSync());
        tf.dispose([xt, wt, bt, yt, scratch]);
        expect(wasm.every((v) => Number.isFinite(v))).toBe(true);
        expect(relativeError(wasm, reference)).toBeLessThan(TOLERANCE[tile]);
        if (c.relu) expect(reference.some((v) => v === 0)).toBe(true);
      });
    }
  }
});

/** dW of sum(conv2d(x, W) * dy), valid, stride 1: the filter gradient for the upstream gradient dy. */
const filterGrad = (x: Float32Array, xs: Shape4, dy: Float32Array, ys: Shape4, ws: Shape4) =>
  tf.tidy(() => {
    const f = (w: tf.Tensor4D) => tf.conv2d(tf.tensor4d(x, xs), w, 1, 'valid').mul(tf.tensor4d(dy, ys)).sum();
    return Float32Array.from(tf.grad(f as (w: tf.Tensor) => tf.Tensor)(tf.zeros(ws)).dataSync());
  });

describe('the filter gradient as Winograd F(3x3, 2x2) on the wasm backend, against the cpu backend', () => {
  afterAll(startWasmBackend);

  it('runs for the second conv layer (26x26x32 -> 24x24x64): dW within 1e-5 of its largest magnitude', async () => {
    const xs: Shape4 = [3, 26, 26, 32];
    const ws: Shape4 = [3, 3, 32, 64];
    const x = random(size(xs), 41, 0, 1);
    const dy = random(3 * 24 * 24 * 64, 43, -1e-2, 1e-2);
    const dw = () => filterGrad(x, xs, dy, [3, 24, 24, 64], ws);
    await tf.setBackend('cpu');
    const reference = dw();
    await startWasmBackend();
    const before = tf.memory().numTensors;
    const spy = vi.spyOn(wasmKernels().kernels, 'convFilterGradWinograd');
    try {
      const wasm = dw();
      expect(tf.memory().numTensors).toBe(before);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(relativeError(wasm, reference)).toBeLessThan(1e-5);
    } finally {
      spy.mockRestore();
    }
  });

  // Odd outputs (a last row and column of tiles half outside, copied into zeroed tiles), blocks that end mid-row
  // and span two images, 4 input channels, and a single output pixel.
  const cases: Array<{ name: string; x: Shape4; co: number; block: number }> = [
    { name: 'odd output 7 x 5, blocks of 5', x: [2, 9, 7, 8], co: 16, block: 5 },
    { name: 'odd output 3 x 6, blocks of 3 spanning images', x: [3, 5, 8, 12], co: 24, block: 3 },
    { name: 'the second conv layer, blocks of 48', x: [1, 26, 26, 32], co: 64, block: 48 },
    { name: '4 input channels, odd output 9 x 9, one block for everything', x: [2, 11, 11, 4], co: 8, block: 200 },
    { name: 'one output pixel', x: [1, 3, 3, 8], co: 8, block: 48 },
  ];
  for (const c of cases) {
    it(`the kernel itself: ${c.name}`, async () => {
      const [n, h, wd, ci] = c.x;
      const ws: Shape4 = [3, 3, ci, c.co];
      const ys: Shape4 = [n, h - 2, wd - 2, c.co];
      const x = random(size(c.x), 5, -1, 1);
      const dy = random(size(ys), 9, -1, 1);
      await tf.setBackend('cpu');
      const reference = filterGrad(x, c.x, dy, ys, ws);
      await startWasmBackend();
      const { kernels, at } = wasmKernels();
      const [xt, dyt] = [tf.tensor4d(x, c.x), tf.tensor4d(dy, ys)];
      // dW and scratch start as garbage, not zeros: the kernel must clear its sums and edge tiles, and write every dW.
      const dwt = tf.fill(ws, Number.NaN);
      const scratch = tf.fill([convFilterGradWinogradScratchFloats(ci, c.co, c.block)], Number.NaN);
      kernels.convFilterGradWinograd(at(xt), at(dyt), at(dwt), n, h, wd, ci, c.co, at(scratch), c.block);
      const wasm = Float32Array.from(dwt.dataSync());
      tf.dispose([xt, dyt, dwt, scratch]);
      expect(wasm.every((v) => Number.isFinite(v))).toBe(true);
      expect(relativeError(wasm, reference)).toBeLessThan(1e-5);
    });
  }
});
