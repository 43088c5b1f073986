/**
 * Why a network definition (and its training) cannot work, in words the editor shows beside it: settings out of
 * range, layers in an order the app cannot train, shapes that shrink below 1x1, a last layer that does not give
 * the ten digits' probabilities, and a network larger than the device can hold. Layers are numbered from 1, as
 * the editor lists them. Pure: no TensorFlow.js, no DOM, no Intl (the page imports it).
 */
import { MAX_ACTIVATION_BYTES, MAX_WEIGHT_BYTES } from '../../../model/importLimits';
import { NUM_CLASSES } from '../../../data/mnistFacts';
import { networkFigures, type NetworkFigures, type Shape } from './layerShapes';
import {
  MNIST_INPUT,
  layerFaults,
  trainingFaults,
  type LayerDefinition,
  type NetworkDefinition,
  type SettingFault,
  type TrainingDefinition,
} from './networkDefinition';

export type ProblemCode =
  /** The input is not MNIST's 28x28x1. */
  | 'input'
  | 'no-layers'
  /** A layer's setting out of range. */
  | 'layer-setting'
  /** A Conv2D or MaxPooling2D whose output would be below 1x1. */
  | 'too-small'
  /** A Conv2D or MaxPooling2D after the Flatten. */
  | 'after-flatten'
  /** A Dense on an image: no Flatten before it. */
  | 'dense-needs-flatten'
  /** A Flatten of what is flat already. */
  | 'flatten-twice'
  /** The last layer is not Dense(10, activation='softmax'). */
  | 'last-layer'
  | 'too-many-parameters'
  /** Reading one image, or training one batch, takes more activations than the limit. */
  | 'too-much-memory'
  /** A training setting out of range. */
  | 'training-setting';

export interface DefinitionProblem {
  code: ProblemCode;
  /** The layer it is about, from 0; absent for the network as a whole and for its training. */
  layer?: number;
  /** The setting it is about, as the definition names it (`kernelSize`, `batchSize`, `optimizer.learningRate`). */
  field?: string;
  message: string;
}

/** How large a network the device can hold; a limit left out is not checked. */
export interface EditorLimits {
  /** Parameters, all of them (4 bytes each). */
  parameters?: number;
  /** Activation bytes reading one image takes (layerShapes.ts's activationBytes). */
  activationBytes?: number;
  /** Activation bytes training one batch holds: one image's times the batch size. */
  batchActivationBytes?: number;
}

/** The limits an imported model is held to (model/importLimits.ts): a network the app trains can be read back. */
export const IMPORT_LIMITS: EditorLimits = { parameters: MAX_WEIGHT_BYTES / 4, activationBytes: MAX_ACTIVATION_BYTES };

/** Keras's argument names, and the training settings in words. */
const FIELD_NAMES: Record<string, string> = {
  kind: 'the layer type',
  kernelSize: 'kernel_size',
  poolSize: 'pool_size',
  batchSize: 'the batch size',
  epochs: 'the number of epochs',
  images: 'the number of images',
  recipe: 'the recipe',
  optimizer: 'the optimizer',
  'optimizer.learningRate': 'the learning rate',
  'optimizer.momentum': 'the momentum',
  'optimizer.rho': "Adadelta's rho",
  'optimizer.epsilon': "Adadelta's epsilon",
};

/** 1199882 -> "1,199,882" (no Intl: its first use loads locale data, slow on a phone). */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const shapeText = (shape: Shape) => shape.join('x');
const layerName = (index: number, layer: LayerDefinition) => `Layer ${index + 1} (${layer.kind})`;

function valueText(value: unknown): string {
  if (value === undefined || value === null || (typeof value === 'number' && Number.isNaN(value))) return 'it is empty';
  return typeof value === 'string' ? `it is '${value}'` : `it is ${String(value)}`;
}

const faultMessage = (fault: SettingFault) => `${FIELD_NAMES[fault.field] ?? fault.field} must be ${fault.expected}; ${valueText(fault.value)}.`;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Every reason the network (and, when given, its training) cannot work, in the order the editor lists them:
 * the input, each layer from the first, the last layer, the sizes, the training. None: it can be trained.
 */
export function definitionProblems(
  network: NetworkDefinition,
  limits: EditorLimits,
  training?: TrainingDefinition,
  figures: NetworkFigures = networkFigures(network),
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const [height, width, channels] = network.input;
  if (height !== MNIST_INPUT[0] || width !== MNIST_INPUT[1] || channels !== MNIST_INPUT[2]) {
    problems.push({
      code: 'input',
      message: `The input must be MNIST's images, input_shape=(${MNIST_INPUT.join(', ')}): 28x28 pixels, one channel; it is (${network.input.join(', ')}).`,
    });
  }
  const { layers } = network;
  if (layers.length === 0) {
    problems.push({ code: 'no-layers', message: `The network has no layers: it needs at least a Flatten and a Dense(${NUM_CLASSES}, activation='softmax').` });
  }

  let flattenAt: number | undefined;
  for (const [index, layer] of layers.entries()) {
    const name = layerName(index, layer);
    for (const fault of layerFaults(layer)) {
      problems.push({ code: 'layer-setting', layer: index, field: fault.field, message: `${name}: ${faultMessage(fault)}` });
    }
    const input = figures.layers[index]?.input;
    const blocked = figures.layers[index]?.blocked;
    if ((layer.kind === 'Conv2D' || layer.kind === 'MaxPooling2D') && flattenAt !== undefined) {
      problems.push({
        code: 'after-flatten',
        layer: index,
        message: `${name} comes after the Flatten (layer ${flattenAt + 1}): it needs the image's rows and columns. Move it before the Flatten.`,
      });
    } else if (layer.kind === 'Dense' && flattenAt === undefined) {
      const reads = input && input.length > 1 ? `a ${shapeText(input)} image` : 'an image';
      const values = input && input.length > 1 ? `${input[input.length - 1]} values` : 'values';
      problems.push({
        code: 'dense-needs-flatten',
        layer: index,
        message:
          `${name} reads ${reads}: add a Flatten before it. ` +
          `(Keras would apply the Dense to each pixel's ${values} on its own; this app needs the image flattened into one vector first.)`,
      });
    } else if (layer.kind === 'Flatten' && flattenAt !== undefined) {
      problems.push({ code: 'flatten-twice', layer: index, message: `${name}: its input is flat already (the Flatten at layer ${flattenAt + 1}). Remove one of them.` });
    }
    if (blocked?.reason === 'too-small' && input) {
      problems.push({ code: 'too-small', layer: index, message: `${name}: ${tooSmall(layer, input, blocked.size)}` });
    }
    if (layer.kind === 'Flatten') flattenAt ??= index;
  }

  const last = layers[layers.length - 1];
  if (last) problems.push(...lastLayerProblems(layers.length - 1, last));

  const { parameters, activationBytes } = figures;
  if (parameters !== undefined && limits.parameters !== undefined && parameters > limits.parameters) {
    problems.push({
      code: 'too-many-parameters',
      message:
        `The network has ${count(parameters)} parameters (${megabytes(parameters * 4)}); this device can hold at most ${count(limits.parameters)} ` +
        `(${megabytes(limits.parameters * 4)}). Use fewer filters or units, or pool the image smaller before the Flatten.`,
    });
  }
  if (activationBytes !== undefined && limits.activationBytes !== undefined && activationBytes > limits.activationBytes) {
    problems.push({
      code: 'too-much-memory',
      message:
        `Reading one image takes ${megabytes(activationBytes)} of activations; this device can hold at most ${megabytes(limits.activationBytes)}. ` +
        `Use fewer filters, or pool the image smaller sooner.`,
    });
  }
  if (training) {
    const { batchSize } = training;
    const batchBytes = activationBytes !== undefined && Number.isInteger(batchSize) && batchSize > 0 ? activationBytes * batchSize : undefined;
    if (batchBytes !== undefined && limits.batchActivationBytes !== undefined && batchBytes > limits.batchActivationBytes) {
      problems.push({
        code: 'too-much-memory',
        field: 'batchSize',
        message:
          `Training a batch of ${count(batchSize)} images takes about ${megabytes(batchBytes)} of activations; this device can hold at most ` +
          `${megabytes(limits.batchActivationBytes)}. Use a smaller batch, or a smaller network.`,
      });
    }
    for (const fault of trainingFaults(training)) {
      problems.push({ code: 'training-setting', field: fault.field, message: capitalised(faultMessage(fault)) });
    }
  }
  return problems;
}

/** Why a Conv2D or a MaxPooling2D has nothing left to give. */
function tooSmall(layer: LayerDefinition, input: Shape, size: readonly [number, number]): string {
  const image = `${input[0]}x${input[1]}`;
  const result = `${size[0]}x${size[1]}`;
  if (layer.kind === 'MaxPooling2D') {
    return `its ${layer.poolSize}x${layer.poolSize} pool does not fit the ${image} image it reads: the output would be ${result}. Remove it, or shrink the image less before it.`;
  }
  if (layer.kind === 'Conv2D') {
    return (
      `its ${layer.kernelSize}x${layer.kernelSize} kernel does not fit the ${image} image it reads: the output would be ${result}. ` +
      `Use padding='same', a smaller kernel, or shrink the image less before it.`
    );
  }
  return `its output would be ${result}.`;
}

function lastLayerProblems(index: number, layer: LayerDefinition): DefinitionProblem[] {
  const wanted = `Dense(${NUM_CLASSES}, activation='softmax')`;
  if (layer.kind !== 'Dense') {
    return [{ code: 'last-layer', layer: index, message: `The last layer must be ${wanted}, the ten digits' probabilities; it is ${layer.kind}.` }];
  }
  const problems: DefinitionProblem[] = [];
  if (layer.units !== NUM_CLASSES) {
    problems.push({ code: 'last-layer', layer: index, field: 'units', message: `The last layer must have ${NUM_CLASSES} units, one per digit; it has ${layer.units}.` });
  }
  if (layer.activation !== 'softmax') {
    problems.push({
      code: 'last-layer',
      layer: index,
      field: 'activation',
      message: `The last layer's activation must be 'softmax', to give the digits' probabilities; it is '${layer.activation}'.`,
    });
  }
  return problems;
}
