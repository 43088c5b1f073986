/** What the app knows about a model: where it came from and how good it is. Saved beside every model. */

export type ModelSource = 'pretrained' | 'trained' | 'imported';
/**
 * How a model was trained: `handwriting`, with augmentation suited to drawn digits (data/augment.ts), or
 * `workshop`, the original Keras script's plain MNIST exactly.
 */
export type Recipe = 'handwriting' | 'workshop';
export const RECIPES: readonly Recipe[] = ['handwriting', 'workshop'];
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

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
  /** How an imported model is read, when the user should know (a Keras model without a softmax, say). */
  importNotes?: string;
}

/** A saved model: its id (where its weights are kept) and its card. */
export interface StoredModel {
  id: string;
  card: ModelCard;
}

/** The recipe in words, as a card of a model trained in the browser states it. */
export function describeRecipe(recipe: Recipe): string {
  return recipe === 'handwriting'
    ? 'MNIST, half of the images augmented afresh each epoch as handwriting varies (elastic distortion, rotation, scale, aspect, shear, shift, stroke width)'
    : 'MNIST exactly as the original Keras script';
}

export interface TrainedModelFacts {
  name: string;
  source: 'trained' | 'pretrained';
  epochs: number;
  /** The number of training images really used. */
  trainImages: number;
  batchSize: number;
  recipe: Recipe;
  /** The test split after the last epoch, when known. */
  test: { accuracy?: number | undefined; loss?: number | undefined };
  backend: BackendName;
  trainingSeconds: number;
  parameters: number;
  trainedBy: string;
  versions: Record<string, string>;
  /** Where it differs from `describeRecipe` (the served model's own data, say). */
  recipeDetails?: string;
  dataSha256?: string;
  penDigitsAccuracy?: number;
}

/**
 * The card of a model that Digit Lab trained: the one builder, used by the training worker and by
 * scripts/train-pretrained.ts, so both say the same things the same way.
 */
export function trainedModelCard(facts: TrainedModelFacts, now = new Date()): ModelCard {
  const card: ModelCard = {
    name: facts.name,
    source: facts.source,
    createdAt: now.toISOString(),
    epochs: facts.epochs,
    trainImages: facts.trainImages,
    batchSize: facts.batchSize,
    backend: facts.backend,
    trainingSeconds: facts.trainingSeconds,
    parameters: facts.parameters,
    versions: facts.versions,
    trainedBy: facts.trainedBy,
    recipe: facts.recipe,
    recipeDetails: facts.recipeDetails ?? describeRecipe(facts.recipe),
  };
  if (facts.test.accuracy !== undefined) card.testAccuracy = facts.test.accuracy;
  if (facts.test.loss !== undefined) card.testLoss = facts.test.loss;
  if (facts.dataSha256 !== undefined) card.dataSha256 = facts.dataSha256;
  if (facts.penDigitsAccuracy !== undefined) card.penDigitsAccuracy = facts.penDigitsAccuracy;
  return card;
}
