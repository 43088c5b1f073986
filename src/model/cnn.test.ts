import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { CNN_PARAMETER_COUNT, buildCnn } from './cnn';

beforeAll(startWasmBackend);

describe('the CNN of Keras mnist_cnn.py', () => {
  it('has 1,199,882 parameters and the original’s layers and shapes', () => {
    const model = buildCnn();
    expect(model.countParams()).toBe(CNN_PARAMETER_COUNT);
    expect(CNN_PARAMETER_COUNT).toBe(1_199_882);
    const layers = model.layers.map((l) => [l.getClassName(), l.outputShape, l.countParams()]);
    expect(layers).toEqual([
      ['Conv2D', [null, 26, 26, 32], 320],
      ['Conv2D', [null, 24, 24, 64], 18_496],
      ['MaxPooling2D', [null, 12, 12, 64], 0],
      ['Dropout', [null, 12, 12, 64], 0],
      ['Flatten', [null, 9216], 0],
      ['Dense', [null, 128], 1_179_776],
      ['Dropout', [null, 128], 0],
      ['Dense', [null, 10], 1290],
    ]);
    const config = model.layers.map((l) => l.getConfig());
    expect(config.map((c) => c.activation ?? null)).toEqual(['relu', 'relu', null, null, null, 'relu', null, 'softmax']);
    expect([config[3]!.rate, config[6]!.rate]).toEqual([0.25, 0.5]);
    expect([config[0]!.kernelSize, config[1]!.kernelSize, config[2]!.poolSize]).toEqual([[3, 3], [3, 3], [2, 2]]);
    expect(model.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
    model.dispose();
  });

  it('outputs a probability distribution over ten digits', () => {
    const model = buildCnn(1);
    const out = tf.tidy(() => model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor);
    expect(out.shape).toEqual([2, 10]);
    const sums = out.sum(1).arraySync() as number[];
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    out.dispose();
    model.dispose();
  });
});

describe('isAppCnn', () => {
  it('recognises the CNN and nothing else', async () => {
    const { isAppCnn, summarise } = await import('./architecture');
    const model = buildCnn();
    expect(isAppCnn(summarise(model.layers))).toBe(true);
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10 })] });
    expect(isAppCnn(summarise(other.layers))).toBe(false);
    model.dispose();
    other.dispose();
  });
});
