/** What the app knows about a model: where it came from and how good it is. Saved beside every model. */

export type ModelSource = 'pretrained' | 'trained' | 'imported';
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
}
