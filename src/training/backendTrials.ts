/**
 * Times each backend the device offers on a few real training steps of the app's CNN on MNIST, in the training
 * worker, before the first run (model/measuredChoice.ts chooses from the figures). wasm trains with the app's
 * worker count, as a run would. A GPU backend first runs two steps of 8 images (the first compiles its shaders);
 * when that is already under a quarter of the best figure so far it stops there (a software renderer: seconds a
 * step), else it is timed at the run's batch of 128 and its gradients are compared with the cpu backend's on a
 * probe batch, at the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { backendDetail, setBackend } from '../backend/backendChoice';
import type { BackendName } from '../backend/backendChoice';
import { type MnistSplit, batchArrays } from '../data/batches';
import { buildCnn, compileForTraining, DEFAULT_BATCH_SIZE } from '../model/cnn';
import type { BackendTrial } from '../model/measuredChoice';
import { ownKernelsBuild } from '../backend/wasmTrainingKernels';
import { type BatchArrays, partGradients } from './gradients';
import { type StartHelpers, sharedSteps } from './parallelSteps';

/** The order backends are tried in: wasm first, the figure a GPU backend must beat. */
export const CANDIDATES: BackendName[] = ['wasm', 'webgpu', 'webgl'];
const SMALL_BATCH = 8;
const PROBE_IMAGES = 4;

export interface TrialContext {
  train: MnistSplit;
  startHelpers?: StartHelpers;
  cores: number;
  /** Hears each backend's figure as soon as it is measured. */
  onTrial?: (trial: BackendTrial, done: BackendTrial[]) => void;
}

const batchOf = (train: MnistSplit, size: number, offset: number): BatchArrays =>
  batchArrays(
    train,
    Array.from({ length: size }, (_, i) => (offset + i) % train.count),
  );

/** The largest relative difference, over the weight tensors, of two sets of gradients (L2 norms). */
export function gradientDrift(got: Float32Array[], reference: Float32Array[]): number {
  let worst = 0;
  reference.forEach((ref, t) => {
    const g = got[t]!;
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < ref.length; i++) {
      diff += (g[i]! - ref[i]!) ** 2;
      norm += ref[i]! ** 2;
    }
    worst = Math.max(worst, Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12));
  });
  return worst;
}

/** A tensor's values, read asynchronously: WebGPU's synchronous read goes through a canvas and is not to be trusted. */
const valuesOf = async (t: tf.Tensor): Promise<Float32Array> => Float32Array.from(await t.data());

/** The gradients of the mean loss over `probe` at `weights`, on the backend in use (dropout off). */
async function gradientsAt(weights: Float32Array[], probe: BatchArrays): Promise<Float32Array[]> {
  const model = buildCnn();
  try {
    const shapes = model.getWeights().map((w) => w.shape);
    const tensors = weights.map((w, i) => tf.tensor(w, shapes[i]));
    model.setWeights(tensors);
    tf.dispose(tensors);
    const { grads } = await partGradients(model, probe, false);
    const values = await Promise.all(grads.map(valuesOf));
    tf.dispose(grads);
    return values;
  } finally {
    model.dispose();
  }
}

/** Measures one backend; its trial (unavailable, with the reason, when it cannot train here). */
async function measureOne(name: BackendName, ctx: TrialContext, best: number, reference: (weights: Float32Array[]) => Promise<Float32Array[]>, probe: BatchArrays): Promise<BackendTrial> {
  if (!(await setBackend(name))) return { backend: name, unavailable: name === 'webgpu' ? 'no WebGPU adapter here' : `${name} could not start here` };
  const detail = name === 'wasm' ? undefined : await backendDetail(name);
  const model = buildCnn();
  compileForTraining(model);
  const steps = await sharedSteps(model, name, { startHelpers: ctx.startHelpers, cores: ctx.cores });
  const time = async (size: number, n: number, offset: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await steps.step(batchOf(ctx.train, size, offset + i * size));
    return (n * size) / ((performance.now() - t0) / 1000);
  };
  try {
    const wasmDetail = name === 'wasm' ? `${steps.workers} worker${steps.workers === 1 ? '' : 's'}${ownKernelsBuild() ? `, ${ownKernelsBuild()}` : ''}` : undefined;
    const trial: BackendTrial = { backend: name, ...(detail || wasmDetail ? { detail: detail ?? wasmDetail } : {}) };
    if (name !== 'wasm') {
      await time(SMALL_BATCH, 1, 0); // compiles its shaders
      const small = await time(SMALL_BATCH, 1, SMALL_BATCH);
      if (small < best / 4) Object.assign(trial, { imagesPerSecond: small, batchSize: SMALL_BATCH });
    }
    if (trial.imagesPerSecond === undefined) {
      await time(DEFAULT_BATCH_SIZE, 1, 0);
      Object.assign(trial, { imagesPerSecond: await time(DEFAULT_BATCH_SIZE, 2, DEFAULT_BATCH_SIZE), batchSize: DEFAULT_BATCH_SIZE });
    }
    // A backend too slow to be chosen needs no numerics check (a software renderer: seconds of cpu for nothing).
    if (name !== 'wasm' && trial.batchSize === DEFAULT_BATCH_SIZE) {
      const weights = await Promise.all(model.getWeights().map(valuesOf));
      const got = await gradientsAt(weights, probe);
      const ref = await reference(weights);
      await setBackend(name);
      trial.drift = gradientDrift(got, ref);
    }
    return trial;
  } catch (error) {
    return { backend: name, unavailable: `failed while training: ${(error as Error).message}` };
  } finally {
    steps.close();
    model.dispose();
  }
}

/** Measures every candidate backend, one after another; the trials in that order. Leaves no backend chosen. */
export async function measureBackends(ctx: TrialContext, candidates: BackendName[] = CANDIDATES): Promise<BackendTrial[]> {
  const probe = batchOf(ctx.train, PROBE_IMAGES, 1000);
  // The cpu backend's gradients at the same weights and images (it is the reference, and is left at once).
  const reference = async (weights: Float32Array[]) => {
    await setBackend('cpu');
    return gradientsAt(weights, probe);
  };
  const trials: BackendTrial[] = [];
  for (const name of candidates) {
    const best = Math.max(0, ...trials.map((t) => t.imagesPerSecond ?? 0));
    const trial = await measureOne(name, ctx, best, reference, probe);
    trials.push(trial);
    ctx.onTrial?.(trial, trials);
  }
  return trials;
}

/**
 * A forced backend's numerics (`?backend=webgpu`): its gradients on the probe batch against the cpu backend's, at
 * the same fresh weights; leaves `name` in use. Its trial, with `drift`.
 */
export async function checkNumerics(name: BackendName, train: MnistSplit): Promise<BackendTrial> {
  const probe = batchOf(train, PROBE_IMAGES, 1000);
  const model = buildCnn(7);
  try {
    const weights = await Promise.all(model.getWeights().map(valuesOf));
    const got = await gradientsAt(weights, probe);
    await setBackend('cpu');
    const reference = await gradientsAt(weights, probe);
    return { backend: name, drift: gradientDrift(got, reference), ...(name === 'wasm' ? {} : { detail: await backendDetail(name) }) };
  } finally {
    model.dispose();
    await setBackend(name);
  }
}
