import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { useWasmBackend } from '../../scripts/nodeBackend';
import { batchTensors, shuffledIndices } from '../data/batches';
import { buildCnn, compileForTraining } from './cnn';

beforeAll(useWasmBackend);

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
