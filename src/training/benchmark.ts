/**
 * Measures one backend in the training worker: training throughput on real MNIST batches, single-image
 * prediction latency, peak tensor memory of a training step and, on request, a fresh CNN trained for N full
 * epochs with its test accuracy after each; and the training speed of given editor networks (the prepared
 * experiments'). Driven by src/bench.html (scripts/bench.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { MnistSplit } from '../data/batches';
import { Augmenter, HANDWRITING_AUGMENTATION } from '../data/augment';
import { type AugmentImage, batchArrays } from '../data/batches';
import { buildCnn, compileForTraining, DEFAULT_BATCH_SIZE } from '../model/cnn';
import { trainModel } from '../model/train';
import type { BackendInfo, BackendName } from '../backend/backendChoice';
import { ownKernelsBuild } from '../backend/wasmTrainingKernels';
import type { EditorRunSettings } from '../model/trainSettings';
import { ParallelSteps, type StartHelpers, sharedSteps } from './parallelSteps';
import type { EditorNetworks } from './trainingRun';

export interface BenchRequest {
  backend: BackendName;
  /** Untimed batches first (kernel compilation, allocation), then timed ones. */
  warmupBatches: number;
  batches: number;
  /** Single-image predictions to time. */
  predictions: number;
  /** Then train a fresh CNN for this many full epochs on all 60,000 images (0: none): time and test accuracy per epoch. */
  fullEpochs: number;
  /** Also time every kernel of training steps (tf.profile), summed per kernel. */
  profileSteps?: number;
  /** Images per timed batch (default 128, the app's; bench:gpu also times 512). */
  batchSize?: number;
  /** Workers sharing each step; by default as many as the app trains with (trainingRun.ts). */
  workers?: number;
}

/** One kernel's share of a training step, summed over the profiled steps and divided by their number. */
export interface KernelTime {
  kernel: string;
  msPerStep: number;
  callsPerStep: number;
  share: number;
  /** The input shapes of its costliest call. */
  shapes: string;
}

export interface BenchResult {
  backend: BackendName;
  /** Set when the backend could not run here; nothing else is then measured. */
  unavailable?: string;
  reason?: string;
  batchSize?: number;
  /** Workers that shared each training step (this one and its gradient helpers). */
  workers?: number;
  /** The build of Digit Lab's own SIMD kernels in use on wasm ('relaxed-simd', 'simd128'), if any. */
  ownKernels?: string;
  /** Where the training worker's time went per timed step: sending, its own part, waiting for helpers, applying. */
  stepMs?: { send: number; own: number; wait: number; apply: number; ownImages: number; helpers: number };
  trainImagesPerSecond?: number;
  /** The same with the handwriting recipe's augmentation, in alternating batches; and how much slower that is. */
  augmentedImagesPerSecond?: number;
  augmentationSlowdown?: number;
  estimatedEpochSeconds?: number;
  predictMs?: { p50: number; p95: number; runs: number };
  /** Peak bytes of tensor memory during one training step (tf.profile). */
  peakTrainStepBytes?: number;
  numTensorsAfterEachBatch?: number[];
  /**
   * Per kernel, costliest first; `stepMs` is a profiled step's wall time, `kernelMs` the kernels' part of it.
   * Profiled on one worker training the whole batch, so the kernels' shapes are those of a full step.
   */
  profile?: { steps: number; stepMs: number; kernelMs: number; kernels: KernelTime[] };
  fullTraining?: {
    epochs: number;
    workers: number;
    seconds: number;
    imagesPerSecond: number;
    perEpoch: { epoch: number; seconds: number; testAccuracy: number; testLoss: number }[];
  };
}

/** Editor networks to time: each built, compiled and stepped as an editor run of it is (trainingRun.ts). */
export interface NetworksBenchRequest {
  backend: BackendName;
  networks: ReadonlyArray<{ name: string; editor: EditorRunSettings }>;
  /** Untimed batches first, then timed ones, per network. */
  warmupBatches: number;
  batches: number;
  batchSize?: number;
  /** Workers sharing each step; by default as many as the app trains with. */
  workers?: number;
}

export interface NetworkBenchResult {
  name: string;
  parameters: number;
  batchSize: number;
  workers: number;
  trainImagesPerSecond: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export async function runBenchmark(
  request: BenchRequest,
  backend: BackendInfo,
  data: { train: MnistSplit; test: MnistSplit },
  parallel: { startHelpers: StartHelpers; cores: number },
): Promise<BenchResult> {
  if (backend.name !== request.backend) {
    return { backend: request.backend, unavailable: `could not start here (got ${backend.name}: ${backend.reason})` };
  }
  const model = buildCnn();
  compileForTraining(model);
  const sharing = { ...parallel, requested: request.workers };
  // Exactly the app's training step (trainingRun.ts): the batch shared among the workers.
  const steps = await sharedSteps(model, backend.name, sharing);
  const alone = new ParallelSteps(model, []);
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE;
  const indices = (b: number) => Array.from({ length: batchSize }, (_, i) => (b * batchSize + i) % data.train.count);
  const augmenter = new Augmenter(HANDWRITING_AUGMENTATION);
  const augment: AugmentImage = (src, out, offset) => augmenter.augment(src, out, offset);
  const step = async (b: number, augmented = false, by = steps) => {
    const t0 = performance.now();
    await by.step(batchArrays(data.train, indices(b), augmented ? augment : undefined));
    return performance.now() - t0;
  };
  for (let b = 0; b < request.warmupBatches; b++) await step(b);
  const warm = { ...steps.timings };
  const numTensorsAfterEachBatch: number[] = [];
  // Plain and augmented batches alternate, so that a noisy machine weighs on both alike.
  let plainMs = 0;
  let augmentedMs = 0;
  for (let b = 0; b < request.batches; b++) {
    plainMs += await step(request.warmupBatches + b);
    augmentedMs += await step(request.warmupBatches + b, true);
    numTensorsAfterEachBatch.push(tf.memory().numTensors);
  }
  const trainImagesPerSecond = (request.batches * batchSize) / (plainMs / 1000);
  const augmentedImagesPerSecond = (request.batches * batchSize) / (augmentedMs / 1000);
  const usedWorkers = steps.workers;
  const t = steps.timings;
  const timed = t.steps - warm.steps;
  const per = (ms: number, before: number) => +((ms - before) / timed).toFixed(1);
  const stepMs = {
    send: per(t.sendMs, warm.sendMs),
    own: per(t.ownMs, warm.ownMs),
    wait: per(t.waitMs, warm.waitMs),
    apply: per(t.applyMs, warm.applyMs),
    ownImages: per(t.ownImages, warm.ownImages),
    helpers: per(t.helperMs, warm.helperMs),
  };
  steps.close();
  const memory = await tf.profile(async () => {
    await step(0, false, alone);
  });

  const profile = request.profileSteps ? await profileKernels((b) => step(b, false, alone), request.profileSteps) : undefined;

  const times: number[] = [];
  const one = data.test.images.subarray(0, 784);
  for (let i = 0; i < request.predictions + 5; i++) {
    const t0 = performance.now();
    tf.tidy(() => (model.predict(tf.tensor4d(Float32Array.from(one, (v) => v / 255), [1, 28, 28, 1])) as tf.Tensor).dataSync());
    if (i >= 5) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);

  const result: BenchResult = {
    backend: backend.name,
    reason: backend.reason,
    batchSize,
    workers: usedWorkers,
    ownKernels: ownKernelsBuild(),
    stepMs,
    trainImagesPerSecond,
    augmentedImagesPerSecond,
    augmentationSlowdown: augmentedMs / plainMs - 1,
    estimatedEpochSeconds: data.train.count / trainImagesPerSecond,
    predictMs: { p50: percentile(times, 0.5), p95: percentile(times, 0.95), runs: times.length },
    peakTrainStepBytes: memory.peakBytes,
    numTensorsAfterEachBatch,
    ...(profile ? { profile } : {}),
  };
  model.dispose();

  if (request.fullEpochs > 0) {
    const fresh = buildCnn();
    compileForTraining(fresh);
    const freshSteps = await sharedSteps(fresh, backend.name, sharing);
    const fullWorkers = freshSteps.workers;
    const perEpoch: NonNullable<BenchResult['fullTraining']>['perEpoch'] = [];
    const t0 = performance.now();
    try {
      await trainModel(fresh, data.train, data.test, {
        epochs: request.fullEpochs,
        batchSize,
        trainImages: data.train.count,
        step: (batch) => freshSteps.step(batch),
        onEpoch: (e) => {
          perEpoch.push({ epoch: e.epoch, seconds: e.seconds, testAccuracy: e.validation.accuracy, testLoss: e.validation.loss });
        },
      });
    } finally {
      freshSteps.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    result.fullTraining = { epochs: request.fullEpochs, workers: fullWorkers, seconds, imagesPerSecond: (request.fullEpochs * data.train.count) / seconds, perEpoch };
    fresh.dispose();
  }
  return result;
}

/** Times every kernel of `steps` training steps (tf.profile), summed per kernel and divided by the steps. */
async function profileKernels(step: (b: number) => Promise<number>, steps: number): Promise<NonNullable<BenchResult['profile']>> {
  const perKernel = new Map<string, { ms: number; calls: number; worst: number; shapes: string }>();
  let wallMs = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const info = await tf.profile(async () => {
      await step(i);
    });
    wallMs += performance.now() - t0;
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const entry = perKernel.get(k.name) ?? { ms: 0, calls: 0, worst: -1, shapes: '' };
      entry.ms += ms;
      entry.calls++;
      if (ms > entry.worst) {
        entry.worst = ms;
        entry.shapes = JSON.stringify(k.inputShapes);
      }
      perKernel.set(k.name, entry);
    }
  }
  const kernelMs = [...perKernel.values()].reduce((a, e) => a + e.ms, 0) / steps;
  const kernels = [...perKernel]
    .map(([kernel, e]) => ({ kernel, msPerStep: +(e.ms / steps).toFixed(2), callsPerStep: e.calls / steps, share: +(e.ms / steps / Math.max(kernelMs, 1e-9)).toFixed(3), shapes: e.shapes }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
  return { steps, stepMs: +(wallMs / steps).toFixed(1), kernelMs: +kernelMs.toFixed(1), kernels };
}

/** Times training steps of each network on real MNIST batches, one network after the other. */
export async function benchmarkNetworks(
  request: NetworksBenchRequest,
  backend: BackendInfo,
  train: MnistSplit,
  parallel: { startHelpers: StartHelpers; cores: number },
  networks: EditorNetworks,
): Promise<NetworkBenchResult[]> {
  if (backend.name !== request.backend) throw new Error(`${request.backend} could not start here (got ${backend.name}: ${backend.reason})`);
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE;
  const indices = (b: number) => Array.from({ length: batchSize }, (_, i) => (b * batchSize + i) % train.count);
  const results: NetworkBenchResult[] = [];
  for (const { name, editor } of request.networks) {
    const model = networks.build(editor);
    networks.compile(model, editor);
    const steps = await sharedSteps(model, backend.name, { ...parallel, requested: request.workers });
    try {
      for (let b = 0; b < request.warmupBatches; b++) await steps.step(batchArrays(train, indices(b)));
      const t0 = performance.now();
      for (let b = 0; b < request.batches; b++) await steps.step(batchArrays(train, indices(request.warmupBatches + b)));
      const seconds = (performance.now() - t0) / 1000;
      results.push({ name, parameters: model.countParams(), batchSize, workers: steps.workers, trainImagesPerSecond: +((request.batches * batchSize) / seconds).toFixed(1) });
    } finally {
      steps.close();
      model.dispose();
    }
  }
  return results;
}
