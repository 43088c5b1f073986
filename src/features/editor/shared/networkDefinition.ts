/**
 * What the network editor edits, in Keras's terms: a Sequential network (its input and its layers, in order) and
 * the settings it is trained with. Plain data, so it can be stored, sent to a worker and written as Keras text
 * (kerasText.ts). Pure: no TensorFlow.js, no DOM (the page and the workers both import it).
 */
import { IMAGE_SIZE, SPLIT_COUNTS } from '../../../data/mnistFacts';
import { KERAS_ADADELTA_DEFAULTS, type KerasAdadeltaConfig } from '../../../model/defaults';
import { RECIPES, type Recipe } from '../../../model/modelCard';

/**
 * Keras's activation names this editor offers: each is an activation of the same name in Keras 2 and 3 and in
 * TensorFlow.js (which the app trains with), so a network goes both ways unchanged. `linear` is Keras's default
 * (`activation=None`).
 */
export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'softplus', 'softsign', 'softmax', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const PADDINGS = ['valid', 'same'] as const;
export type Padding = (typeof PADDINGS)[number];

/** A 2D convolution with a square kernel (kernel_size=(k, k)), and square strides (1 when left out, as Keras). */
export interface Conv2DLayer {
  readonly kind: 'Conv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly activation: Activation;
  readonly padding: Padding;
  readonly strides?: number;
}

/** Max pooling over square windows (pool_size=(p, p)); its strides are the pool size, its padding "valid", as Keras's defaults. */
export interface MaxPooling2DLayer {
  readonly kind: 'MaxPooling2D';
  readonly poolSize: number;
}

export interface DropoutLayer {
  readonly kind: 'Dropout';
  /** The fraction of inputs dropped while training, 0 <= rate < 1. */
  readonly rate: number;
}

export interface FlattenLayer {
  readonly kind: 'Flatten';
}

export interface DenseLayer {
  readonly kind: 'Dense';
  readonly units: number;
  readonly activation: Activation;
}

/** Keras's defaults (the last axis, momentum 0.99, epsilon 1e-3, centre and scale learnt). */
export interface BatchNormalizationLayer {
  readonly kind: 'BatchNormalization';
}

export type LayerDefinition = Conv2DLayer | MaxPooling2DLayer | DropoutLayer | FlattenLayer | DenseLayer | BatchNormalizationLayer;
export type LayerKind = LayerDefinition['kind'];

/** The layers the editor offers, in the order a menu lists them. */
export const LAYER_KINDS: readonly LayerKind[] = ['Conv2D', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'BatchNormalization'];

/** Keras's input_shape: height, width, channels (channels last). */
export type InputShape = readonly [height: number, width: number, channels: number];

/** The app's images: MNIST's 28x28 pixels, one channel. */
export const MNIST_INPUT: InputShape = [IMAGE_SIZE, IMAGE_SIZE, 1];

export interface NetworkDefinition {
  readonly input: InputShape;
  readonly layers: readonly LayerDefinition[];
}

/** Keras's Adadelta, the workshop's optimizer; its defaults are the original's (model/defaults.ts). */
export interface AdadeltaSettings extends Readonly<KerasAdadeltaConfig> {
  readonly name: 'adadelta';
}

/** Keras's Adam (beta_1 0.9, beta_2 0.999, epsilon 1e-7, its defaults). */
export interface AdamSettings {
  readonly name: 'adam';
  readonly learningRate: number;
}

/** Keras's SGD, with momentum (0: plain SGD). */
export interface SgdSettings {
  readonly name: 'sgd';
  readonly learningRate: number;
  readonly momentum: number;
}

export type OptimizerSettings = AdadeltaSettings | AdamSettings | SgdSettings;
export type OptimizerName = OptimizerSettings['name'];

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adadelta', 'adam', 'sgd'];

/** The settings a training run of the network takes. */
export interface TrainingDefinition {
  readonly optimizer: OptimizerSettings;
  readonly batchSize: number;
  readonly epochs: number;
  /** How many of MNIST's training images an epoch uses. */
  readonly images: number;
  readonly recipe: Recipe;
}

/** Conv2D's strides, 1 when left out (Keras's default). */
export function stridesOf(layer: Conv2DLayer): number {
  return layer.strides ?? 1;
}

/** Keras's defaults for each optimizer, what switching to it starts from (Adadelta's are the workshop's). */
export const OPTIMIZER_DEFAULTS: { readonly [N in OptimizerName]: Extract<OptimizerSettings, { name: N }> } = {
  adadelta: { name: 'adadelta', ...KERAS_ADADELTA_DEFAULTS },
  adam: { name: 'adam', learningRate: 0.001 },
  sgd: { name: 'sgd', learningRate: 0.01, momentum: 0 },
};

/** The whole numbers each setting may take, both ends included. */
export const SETTING_RANGES = {
  filters: { min: 1, max: 512 },
  kernelSize: { min: 1, max: 7 },
  strides: { min: 1, max: 4 },
  poolSize: { min: 1, max: 7 },
  units: { min: 1, max: 4096 },
  batchSize: { min: 1, max: 1024 },
  epochs: { min: 1, max: 50 },
} as const;

/** The largest learning rate accepted (Adadelta's is 1.0; past 10 no optimizer here learns). */
export const MAX_LEARNING_RATE = 10;

/** A setting whose value cannot be used, and the values it may take, in words. */
export interface SettingFault {
  /** The setting's name in the definition (`filters`, `rate`, `batchSize`, `optimizer.learningRate`, ...). */
  field: string;
  value: unknown;
  expected: string;
}

const wholeFrom = (range: { min: number; max: number }) => `a whole number from ${range.min} to ${range.max}`;
const isWhole = (value: unknown, range: { min: number; max: number }) =>
  typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const oneOf = (values: readonly string[]) => `one of ${values.join(', ')}`;

/** What is wrong with one layer's own settings (nothing about where it stands): none when all can be used. */
export function layerFaults(layer: LayerDefinition): SettingFault[] {
  const faults: SettingFault[] = [];
  const whole = (field: keyof typeof SETTING_RANGES, value: unknown) => {
    if (!isWhole(value, SETTING_RANGES[field])) faults.push({ field, value, expected: wholeFrom(SETTING_RANGES[field]) });
  };
  const activation = (value: unknown) => {
    if (!(ACTIVATIONS as readonly unknown[]).includes(value)) faults.push({ field: 'activation', value, expected: oneOf(ACTIVATIONS) });
  };
  switch (layer.kind) {
    case 'Conv2D':
      whole('filters', layer.filters);
      whole('kernelSize', layer.kernelSize);
      if (layer.strides !== undefined) whole('strides', layer.strides);
      if (!(PADDINGS as readonly unknown[]).includes(layer.padding)) faults.push({ field: 'padding', value: layer.padding, expected: oneOf(PADDINGS) });
      activation(layer.activation);
      break;
    case 'MaxPooling2D':
      whole('poolSize', layer.poolSize);
      break;
    case 'Dropout':
      if (!(isNumber(layer.rate) && layer.rate >= 0 && layer.rate < 1)) faults.push({ field: 'rate', value: layer.rate, expected: 'a number from 0 up to, not including, 1' });
      break;
    case 'Dense':
      whole('units', layer.units);
      activation(layer.activation);
      break;
    case 'Flatten':
    case 'BatchNormalization':
      break;
    default:
      faults.push({ field: 'kind', value: (layer as { kind?: unknown }).kind, expected: oneOf(LAYER_KINDS) });
  }
  return faults;
}

/** What is wrong with the training settings: none when all can be used. */
export function trainingFaults(training: TrainingDefinition): SettingFault[] {
  const faults: SettingFault[] = [];
  const { optimizer } = training;
  if (!OPTIMIZER_NAMES.includes(optimizer.name)) {
    faults.push({ field: 'optimizer', value: optimizer.name, expected: oneOf(OPTIMIZER_NAMES) });
  } else {
    if (!(isNumber(optimizer.learningRate) && optimizer.learningRate > 0 && optimizer.learningRate <= MAX_LEARNING_RATE)) {
      faults.push({ field: 'optimizer.learningRate', value: optimizer.learningRate, expected: `a number above 0, at most ${MAX_LEARNING_RATE}` });
    }
    if (optimizer.name === 'sgd' && !(isNumber(optimizer.momentum) && optimizer.momentum >= 0 && optimizer.momentum < 1)) {
      faults.push({ field: 'optimizer.momentum', value: optimizer.momentum, expected: 'a number from 0 up to, not including, 1' });
    }
    if (optimizer.name === 'adadelta') {
      if (!(isNumber(optimizer.rho) && optimizer.rho > 0 && optimizer.rho < 1)) faults.push({ field: 'optimizer.rho', value: optimizer.rho, expected: 'a number between 0 and 1' });
      if (!(isNumber(optimizer.epsilon) && optimizer.epsilon > 0 && optimizer.epsilon <= 1)) {
        faults.push({ field: 'optimizer.epsilon', value: optimizer.epsilon, expected: 'a number above 0, at most 1' });
      }
    }
  }
  if (!isWhole(training.batchSize, SETTING_RANGES.batchSize)) faults.push({ field: 'batchSize', value: training.batchSize, expected: wholeFrom(SETTING_RANGES.batchSize) });
  if (!isWhole(training.epochs, SETTING_RANGES.epochs)) faults.push({ field: 'epochs', value: training.epochs, expected: wholeFrom(SETTING_RANGES.epochs) });
  // At least one full batch an epoch, at most MNIST's training split.
  const images = { min: isWhole(training.batchSize, SETTING_RANGES.batchSize) ? training.batchSize : 1, max: SPLIT_COUNTS.train };
  if (!isWhole(training.images, images)) faults.push({ field: 'images', value: training.images, expected: wholeFrom(images) });
  if (!RECIPES.includes(training.recipe)) faults.push({ field: 'recipe', value: training.recipe, expected: oneOf(RECIPES) });
  return faults;
}
