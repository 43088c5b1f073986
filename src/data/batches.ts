/**
 * Cutting batches out of the uint8 data set. The pixels stay uint8 (47 MB for all 60,000 images); each batch
 * becomes float32 only for the moment it is trained on, never a 188 MB float copy of the whole set.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from './mnistFacts';

/** One split of MNIST in memory: `count` images of 784 uint8 pixels and their labels. */
export interface MnistSplit {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** Scales the chosen images to [0, 1] into `out` (length indices.length * 784). */
export function fillImages(images: Uint8Array, indices: ArrayLike<number>, out: Float32Array): void {
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b]! * IMAGE_PIXELS;
    const dst = b * IMAGE_PIXELS;
    for (let p = 0; p < IMAGE_PIXELS; p++) out[dst + p] = images[src + p]! / 255;
  }
}

/** Writes one-hot rows for the chosen labels into `out` (length indices.length * 10). */
export function fillOneHot(labels: Uint8Array, indices: ArrayLike<number>, out: Float32Array): void {
  out.fill(0);
  for (let b = 0; b < indices.length; b++) out[b * NUM_CLASSES + labels[indices[b]!]!] = 1;
}

/** 0..n-1 in a random order (Fisher-Yates); `random` returns numbers in [0, 1). */
export function shuffledIndices(n: number, random: () => number = Math.random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Writes an augmented copy of a 784-pixel uint8 image into `out` at `offset`, scaled to [0, 1]. */
export type AugmentImage = (src: Uint8Array, out: Float32Array, offset: number) => void;

/** A batch (or a part of one) as plain arrays, which can cross to another worker: xs [n*784] in [0, 1], ys one-hot [n*10]. */
export interface BatchArrays {
  count: number;
  xs: Float32Array;
  ys: Float32Array;
}

/** The pixels and one-hot labels of one batch; each image augmented on the way when `augment` is given. */
export function batchArrays(split: MnistSplit, indices: ArrayLike<number>, augment?: AugmentImage): BatchArrays {
  const n = indices.length;
  const xs = new Float32Array(n * IMAGE_PIXELS);
  const ys = new Float32Array(n * NUM_CLASSES);
  if (augment) {
    for (let b = 0; b < n; b++) augment(split.images.subarray(indices[b]! * IMAGE_PIXELS, (indices[b]! + 1) * IMAGE_PIXELS), xs, b * IMAGE_PIXELS);
  } else {
    fillImages(split.images, indices, xs);
  }
  fillOneHot(split.labels, indices, ys);
  return { count: n, xs, ys };
}

/** The tensors for one batch: xs [n, 28, 28, 1] in [0, 1] and one-hot ys [n, 10] (see batchArrays). */
export function batchTensors(split: MnistSplit, indices: ArrayLike<number>, augment?: AugmentImage): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const { count, xs, ys } = batchArrays(split, indices, augment);
  return {
    xs: tf.tensor4d(xs, [count, IMAGE_SIZE, IMAGE_SIZE, 1]),
    ys: tf.tensor2d(ys, [count, NUM_CLASSES]),
  };
}

/** Two splits as one (copies). */
export function concatSplits(a: MnistSplit, b: MnistSplit): MnistSplit {
  const images = new Uint8Array((a.count + b.count) * IMAGE_PIXELS);
  images.set(a.images.subarray(0, a.count * IMAGE_PIXELS));
  images.set(b.images.subarray(0, b.count * IMAGE_PIXELS), a.count * IMAGE_PIXELS);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels.subarray(0, a.count));
  labels.set(b.labels.subarray(0, b.count), a.count);
  return { count: a.count + b.count, images, labels };
}

/** The first `n` of a split as a new split (views, no copy). */
export function takeFirst(split: MnistSplit, n: number): MnistSplit {
  const count = Math.min(n, split.count);
  return {
    count,
    images: split.images.subarray(0, count * IMAGE_PIXELS),
    labels: split.labels.subarray(0, count),
  };
}
