/**
 * Training kernels that tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter) or has only in a slow form
 * (Conv2DBackpropInput, MaxPoolGrad, and BatchMatMul with a transposed operand). Where Digit Lab's own SIMD
 * kernels (kernels/trainingKernels.ts) cover the shapes, they run on the tensors in place; otherwise the kernels
 * are built from wasm's own XNNPACK kernels on transposed tensors.
 *
 * For a stride-1 NHWC convolution y = conv(x, W) with pads (pt, pb, pl, pr):
 *  - dW = conv(x^T, dy^T) where x^T = x transposed [Cin, H, W, N] and dy^T = dy transposed [Ho, Wo, N, Cout]:
 *    the batch becomes the contracted channel axis, and the result [Cin, kh, kw, Cout] is transposed back.
 *  - dx = conv(dy, rot180(W) with in/out channels swapped), padded by (kh-1-pt, kh-1-pb, kw-1-pl, kw-1-pr).
 * Gradients match the cpu backend (tested in src/backend/wasmTrainingKernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { KERAS_ADADELTA_KERNEL } from '../model/kerasAdadelta';
import {
  type TrainingKernels,
  convFilterGradWinogradScratchFloats,
  convWinogradScratchFloats,
  trainingKernelsCompile,
  trainingKernelsFor,
} from './kernels/trainingKernels';

type Info = tf.TensorInfo;
type Backend = tf.KernelBackend;

/** What the kernels need of tfjs-backend-wasm's BackendWasm (not exported as a type). */
interface WasmInternals {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): Info;
}

/** Our own kernels on this backend's memory, with the byte offset of a tensor in it; none without SIMD. */
function ownKernels(backend: Backend): { kernels: TrainingKernels; offset: (t: Info) => number; output: (shape: number[]) => Info } | undefined {
  const internals = backend as unknown as WasmInternals;
  const memory = internals.wasm?.asm?.memory;
  const kernels = memory instanceof WebAssembly.Memory ? trainingKernelsFor(memory) : undefined;
  if (!kernels) return undefined;
  const offset = (t: Info) => {
    const data = internals.dataIdMap.get(t.dataId);
    if (!data) throw new Error('a tensor of the wasm backend has no memory');
    return data.memoryOffset;
  };
  return { kernels, offset, output: (shape) => internals.makeOutput(shape, 'float32') };
}

/** Which build of our own kernels runs on the current wasm backend ('relaxed-simd', 'simd128'), if any. */
export function ownKernelsBuild(): string | undefined {
  return tf.getBackend() === 'wasm' ? ownKernels(tf.backend())?.kernels.build : undefined;
}

function runWasm(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: Backend): Info {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (!kernel) throw new Error(`wasm backend has no ${kernelName} kernel`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as Info;
}

function convInfoFor(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: tf.NamedAttrMap,
): tf.backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast' || info.strideHeight !== 1 || info.strideWidth !== 1) {
    throw new Error('wasm training kernels support NHWC convolutions with stride 1 only');
  }
  return info;
}

/**
 * dW on our kernels where they cover it (stride 1, unpadded, float32, co a multiple of 8): as Winograd F(3x3, 2x2)
 * where winogradFits (conv_filter_grad_winograd), direct otherwise (conv_filter_grad, or conv_filter_grad_c1x3 for
 * one input channel); from XNNPACK's convolution on transposed tensors where ours do not cover it.
 */
function conv2DBackpropFilter({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const filterShape = (attrs as { filterShape: [number, number, number, number] }).filterShape;
  const info = convInfoFor(x.shape as [number, number, number, number], filterShape, attrs ?? {});
  const { top, bottom, left, right } = info.padInfo;
  const [n, h, w, ci] = x.shape as [number, number, number, number];
  const [kh, kw, , co] = filterShape;
  const own = ownKernels(backend);
  const plain = top + bottom + left + right === 0 && info.dilationHeight === 1 && info.dilationWidth === 1 && x.dtype === 'float32' && dy.dtype === 'float32' && co % 8 === 0;
  if (own && plain && winogradFits(kh, kw, ci, co)) {
    const dw = own.output(filterShape);
    const scratch = own.output([convFilterGradWinogradScratchFloats(ci, co, WINOGRAD_FILTER_GRAD_BLOCK)]);
    own.kernels.convFilterGradWinograd(own.offset(x), own.offset(dy), own.offset(dw), n, h, w, ci, co, own.offset(scratch), WINOGRAD_FILTER_GRAD_BLOCK);
    backend.disposeData(scratch.dataId);
    return dw;
  }
  if (own && plain && ci % 4 === 0) {
    const dw = own.output(filterShape);
    own.kernels.convFilterGrad(own.offset(x), own.offset(dy), own.offset(dw), n, h, w, ci, kh, kw, co);
    return dw;
  }
  if (own && plain && ci === 1 && kw === 3) {
    const dw = own.output(filterShape);
    own.kernels.convFilterGradC1x3(own.offset(x), own.offset(dy), own.offset(dw), n, h, w, kh, co);
    return dw;
  }
  const xT = runWasm('Transpose', { x }, { perm: [3, 1, 2, 0] }, backend);
  const dyT = runWasm('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend);
  const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const dwT = runWasm(
    'Conv2D',
    { x: xT, filter: dyT },
    { strides: 1, pad: explicit, dilations: 1, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
    backend,
  );
  const dw = runWasm('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] }, backend);
  for (const t of [xT, dyT, dwT]) backend.disposeData(t.dataId);
  return dw;
}

/**
 * Our conv2d kernel where it covers the convolution (NHWC, stride 1, no dilation, float32, Cout a multiple of 8),
 * as Winograd (WINOGRAD_TILE) where winogradFits.
 */
function ownConv(
  backend: Backend,
  x: Info,
  filter: Info,
  info: tf.backend_util.Conv2DInfo,
  bias: Info | undefined,
  relu: boolean,
): Info | undefined {
  const own = ownKernels(backend);
  const [n, h, w, ci] = x.shape as [number, number, number, number];
  const [kh, kw, , co] = filter.shape as [number, number, number, number];
  const fits =
    own &&
    info.dataFormat === 'channelsLast' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    co % 8 === 0 &&
    (!bias || (bias.dtype === 'float32' && bias.shape.reduce((a, b) => a * b, 1) === co));
  if (!own || !fits) return undefined;
  const { top, bottom, left, right } = info.padInfo;
  const y = own.output([n, info.outHeight, info.outWidth, co]);
  if (info.outHeight > 0 && info.outWidth > 0 && winogradFits(kh, kw, ci, co)) {
    const block = WINOGRAD_BLOCK[WINOGRAD_TILE];
    const scratch = own.output([convWinogradScratchFloats(WINOGRAD_TILE, h, w, ci, co, top, bottom, left, right, block)]);
    (WINOGRAD_TILE === 4 ? own.kernels.conv2dWinogradF4 : own.kernels.conv2dWinograd)(
      own.offset(x), own.offset(filter), bias ? own.offset(bias) : 0, bias ? 1 : 0, own.offset(y),
      n, h, w, ci, co, top, bottom, left, right, relu ? 1 : 0, own.offset(scratch), block,
    );
    backend.disposeData(scratch.dataId);
    return y;
  }
  const padded = top + bottom + left + right > 0;
  const scratch = padded ? own.output([(h + top + bottom) * (w + left + right) * ci]) : undefined;
  own.kernels.conv2d(
    own.offset(x), own.offset(filter), bias ? own.offset(bias) : 0, bias ? 1 : 0, own.offset(y),
    n, h, w, ci, kh, kw, co, top, bottom, left, right, relu ? 1 : 0, scratch ? own.offset(scratch) : 0,
  );
  if (scratch) backend.disposeData(scratch.dataId);
  return y;
}

/**
 * The Winograd tile that runs: F(2x2, 3x3) (conv2d_winograd), 16 multiplications per 4 outputs, or F(4x4, 3x3)
 * (conv2d_winograd_f4), 36 per 16. Measured in Node 20 with relaxed SIMD, 128 images, the kernels alone (fastest of
 * 5 runs, a busy 2-core machine): the 26x26x32 -> 64 forward pass 47.5 ms direct, 24.8 F(2x2), 18.0 F(4x4); its
 * input gradient (24x24x64 padded by 2 -> 32) 55.1, 28.6, 22.5 ms. F(2x2) runs because it is precise enough for
 * training to stay reproducible: against the cpu backend its error is at most 7.5e-7 of the output's largest
 * magnitude (convWinograd.test.ts; direct conv2d 5.7e-7), F(4x4)'s 5.9e-6, and with F(4x4) steps split among
 * workers and whole batches (src/training/parallelSteps.test.ts) drifted apart by 6e-6 in the loss within four
 * steps, past that test's 5e-6: its rounding is then as large as what the test checks.
 */
export const WINOGRAD_TILE: 2 | 4 = 2;
/** Tiles transformed and multiplied at a time: a block's V and M (16 or 36 floats a channel a tile) stay in L2. */
const WINOGRAD_BLOCK = { 2: 48, 4: 16 } as const;
/**
 * Tiles of the filter gradient's Winograd F(3x3, 2x2) (conv_filter_grad_winograd) transformed and multiplied at a
 * time, across images: 24 to 96 ran within 3% of each other for 128 images of the 26x26x32 -> 64 layer (23.1 to
 * 23.7 ms), 144 6% slower; at 48 a block's transformed tiles (16 * 48 * 96 floats, 295 KB) stay in L2.
 */
const WINOGRAD_FILTER_GRAD_BLOCK = 48;

/**
 * Whether a (stride-1, undilated) convolution runs as Winograd (WINOGRAD_TILE) rather than the direct `conv2d`: 3x3
 * filters with ci a multiple of 4, at least 8, and co a multiple of 8 (the second conv layer's forward pass and,
 * through Conv2DBackpropInput, its input gradient): 1.9x as fast as direct there (F(2x2)); 1.3x for 8 -> 8
 * channels (26x26); no faster with 4 input channels (0.93-1.12x), where the transforms cost what the
 * multiplications save. The same for an unpadded convolution's filter gradient, as Winograd F(3x3, 2x2)
 * (conv_filter_grad_winograd) rather than conv_filter_grad: 128 images, relaxed SIMD, 2.4x as fast for the second
 * conv layer (57.3 -> 23.1 ms), 2.2x for 12x12x64 -> 64 and for an odd 25x25x32 -> 64, 1.4x for 26x26x8 -> 8, 1.06x
 * with 4 input channels.
 */
export function winogradFits(kh: number, kw: number, ci: number, co: number): boolean {
  return kh === 3 && kw === 3 && ci % 4 === 0 && ci >= 8 && co % 8 === 0;
}

/** Conv2D and FusedConv2D (bias, ReLU or none) on our kernel where it covers them, on wasm's otherwise. */
function conv2DVia(original: tf.KernelFunc) {
  return ({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info => {
    const { x, filter, bias, preluActivationWeights } = inputs as { x: Info; filter: Info; bias?: Info; preluActivationWeights?: Info };
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = (attrs ?? {}) as unknown as {
      strides: number | [number, number];
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dilations: number | [number, number];
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      activation?: string;
    };
    const plainActivation = activation === undefined || activation === 'linear' || activation === 'relu';
    if (x.shape.length === 4 && filter.shape.length === 4 && !preluActivationWeights && plainActivation) {
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        strides,
        dilations,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      );
      const y = ownConv(backend, x, filter, info, bias, activation === 'relu');
      if (y) return y;
    }
    return original({ inputs, attrs: attrs ?? {}, backend }) as Info;
  };
}

function conv2DBackpropInput({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info {
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const inputShape = (attrs as { inputShape: [number, number, number, number] }).inputShape;
  const info = convInfoFor(inputShape, filter.shape as [number, number, number, number], attrs ?? {});
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const rotated = runWasm('Reverse', { x: filter }, { dims: [0, 1] }, backend);
  const swapped = runWasm('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] }, backend);
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [kh - 1 - top, kh - 1 - bottom],
    [kw - 1 - left, kw - 1 - right],
    [0, 0],
  ];
  const dx = runWasm(
    'Conv2D',
    { x: dy, filter: swapped },
    { strides: 1, pad: explicit, dilations: 1, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
    backend,
  );
  for (const t of [rotated, swapped]) backend.disposeData(t.dataId);
  return dx;
}

/**
 * wasm's BatchMatMul runs XNNPACK only when neither operand is transposed; with a transposed one it falls back to
 * a scalar loop (slow_batch_matmul), which is where both gradients of the 9216x128 Dense layer went: 397 ms of an
 * 872 ms step (`npm run bench -- --profile`). Transposing the operand first (a memory-bound copy) keeps the
 * product on XNNPACK.
 */
function batchMatMulVia(original: tf.KernelFunc) {
  const kernel = ({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info => {
    const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const mine = ownMatMul(backend, inputs.a!, inputs.b!, transposeA, transposeB, undefined, false);
    if (mine) return mine;
    if (!transposeA && !transposeB) return original({ inputs, attrs: attrs ?? {}, backend }) as Info;
    const a = inputs.a!;
    const b = inputs.b!;
    const [m, n] = [a.shape.at(-2)!, b.shape.at(-2)!];
    const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1) * b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    if (!transposeA && transposeB && batch === 1 && m * 4 <= n && a.shape.length === b.shape.length) {
      // A B^T with few rows in A and many in B (the Dense layer's dx = dy W^T): XNNPACK packs its right operand
      // for every call and streams it once per few rows of the left, so (B A^T)^T costs less: B stays on the
      // left as it is, only the small A is transposed, and the result once.
      const flipped = kernel({ inputs: { a: b, b: a }, attrs: { ...attrs, transposeA: false, transposeB: true }, backend });
      const perm = flipped.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
      const out = runWasm('Transpose', { x: flipped }, { perm }, backend);
      backend.disposeData(flipped.dataId);
      return out;
    }
    const made: Info[] = [];
    const plain = (t: Info, transposed: boolean | undefined) => {
      if (!transposed) return t;
      const perm = t.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
      const out = runWasm('Transpose', { x: t }, { perm }, backend);
      made.push(out);
      return out;
    };
    const out = original({ inputs: { ...inputs, a: plain(a, transposeA), b: plain(b, transposeB) }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend }) as Info;
    for (const t of made) backend.disposeData(t.dataId);
    return out;
  };
  return kernel;
}

/**
 * A B (or A^T B), with a bias and ReLU for _FusedMatMul, on our kernel: one matrix each (leading dimensions of 1),
 * float32, B's columns a multiple of 8. Undefined where it does not cover the product.
 */
function ownMatMul(backend: Backend, a: Info, b: Info, transposeA: boolean | undefined, transposeB: boolean | undefined, bias: Info | undefined, relu: boolean): Info | undefined {
  const own = ownKernels(backend);
  const single = (t: Info) => t.shape.length >= 2 && t.shape.slice(0, -2).every((d) => d === 1);
  if (!own || !single(a) || !single(b) || a.shape.length !== b.shape.length || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [rows, cols] = [a.shape.at(-2)!, a.shape.at(-1)!];
  if (transposeB) {
    // A B^T as dot products of rows (the Dense layer's dx = dy W^T): no transposed copy of B.
    const [n, k] = [b.shape.at(-2)!, b.shape.at(-1)!];
    if (transposeA || bias || relu || k !== cols || k % 4 !== 0 || n % 4 !== 0 || rows === 0 || k === 0) return undefined;
    const c = own.output([...a.shape.slice(0, -2), rows, n]);
    own.kernels.matmulNT(own.offset(a), own.offset(b), own.offset(c), rows, n, k);
    return c;
  }
  const [m, k] = transposeA ? [cols, rows] : [rows, cols];
  const n = b.shape.at(-1)!;
  if (b.shape.at(-2) !== k || n % 8 !== 0 || k === 0 || m === 0) return undefined;
  if (bias && (bias.dtype !== 'float32' || bias.shape.reduce((x, y) => x * y, 1) !== n)) return undefined;
  const c = own.output([...a.shape.slice(0, -2), m, n]);
  // A's element (p, q) at a + p*aP + q*aK: rows of A, or columns of the stored A^T.
  const [aP, aK] = transposeA ? [4, cols * 4] : [cols * 4, 4];
  own.kernels.matmul(own.offset(a), aP, aK, own.offset(b), bias ? own.offset(bias) : 0, bias ? 1 : 0, own.offset(c), m, n, k, relu ? 1 : 0);
  return c;
}

/** _FusedMatMul (the Dense layers: bias, ReLU or none) on our kernel where it covers it, on wasm's otherwise. */
function fusedMatMulVia(original: tf.KernelFunc) {
  return ({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info => {
    const { a, b, bias, preluActivationWeights } = inputs as { a: Info; b: Info; bias?: Info; preluActivationWeights?: Info };
    const { transposeA, transposeB, activation } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean; activation?: string };
    const plainActivation = activation === undefined || activation === 'linear' || activation === 'relu';
    const mine = !preluActivationWeights && plainActivation ? ownMatMul(backend, a, b, transposeA, transposeB, bias, activation === 'relu') : undefined;
    return mine ?? (original({ inputs, attrs: attrs ?? {}, backend }) as Info);
  };
}

/**
 * MaxPoolGrad of a 2x2, stride-2, unpadded pooling (the app's CNN) on our own kernel; anything else on wasm's.
 * Each window's gradient goes to its first maximum in row-major order, as in tfjs's cpu and wasm kernels.
 */
function maxPoolGradVia(original: tf.KernelFunc) {
  return ({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info => {
    const { dy, input, output } = inputs as { dy: Info; input: Info; output: Info };
    const { filterSize, strides, pad, dimRoundingMode } = (attrs ?? {}) as { filterSize: number | [number, number]; strides: number | [number, number]; pad: unknown; dimRoundingMode?: unknown };
    const pair = (v: number | [number, number]) => (typeof v === 'number' ? [v, v] : v);
    const [fh, fw] = pair(filterSize);
    const [sh, sw] = pair(strides);
    const [n, h, w, c] = input.shape as [number, number, number, number];
    const own = ownKernels(backend);
    const fits = fh === 2 && fw === 2 && sh === 2 && sw === 2 && (pad === 'valid' || pad === 0) && dimRoundingMode == null && input.shape.length === 4 && c % 4 === 0 && input.dtype === 'float32';
    if (!own || !fits) return original({ inputs, attrs: attrs ?? {}, backend }) as Info;
    const dx = own.output(input.shape);
    own.kernels.maxPoolGrad2x2(own.offset(input), own.offset(output), own.offset(dy), own.offset(dx), n, h, w, c);
    return dx;
  };
}

/**
 * Sum over the leading axes of a float32 tensor whose remaining size is a multiple of 16 (the bias gradients
 * of the conv and dense layers) on our own kernel, in one pass; wasm's own Sum transposes such a tensor first.
 */
function sumVia(original: tf.KernelFunc) {
  return ({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info => {
    const x = inputs.x!;
    const { axis, keepDims } = (attrs ?? {}) as { axis: number | number[]; keepDims?: boolean };
    const rank = x.shape.length;
    const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    const columns = x.shape.slice(axes.length).reduce((a, b) => a * b, 1);
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const own = ownKernels(backend);
    if (!own || !leading || x.dtype !== 'float32' || columns % 16 !== 0 || rows === 0) return original({ inputs, attrs: attrs ?? {}, backend }) as Info;
    const shape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = own.output(shape);
    own.kernels.columnSums(own.offset(x), own.offset(out), rows, columns);
    return out;
  };
}

/** One Keras Adadelta step of a weight tensor (model/kerasAdadelta.ts) in one pass, where our kernels run. */
function kerasAdadelta({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info[] {
  const { p, a, d, g } = inputs as { p: Info; a: Info; d: Info; g: Info };
  const { rho, epsilon, learningRate } = attrs as unknown as { rho: number; epsilon: number; learningRate: number };
  const own = ownKernels(backend);
  if (!own) throw new Error('the Adadelta kernel needs WebAssembly SIMD');
  const n = p.shape.reduce((x, y) => x * y, 1);
  const out = [own.output(p.shape), own.output(p.shape), own.output(p.shape)] as const;
  own.kernels.kerasAdadelta(own.offset(p), own.offset(a), own.offset(d), own.offset(g), n, rho, 1 - rho, epsilon, learningRate, own.offset(out[0]), own.offset(out[1]), own.offset(out[2]));
  return [...out];
}

/**
 * Identity (tf.clone, and the engine's copy of every tensor a gradient keeps for the backward pass) shares the
 * tensor's memory, as the cpu and WebGL backends do, instead of copying it: tensors are immutable and no wasm
 * kernel writes into its inputs. wasm's own Identity copied 53 tensors per training step, up to 11 MB each:
 * 8.7 ms of a 285 ms step (`npm run bench -- --profile`).
 */
function identityVia(original: tf.KernelFunc) {
  return ({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: Backend }): Info => {
    const x = inputs.x!;
    if (x.dtype === 'string') return original({ inputs, attrs: attrs ?? {}, backend }) as Info;
    (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

let registered = false;

/** Registers the kernels for the 'wasm' backend (idempotent). Call before tf.setBackend('wasm'). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (tf.getKernel('Conv2DBackpropInput', 'wasm')) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as tf.KernelFunc });
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as tf.KernelFunc });
  // Only where our kernels can run: the optimizer keeps its tfjs ops otherwise (kernels are registered before
  // the backend starts, so this asks the engine itself).
  if (trainingKernelsCompile()) {
    tf.registerKernel({ kernelName: KERAS_ADADELTA_KERNEL, backendName: 'wasm', kernelFunc: kerasAdadelta as unknown as tf.KernelFunc });
  }
  const wrappers: Array<[string, (original: tf.KernelFunc) => unknown]> = [
    ['MaxPoolGrad', maxPoolGradVia],
    ['Sum', sumVia],
    ['Conv2D', conv2DVia],
    ['FusedConv2D', conv2DVia],
    ['Identity', identityVia],
    ['_FusedMatMul', fusedMatMulVia],
    ['BatchMatMul', batchMatMulVia],
  ];
  // Each wraps wasm's own kernel, which still runs for what ours do not cover.
  for (const [name, via] of wrappers) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: via(original.kernelFunc) as tf.KernelFunc });
  }
}
