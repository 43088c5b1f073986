/**
 * What a network definition means before anything is built: each layer's output shape, its parameters and its
 * multiply-accumulates for one image, and the totals, worked out as Keras does. Where Keras would accept a layer
 * the app does not (a Dense on an image, a Flatten of a flat tensor), the figures are Keras's and
 * definitionProblems.ts says why the app refuses it; where no shape exists (a kernel larger than its input, a
 * convolution after a Flatten, a setting out of range) the layer is `blocked` and the layers after it have no
 * figures. Pure: no TensorFlow.js, no DOM.
 */
import { activationCost } from '../../../model/activationCost';
import { layerFaults, stridesOf, type LayerDefinition, type NetworkDefinition } from './networkDefinition';

/** One image's shape, without the batch axis: [height, width, channels], or [units] once flat. */
export type Shape = readonly number[];

/** Why a layer has no output shape. */
export type Blocked =
  /** Its output would be smaller than 1x1: `size` is the height and width it would have (0 or less). */
  | { reason: 'too-small'; size: readonly [number, number] }
  /** A Conv2D or MaxPooling2D whose input is flat (it needs rows, columns and channels). */
  | { reason: 'needs-image' }
  /** One of its own settings is out of range (networkDefinition.ts's layerFaults). */
  | { reason: 'invalid-setting' }
  /** An earlier layer has no output shape, so neither has this one. */
  | { reason: 'earlier-layer' };

export interface LayerFigures {
  readonly layer: LayerDefinition;
  /** Where it stands in the definition, from 0. */
  readonly index: number;
  /** What it reads; undefined when an earlier layer is blocked. */
  readonly input?: Shape;
  /** What it gives; undefined when it is blocked. */
  readonly output?: Shape;
  /** Its weights, all of them as Keras's summary counts (a BatchNormalization's moving mean and variance too). */
  readonly parameters?: number;
  /** Those the optimizer changes. */
  readonly trainableParameters?: number;
  /** Multiply-accumulates for one image, forward (a convolution's or a Dense's products; a BatchNormalization's one per value). */
  readonly macs?: number;
  readonly blocked?: Blocked;
}

export interface NetworkFigures {
  readonly layers: readonly LayerFigures[];
  /** The last layer's output (the input's shape when there are no layers); undefined when a layer is blocked. */
  readonly output?: Shape;
  /** The totals; undefined when a layer is blocked. */
  readonly parameters?: number;
  readonly trainableParameters?: number;
  readonly macs?: number;
  /**
   * What reading one image takes in activations, float32 bytes: every layer's output and the largest working
   * buffer of one layer, by model/activationCost.ts's rule (the limit imported models are held to).
   */
  readonly activationBytes?: number;
}

const product = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** A 'valid' or 'same' convolution's or pooling's output length along one axis, as Keras's conv_output_length. */
function outputLength(input: number, window: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.ceil((input - window + 1) / stride);
}

type Figures = Omit<LayerFigures, 'layer' | 'index' | 'input'>;

/** One layer's figures from its input shape. */
function figuresOf(layer: LayerDefinition, input: Shape): Figures {
  if (layerFaults(layer).length > 0) return { blocked: { reason: 'invalid-setting' } };
  const channels = input[input.length - 1] ?? 0;
  switch (layer.kind) {
    case 'Conv2D':
    case 'MaxPooling2D': {
      if (input.length !== 3) return { blocked: { reason: 'needs-image' } };
      const [height, width] = input as [number, number, number];
      const conv = layer.kind === 'Conv2D';
      const window = conv ? layer.kernelSize : layer.poolSize;
      const stride = conv ? stridesOf(layer) : layer.poolSize;
      const padding = conv ? layer.padding : 'valid';
      const size = [outputLength(height, window, stride, padding), outputLength(width, window, stride, padding)] as const;
      if (size[0] < 1 || size[1] < 1) return { blocked: { reason: 'too-small', size: [Math.max(0, size[0]), Math.max(0, size[1])] } };
      if (!conv) return { output: [size[0], size[1], channels], parameters: 0, trainableParameters: 0, macs: 0 };
      const taps = window * window * channels;
      const parameters = (taps + 1) * layer.filters;
      return { output: [size[0], size[1], layer.filters], parameters, trainableParameters: parameters, macs: size[0] * size[1] * layer.filters * taps };
    }
    case 'Dense': {
      // On a shape of more than one axis Keras applies it to the last one, at every position.
      const parameters = (channels + 1) * layer.units;
      const positions = product(input.slice(0, -1));
      return { output: [...input.slice(0, -1), layer.units], parameters, trainableParameters: parameters, macs: positions * channels * layer.units };
    }
    case 'Flatten':
      return { output: [product(input)], parameters: 0, trainableParameters: 0, macs: 0 };
    case 'Dropout':
      return { output: input, parameters: 0, trainableParameters: 0, macs: 0 };
    case 'BatchNormalization':
      // gamma and beta are learnt; the moving mean and variance are kept, not trained.
      return { output: input, parameters: 4 * channels, trainableParameters: 2 * channels, macs: product(input) };
  }
}

/** Each layer's figures and the network's totals. */
export function networkFigures(network: NetworkDefinition): NetworkFigures {
  const layers: LayerFigures[] = [];
  let input: Shape | undefined = network.input;
  for (const [index, layer] of network.layers.entries()) {
    if (!input) {
      layers.push({ layer, index, blocked: { reason: 'earlier-layer' } });
      continue;
    }
    const figures = figuresOf(layer, input);
    layers.push({ layer, index, input, ...figures });
    input = figures.output;
  }
  if (!input) return { layers };
  const sum = (key: 'parameters' | 'trainableParameters' | 'macs') => layers.reduce((total, l) => total + (l[key] ?? 0), 0);
  return {
    layers,
    output: input,
    parameters: sum('parameters'),
    trainableParameters: sum('trainableParameters'),
    macs: sum('macs'),
    activationBytes: activationBytes(layers),
  };
}

/** model/activationCost.ts's measure, from the figures: each layer stands in as the tfjs layer it will be. */
function activationBytes(layers: readonly LayerFigures[]): number {
  const costed = layers.map((figures) => {
    const { layer } = figures;
    const config = layer.kind === 'Conv2D' ? { kernelSize: layer.kernelSize } : layer.kind === 'MaxPooling2D' ? { poolSize: layer.poolSize } : {};
    return {
      name: `${layer.kind} (layer ${figures.index + 1})`,
      getClassName: () => layer.kind,
      getConfig: () => config,
      inboundNodes: [{ inputShapes: [null, ...(figures.input ?? [])], outputShapes: [null, ...(figures.output ?? [])] }],
    };
  });
  return activationCost({ layers: costed }).bytes;
}
