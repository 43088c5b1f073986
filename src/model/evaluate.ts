/** The model's loss, accuracy and per-image predictions on a split, in batches (no DOM, any backend). */
import * as tf from '@tensorflow/tfjs';
import { type MnistSplit, batchTensors } from '../data/batches';

export interface Evaluation {
  count: number;
  loss: number;
  accuracy: number;
  /** The predicted digit of every image. */
  predicted: Uint8Array;
  /** The probability the model gave its predicted digit, per image. */
  confidence: Float32Array;
}

/** An evaluation on the 10,000 MNIST test images as the evaluation panel shows it: with each image's label. */
export interface TestEvaluation {
  accuracy: number;
  loss: number;
  labels: Uint8Array;
  predicted: Uint8Array;
  confidence: Float32Array;
}

const EPSILON = 1e-7;

export async function evaluateModel(
  model: tf.LayersModel,
  split: MnistSplit,
  batchSize = 500,
  yieldBetweenBatches: () => Promise<void> = async () => {},
): Promise<Evaluation> {
  const predicted = new Uint8Array(split.count);
  const confidence = new Float32Array(split.count);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const end = Math.min(start + batchSize, split.count);
    const indices = Array.from({ length: end - start }, (_, i) => start + i);
    const [probsT, lossT] = tf.tidy(() => {
      const { xs, ys } = batchTensors(split, indices);
      // Models imported with a flat [null, 784] input get the same pixels as rows.
      const input = model.inputs[0]!.shape.length === 2 ? xs.reshape([indices.length, 784]) : xs;
      const probs = model.predict(input) as tf.Tensor2D;
      // Keras' categorical cross-entropy: clip, then -sum(y * log p) per image.
      const loss = ys.mul(probs.clipByValue(EPSILON, 1 - EPSILON).log()).sum().neg();
      return [probs, loss];
    });
    const probs = (await probsT.data()) as Float32Array;
    lossSum += (await lossT.data())[0]!;
    tf.dispose([probsT, lossT]);
    for (let i = 0; i < indices.length; i++) {
      let best = 0;
      for (let d = 1; d < 10; d++) if (probs[i * 10 + d]! > probs[i * 10 + best]!) best = d;
      predicted[start + i] = best;
      confidence[start + i] = probs[i * 10 + best]!;
      if (best === split.labels[start + i]) correct++;
    }
    await yieldBetweenBatches();
  }
  return { count: split.count, loss: lossSum / split.count, accuracy: correct / split.count, predicted, confidence };
}
