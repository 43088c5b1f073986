/** What a training run is asked to do, and what it reports after each epoch. Free of TensorFlow.js. */
import type { Recipe } from './modelCard';

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
}

/** The test split's loss and accuracy after an epoch. */
export interface EpochPoint {
  epoch: number;
  valLoss: number;
  valAccuracy: number;
}
