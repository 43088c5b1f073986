import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import type { BatchArrays } from '../data/batches';
import { buildCnn, compileForTraining } from '../model/cnn';
import { combineGradients, partGradients, slicePart, splitPoints, trainableVariables } from './gradients';
import { type GradientHelper, ParallelSteps, helperOverhead, trainingWorkers } from './parallelSteps';

/** A batch of `n` images with pixel values in [0, 1] and random labels, from a fixed seed. */
function randomBatch(n: number, seed: number): BatchArrays {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const xs = Float32Array.from({ length: n * 784 }, () => (next() < 0.2 ? next() : 0));
  const ys = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) ys[i * 10 + Math.floor(next() * 10)] = 1;
  return { count: n, xs, ys };
}

/** The app's CNN with dropout at rate 0: the same network, deterministic, so gradients can be compared exactly. */
async function cnnWithoutDropout(seed: number): Promise<tf.LayersModel> {
  const cnn = buildCnn(seed);
  const topology = JSON.parse(cnn.toJSON() as string) as { config: { layers: { class_name: string; config: { rate?: number } }[] } };
  for (const layer of topology.config.layers) if (layer.class_name === 'Dropout') layer.config.rate = 0;
  const model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
  model.setWeights(cnn.getWeights());
  cnn.dispose();
  return model;
}

const weightsOf = (model: tf.LayersModel) => trainableVariables(model).map((v) => v.dataSync() as Float32Array);

/** Largest |a - b| over the largest |b|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** A helper computing in this process on its own copy of the model, as gradient.worker.ts does in its worker. */
function inProcessHelper(model: tf.LayersModel, fail = false): GradientHelper & { calls: number } {
  const helper = {
    calls: 0,
    async gradients(weights: Float32Array[], part: BatchArrays) {
      helper.calls++;
      if (fail) throw new Error('worker died');
      tf.tidy(() => trainableVariables(model).forEach((v, i) => v.assign(tf.tensor(weights[i]!, v.shape))));
      const { loss, correct, grads } = await partGradients(model, part);
      const arrays = grads.map((g) => Float32Array.from(g.dataSync()));
      tf.dispose(grads);
      return { count: part.count, loss, correct, grads: arrays };
    },
    close: () => undefined,
  };
  return helper;
}

describe('data-parallel training steps (wasm backend, the app CNN)', () => {
  beforeAll(startWasmBackend);

  it('the size-weighted mean of the parts’ gradients is the whole batch’s gradient, within 1e-5 relative', async () => {
    const model = await cnnWithoutDropout(7);
    const batch = randomBatch(128, 3);
    const whole = await partGradients(model, batch);
    const wholeArrays = whole.grads.map((g) => g.dataSync() as Float32Array);
    for (const cuts of [splitPoints(128, 2), [0, 50, 90, 128]]) {
      const parts = await Promise.all(
        cuts.slice(1).map(async (to, k) => {
          const part = await partGradients(model, slicePart(batch, cuts[k]!, to));
          return { count: to - cuts[k]!, ...part };
        }),
      );
      const combined = combineGradients(parts, trainableVariables(model).map((v) => v.shape));
      combined.forEach((g, i) => {
        // Real signal, not zeros: every weight tensor has a gradient of its own.
        expect(wholeArrays[i]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(1e-4);
        expect(relativeError(g.dataSync() as Float32Array, wholeArrays[i]!)).toBeLessThan(1e-5);
      });
      const loss = parts.reduce((sum, p) => sum + p.loss * p.count, 0) / 128;
      expect(loss).toBeCloseTo(whole.loss, 5);
      expect(parts.reduce((sum, p) => sum + p.correct, 0)).toBe(whole.correct);
      tf.dispose([...combined, ...parts.flatMap((p) => p.grads)]);
    }
    tf.dispose(whole.grads);
    model.dispose();
  });

  it('steps shared with a helper train the same weights as trainOnBatch on whole batches', async () => {
    const reference = await cnnWithoutDropout(11);
    const shared = await cnnWithoutDropout(11);
    const helperModel = await cnnWithoutDropout(99); // its own weights never matter: each step sends them
    compileForTraining(reference);
    compileForTraining(shared);
    const helper = inProcessHelper(helperModel);
    const steps = new ParallelSteps(shared, [helper]);
    expect(steps.workers).toBe(2);
    let afterFirst = 0;
    for (let b = 0; b < 3; b++) {
      const batch = randomBatch(b === 2 ? 96 : 128, 20 + b); // the last batch of an epoch is short
      const xs = tf.tensor4d(batch.xs, [batch.count, 28, 28, 1]);
      const ys = tf.tensor2d(batch.ys, [batch.count, 10]);
      const [loss, accuracy] = (await reference.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      let meanwhile = 0;
      const result = await steps.step(batch, () => meanwhile++);
      expect(meanwhile, 'the step runs this worker’s other work once').toBe(1);
      expect(result.loss).toBeCloseTo(loss!, 5);
      expect(result.accuracy).toBeCloseTo(accuracy!, 6);
      if (b === 0) afterFirst = tf.memory().numTensors; // the optimizer's accumulators exist from the first step on
    }
    expect(tf.memory().numTensors).toBe(afterFirst); // no step leaves a tensor behind
    // A last batch too short to share (129 training images leave one image) is trained here alone.
    const tiny = randomBatch(1, 40);
    const [tinyXs, tinyYs] = [tf.tensor4d(tiny.xs, [1, 28, 28, 1]), tf.tensor2d(tiny.ys, [1, 10])];
    const [tinyLoss] = (await reference.trainOnBatch(tinyXs, tinyYs)) as number[];
    tf.dispose([tinyXs, tinyYs]);
    const tinyResult = await steps.step(tiny);
    expect(Number.isFinite(tinyResult.loss)).toBe(true);
    expect(tinyResult.loss).toBeCloseTo(tinyLoss!, 5);
    expect(helper.calls).toBe(3);
    const a = weightsOf(shared);
    const b = weightsOf(reference);
    a.forEach((w, i) => expect(relativeError(w, b[i]!)).toBeLessThan(1e-5));
    // The weights moved: the comparison is not between two untouched models.
    const start = await cnnWithoutDropout(11);
    expect(relativeError(weightsOf(start)[4]!, b[4]!)).toBeGreaterThan(1e-3);
    for (const m of [reference, shared, helperModel, start]) m.dispose();
  });

  it('a helper that fails is dropped and its part computed here: the step is the same', async () => {
    const reference = await cnnWithoutDropout(5);
    const shared = await cnnWithoutDropout(5);
    compileForTraining(reference);
    compileForTraining(shared);
    const lost: number[] = [];
    const failing = inProcessHelper(await cnnWithoutDropout(1), true);
    const steps = new ParallelSteps(shared, [failing], (_error, remaining) => lost.push(remaining));
    const batch = randomBatch(128, 4);
    await steps.step(batch);
    await steps.step(batch);
    expect(lost).toEqual([0]);
    expect(failing.calls).toBe(1);
    expect(steps.workers).toBe(1);
    const xs = tf.tensor4d(batch.xs, [128, 28, 28, 1]);
    const ys = tf.tensor2d(batch.ys, [128, 10]);
    await reference.trainOnBatch(xs, ys);
    await reference.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
    const a = weightsOf(shared);
    weightsOf(reference).forEach((w, i) => expect(relativeError(a[i]!, w)).toBeLessThan(1e-5));
  });
});

describe('splitPoints', () => {
  it('cuts a batch in proportion to the workers’ speeds, every part at least the floor, covering every image', () => {
    expect(splitPoints(128, 2)).toEqual([0, 64, 128]);
    expect(splitPoints(96, 3)).toEqual([0, 32, 64, 96]);
    expect(splitPoints(128, 2, [3, 1], 8)).toEqual([0, 92, 128]);
    expect(splitPoints(128, 2, [1, 0], 8)).toEqual([0, 120, 128]);
    expect(splitPoints(10, 4, [1, 1, 1, 1], 8)).toEqual([0, 3, 5, 8, 10]);
  });
});

describe('helperOverhead', () => {
  const origin = performance.timeOrigin;
  const part = (startedAt: number | undefined, ms: number) => ({ count: 60, loss: 0, correct: 0, grads: [], ms, ...(startedAt === undefined ? {} : { startedAt: origin + startedAt }) });

  it('does not count the time a reply waited in this worker’s queue as the helper’s', () => {
    // Sent at 100, the helper began at 102 and took 100 ms; this worker's own part ended at 250 and read the reply at 253.
    expect(helperOverhead(part(102, 100), 253, 100, 250)).toBeCloseTo(2, 6);
  });

  it('counts the way back when this worker was already waiting for the reply', () => {
    expect(helperOverhead(part(102, 200), 305, 100, 250)).toBeCloseTo(5, 6);
  });

  it('is never below zero (a helper that began before this worker went on with its own part)', () => {
    expect(helperOverhead(part(97, 100), 252, 100, 250)).toBe(0);
  });

  it('without the helper’s start, judges by a reply that came while this worker waited, and only by such a one', () => {
    expect(helperOverhead(part(undefined, 200), 305, 100, 250)).toBeCloseTo(5, 6);
    expect(helperOverhead(part(undefined, 100), 250.3, 100, 250)).toBeUndefined();
  });
});

describe('trainingWorkers', () => {
  it('is one per core on wasm, one on WebGL and cpu, and follows a request within 1..8 except on WebGL', () => {
    expect(trainingWorkers('wasm', 2)).toBe(2);
    expect(trainingWorkers('wasm', 16)).toBe(8);
    expect(trainingWorkers('wasm', 0)).toBe(1);
    expect(trainingWorkers('webgl', 8)).toBe(1);
    expect(trainingWorkers('cpu', 8)).toBe(1);
    expect(trainingWorkers('wasm', 2, 1)).toBe(1);
    expect(trainingWorkers('webgl', 2, 3)).toBe(1);
    expect(trainingWorkers('cpu', 2, 2)).toBe(2);
    expect(trainingWorkers('wasm', 2, 40)).toBe(8);
  });
});
