/**
 * Digit Lab's own WebAssembly SIMD training kernels (trainingKernelsWat.ts), instantiated on the memory of the
 * tfjs wasm backend so that they work on its tensors in place. The relaxed-SIMD build where the engine has
 * relaxed SIMD, the SIMD128 build otherwise, none without SIMD (callers then keep tfjs's own kernels).
 */
import { KERNELS_FMA, KERNELS_SIMD } from './trainingKernels.wasm';

export interface TrainingKernels {
  /** Which build runs: 'relaxed-simd' (fused multiply-add) or 'simd128'. */
  build: 'relaxed-simd' | 'simd128';
  /** Byte offsets into the memory; see trainingKernelsWat.ts. */
  convFilterGrad(x: number, dy: number, dw: number, n: number, h: number, w: number, ci: number, kh: number, kw: number, co: number): void;
  /**
   * conv_filter_grad for a 3x3 filter as Winograd F(3x3, 2x2) (ci a multiple of 4, co of 8): 16 multiplications per
   * 2 x 2 gradients and channel pair where conv_filter_grad does 36. scratch: convFilterGradWinogradScratchFloats(...)
   * floats; block: tiles transformed and multiplied at a time.
   */
  convFilterGradWinograd(x: number, dy: number, dw: number, n: number, h: number, w: number, ci: number, co: number, scratch: number, block: number): void;
  convFilterGradC1x3(x: number, dy: number, dw: number, n: number, h: number, w: number, kh: number, co: number): void;
  columnSums(input: number, out: number, rows: number, c: number): void;
  /** C = act(A B + bias); A's element (p, q) at a + p*aP + q*aK bytes (hasBias, relu: 0 or 1). */
  matmul(a: number, aP: number, aK: number, b: number, bias: number, hasBias: number, c: number, m: number, n: number, k: number, relu: number): void;
  /** C [m, n] = A [m, k] B [n, k]^T (k and n multiples of 4). */
  matmulNT(a: number, b: number, c: number, m: number, n: number, k: number): void;
  conv2d(
    x: number, w: number, bias: number, hasBias: number, y: number,
    n: number, h: number, wd: number, ci: number, kh: number, kw: number, co: number,
    pt: number, pb: number, pl: number, pr: number, relu: number, scratch: number,
  ): void;
  /**
   * Winograd F(2x2, 3x3) convolution: a 3x3, stride-1 `conv2d` (ci a multiple of 4, co of 8) with 16 multiplications
   * per 2 x 2 outputs where direct convolution does 36. scratch: convWinogradScratchFloats(...) floats; block: tiles
   * transformed and multiplied at a time.
   */
  conv2dWinograd(
    x: number, w: number, bias: number, hasBias: number, y: number,
    n: number, h: number, wd: number, ci: number, co: number,
    pt: number, pb: number, pl: number, pr: number, relu: number, scratch: number, block: number,
  ): void;
  /** The same as Winograd F(4x4, 3x3): 36 multiplications per 4 x 4 outputs where direct convolution does 144. */
  conv2dWinogradF4: TrainingKernels['conv2dWinograd'];
  maxPoolGrad2x2(x: number, y: number, dy: number, dx: number, n: number, h: number, w: number, c: number): void;
  kerasAdadelta(p: number, a: number, d: number, g: number, n: number, rho: number, keep: number, eps: number, lr: number, pOut: number, aOut: number, dOut: number): void;
}

/**
 * Floats of scratch that conv2dWinograd (tile 2) or conv2dWinogradF4 (tile 4) needs for an h x wd input padded by
 * (pt, pb, pl, pr): the transformed filter, a padded image (with extra rows and columns of zeros where the output's
 * size is not a multiple of the tile) and one block's transformed inputs and products.
 */
export function convWinogradScratchFloats(tile: 2 | 4, h: number, wd: number, ci: number, co: number, pt: number, pb: number, pl: number, pr: number, block: number): number {
  const taps = (tile + 2) ** 2;
  const tilesHigh = Math.ceil((h + pt + pb - 2) / tile);
  const tilesWide = Math.ceil((wd + pl + pr - 2) / tile);
  return taps * ci * co + (tile * tilesHigh + 2) * (tile * tilesWide + 2) * ci + taps * block * (ci + co);
}

/**
 * Floats of scratch that convFilterGradWinograd needs: the 16 products M [16][ci][co] summed over every tile, one
 * block's transformed inputs and gradients ([16][block][ci] and [16][block][co], each k a cache line further
 * apart), and a 4 x 4 input tile and a 2 x 2 gradient tile for the edges of odd outputs.
 */
export function convFilterGradWinogradScratchFloats(ci: number, co: number, block: number): number {
  return 16 * ci * co + 16 * (block * (ci + co) + 32) + 16 * ci + 4 * co;
}

const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const instances = new WeakMap<WebAssembly.Memory, TrainingKernels | null>();

/** Whether this engine can run the kernels (has WebAssembly SIMD). */
export function trainingKernelsCompile(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(decode(KERNELS_SIMD));
}

/** The kernels on `memory`, or undefined where this engine lacks WebAssembly SIMD. */
export function trainingKernelsFor(memory: WebAssembly.Memory): TrainingKernels | undefined {
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(memory);
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

function instantiate(memory: WebAssembly.Memory): TrainingKernels | null {
  for (const [build, base64] of [['relaxed-simd', KERNELS_FMA], ['simd128', KERNELS_SIMD]] as const) {
    const bytes = decode(base64);
    if (!WebAssembly.validate(bytes)) continue;
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as {
      conv_filter_grad: TrainingKernels['convFilterGrad'];
      max_pool_grad_2x2: TrainingKernels['maxPoolGrad2x2'];
      keras_adadelta: TrainingKernels['kerasAdadelta'];
      conv_filter_grad_winograd: TrainingKernels['convFilterGradWinograd'];
      conv_filter_grad_c1x3: TrainingKernels['convFilterGradC1x3'];
      column_sums: TrainingKernels['columnSums'];
      matmul: TrainingKernels['matmul'];
      matmul_nt: TrainingKernels['matmulNT'];
      conv2d: TrainingKernels['conv2d'];
      conv2d_winograd: TrainingKernels['conv2dWinograd'];
      conv2d_winograd_f4: TrainingKernels['conv2dWinograd'];
    };
    return {
      build,
      convFilterGrad: exports.conv_filter_grad,
      convFilterGradWinograd: exports.conv_filter_grad_winograd,
      convFilterGradC1x3: exports.conv_filter_grad_c1x3,
      columnSums: exports.column_sums,
      matmul: exports.matmul,
      matmulNT: exports.matmul_nt,
      conv2d: exports.conv2d,
      conv2dWinograd: exports.conv2d_winograd,
      conv2dWinogradF4: exports.conv2d_winograd_f4,
      maxPoolGrad2x2: exports.max_pool_grad_2x2,
      kerasAdadelta: exports.keras_adadelta,
    };
  }
  return null;
}
