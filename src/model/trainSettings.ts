/** What a training run is asked to do, and what it reports after each epoch. Free of TensorFlow.js. */
import type { NetworkDefinition, TrainingDefinition } from '../features/editor/shared/networkDefinition';
import type { Recipe } from './modelCard';

/**
 * A run of a network from the editor (features/editor): the network, and its training as the editor set it (the
 * run's epochs, images, batch size and recipe are these, copied into TrainSettings; the optimizer is its own).
 */
export interface EditorRunSettings {
  network: NetworkDefinition;
  training: TrainingDefinition;
}

export interface TrainSettings {
  epochs: number;
  trainImages: number;
  batchSize: number;
  /** Continue training this saved model (the app's own CNN) instead of starting from scratch. */
  baseModelId?: string;
  /** Augmented for drawn digits, or the workshop's plain MNIST (the default for runs saved before there was a choice). */
  recipe?: Recipe;
  /** Workers to train with, as the page address asks (`?workers=N`); by default one per core on wasm. */
  workers?: number;
  /** Train this network from the editor instead of the app's CNN; left out, the workshop's CNN and Adadelta as always. */
  editor?: EditorRunSettings;
}

/** The test split's loss and accuracy after an epoch. */
export interface EpochPoint {
  epoch: number;
  valLoss: number;
  valAccuracy: number;
}
