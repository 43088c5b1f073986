/**
 * What differs between runs of edited networks: each setting (the layers, the parameters, the optimizer and its
 * learning rate, the batch size, the epochs, the images, the recipe) in words, listed only where the runs do not
 * all agree. Pure: the comparison view lists them as text.
 */
import { networkFigures } from './layerShapes';
import type { LayerDefinition, NetworkDefinition, OptimizerName, TrainingDefinition } from './networkDefinition';

export interface ComparedSettings {
  network: NetworkDefinition;
  training: TrainingDefinition;
}

export interface SettingDifference {
  /** The setting, in words ("Learning rate"). */
  setting: string;
  /** Its value in each run, in the runs' order. */
  values: string[];
}

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = { adadelta: 'Adadelta', adam: 'Adam', sgd: 'SGD with momentum' };

/** 1199882 -> "1,199,882" (no Intl). */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** One layer as a short Keras-like call: `Conv2D(32, 3x3, relu)`, `Dropout(0.25)`. */
export function describeLayer(layer: LayerDefinition): string {
  switch (layer.kind) {
    case 'Conv2D': {
      const extras = [layer.padding === 'same' ? 'same' : '', (layer.strides ?? 1) !== 1 ? `strides ${layer.strides}` : ''].filter(Boolean);
      return `Conv2D(${[layer.filters, `${layer.kernelSize}x${layer.kernelSize}`, layer.activation, ...extras].join(', ')})`;
    }
    case 'MaxPooling2D':
      return `MaxPooling2D(${layer.poolSize}x${layer.poolSize})`;
    case 'Dropout':
      return `Dropout(${layer.rate})`;
    case 'Dense':
      return `Dense(${layer.units}, ${layer.activation})`;
    case 'Flatten':
    case 'BatchNormalization':
      return layer.kind;
  }
}

/** Every setting of one run in words, in the order the comparison lists them. */
export function describeSettings({ network, training }: ComparedSettings): Array<[setting: string, value: string]> {
  const { optimizer } = training;
  const parameters = networkFigures(network).parameters;
  return [
    ['Layers', network.layers.map(describeLayer).join(' → ')],
    ['Parameters', parameters === undefined ? 'unknown' : count(parameters)],
    ['Optimizer', OPTIMIZER_LABELS[optimizer.name] ?? String(optimizer.name)],
    ['Learning rate', String(optimizer.learningRate)],
    ['Momentum', optimizer.name === 'sgd' ? String(optimizer.momentum) : 'none'],
    ['Batch size', String(training.batchSize)],
    ['Epochs', String(training.epochs)],
    ['Images per epoch', count(training.images)],
    ['Recipe', training.recipe === 'handwriting' ? 'for drawn digits' : 'workshop original'],
  ];
}

/** The settings whose values are not the same in every run (none for fewer than two runs). */
export function runDifferences(runs: readonly ComparedSettings[]): SettingDifference[] {
  if (runs.length < 2) return [];
  const described = runs.map(describeSettings);
  return described[0]!
    .map(([setting], i) => ({ setting, values: described.map((d) => d[i]![1]) }))
    .filter(({ values }) => values.some((v) => v !== values[0]));
}
