/** What the app knows about a model: where it came from and how good it is. Saved beside every model. */

export type ModelSource = 'pretrained' | 'trained' | 'imported';
/**
 * How a model was trained: `handwriting`, with augmentation suited to drawn digits (data/augment.ts), or
 * `workshop`, the original Keras script's plain MNIST exactly.
 */
export type Recipe = 'handwriting' | 'workshop';
export const RECIPES: readonly Recipe[] = ['handwriting', 'workshop'];
export type BackendName = 'webgl' | 'wasm' | 'cpu';

export interface ModelCard {
  name: string;
  source: ModelSource;
  /** ISO date of training or import. */
  createdAt: string;
  /** Accuracy on the 10,000 MNIST test images, 0..1, once known. */
  testAccuracy?: number;
  testLoss?: number;
  epochs?: number;
  trainImages?: number;
  batchSize?: number;
  backend?: BackendName;
  trainingSeconds?: number;
  parameters?: number;
  /** SHA-256 of the training images the model was trained on. */
  dataSha256?: string;
  versions?: Record<string, string>;
  trainedBy?: string;
  recipe?: Recipe;
  /** The recipe in words: data, augmentation, where training started from. */
  recipeDetails?: string;
  /** Accuracy on real pen digits of writers the model never saw (UCI pendigits writers 21-30), 0..1. */
  penDigitsAccuracy?: number;
  /** How the weights are stored, when not float32 (the figures above are the stored model's own). */
  weights?: 'float16' | 'uint8';
}
