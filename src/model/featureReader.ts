/**
 * A model read twice over, for personal learning: what its last layer sees (the penultimate features: the 128
 * ReLU outputs of the app's CNN) and what it reads (the ten probabilities), from one forward pass.
 */
import * as tf from '@tensorflow/tfjs';
import { type InputLayout, inputLayoutOf } from './compatibility';

export class NoFeatures extends Error {
  override name = 'NoFeatures';
}

export interface FeatureReader {
  model: tf.LayersModel;
  layout: InputLayout;
  dim: number;
}

/** A reader of `model`'s features and probabilities; it shares the model's weights (dispose neither while using it). */
export function featureReader(model: tf.LayersModel): FeatureReader {
  const last = model.layers.at(-1);
  if (!last || model.layers.length < 2) throw new NoFeatures('learning your handwriting needs a model with more than one layer');
  const features = last.input as tf.SymbolicTensor;
  const dim = features.shape.at(-1);
  if (features.shape.length !== 2 || typeof dim !== 'number') throw new NoFeatures('learning your handwriting needs flat features before the last layer');
  return { model: tf.model({ inputs: model.inputs, outputs: [features, model.outputs[0]!] }), layout: inputLayoutOf(model), dim };
}

/** Each row of a [n, dim] tensor scaled to unit length (a zero row stays zero). */
export const unitRows = (t: tf.Tensor): tf.Tensor => t.div(t.norm('euclidean', 1, true).maximum(1e-12));

export interface Readings {
  /** count x dim features, scaled to unit length. */
  features: Float32Array;
  /** count x 10 probabilities. */
  probabilities: Float32Array;
  /** The digit read for each image. */
  reads: Uint8Array;
}

/** Features (unit length) and readings of `count` images (784 values each, 0..1), in batches; `between` runs between batches. */
export async function readFeatures(reader: FeatureReader, images: Float32Array, count: number, between?: () => Promise<void>, batch = 250): Promise<Readings> {
  const features = new Float32Array(count * reader.dim);
  const probabilities = new Float32Array(count * 10);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const [f, p] = tf.tidy(() => {
      const pixels = images.subarray(start * 784, (start + n) * 784);
      const x = reader.layout === 'image' ? tf.tensor4d(pixels, [n, 28, 28, 1]) : tf.tensor2d(pixels, [n, 784]);
      const [feat, prob] = reader.model.predict(x) as tf.Tensor[];
      return [unitRows(feat!).dataSync(), prob!.dataSync()];
    });
    features.set(f!, start * reader.dim);
    probabilities.set(p!, start * 10);
    if (between) await between();
  }
  const reads = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probabilities[i * 10 + c]! > probabilities[i * 10 + best]!) best = c;
    reads[i] = best;
  }
  return { features, probabilities, reads };
}
