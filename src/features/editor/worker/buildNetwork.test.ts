/**
 * The network editor's definitions built as TensorFlow.js models (on the wasm backend, with the project's own
 * kernels, as in the training worker): the workshop's definition gives model/cnn.ts's CNN, config for config and
 * weight for weight; each variant the editor allows gives Keras's layer configs and networkFigures's shapes and
 * parameter counts; and each trains, with each optimizer, through trainOnBatch and through the app's own
 * data-parallel step (training/gradients.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../../scripts/nodeBackend';
import { CNN_PARAMETER_COUNT, buildCnn } from '../../../model/cnn';
import { KerasAdadelta } from '../../../model/kerasAdadelta';
import { partGradients, trainableVariables } from '../../../training/gradients';
import { definitionProblems, networkFigures, OPTIMIZER_DEFAULTS, WORKSHOP_NETWORK, type LayerDefinition, type NetworkDefinition, type OptimizerSettings } from '../shared';
import { buildNetwork, compileNetwork, NetworkDefinitionError } from './buildNetwork';

beforeAll(startWasmBackend);

const workshop = WORKSHOP_NETWORK.layers;
const conv1 = workshop[0] as Extract<LayerDefinition, { kind: 'Conv2D' }>;
const conv2 = workshop[1] as Extract<LayerDefinition, { kind: 'Conv2D' }>;
const dense = workshop[5] as Extract<LayerDefinition, { kind: 'Dense' }>;
const withLayers = (layers: LayerDefinition[]): NetworkDefinition => ({ ...WORKSHOP_NETWORK, layers });

/** The variants the editor's first users will try, each a definition with no problems. */
const VARIANTS: Record<string, NetworkDefinition> = {
  'no dropout': withLayers(workshop.filter((l) => l.kind !== 'Dropout')),
  '8 filters': withLayers([{ ...conv1, filters: 8 }, ...workshop.slice(1)]),
  "padding 'same'": withLayers([{ ...conv1, padding: 'same' }, { ...conv2, padding: 'same' }, ...workshop.slice(2)]),
  'strides 2': withLayers([{ ...conv1, strides: 2 }, ...workshop.slice(1)]),
  'an extra Conv2D': withLayers([conv1, conv2, { ...conv2, filters: 32, kernelSize: 5 }, ...workshop.slice(2)]),
  // Without Dropout, as BatchNormalization is mostly used: its losses below are read in training mode (the batch's statistics), noise-free.
  BatchNormalization: withLayers([conv1, { kind: 'BatchNormalization' }, conv2, workshop[2]!, workshop[4]!, dense, { kind: 'BatchNormalization' }, workshop[7]!]),
  'Dense 64': withLayers([...workshop.slice(0, 5), { ...dense, units: 64 }, ...workshop.slice(6)]),
  'tanh and sigmoid': withLayers([{ ...conv1, activation: 'tanh' }, { ...conv2, activation: 'sigmoid' }, ...workshop.slice(2, 5), { ...dense, activation: 'tanh' }, ...workshop.slice(6)]),
};

/** A layer's config without its name (tfjs numbers names by a counter across every model built). */
const configOf = (layer: tf.layers.Layer) => {
  const { name: _name, ...config } = layer.getConfig();
  return config;
};
const size = (shape: ReadonlyArray<number | null>) => shape.reduce<number>((a, b) => a * (b ?? Number.NaN), 1);

describe('buildNetwork of the workshop network', () => {
  it('is model/cnn.ts’s CNN: the same layers, configs, weights and parameter count', () => {
    const built = buildNetwork(WORKSHOP_NETWORK, { seed: 5 });
    const cnn = buildCnn(5);
    expect(built.name).toBe(cnn.name);
    expect(built.countParams()).toBe(CNN_PARAMETER_COUNT);
    expect(built.layers.map((l) => l.getClassName())).toEqual(cnn.layers.map((l) => l.getClassName()));
    expect(built.layers.map(configOf)).toEqual(cnn.layers.map(configOf));
    expect(built.inputs[0]!.shape).toEqual(cnn.inputs[0]!.shape);
    const weights = (m: tf.LayersModel) => m.weights.map((w) => [w.originalName.split('/').pop(), w.shape, w.trainable]);
    expect(weights(built)).toEqual(weights(cnn));
    // The same seed, the same initial values.
    const bytes = (t: tf.Tensor) => {
      const values = t.dataSync() as Float32Array;
      return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    };
    built.getWeights().forEach((w, i) => expect(bytes(w).equals(bytes(cnn.getWeights()[i]!))).toBe(true));
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3);
    const [a, b] = [built.predict(x) as tf.Tensor, cnn.predict(x) as tf.Tensor];
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([x, a, b]);
    built.dispose();
    cnn.dispose();
  });

  it('without a seed, initialises as buildCnn() does (Glorot uniform kernels, unseeded)', () => {
    const [built, cnn] = [buildNetwork(WORKSHOP_NETWORK), buildCnn()];
    expect(built.layers.map(configOf)).toEqual(cnn.layers.map(configOf));
    built.dispose();
    cnn.dispose();
  });
});

describe('buildNetwork refuses a definition with problems', () => {
  it('throws NetworkDefinitionError with definitionProblems’s problems, and leaves no variable behind', () => {
    const variables = Object.keys(tf.engine().registeredVariables).length;
    const noFlatten = withLayers(workshop.filter((l) => l.kind !== 'Flatten'));
    const error = (() => {
      try {
        buildNetwork(noFlatten);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NetworkDefinitionError);
    expect((error as NetworkDefinitionError).problems.map((p) => p.code)).toContain('dense-needs-flatten');
    expect(() => buildNetwork(withLayers(workshop.slice(0, -1)))).toThrow(/last layer/);
    expect(() => buildNetwork(WORKSHOP_NETWORK, { limits: { parameters: 1000 } })).toThrow(NetworkDefinitionError);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
  });
});

describe('buildNetwork of the variants', () => {
  for (const [name, network] of Object.entries(VARIANTS)) {
    it(`${name}: Keras's configs, and networkFigures's shapes and parameter counts`, () => {
      expect(definitionProblems(network, {})).toEqual([]);
      const figures = networkFigures(network);
      const model = buildNetwork(network, { seed: 1 });
      expect(model.layers.map((l) => l.getClassName())).toEqual(network.layers.map((l) => l.kind));
      expect(model.inputs[0]!.shape).toEqual([null, ...network.input]);
      model.layers.forEach((layer, i) => {
        const figure = figures.layers[i]!;
        expect(layer.outputShape).toEqual([null, ...figure.output!]);
        expect(layer.countParams()).toBe(figure.parameters);
        expect(layer.trainableWeights.reduce((n, w) => n + size(w.shape), 0)).toBe(figure.trainableParameters);
        const config = layer.getConfig();
        const definition = network.layers[i]!;
        switch (definition.kind) {
          case 'Conv2D':
            expect(config).toMatchObject({
              filters: definition.filters,
              kernelSize: [definition.kernelSize, definition.kernelSize],
              strides: [definition.strides ?? 1, definition.strides ?? 1],
              padding: definition.padding,
              activation: definition.activation,
              dataFormat: 'channelsLast',
              dilationRate: [1, 1],
              useBias: true,
              kernelInitializer: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: 1 } },
              biasInitializer: { className: 'Zeros' },
            });
            break;
          case 'MaxPooling2D':
            expect(config).toMatchObject({ poolSize: [definition.poolSize, definition.poolSize], strides: [definition.poolSize, definition.poolSize], padding: 'valid' });
            break;
          case 'Dropout':
            expect(config).toMatchObject({ rate: definition.rate });
            break;
          case 'Dense':
            expect(config).toMatchObject({ units: definition.units, activation: definition.activation, useBias: true });
            break;
          case 'BatchNormalization':
            expect(config).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true });
            break;
        }
      });
      expect(model.outputShape).toEqual([null, ...figures.output!]);
      expect(model.countParams()).toBe(figures.parameters);
      model.dispose();
    });
  }
});

/** 16 MNIST-shaped random images and random labels, the same every run. */
function randomBatch(seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const xs = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
    const labels = tf.randomUniform([16], 0, 10, 'float32', seed + 1).floor().cast('int32') as tf.Tensor1D;
    return { xs, ys: tf.oneHot(labels, 10).cast('float32') as tf.Tensor2D };
  });
}

/**
 * The batch's loss (categorical cross-entropy, as compiled) without dropout; with a BatchNormalization, in
 * training mode: normalised by the batch's own statistics, since a few steps move the moving ones (momentum 0.99)
 * by only a few percent, and in inference mode the loss then reads as the initial statistics make it, not as
 * training made it.
 */
function lossOn(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): number {
  if (model.layers.some((l) => l.getClassName() === 'BatchNormalization')) {
    expect(model.layers.some((l) => l.getClassName() === 'Dropout')).toBe(false);
    return tf.tidy(() => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs, { training: true }) as tf.Tensor)).dataSync()[0]!);
  }
  return tf.tidy(() => (model.evaluate(xs, ys, { batchSize: 16 }) as tf.Scalar[])[0]!.dataSync()[0]!);
}

const OPTIMIZERS: OptimizerSettings[] = [
  OPTIMIZER_DEFAULTS.adadelta,
  OPTIMIZER_DEFAULTS.adam,
  { name: 'sgd', learningRate: 0.05, momentum: 0 },
  { name: 'sgd', learningRate: 0.02, momentum: 0.9 },
];

describe('training a built network on 16 random images', () => {
  for (const optimizer of OPTIMIZERS) {
    it(`${optimizer.name}${optimizer.name === 'sgd' ? ` (momentum ${optimizer.momentum})` : ''}: finite losses, lower after a few steps`, async () => {
      const model = buildNetwork(WORKSHOP_NETWORK, { seed: 2 });
      compileNetwork(model, optimizer);
      if (optimizer.name === 'adadelta') expect(model.optimizer).toBeInstanceOf(KerasAdadelta);
      const { xs, ys } = randomBatch(11);
      const before = lossOn(model, xs, ys);
      const tensors = tf.memory().numTensors;
      const losses: number[] = [];
      for (let step = 0; step < 6; step++) losses.push(((await model.trainOnBatch(xs, ys)) as number[])[0]!);
      // The optimizer's state is made on the first step; later steps leak nothing.
      const afterFirst = tf.memory().numTensors;
      await model.trainOnBatch(xs, ys);
      expect(tf.memory().numTensors).toBe(afterFirst);
      expect(afterFirst).toBeGreaterThanOrEqual(tensors);
      const after = lossOn(model, xs, ys);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(before) && Number.isFinite(after)).toBe(true);
      expect(after).toBeLessThan(before);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  }

  for (const [name, network] of Object.entries(VARIANTS)) {
    if (network.layers.some((l) => l.kind === 'Conv2D' && (l.strides ?? 1) > 1)) continue;
    it(`${name}: Adam steps on wasm give finite losses, lower after a few steps`, async () => {
      const model = buildNetwork(network, { seed: 4 });
      compileNetwork(model, OPTIMIZER_DEFAULTS.adam);
      const { xs, ys } = randomBatch(21);
      const before = lossOn(model, xs, ys);
      const losses: number[] = [];
      for (let step = 0; step < 4; step++) losses.push(((await model.trainOnBatch(xs, ys)) as number[])[0]!);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(lossOn(model, xs, ys)).toBeLessThan(before);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  }
});

describe('a strided Conv2D', () => {
  const strided = VARIANTS['strides 2']!;
  expect(strided.layers.some((l) => l.kind === 'Conv2D' && l.strides === 2)).toBe(true);

  // src/backend/wasmTrainingKernels.ts replaces wasm's Conv2DBackpropFilter and Conv2DBackpropInput with kernels
  // for stride 1 only: a strided convolution cannot be trained on wasm until they learn strides. When this test
  // fails, they have: train strided networks on wasm too (and drop the cpu test below).
  it('cannot be trained on the wasm backend (its gradient kernels take stride 1 only)', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = buildNetwork(strided, { seed: 4 });
    compileNetwork(model, OPTIMIZER_DEFAULTS.adam);
    const { xs, ys } = randomBatch(21);
    await expect(model.trainOnBatch(xs, ys)).rejects.toThrow(/stride 1 only/);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('trains on the cpu backend', async () => {
    // A small one: the cpu backend is slow.
    const small = withLayers([{ ...conv1, filters: 8, strides: 2 }, { ...conv1, filters: 8, strides: 2 }, { kind: 'Flatten' }, workshop[7]!]);
    await tf.setBackend('cpu');
    try {
      const model = buildNetwork(small, { seed: 4 });
      compileNetwork(model, OPTIMIZER_DEFAULTS.adam);
      const { xs, ys } = randomBatch(21);
      const before = lossOn(model, xs, ys);
      for (let step = 0; step < 4; step++) expect(Number.isFinite(((await model.trainOnBatch(xs, ys)) as number[])[0]!)).toBe(true);
      expect(lossOn(model, xs, ys)).toBeLessThan(before);
      tf.dispose([xs, ys]);
      model.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });
});

describe('the app’s own step (training/gradients.ts, as training/parallelSteps.ts applies it)', () => {
  for (const name of ['BatchNormalization', 'tanh and sigmoid'] as const) {
    it(`${name}: partGradients and the optimizer's applyGradients train a built network`, async () => {
      const model = buildNetwork(VARIANTS[name]!, { seed: 6 });
      compileNetwork(model, { name: 'sgd', learningRate: 0.05, momentum: 0.5 });
      const { xs, ys } = randomBatch(31);
      const batch = { count: 16, xs: xs.dataSync() as Float32Array, ys: ys.dataSync() as Float32Array };
      const before = lossOn(model, xs, ys);
      const variables = trainableVariables(model);
      for (let step = 0; step < 4; step++) {
        const { loss, grads } = await partGradients(model, batch);
        expect(Number.isFinite(loss)).toBe(true);
        expect(grads.map((g) => g.shape)).toEqual(variables.map((v) => v.shape));
        model.optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, grads[i]!])));
        tf.dispose(grads);
      }
      expect(lossOn(model, xs, ys)).toBeLessThan(before);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  }
});
