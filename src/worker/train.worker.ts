/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js for training, evaluation and benchmarks. Implements TrainerApi
 * (api.ts); each concern lives in its own module under training/: the backend (trainingBackend), MNIST
 * (trainingData), a run with its checkpoints and fallbacks (trainingRun), checked saves (checkedSave).
 */
import * as tf from '@tensorflow/tfjs';
import { transfer } from 'comlink';
import { evaluateModel } from '../model/evaluate';
import { batchWithin } from '../model/activationCost';
import { LEARNER, PersonalLearner } from '../model/personalLearner';
import { modelUrl } from '../storage/modelStore';
import { benchmarkNetworks, runBenchmark } from '../training/benchmark';
import { TrainingBackend } from '../training/trainingBackend';
import { TrainingDataLoader } from '../training/trainingData';
import { wantLiveWeights } from '../training/liveWeights';
import { type EditorNetworks, resumableCheckpoint, runTraining } from '../training/trainingRun';
import { runNetworks } from '../features/editor/worker';
import { listRuns, removeRun } from '../storage/runStore';
import type { TrainerApi } from './api';
import { TRAINING_LOCK } from '../storage/trainingLock';
import { WorkerError, serve } from './bridge';
import { startGradientHelpers } from './gradientHelpers';

declare const self: DedicatedWorkerGlobalScope;

const backend = new TrainingBackend();
const data = new TrainingDataLoader(self.location.origin + '/');
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
let running = false;
/** The user's handwriting is learnt on the model in use, which is kept here while it stays the same. */
const personal = new PersonalLearner(LEARNER, nextTask);
let personalBase: tf.LayersModel | undefined;
/** The network editor's networks, for its runs (features/editor/worker). */
const networks: EditorNetworks = runNetworks;


/** Runs `body` holding the training lock; refuses at once, with a reason, while another tab holds it. */
async function oneRunAcrossTabs<T>(body: () => Promise<T>): Promise<T> {
  const locks = (navigator as WorkerNavigator & { locks?: LockManager }).locks;
  if (!locks) return body(); // no Web Locks (very old engines): one run per tab, as before
  return locks.request(TRAINING_LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) throw new WorkerError('busy', 'Digit Lab is already training in another tab or window. One run at a time: wait for it to finish there, or cancel it there, then train here.');
    return body();
  });
}

/**
 * Whether no run trains now, in this tab or another (nobody holds the training lock). Asked, not held: holding it
 * would refuse another tab's Train meanwhile, and a run that starts just after writes its first checkpoint only
 * after a whole epoch.
 */
async function noRunAnywhere(): Promise<boolean> {
  if (running) return false;
  const locks = (navigator as WorkerNavigator & { locks?: LockManager }).locks;
  if (!locks) return true;
  const { held = [] } = await locks.query();
  return !held.some((lock) => lock.name === TRAINING_LOCK);
}

const trainer: TrainerApi = {
  backend: (requested) => backend.ensure(requested),

  // While no tab trains, what the last run left on disk and no longer needs goes too (trainingRun.ts).
  checkpoint: async () => resumableCheckpoint(await noRunAnywhere().catch(() => false)).catch(() => undefined),

  async train(settings, resume, onProgress, signal) {
    if (running) throw new WorkerError('busy', 'training is already running');
    running = true;
    try {
      // One run at a time across the app's tabs: they share the cores, the checkpoint and the model library.
      return await oneRunAcrossTabs(async () => {
        const loaded = await data.get((p) => onProgress({ type: 'data', ...p }));
        // The first run on a device times each backend first and trains on the fastest (measuredChoice.ts).
        await backend.measureIfNeeded({ train: loaded.train, startHelpers: startGradientHelpers, cores: navigator.hardwareConcurrency }, (info) =>
          onProgress({ type: 'backend', backend: info }),
        );
        return runTraining(settings, resume, {
          backend,
          data: loaded,
          onProgress,
          signal,
          startHelpers: startGradientHelpers,
          cores: navigator.hardwareConcurrency,
          networks,
        });
      });
    } finally {
      running = false;
    }
  },

  async evaluate(modelId) {
    if (running) throw new WorkerError('busy', 'evaluation waits until training has finished');
    await backend.ensure();
    const { test } = await data.get();
    const model = await tf.loadLayersModel(modelUrl(modelId));
    try {
      // As many test images a batch as the model's activations allow (500 for the app's CNN).
      const { accuracy, loss, predicted, confidence } = await evaluateModel(model, test, batchWithin(model, 500), nextTask);
      const labels = test.labels.slice();
      return transfer({ accuracy, loss, labels, predicted, confidence }, [labels.buffer, predicted.buffer, confidence.buffer]);
    } finally {
      model.dispose();
    }
  },

  async testImages(indices) {
    const { test } = await data.get();
    const pixels = new Uint8Array(indices.length * 784);
    indices.forEach((index, i) => pixels.set(test.images.subarray(index * 784, (index + 1) * 784), i * 784));
    return transfer(pixels, [pixels.buffer]);
  },

  async learnHandwriting(baseId, samples) {
    await backend.ensure();
    const test = await data.test();
    return personal.learn(
      baseId,
      async () => {
        personalBase?.dispose();
        personalBase = await tf.loadLayersModel(modelUrl(baseId));
        return personalBase;
      },
      test,
      samples,
    );
  },

  runs: () => listRuns(),

  removeRun: (id) => removeRun(id),

  shareWeights: (wanted, intervalMs) => wantLiveWeights(wanted, intervalMs),

  async benchmark(request) {
    return runBenchmark(request, await backend.ensure(request.backend), await data.get(), { startHelpers: startGradientHelpers, cores: navigator.hardwareConcurrency });
  },

  async benchmarkNetworks(request) {
    const { train } = await data.get();
    return benchmarkNetworks(request, await backend.ensure(request.backend), train, { startHelpers: startGradientHelpers, cores: navigator.hardwareConcurrency }, networks);
  },
};

serve(trainer);
