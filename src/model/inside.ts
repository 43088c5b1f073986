/**
 * "Look inside" a model for one drawing: what each layer outputs (a tf.model on the layers' outputs, one
 * forward pass), each convolution's filters and the input they read, and "why this digit": gradient x input
 * saliency for the digit read and the runner-up. Works on any model the app reads: layer names and shapes come
 * from the model (an imported dense-only model shows its dense layers). No DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { batchWithin } from './activationCost';
import { type InputLayout, inputLayoutOf } from './compatibility';
import type { ConvFilters } from './insideArithmetic';

/** One layer's output for the drawing, channels-last without the batch: [h, w, c] maps or [units]. */
export interface LayerOutput {
  name: string;
  className: string;
  /** Keras' name of its activation, where the layer has one (relu, softmax, linear, ...). */
  activation?: string;
  shape: number[];
  values: Float32Array;
}

/** Where the input's pixels pushed a digit's score up (positive) or down (negative): 784 values, row by row. */
export interface Saliency {
  digit: number;
  values: Float32Array;
  method: 'gradient' | 'occlusion';
}

export interface InsideView {
  /** The model's input, 28x28 (0..1). */
  input: Float32Array;
  layers: LayerOutput[];
  filters: ConvFilters[];
  /** The network's own ten probabilities (without the personal memory). */
  probabilities: number[];
  /** For the digit read and the runner-up; none when it was not asked for. */
  saliency: Saliency[];
  /** What the saliency is the gradient of: the score before softmax, or the log-probability. */
  score: 'logit' | 'log-probability';
  ms: number;
  /** For a training run's weights: the epoch and batch they are from. */
  trainedTo?: { epoch: number; batch: number };
}

/** Layers that show nothing new at prediction time: they pass their input on (Dropout) or only re-lay it out. */
const PASS_THROUGH = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Flatten', 'Reshape', 'InputLayer', 'Permute']);

interface ConvLayer {
  layer: tf.layers.Layer;
  config: { strides: number[]; padding: string; activation: string; dilationRate: number[]; dataFormat: string; useBias: boolean };
  /** Index of its input among the probe's outputs (-1: the model's input). */
  inputAt: number;
}

/** A model prepared for looking inside: built once per model (it shares the model's weights: dispose neither while in use). */
export class Inspector {
  readonly layout: InputLayout;
  private readonly probe: tf.LayersModel;
  private readonly shown: Array<{ layer: tf.layers.Layer; at: number }>;
  private readonly convs: ConvLayer[];
  private readonly scores: (x: tf.Tensor) => tf.Tensor;
  readonly score: InsideView['score'];

  constructor(readonly model: tf.LayersModel) {
    this.layout = inputLayoutOf(model);
    const outputs: tf.SymbolicTensor[] = [];
    const indexOf = (t: tf.SymbolicTensor) => {
      if (model.inputs.includes(t)) return -1;
      let at = outputs.indexOf(t);
      if (at < 0) at = outputs.push(t) - 1;
      return at;
    };
    this.shown = [];
    this.convs = [];
    for (const layer of model.layers) {
      // Layers used more than once, or with several outputs, have no one output to show.
      if (PASS_THROUGH.has(layer.getClassName()) || layer.inboundNodes.length !== 1 || Array.isArray(layer.output)) continue;
      this.shown.push({ layer, at: indexOf(layer.output) });
      if (layer.getClassName() === 'Conv2D' && !Array.isArray(layer.input)) {
        const config = layer.getConfig() as unknown as ConvLayer['config'];
        if (config.dataFormat === 'channelsLast' && config.dilationRate.every((d) => d === 1)) this.convs.push({ layer, config, inputAt: indexOf(layer.input) });
      }
    }
    this.probe = tf.model({ inputs: model.inputs, outputs: outputs.length ? outputs : model.outputs });
    const last = model.layers.at(-1)!;
    const lastConfig = last.getConfig() as { activation?: string; useBias?: boolean };
    if (last.getClassName() === 'Dense' && lastConfig.activation === 'softmax' && !Array.isArray(last.input) && model.layers.length > 1) {
      // The score before softmax: gradients of a sure probability vanish, a logit's do not.
      const body = model.inputs.includes(last.input) ? undefined : tf.model({ inputs: model.inputs, outputs: last.input });
      const [kernel, bias] = last.trainableWeights.map((w) => w.read());
      this.scores = (x) => {
        const features = body ? (body.apply(x) as tf.Tensor) : x;
        const z = tf.matMul(features.reshape([features.shape[0]!, -1]), kernel!);
        return bias && lastConfig.useBias !== false ? z.add(bias) : z;
      };
      this.score = 'logit';
    } else {
      this.scores = (x) => tf.log(tf.add(model.apply(x) as tf.Tensor, 1e-7));
      this.score = 'log-probability';
    }
  }

  /** The model's input tensor for a 28x28 drawing. */
  private inputTensor(input: Float32Array): tf.Tensor {
    return this.layout === 'image' ? tf.tensor4d(input, [1, 28, 28, 1]) : tf.tensor2d(input, [1, 784]);
  }

  /**
   * Every shown layer's output, the filters with what they read, the probabilities and (unless `saliency` is
   * false: two backward passes, two thirds of the time) the saliency.
   */
  look(input: Float32Array, { saliency: withSaliency = true }: { saliency?: boolean } = {}): InsideView {
    const started = performance.now();
    const x = this.inputTensor(input);
    try {
      const outputs = tf.tidy(() => {
        const out = this.probe.predict(x);
        return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
      });
      // The last layer's output is the probabilities, when it is among the outputs (it is, unless it passes through).
      const lastAt = this.shown.find((s) => s.layer === this.model.layers.at(-1))?.at;
      const probabilities = lastAt !== undefined && lastAt >= 0 ? Array.from(outputs[lastAt]!) : tf.tidy(() => Array.from((this.model.predict(x) as tf.Tensor).dataSync()));
      const valuesAt = (at: number) => (at < 0 ? input : outputs[at]!);
      const layers = this.shown.map(({ layer, at }) => ({
        name: layer.name,
        className: layer.getClassName(),
        ...activationOf(layer),
        shape: (layer.outputShape as Array<number | null>).slice(1) as number[],
        values: valuesAt(at),
      }));
      const filters = this.convs.map(({ layer, config, inputAt }) => filtersOf(layer, config, valuesAt(inputAt), inputAt < 0 ? 'input' : this.nameAt(inputAt)));
      const order = probabilities.map((p, digit) => ({ p, digit })).sort((a, b) => b.p - a.p);
      const digits = withSaliency ? order.slice(0, 2).map(({ digit }) => digit) : [];
      const { method, values } = digits.length ? this.saliencies(x, digits) : { method: 'gradient' as const, values: [] };
      const saliency = digits.map((digit, i) => ({ digit, method, values: values[i]! }));
      return { input, layers, filters, probabilities, saliency, score: this.score, ms: performance.now() - started };
    } finally {
      x.dispose();
    }
  }

  /**
   * Gradient x input of `digit`'s score: 784 values. Where a gradient cannot be taken here (the wasm backend's
   * input gradient covers stride-1 convolutions only), occlusion: the score lost when each 4x4 block is blanked,
   * shared among the block's pixels by their ink.
   */
  saliencies(x: tf.Tensor, digits: number[]): { values: Float32Array[]; method: 'gradient' | 'occlusion' } {
    try {
      // One backward pass for all digits: the input repeated once per digit, each copy's own digit's score summed.
      const all = tf.tidy(() => {
        const n = digits.length;
        const batch = tf.concat(Array.from({ length: n }, () => x));
        // A one-hot mask, not gather: tfjs-wasm has no UnsortedSegmentSum for gather's gradient.
        const mask = tf.oneHot(digits, 10);
        const grad = tf.grad((input: tf.Tensor) => this.scores(input).mul(mask).sum())(batch);
        return grad.mul(batch).dataSync() as Float32Array;
      });
      return { method: 'gradient', values: digits.map((_, i) => all.slice(i * 784, (i + 1) * 784)) };
    } catch {
      return { method: 'occlusion', values: digits.map((digit) => this.occlusion(x, digit)) };
    }
  }

  private occlusion(x: tf.Tensor, digit: number): Float32Array {
    const input = x.dataSync() as Float32Array;
    const BLOCK = 4;
    const blocks = 28 / BLOCK;
    const occluded = new Float32Array(blocks * blocks * 784);
    for (let b = 0; b < blocks * blocks; b++) {
      const copy = occluded.subarray(b * 784, (b + 1) * 784);
      copy.set(input);
      const [by, bx] = [Math.floor(b / blocks) * BLOCK, (b % blocks) * BLOCK];
      for (let y = by; y < by + BLOCK; y++) for (let xx = bx; xx < bx + BLOCK; xx++) copy[y * 28 + xx] = 0;
    }
    // The occluded copies in batches the model's activations allow (all 49 at once for the app's CNN).
    const per = batchWithin(this.model, blocks * blocks);
    const scores = tf.tidy(() => {
      const parts = [this.scores(x)];
      for (let start = 0; start < blocks * blocks; start += per) {
        const n = Math.min(per, blocks * blocks - start);
        const pixels = occluded.subarray(start * 784, (start + n) * 784);
        parts.push(this.scores(this.layout === 'image' ? tf.tensor4d(pixels, [n, 28, 28, 1]) : tf.tensor2d(pixels, [n, 784])));
      }
      return tf.concat(parts).slice([0, digit], [-1, 1]).dataSync() as Float32Array;
    });
    const values = new Float32Array(784);
    for (let b = 0; b < blocks * blocks; b++) {
      const [by, bx] = [Math.floor(b / blocks) * BLOCK, (b % blocks) * BLOCK];
      let ink = 0;
      for (let y = by; y < by + BLOCK; y++) for (let xx = bx; xx < bx + BLOCK; xx++) ink += input[y * 28 + xx]!;
      if (ink === 0) continue;
      const lost = scores[0]! - scores[b + 1]!;
      for (let y = by; y < by + BLOCK; y++) for (let xx = bx; xx < bx + BLOCK; xx++) values[y * 28 + xx] = (lost * input[y * 28 + xx]!) / ink;
    }
    return values;
  }

  private nameAt(at: number): string {
    return this.shown.find((s) => s.at === at)?.layer.name ?? this.model.layers.find((l) => l.output === this.probe.outputs[at])?.name ?? `output ${at}`;
  }
}

function activationOf(layer: tf.layers.Layer): { activation?: string } {
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof activation === 'string' ? { activation } : {};
}

function filtersOf(layer: tf.layers.Layer, config: ConvLayer['config'], input: Float32Array, inputFrom: string): ConvFilters {
  const [kernel, bias] = layer.getWeights();
  const inputShape = (layer.input as tf.SymbolicTensor).shape.slice(1) as [number, number, number];
  return {
    layer: layer.name,
    kernelShape: kernel!.shape as [number, number, number, number],
    kernel: kernel!.dataSync() as Float32Array,
    bias: config.useBias && bias ? (bias.dataSync() as Float32Array) : null,
    strides: [config.strides[0]!, config.strides[1] ?? config.strides[0]!],
    padding: config.padding === 'same' ? 'same' : 'valid',
    activation: config.activation,
    inputShape,
    input,
    inputFrom,
  };
}

/** The buffers of a view, to transfer it between threads without copying (each buffer once). */
export function viewBuffers(view: InsideView): ArrayBuffer[] {
  const arrays = [view.input, ...view.layers.map((l) => l.values), ...view.filters.flatMap((f) => [f.kernel, f.input, ...(f.bias ? [f.bias] : [])]), ...view.saliency.map((s) => s.values)];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
