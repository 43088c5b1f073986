/**
 * The editor's starting point: the workshop's network, layer for layer Keras's examples/mnist_cnn.py as
 * model/cnn.ts builds it (model/architecture.ts's APP_CNN_SIGNATURE is its summary), and the training the page
 * offers by default. Pure.
 */
import { NUM_CLASSES, SPLIT_COUNTS } from '../../../data/mnistFacts';
import { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from '../../../model/defaults';
import { MNIST_INPUT, OPTIMIZER_DEFAULTS, type NetworkDefinition, type TrainingDefinition } from './networkDefinition';

export const WORKSHOP_NETWORK: NetworkDefinition = {
  input: MNIST_INPUT,
  layers: [
    { kind: 'Conv2D', filters: 32, kernelSize: 3, activation: 'relu', padding: 'valid' },
    { kind: 'Conv2D', filters: 64, kernelSize: 3, activation: 'relu', padding: 'valid' },
    { kind: 'MaxPooling2D', poolSize: 2 },
    { kind: 'Dropout', rate: 0.25 },
    { kind: 'Flatten' },
    { kind: 'Dense', units: 128, activation: 'relu' },
    { kind: 'Dropout', rate: 0.5 },
    { kind: 'Dense', units: NUM_CLASSES, activation: 'softmax' },
  ],
};

/**
 * The workshop's optimizer (Keras's Adadelta, lr 1.0) with the page's training defaults: batch 128, 4 epochs,
 * all 60,000 training images, and the recipe the training panel starts from (augmented for drawn digits).
 */
export const WORKSHOP_TRAINING: TrainingDefinition = {
  optimizer: OPTIMIZER_DEFAULTS.adadelta,
  batchSize: DEFAULT_BATCH_SIZE,
  epochs: DEFAULT_EPOCHS,
  images: SPLIT_COUNTS.train,
  recipe: 'handwriting',
};
