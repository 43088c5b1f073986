/**
 * The training loop, shared by the browser's training worker and scripts/train-pretrained.ts: shuffled batches
 * cut from the uint8 data, one optimizer step each, validation on the test split after every epoch.
 * It knows nothing about workers, messages or storage: callers listen through the callbacks.
 */
import * as tf from '@tensorflow/tfjs';
import { type AugmentImage, type BatchArrays, type MnistSplit, batchArrays, batchTensors, shuffledIndices, takeFirst } from '../data/batches';
import { type Evaluation, evaluateModel } from './evaluate';

export interface BatchReport {
  epoch: number;
  /** 1-based index of the batch just trained within its epoch. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  accuracy: number;
  /** Training throughput of this epoch so far. */
  imagesPerSecond: number;
}

export interface EpochReport {
  /** 1-based number of the epoch just finished. */
  epoch: number;
  validation: Evaluation;
  seconds: number;
  numTensors: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  trainImages: number;
  /** Epochs already done (resuming from a checkpoint). */
  startEpoch?: number;
  random?: () => number;
  /** Augments each training image as its batch is cut (the test split is never augmented). */
  augment?: AugmentImage;
  /** Polled between batches; training stops with TrainingCancelled when it says so. */
  isCancelled?: () => boolean;
  onBatch?: (report: BatchReport) => void | Promise<void>;
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /**
   * Trains one batch and returns its loss and accuracy, in place of `model.trainOnBatch` (the training worker
   * shares each step among its workers this way: training/parallelSteps.ts). It calls `meanwhile` (cutting the
   * next batch) while the other workers compute, counted as this worker's share of the step.
   */
  step?: (batch: BatchArrays, meanwhile?: () => void) => Promise<{ loss: number; accuracy: number }>;
  /** Awaited between batches, e.g. to let a worker read its messages. */
  yieldBetweenBatches?: () => Promise<void>;
}

export class TrainingCancelled extends Error {
  override name = 'TrainingCancelled';
}

export class NonFiniteLoss extends Error {
  override name = 'NonFiniteLoss';
}

/** One scalar read back per batch: the sum of all weights is finite only if every weight is. */
async function weightsAreFinite(model: tf.LayersModel): Promise<boolean> {
  const sum = tf.tidy(() => tf.addN(model.trainableWeights.map((w) => w.read().sum())));
  try {
    return Number.isFinite((await sum.data())[0]);
  } finally {
    sum.dispose();
  }
}

async function trainOnBatch(model: tf.LayersModel, data: MnistSplit, indices: ArrayLike<number>, augment?: AugmentImage) {
  const { xs, ys } = batchTensors(data, indices, augment);
  try {
    const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
    return { loss: loss!, accuracy: accuracy! };
  } finally {
    tf.dispose([xs, ys]);
  }
}

export async function trainModel(model: tf.LayersModel, train: MnistSplit, test: MnistSplit, options: TrainOptions): Promise<EpochReport | undefined> {
  const data = takeFirst(train, options.trainImages);
  const { batchSize } = options;
  const batchesPerEpoch = Math.ceil(data.count / batchSize);
  const pause = options.yieldBetweenBatches ?? (async () => {});
  let last: EpochReport | undefined;
  for (let epoch = (options.startEpoch ?? 0) + 1; epoch <= options.epochs; epoch++) {
    const order = shuffledIndices(data.count, options.random);
    const started = performance.now();
    const indices = (b: number) => order.subarray(b * batchSize, (b + 1) * batchSize);
    let next = options.step ? batchArrays(data, indices(0), options.augment) : undefined;
    for (let b = 0; b < batchesPerEpoch; b++) {
      if (options.isCancelled?.()) throw new TrainingCancelled('training was cancelled');
      let outcome: { loss: number; accuracy: number };
      if (options.step && next) {
        // The next batch is cut (and augmented: 37 ms for 128 images) during the shared step, while the other
        // workers compute, instead of after it, while they idle.
        const current = next;
        next = undefined;
        const cutNext = () => {
          if (b + 1 < batchesPerEpoch) next ??= batchArrays(data, indices(b + 1), options.augment);
        };
        outcome = await options.step(current, cutNext);
        cutNext();
      } else {
        outcome = await trainOnBatch(model, data, indices(b), options.augment);
      }
      const { loss, accuracy } = outcome;
      if (!Number.isFinite(loss)) throw new NonFiniteLoss(`the loss became ${loss} in epoch ${epoch}, batch ${b + 1}`);
      // The loss alone can hide it: clipping in the cross-entropy turns NaN predictions into a finite loss on wasm.
      if (!(await weightsAreFinite(model))) throw new NonFiniteLoss(`the weights stopped being finite numbers in epoch ${epoch}, batch ${b + 1}`);
      const seconds = (performance.now() - started) / 1000;
      await options.onBatch?.({
        epoch,
        batch: b + 1,
        batchesPerEpoch,
        loss,
        accuracy,
        imagesPerSecond: Math.min((b + 1) * batchSize, data.count) / seconds,
      });
      await pause();
    }
    const validation = await evaluateModel(model, test, 500, pause);
    last = { epoch, validation, seconds: (performance.now() - started) / 1000, numTensors: tf.memory().numTensors };
    await options.onEpoch?.(last);
  }
  return last;
}
