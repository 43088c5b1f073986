/**
 * What reading one image costs a model in memory, worked out from its layers' shapes without running it: every
 * layer's output for a batch of one (all of them may be held at once: the inside views read every layer), plus the
 * largest working buffer a single layer needs besides its output (a convolution's im2col matrix on WebGL, a
 * pooling's index on wasm), in float32 bytes. TensorFlow.js's own shape inference gives every output
 * shape, so every layer it can build has a cost; where a dimension is left unknown the cost is unknown, and says
 * which layer. Works on a dry-built model (dryBuild.ts): nothing is allocated. No DOM.
 *
 * Why: the size checks bound a model's weights, not what running it costs. A 512-byte model.json (UpSampling2D of
 * 2000, GlobalAveragePooling2D, Dense 10) with 80 bytes of weights asked for 12.5 GB at its first reading.
 */

type Shape = ReadonlyArray<number | null>;

/** What a layer exposes of itself here (tf.layers.Layer; a nested model also has `layers`, a wrapper `layer`). */
interface CostedLayer {
  readonly name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly inboundNodes: ReadonlyArray<{ readonly inputShapes: unknown; readonly outputShapes: unknown; readonly inboundLayers?: readonly unknown[] }>;
  readonly layers?: unknown;
  readonly layer?: unknown;
}

export interface ActivationCost {
  /** Every layer's outputs for one image, plus the largest working buffer of one layer; NaN when unknown. */
  bytes: number;
  /** The single largest output or working buffer, and whose. */
  largest?: { layer: string; bytes: number; what: string };
  /** The first layer whose output size cannot be worked out (a dimension other than the batch is unknown). */
  unknown?: { layer: string; shape: string };
}

const FLOAT_BYTES = 4;
/**
 * Convolutions that tfjs's WebGL backend runs as one matrix product over an im2col copy of the input: a row per
 * output position, the kernel's window over every input channel in each. (Its depthwise, 3D and transposed
 * convolutions read the input directly; a separable one keeps its depthwise stage's output for the pointwise one.)
 */
const IM2COL = new Set(['Conv1D', 'Conv2D']);
/** Poolings that tfjs's wasm backend (XNNPACK) runs through an index: a pointer per output position and window element. */
const POOLINGS = new Set(['MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D']);

const shapeText = (shape: Shape) => `[${shape.map((d) => String(d)).join(', ')}]`;
const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** A node's shapes as a list: tfjs keeps one shape bare and several as a list. */
const shapesOf = (value: unknown): Shape[] => (Array.isArray(value) && value.length > 0 && value.every(Array.isArray) ? (value as Shape[]) : [value as Shape]);

/** Elements of one image's slice of a shape (the batch axis left out); NaN when a dimension is unknown or invalid. */
function perImage(shape: Shape): number {
  if (!Array.isArray(shape)) return NaN;
  let count = 1;
  for (const d of shape.slice(1)) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) return NaN;
    count *= d;
  }
  return count;
}

/** A kernel or pool size as one number per spatial axis. */
function sizes(value: unknown, rank: number): number[] | undefined {
  if (typeof value === 'number') return Array<number>(rank).fill(value);
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
}

/** The largest buffer a layer needs while it runs, besides its output, for one image (elements), if any. */
function workingBuffer(layer: CostedLayer, input: Shape, output: Shape): { elements: number; what: string } | undefined {
  const className = layer.getClassName();
  if (className === 'TimeDistributed' && isLayer(layer.layer)) {
    // The wrapped layer runs one step at a time, on the input without its time axis.
    return workingBuffer(layer.layer, [input[0] ?? null, ...input.slice(2)], [output[0] ?? null, ...output.slice(2)]);
  }
  if (!IM2COL.has(className) && !POOLINGS.has(className) && className !== 'SeparableConv2D') return undefined;
  const config = layer.getConfig();
  const channelsFirst = config.dataFormat === 'channelsFirst';
  const spatial = (s: Shape) => (channelsFirst ? s.slice(2) : s.slice(1, -1));
  const positions = perImage([null, ...spatial(output)]);
  const rank = output.length - 2;
  if (POOLINGS.has(className)) {
    const pool = sizes(config.poolSize, rank);
    return pool && { elements: positions * product(pool), what: `pooling index [${positions}, ${product(pool)}]` };
  }
  const channels = channelsFirst ? input[1] : input[input.length - 1];
  if (typeof channels !== 'number') return undefined;
  if (className === 'SeparableConv2D') {
    const depthwise = channels * (typeof config.depthMultiplier === 'number' ? config.depthMultiplier : 1);
    return { elements: positions * depthwise, what: `depthwise output [${positions}, ${depthwise}]` };
  }
  const kernel = sizes(config.kernelSize, rank);
  if (!kernel) return undefined;
  const columns = product(kernel) * channels;
  return { elements: positions * columns, what: `im2col buffer [${positions}, ${columns}]` };
}

const isLayer = (value: unknown): value is CostedLayer =>
  typeof value === 'object' && value !== null && typeof (value as CostedLayer).getClassName === 'function' && Array.isArray((value as CostedLayer).inboundNodes);

/** The activation cost of reading one image with a (dry-)built model: its layers, nested models' layers within. */
export function activationCost(model: { readonly layers: readonly unknown[] }): ActivationCost {
  let outputs = 0;
  let working = 0;
  let largest: ActivationCost['largest'];
  const consider = (layer: string, bytes: number, what: string) => {
    if (!largest || !(bytes <= largest.bytes)) largest = { layer, bytes, what };
  };
  // Each layer with how many times it runs per image (a nested model used twice runs its layers twice), taken in
  // the model's order from the end of this list. No recursion.
  const pending: Array<{ layer: unknown; runs: number }> = model.layers.map((layer) => ({ layer, runs: 1 })).reverse();
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { layer, runs } = item;
    if (!isLayer(layer)) continue;
    if (Array.isArray(layer.layers)) {
      // A model's first node links its own inputs to its outputs; each use of it as a layer adds one that reads something.
      const uses = Math.max(1, layer.inboundNodes.filter((node) => (node.inboundLayers?.length ?? 0) > 0).length);
      for (const inner of [...(layer.layers as unknown[])].reverse()) pending.push({ layer: inner, runs: runs * uses });
      continue;
    }
    for (const node of layer.inboundNodes) {
      const outputShapes = shapesOf(node.outputShapes);
      for (const shape of outputShapes) {
        const elements = perImage(shape);
        if (Number.isNaN(elements)) return { bytes: NaN, unknown: { layer: layer.name, shape: shapeText(shape) } };
        outputs += elements * FLOAT_BYTES * runs;
        consider(layer.name, elements * FLOAT_BYTES, `output ${shapeText(shape.slice(1))}`);
      }
      const [input] = shapesOf(node.inputShapes);
      const buffer = input && outputShapes.length === 1 ? workingBuffer(layer, input, outputShapes[0]!) : undefined;
      if (buffer && Number.isNaN(buffer.elements)) return { bytes: NaN, unknown: { layer: layer.name, shape: shapeText(input!) } };
      if (buffer) {
        // Infinity (sizes past what a double holds) stays: it is over any limit.
        working = Math.max(working, buffer.elements * FLOAT_BYTES);
        consider(layer.name, buffer.elements * FLOAT_BYTES, buffer.what);
      }
    }
  }
  return { bytes: outputs + working, ...(largest ? { largest } : {}) };
}

/** What readings of a batch may take in activations together (evaluation, the inside views' occlusion). */
export const BATCH_ACTIVATION_BYTES = 512 * 1024 * 1024;

/**
 * How many images a batch of readings may hold so that their activations stay within `budget`: `max` for the
 * app's CNN (1.0 MB an image), fewer for a model that needs more (the import allows up to 64 MB an image, so
 * evaluating 500 at once could have asked for 32 GB), never fewer than one.
 */
export function batchWithin(model: { readonly layers: readonly unknown[] }, max: number, budget = BATCH_ACTIVATION_BYTES): number {
  const { bytes } = activationCost(model);
  if (!(bytes > 0) || !Number.isFinite(bytes)) return max;
  return Math.max(1, Math.min(max, Math.floor(budget / bytes)));
}
