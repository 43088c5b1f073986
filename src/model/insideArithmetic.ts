/**
 * What "Look inside" shows of one convolution's output pixel, worked out as the layer computes it: the input
 * patch under the filter, the filter's weights, their products summed per input channel, the bias, the sum and
 * the activation. Also the small helpers the view needs on the numbers it is sent (the strongest pixel of a
 * map, one map out of a layer). Pure: no TensorFlow.js, no DOM (the page imports it).
 */

/** A convolution's filters as the prediction worker sends them (Keras' channels-last layout). */
export interface ConvFilters {
  /** The layer's name in the model. */
  layer: string;
  /** [kernelHeight, kernelWidth, inChannels, outChannels], Keras' layout of the kernel. */
  kernelShape: [number, number, number, number];
  kernel: Float32Array;
  /** One per output channel, or none (use_bias false). */
  bias: Float32Array | null;
  strides: [number, number];
  padding: 'valid' | 'same';
  /** Keras' name of the layer's activation (relu, linear, ...). */
  activation: string;
  /** The layer's input for the current drawing, [height, width, inChannels] channels-last. */
  inputShape: [number, number, number];
  input: Float32Array;
  /** The layer the input comes from (the model's input: `input`). */
  inputFrom: string;
}

/** One input channel's share of an output pixel: the patch it reads, the weights, and their products' sum. */
export interface ChannelTerm {
  channel: number;
  /** kernelHeight x kernelWidth values, row by row (0 where the patch hangs over a "same" padding). */
  patch: number[];
  weights: number[];
  sum: number;
}

export interface PixelArithmetic {
  /** The output channel (feature map), row and column. */
  map: number;
  row: number;
  col: number;
  kernelHeight: number;
  kernelWidth: number;
  terms: ChannelTerm[];
  bias: number;
  /** The sum of every term and the bias: the value before the activation. */
  total: number;
  activation: string;
  /** The activation of `total`: the output pixel; undefined for an activation this module does not know. */
  output: number | undefined;
}

const ACTIVATIONS: Record<string, (z: number) => number> = {
  linear: (z) => z,
  relu: (z) => Math.max(0, z),
  relu6: (z) => Math.min(6, Math.max(0, z)),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => Math.tanh(z),
  elu: (z) => (z >= 0 ? z : Math.exp(z) - 1),
  softplus: (z) => Math.log1p(Math.exp(z)),
};

/** The activation by its Keras name, when this module knows it. */
export function activationOf(name: string): ((z: number) => number) | undefined {
  return ACTIVATIONS[name];
}

/** Where the filter's top-left tap falls in the input for output (row, col): Keras' "same" pads as TensorFlow does. */
function origin(f: ConvFilters, row: number, col: number): [number, number] {
  const [kh, kw] = f.kernelShape;
  const [sh, sw] = f.strides;
  const [h, w] = f.inputShape;
  if (f.padding === 'valid') return [row * sh, col * sw];
  const outH = Math.ceil(h / sh);
  const outW = Math.ceil(w / sw);
  const padTop = Math.floor(Math.max((outH - 1) * sh + kh - h, 0) / 2);
  const padLeft = Math.floor(Math.max((outW - 1) * sw + kw - w, 0) / 2);
  return [row * sh - padTop, col * sw - padLeft];
}

/** Output pixel (row, col) of feature map `map`, worked out tap by tap. */
export function pixelArithmetic(f: ConvFilters, map: number, row: number, col: number): PixelArithmetic {
  const [kh, kw, ci, co] = f.kernelShape;
  const [h, w, c] = f.inputShape;
  if (c !== ci) throw new Error(`the layer's input has ${c} channels, its kernel expects ${ci}`);
  if (map < 0 || map >= co) throw new Error(`map ${map} is not one of the layer's ${co}`);
  const [top, left] = origin(f, row, col);
  const terms: ChannelTerm[] = [];
  // float64 sums: the arithmetic shown is exact; the layer's float32 result agrees to float32's precision.
  let total = 0;
  for (let channel = 0; channel < ci; channel++) {
    const patch: number[] = [];
    const weights: number[] = [];
    let sum = 0;
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        const iy = top + y;
        const ix = left + x;
        const value = iy >= 0 && iy < h && ix >= 0 && ix < w ? f.input[(iy * w + ix) * c + channel]! : 0;
        const weight = f.kernel[((y * kw + x) * ci + channel) * co + map]!;
        patch.push(value);
        weights.push(weight);
        sum += value * weight;
      }
    }
    terms.push({ channel, patch, weights, sum });
    total += sum;
  }
  const bias = f.bias ? f.bias[map]! : 0;
  total += bias;
  return { map, row, col, kernelHeight: kh, kernelWidth: kw, terms, bias, total, activation: f.activation, output: activationOf(f.activation)?.(total) };
}

/** One input channel's 3x3 (kh x kw) weights of output channel `map`, row by row. */
export function filterWeights(f: ConvFilters, map: number, channel: number): number[] {
  const [kh, kw, ci, co] = f.kernelShape;
  const weights: number[] = [];
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) weights.push(f.kernel[((y * kw + x) * ci + channel) * co + map]!);
  return weights;
}

/** Channel `channel` of a [height, width, channels] activation, as height x width values. */
export function mapOf(values: Float32Array, [height, width, channels]: readonly number[], channel: number): Float32Array {
  const map = new Float32Array(height! * width!);
  for (let i = 0; i < map.length; i++) map[i] = values[i * channels! + channel]!;
  return map;
}

/** The largest value of a map and where it is (the first, on a tie). */
export function strongest(map: ArrayLike<number>, width: number): { value: number; row: number; col: number; index: number } {
  let index = 0;
  for (let i = 1; i < map.length; i++) if (map[i]! > map[index]!) index = i;
  return { value: map[index] ?? 0, row: Math.floor(index / width), col: index % width, index };
}

/** The smallest and largest value of a set of values (0 and 0 for none). */
export function extent(values: ArrayLike<number>): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** A short fingerprint of a set of numbers (FNV-1a over their float32 bits), to tell two sets apart. */
export function fingerprint(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
