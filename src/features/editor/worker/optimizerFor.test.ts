/** The editor's optimizer settings as tfjs optimizers, each stepping as Keras's does. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../../scripts/nodeBackend';
import { KerasAdadelta } from '../../../model/kerasAdadelta';
import { modelArtifacts } from '../../../model/modelFiles';
import { OPTIMIZER_DEFAULTS, WORKSHOP_NETWORK, WORKSHOP_TRAINING, type NetworkDefinition, type OptimizerSettings } from '../shared';
import { buildNetwork, compileNetwork } from './buildNetwork';
import { KERAS_ADAM, optimizerFor } from './optimizerFor';

beforeAll(startWasmBackend);

/** `steps` steps of the optimizer on f(p) = sum(c * p) from p = p0 (gradient c, the same every step). */
function stepped(optimizer: tf.Optimizer, p0: number[], c: number[], steps: number): number[] {
  const p = tf.variable(tf.tensor1d(p0));
  const coefficients = tf.tensor1d(c);
  for (let i = 0; i < steps; i++) optimizer.minimize(() => tf.sum(tf.mul(coefficients, p)) as tf.Scalar);
  const values = Array.from(p.dataSync());
  tf.dispose([p, coefficients]);
  optimizer.dispose();
  return values;
}

const closeTo = (actual: number[], expected: number[]) => actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));

describe('optimizerFor', () => {
  it("adadelta: the project's Keras Adadelta with the settings given (the workshop's by default)", () => {
    const optimizer = optimizerFor(WORKSHOP_TRAINING.optimizer);
    expect(optimizer).toBeInstanceOf(KerasAdadelta);
    expect(optimizer.getConfig()).toEqual({ learningRate: 1, rho: 0.95, epsilon: 1e-7 });
    const custom = optimizerFor({ name: 'adadelta', learningRate: 0.5, rho: 0.9, epsilon: 1e-6 });
    expect(custom.getConfig()).toEqual({ learningRate: 0.5, rho: 0.9, epsilon: 1e-6 });
    optimizer.dispose();
    custom.dispose();
  });

  it("adam: Keras's beta_1 0.9, beta_2 0.999 and epsilon 1e-7, and its steps", () => {
    const optimizer = optimizerFor({ name: 'adam', learningRate: 0.01 });
    expect(optimizer.getClassName()).toBe('Adam');
    expect(optimizer.getConfig()).toEqual({ learningRate: 0.01, ...KERAS_ADAM });
    expect(KERAS_ADAM).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    // Keras: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps).
    const c = [0.5, -2];
    const expected = c.map((g) => {
      let [p, m, v] = [1, 0, 0];
      for (let t = 1; t <= 3; t++) {
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        p -= (0.01 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-7);
      }
      return p;
    });
    closeTo(stepped(optimizer, [1, 1], c, 3), expected);
  });

  it("sgd: plain SGD when the momentum is 0, and Keras's momentum step otherwise", () => {
    const plain = optimizerFor(OPTIMIZER_DEFAULTS.sgd);
    expect(plain.getClassName()).toBe('SGD');
    expect(plain.getConfig()).toEqual({ learningRate: 0.01 });
    closeTo(stepped(plain, [1, 1], [0.5, -2], 3), [1 - 3 * 0.01 * 0.5, 1 + 3 * 0.01 * 2]);

    const settings: OptimizerSettings = { name: 'sgd', learningRate: 0.1, momentum: 0.9 };
    const momentum = optimizerFor(settings);
    expect(momentum.getClassName()).toBe('Momentum');
    expect(momentum.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.9, useNesterov: false });
    // Keras 2.2.4 and 3: v = momentum v - lr g; p += v.
    const c = [0.5, -2];
    const expected = c.map((g) => {
      let [p, v] = [1, 0];
      for (let t = 0; t < 3; t++) {
        v = 0.9 * v - 0.1 * g;
        p += v;
      }
      return p;
    });
    closeTo(stepped(momentum, [1, 1], c, 3), expected);
  });

  it('makes a new optimizer each call', () => {
    const [a, b] = [optimizerFor(OPTIMIZER_DEFAULTS.adam), optimizerFor(OPTIMIZER_DEFAULTS.adam)];
    expect(a).not.toBe(b);
    a.dispose();
    b.dispose();
  });
});

describe('a checkpoint saved with its optimizer (as the training worker saves one after each epoch)', () => {
  // No Dropout: the model and the one loaded back must take the very same steps.
  const small: NetworkDefinition = {
    ...WORKSHOP_NETWORK,
    layers: [
      { kind: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu', padding: 'valid' },
      { kind: 'BatchNormalization' },
      { kind: 'MaxPooling2D', poolSize: 2 },
      { kind: 'Flatten' },
      { kind: 'Dense', units: 10, activation: 'softmax' },
    ],
  };
  const settings: OptimizerSettings[] = [OPTIMIZER_DEFAULTS.adadelta, OPTIMIZER_DEFAULTS.adam, OPTIMIZER_DEFAULTS.sgd, { name: 'sgd', learningRate: 0.01, momentum: 0.9 }];
  for (const optimizer of settings) {
    it(`${optimizer.name}${optimizer.name === 'sgd' ? ` (momentum ${optimizer.momentum})` : ''}: loads back with the same optimizer and state, and steps on identically`, async () => {
      const model = buildNetwork(small, { seed: 3 });
      compileNetwork(model, optimizer);
      const xs = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 5);
      const ys = tf.oneHot(tf.randomUniform([16], 0, 10, 'float32', 6).floor().cast('int32'), 10).cast('float32');
      for (let step = 0; step < 2; step++) await model.trainOnBatch(xs, ys);
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(await modelArtifacts(model, true)));
      expect(loaded.optimizer.getClassName()).toBe(model.optimizer.getClassName());
      expect(loaded.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
      const next = async (m: tf.LayersModel) => ((await m.trainOnBatch(xs, ys)) as number[])[0]!;
      expect(await next(loaded)).toBe(await next(model));
      // tfjs's Adam recomputes its bias corrections (beta^t) with pow() on loading, where it had multiplied them
      // step by step: they may differ in float32's last place, and the steps after by as little.
      const exact = optimizer.name !== 'adam';
      const [a, b] = [await next(loaded), await next(model)];
      if (exact) expect(a).toBe(b);
      else expect(Math.abs(a - b)).toBeLessThan(1e-4);
      loaded.getWeights().forEach((w, i) => {
        const [x, y] = [w.dataSync(), model.getWeights()[i]!.dataSync()];
        if (exact) expect(Array.from(x)).toEqual(Array.from(y));
        else expect(Math.max(...Array.from(x, (v, j) => Math.abs(v - y[j]!)))).toBeLessThan(1e-4);
      });
      tf.dispose([xs, ys]);
      loaded.dispose();
      model.dispose();
    });
  }
});
