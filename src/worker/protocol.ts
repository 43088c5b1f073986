/**
 * The only types the UI and the workers share. Two workers, each owning its own TensorFlow.js:
 *  - the training worker trains, checkpoints and saves models (train.worker.ts);
 *  - the prediction worker holds the active model and answers predictions (predict.worker.ts), so a drawing
 *    never waits behind a training step that can take seconds.
 */
import type { BackendName, ModelCard, Recipe } from '../model/modelCard';
import type { BatchReport } from '../model/train';

export type { BackendName, ModelCard, ModelSource } from '../model/modelCard';

export interface BackendInfo {
  name: BackendName;
  /** Where training runs, in plain words for anyone. */
  summary: string;
  /** Why this backend was chosen, with the technical details (renderer, errors). */
  reason: string;
}

export interface StoredModel {
  id: string;
  card: ModelCard;
}

export interface TrainSettings {
  epochs: number;
  trainImages: number;
  batchSize: number;
  /** Continue training this saved model (the app's own CNN) instead of starting from scratch. */
  baseModelId?: string;
  /** Augmented for drawn digits, or the workshop's plain MNIST (the default for runs saved before there was a choice). */
  recipe?: Recipe;
  /** Ask for a backend (e.g. `?backend=webgl` in the page URL); otherwise the fastest real one is chosen. */
  backend?: BackendName;
}

export interface EpochPoint {
  epoch: number;
  valLoss: number;
  valAccuracy: number;
}

// ---- training worker ----
export type TrainRequest =
  | { type: 'probe'; backend?: BackendName }
  | { type: 'train'; settings: TrainSettings; resume?: boolean }
  | { type: 'cancel' }
  | ({ type: 'bench' } & BenchRequest)
  /** Evaluate a saved model on the 10,000 test images. */
  | { type: 'evaluate'; modelId: string }
  /** Pixels of some test images, for the evaluation gallery. */
  | { type: 'test-images'; requestId: number; indices: number[] };

export interface BenchRequest {
  backend: BackendName;
  /** Untimed batches first (kernel compilation, allocation), then timed ones. */
  warmupBatches: number;
  batches: number;
  /** Single-image predictions to time. */
  predictions: number;
  /** Then train a fresh CNN for this many full epochs on all 60,000 images (0: none): time and test accuracy per epoch. */
  fullEpochs: number;
}

export interface BenchResult {
  backend: BackendName;
  /** Set when the backend could not run here; nothing else is then measured. */
  unavailable?: string;
  reason?: string;
  batchSize?: number;
  trainImagesPerSecond?: number;
  /** The same with the handwriting recipe's augmentation, in alternating batches; and how much slower that is. */
  augmentedImagesPerSecond?: number;
  augmentationSlowdown?: number;
  estimatedEpochSeconds?: number;
  predictMs?: { p50: number; p95: number; runs: number };
  /** Peak bytes of tensor memory during one training step (tf.profile). */
  peakTrainStepBytes?: number;
  numTensorsAfterEachBatch?: number[];
  fullTraining?: {
    epochs: number;
    seconds: number;
    imagesPerSecond: number;
    perEpoch: { epoch: number; seconds: number; testAccuracy: number; testLoss: number }[];
  };
}

export type TrainEvent =
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'data-progress'; loadedBytes: number; totalBytes: number }
  | { type: 'started'; settings: TrainSettings; startEpoch: number; batchesPerEpoch: number }
  | ({ type: 'batch' } & BatchReport)
  | { type: 'epoch'; point: EpochPoint; numTensors: number; seconds: number }
  | { type: 'checkpoint'; epochsDone: number }
  | { type: 'done'; model: StoredModel }
  | { type: 'cancelled' }
  | { type: 'bench-result'; result: BenchResult }
  | ({ type: 'evaluated'; modelId: string } & TestEvaluation)
  | { type: 'evaluate-failed'; modelId: string; message: string }
  | { type: 'test-images'; requestId: number; indices: number[]; pixels: Uint8Array }
  | { type: 'error'; message: string };

export interface TestEvaluation {
  accuracy: number;
  loss: number;
  labels: Uint8Array;
  predicted: Uint8Array;
  confidence: Float32Array;
}

export interface LayerSummary {
  name: string;
  className: string;
  outputShape: string;
  parameters: number;
}

export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

// ---- prediction worker ----
export type PredictRequest =
  /** Load a stored model by id, or the server's pre-trained model (stored on first use). */
  | { type: 'load'; id: string }
  | { type: 'load-pretrained'; url: string }
  | { type: 'predict'; id: number; input: Float32Array }
  /** Check, store and activate a model the user picked (model.json and weight files, not yet read). */
  | { type: 'import'; files: File[] }
  /** The active model as model.json and weight files. */
  | { type: 'export' }
  /** Delete a saved model that is not the active one. */
  | { type: 'delete'; id: string };

export type PredictEvent =
  | { type: 'loaded'; model: StoredModel; backend: BackendName; summary: LayerSummary[] }
  | { type: 'import-failed'; message: string }
  | { type: 'exported'; files: ModelFile[] }
  | { type: 'deleted'; id: string }
  | { type: 'load-failed'; message: string; missing: boolean }
  | { type: 'prediction'; id: number; probabilities: number[]; ms: number }
  | { type: 'error'; id?: number; message: string };
