/**
 * One training step split across workers (data parallelism): each worker computes the gradient of the mean loss
 * over its part of the batch, the parts are averaged weighted by their size, which is exactly the gradient of
 * the whole batch's mean loss, and one optimizer step applies it. The same loss and metric as `trainOnBatch`
 * with the app's compile settings: categorical cross-entropy and categorical accuracy.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchArrays } from '../data/batches';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from '../data/mnistFacts';

export type { BatchArrays } from '../data/batches';

/** What one worker sends back for its part of a batch. */
export interface GradientPart {
  count: number;
  /** Mean loss over the part. */
  loss: number;
  /** Images of the part read right. */
  correct: number;
  /** One gradient per trainable weight, in the model's order. */
  grads: Float32Array[];
  /** How long the worker took, from receiving the part to sending the gradients (its own clock). */
  ms?: number;
  /** When the worker began (performance.timeOrigin + performance.now(): one clock that every worker shares). */
  startedAt?: number;
}

/** The part of a batch from image `from` to `to` (views, no copy). */
export function slicePart(batch: BatchArrays, from: number, to: number): BatchArrays {
  return {
    count: to - from,
    xs: batch.xs.subarray(from * IMAGE_PIXELS, to * IMAGE_PIXELS),
    ys: batch.ys.subarray(from * NUM_CLASSES, to * NUM_CLASSES),
  };
}

/**
 * Where to cut a batch of `count` images into one part per worker, in proportion to `speeds` (equal by
 * default): speeds.length + 1 boundaries, every part at least `least` images (when the batch allows).
 */
export function splitPoints(count: number, parts: number, speeds: number[] = Array<number>(parts).fill(1), least = 1): number[] {
  const floor = Math.min(least, Math.floor(count / parts));
  const total = speeds.reduce((a, b) => a + b, 0);
  const spare = count - floor * parts;
  const cuts = [0];
  let acc = 0;
  for (let k = 0; k < parts; k++) {
    acc += speeds[k]!;
    cuts.push(k === parts - 1 ? count : (k + 1) * floor + Math.round((spare * acc) / total));
  }
  return cuts;
}

/** A float32 tensor's values as a Float32Array of their own (to hand to another worker). */
export function floatValues(t: tf.Tensor): Float32Array {
  const values = t.dataSync();
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/** The model's trainable weights as the engine's variables, in the model's order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * The gradient of the mean loss over `batch` at the model's current weights (dropout active, as in training),
 * with the loss and the number read right; `training: false` turns dropout off (tests). The returned tensors are the caller's to dispose.
 */
export async function partGradients(model: tf.LayersModel, batch: BatchArrays, training = true): Promise<{ loss: number; correct: number; grads: tf.Tensor[] }> {
  const variables = trainableVariables(model);
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.tidy(() => {
    const xs = tf.tensor4d(batch.xs, [batch.count, IMAGE_SIZE, IMAGE_SIZE, 1]);
    const ys = tf.tensor2d(batch.ys, [batch.count, NUM_CLASSES]);
    return tf.variableGrads(() => {
      const predicted = model.apply(xs, { training }) as tf.Tensor2D;
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(predicted, 1), tf.argMax(ys, 1)), 'float32')));
      return tf.mean(tf.metrics.categoricalCrossentropy(ys, predicted)) as tf.Scalar;
    }, variables);
  });
  // Read asynchronously: on WebGPU a synchronous read goes through a canvas, and on SwiftShader it broke the device.
  const [loss, right] = await Promise.all([value.data().then((v) => v[0]!), correct!.data().then((v) => v[0]!)]);
  tf.dispose([value, correct!]);
  return { loss, correct: right, grads: variables.map((v) => grads[v.name]!) };
}

/**
 * The whole batch's gradient from its parts: the mean of the parts' gradients weighted by their sizes (the mean
 * loss over n images is the size-weighted mean of the parts' mean losses, and so is its gradient).
 */
export function combineGradients(parts: { count: number; grads: (tf.Tensor | Float32Array)[] }[], shapes: number[][]): tf.Tensor[] {
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  return shapes.map((shape, i) =>
    tf.tidy(() => {
      const weighted = parts.map((p) => {
        const g = p.grads[i]!;
        const tensor = g instanceof Float32Array ? tf.tensor(g, shape) : g;
        return tf.mul(tensor, p.count / total);
      });
      return weighted.length === 1 ? weighted[0]! : tf.addN(weighted);
    }),
  );
}
