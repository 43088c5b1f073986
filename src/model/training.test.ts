import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { batchTensors, shuffledIndices } from '../data/batches';
import { buildCnn, compileForTraining } from './cnn';
import { NonFiniteLoss, TrainingCancelled, trainModel } from './train';

beforeAll(startWasmBackend);

describe('training the CNN with KerasAdadelta on real MNIST', () => {
  it('brings the loss of 512 training images well below the starting 2.30', async () => {
    const train = readSplit(mnistDataDir(), 'train');
    const split = { count: 512, images: train.images.subarray(0, 512 * 784), labels: train.labels.subarray(0, 512) };
    const model = buildCnn(42);
    compileForTraining(model);
    const all = batchTensors(split, Array.from({ length: split.count }, (_, i) => i));
    const lossOf = () => tf.tidy(() => (model.evaluate(all.xs, all.ys, { batchSize: 256 }) as tf.Scalar[])[0]!.dataSync()[0]!);

    const initial = lossOf();
    expect(initial).toBeGreaterThan(2.0);
    expect(initial).toBeLessThan(2.6);
    const tensorsBefore = tf.memory().numTensors;
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let epoch = 0; epoch < 3; epoch++) {
      const order = shuffledIndices(split.count, random);
      for (let start = 0; start < split.count; start += 128) {
        const { xs, ys } = batchTensors(split, order.subarray(start, start + 128));
        await model.trainOnBatch(xs, ys);
        tf.dispose([xs, ys]);
      }
      if (epoch === 0) expect(tf.memory().numTensors).toBeGreaterThanOrEqual(tensorsBefore);
    }
    const final = lossOf();
    console.log(`loss on 512 images: ${initial.toFixed(3)} -> ${final.toFixed(3)} after 12 steps`);
    expect(final).toBeLessThan(1.5);
    tf.dispose([all.xs, all.ys]);
    model.dispose();
  });
});

describe('trainModel, the loop the browser worker and the pre-trained script share', () => {
  it('keeps the tensor count the same after every epoch and reports validation on the test split', async () => {
    const dir = mnistDataDir();
    const train = { count: 60_000, ...readSplit(dir, 'train') };
    const test = readSplit(dir, 'test');
    const smallTest = { count: 500, images: test.images.subarray(0, 500 * 784), labels: test.labels.subarray(0, 500) };
    const model = buildCnn(3);
    compileForTraining(model);
    const epochs: Array<{ numTensors: number; accuracy: number }> = [];
    const batches: number[] = [];
    await trainModel(model, train, smallTest, {
      epochs: 3,
      batchSize: 128,
      trainImages: 256,
      onBatch: (r) => {
        batches.push(r.batch);
        expect(r.batchesPerEpoch).toBe(2);
        expect(r.imagesPerSecond).toBeGreaterThan(0);
      },
      onEpoch: (e) => {
        epochs.push({ numTensors: e.numTensors, accuracy: e.validation.accuracy });
        expect(e.validation.count).toBe(500);
        expect(e.validation.predicted).toHaveLength(500);
      },
    });
    expect(batches).toEqual([1, 2, 1, 2, 1, 2]);
    expect(epochs.map((e) => e.numTensors)).toEqual([epochs[0]!.numTensors, epochs[0]!.numTensors, epochs[0]!.numTensors]);
    expect(epochs.at(-1)!.accuracy).toBeGreaterThan(0.2);
    model.dispose();
  });

  it('a shared step is given every image of the epoch once, the next batch cut during it or after it', async () => {
    const data = readSplit(mnistDataDir(), 'train');
    const train = { count: 300, images: data.images.subarray(0, 300 * 784), labels: data.labels.subarray(0, 300) };
    const smallTest = { count: 500, images: data.images.subarray(300 * 784, 800 * 784), labels: data.labels.subarray(300, 800) };
    const model = buildCnn(3);
    compileForTraining(model);
    for (const callsMeanwhile of [true, false]) {
      const seen: number[] = [];
      let cutDuring = 0;
      await trainModel(model, train, smallTest, {
        epochs: 1,
        batchSize: 128,
        trainImages: 300,
        step: async (batch, meanwhile) => {
          // The labels (one-hot) of the batch's images tell which images it holds, up to their digit.
          for (let i = 0; i < batch.count; i++) seen.push(batch.ys.subarray(i * 10, i * 10 + 10).indexOf(1));
          if (callsMeanwhile && meanwhile) {
            meanwhile();
            cutDuring++;
          }
          return { loss: 1, accuracy: 0 };
        },
      });
      expect(seen).toHaveLength(300); // batches of 128, 128 and 44
      const counts = (labels: ArrayLike<number>) => Array.from({ length: 10 }, (_, d) => Array.from(labels).filter((l) => l === d).length);
      expect(counts(seen)).toEqual(counts(train.labels));
      expect(cutDuring).toBe(callsMeanwhile ? 3 : 0);
    }
    model.dispose();
  });

  it('stops between batches when cancelled', async () => {
    const train = { count: 60_000, ...readSplit(mnistDataDir(), 'train') };
    const model = buildCnn(4);
    compileForTraining(model);
    let seen = 0;
    await expect(
      trainModel(model, train, train, {
        epochs: 1,
        batchSize: 128,
        trainImages: 1280,
        isCancelled: () => seen >= 2,
        onBatch: () => void seen++,
      }),
    ).rejects.toBeInstanceOf(TrainingCancelled);
    expect(seen).toBe(2);
    model.dispose();
  });

  it('stops with NonFiniteLoss, before any epoch is reported, when the weights stop being numbers', async () => {
    const train = { count: 60_000, ...readSplit(mnistDataDir(), 'train') };
    const test = { count: 10, images: train.images.subarray(0, 7840), labels: train.labels.subarray(0, 10) };
    const model = buildCnn(5);
    compileForTraining(model);
    // What an overflowing backend does to a model: one weight becomes infinite, and the loss with it.
    const [kernel, ...rest] = model.getWeights();
    const broken = tf.tidy(() => kernel!.add(tf.scalar(Infinity)));
    model.setWeights([broken, ...rest]);
    broken.dispose();
    let epochs = 0;
    // On wasm the clipped cross-entropy stays finite (measured: training "finished" at chance accuracy before
    // the weights were checked), so it is the weights that give the run away.
    const run = trainModel(model, train, test, { epochs: 1, batchSize: 128, trainImages: 256, onEpoch: () => void epochs++ });
    await expect(run).rejects.toBeInstanceOf(NonFiniteLoss);
    await expect(run).rejects.toThrow(/^the (loss became NaN|weights stopped being finite numbers) in epoch 1, batch 1$/);
    expect(epochs).toBe(0);
    model.dispose();
  });
});
