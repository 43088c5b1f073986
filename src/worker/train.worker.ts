/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js for training. Loads MNIST (once per worker), trains the app's CNN
 * with the shared loop, writes a checkpoint after every epoch, and saves the finished model only once it is
 * complete and checked. Speaks TrainRequest / TrainEvent (protocol.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { MnistSplit } from '../data/batches';
import { Augmenter, HANDWRITING_AUGMENTATION } from '../data/augment';
import type { AugmentImage } from '../data/batches';
import { fetchSplits } from '../data/fetchMnist';
import { isAppCnn, summarise } from '../model/architecture';
import { buildCnn, compileForTraining } from '../model/cnn';
import type { ModelCard } from '../model/modelCard';
import { evaluateModel } from '../model/evaluate';
import { type EpochReport, TrainingCancelled, trainModel } from '../model/train';
import {
  CHECKPOINT_URL,
  type CheckpointInfo,
  clearCheckpoint,
  getCheckpoint,
  getModel,
  modelUrl,
  newModelId,
  putCheckpoint,
  putModel,
  setActiveModelId,
  storageError,
  storageHasRoomFor,
} from '../storage/modelStore';
import { chooseTrainingBackend, fallBackFrom } from './backendChoice';
import { runBenchmark } from './benchmark';
import { type ContextWatch, watchWebglContext } from './webglContextWatch';
import type { BackendInfo, BackendName, EpochPoint, TrainEvent, TrainRequest, TrainSettings } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (event: TrainEvent) => self.postMessage(event);
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Chosen once per worker; a promise, so that a probe and a Train click arriving together share one choice. */
let backendChoice: Promise<BackendInfo> | undefined;
let backend: BackendInfo | undefined;
let dataLoad: Promise<{ train: MnistSplit; test: MnistSplit }> | undefined;
let running = false;
let cancelled = false;

async function ensureBackend(requested?: BackendName): Promise<BackendInfo> {
  backendChoice ??= chooseTrainingBackend(requested);
  backend ??= await backendChoice;
  post({ type: 'backend', backend });
  return backend;
}

function ensureData(): Promise<{ train: MnistSplit; test: MnistSplit }> {
  dataLoad ??= fetchSplits(self.location.origin + '/', ['train', 'test'], (p) => post({ type: 'data-progress', ...p })).then(
    (splits) => ({ train: splits.train!, test: splits.test! }),
    (error: unknown) => {
      dataLoad = undefined; // let the next attempt try again (e.g. back online)
      throw error;
    },
  );
  return dataLoad;
}

/** A storage problem (full disk, a save the browser did not keep): shown as it is, never "fixed" by another backend. */
class StorageFailure extends Error {
  override name = 'StorageFailure';
}

/**
 * Saves a model and loads it back to check that it predicts as the model in memory does. The check matters:
 * tfjs's IndexedDB handler reports success when its write request succeeds, even if the transaction is then
 * aborted (for example when the quota is exceeded), so a "successful" save can leave nothing behind.
 */
async function saveChecked(model: tf.LayersModel, url: string, includeOptimizer: boolean, test: MnistSplit): Promise<void> {
  try {
    await model.save(url, { includeOptimizer });
  } catch (error) {
    throw new StorageFailure(`${storageError(error).message} Your previous model is unchanged.`);
  }
  let loaded: tf.LayersModel;
  try {
    loaded = await tf.loadLayersModel(url);
  } catch {
    // Weights, plus Adadelta's two accumulators per weight in a checkpoint.
    const bytes = model.countParams() * 4 * (includeOptimizer ? 3 : 1);
    throw new StorageFailure(
      (await storageHasRoomFor(bytes))
        ? 'The browser did not keep the saved model. Your previous model is unchanged.'
        : `The browser has no storage space left for this site, so the model (${(bytes / 1e6).toFixed(1)} MB) could not be saved. Free some space (or delete saved models) and try again. Your previous model is unchanged.`,
    );
  }
  try {
    const [a, b] = tf.tidy(() => {
      const xs = tf.tensor4d(Float32Array.from(test.images.subarray(0, 16 * 784), (v) => v / 255), [16, 28, 28, 1]);
      return [model.predict(xs) as tf.Tensor, loaded.predict(xs) as tf.Tensor];
    });
    const diff = tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
    tf.dispose([a, b]);
    if (!(diff < 1e-4)) throw new StorageFailure(`The saved model differs from the trained one (max difference ${diff}); it was not kept.`);
  } finally {
    loaded.dispose();
  }
}

async function train(settings: TrainSettings, resume: boolean): Promise<void> {
  let info = await ensureBackend(settings.backend);
  const { train, test } = await ensureData();
  const checkpoint = resume ? await getCheckpoint() : undefined;
  if (!resume) await clearCheckpoint();
  const run: CheckpointInfo = checkpoint ?? {
    settings,
    epochsDone: 0,
    backend: info.name,
    history: [],
    startedAt: new Date().toISOString(),
    trainingSeconds: 0,
  };

  for (;;) {
    const model = run.epochsDone > 0 ? await tf.loadLayersModel(CHECKPOINT_URL) : await startingModel(run.settings);
    if (run.epochsDone === 0) compileForTraining(model);
    const batchesPerEpoch = Math.ceil(Math.min(run.settings.trainImages, train.count) / run.settings.batchSize);
    post({ type: 'started', settings: run.settings, startEpoch: run.epochsDone, batchesPerEpoch });
    // On WebGL, a lost context would leave this attempt waiting forever: the watch ends it instead, and the
    // abandoned loop is told to stop should it ever wake up.
    const watch = watchWebglContext();
    let abandoned = false;
    // `run` moves on only once an epoch's checkpoint is stored, so a fallback always restarts from what is on disk.
    let finished: CheckpointInfo | undefined;
    try {
      const last = await watch.guard(
        trainModel(model, train, test, {
          ...run.settings,
          startEpoch: run.epochsDone,
          augment: augmentFor(run.settings),
          isCancelled: () => cancelled || abandoned,
          yieldBetweenBatches: nextTask,
          onBatch: (r) => post({ type: 'batch', ...r }),
          onEpoch: async (e) => {
            const point: EpochPoint = { epoch: e.epoch, valLoss: e.validation.loss, valAccuracy: e.validation.accuracy };
            post({ type: 'epoch', point, numTensors: e.numTensors, seconds: e.seconds });
            const after: CheckpointInfo = { ...run, epochsDone: e.epoch, history: [...run.history, point], trainingSeconds: run.trainingSeconds + e.seconds };
            if (e.epoch === run.settings.epochs) {
              finished = after;
              return;
            }
            await saveChecked(model, CHECKPOINT_URL, true, test);
            await putCheckpoint(after).catch((error: unknown) => {
              throw storageError(error);
            });
            Object.assign(run, after);
            post({ type: 'checkpoint', epochsDone: e.epoch });
          },
        }),
      );
      await keepTrainedModel(model, finished ?? run, last, info, train.count, test, watch);
      return;
    } catch (error) {
      if (error instanceof TrainingCancelled) {
        await clearCheckpoint();
        await tf.io.removeModel(CHECKPOINT_URL).catch(() => undefined);
        post({ type: 'cancelled' });
        return;
      }
      // A backend that fails mid-way (lost WebGL context, NaN loss): carry on from the last checkpoint.
      // Storage failures are not the backend's fault: they end the run with their message.
      if (error instanceof StorageFailure) throw error;
      const next = await fallBackFrom(info.name, (error as Error).message);
      if (!next) throw error;
      info = backend = next;
      run.backend = next.name;
      post({ type: 'backend', backend: next });
    } finally {
      abandoned = true;
      watch.stop();
      model.dispose();
    }
  }
}

/** A fresh CNN, or the saved model to train further (only the app's own architecture can be). */
/** The recipe's augmentation, run here in the worker as each batch is cut; none for the workshop's recipe. */
function augmentFor(settings: TrainSettings): AugmentImage | undefined {
  if (settings.recipe !== 'handwriting') return undefined;
  const augmenter = new Augmenter(HANDWRITING_AUGMENTATION);
  return (src, out, offset) => augmenter.augment(src, out, offset);
}

async function startingModel(settings: TrainSettings): Promise<tf.LayersModel> {
  if (!settings.baseModelId) return buildCnn();
  const model = await tf.loadLayersModel(modelUrl(settings.baseModelId));
  if (!isAppCnn(summarise(model.layers))) {
    model.dispose();
    throw new Error('Only models with the app’s own CNN architecture can be trained further.');
  }
  return model;
}

/** Saves the finished model, checks it, and only then makes it the active one. */
async function keepTrainedModel(
  model: tf.LayersModel,
  run: CheckpointInfo,
  last: EpochReport | undefined,
  info: BackendInfo,
  trainCount: number,
  test: MnistSplit,
  watch: ContextWatch,
): Promise<void> {
  const id = newModelId();
  // Saving reads the weights from the backend: the last step that a lost WebGL context can stop.
  await watch.guard(saveChecked(model, modelUrl(id), false, test)).catch(async (error: unknown) => {
    await tf.io.removeModel(modelUrl(id)).catch(() => undefined); // what tfjs did write (its info record)
    throw error;
  });
  const final = last?.validation ?? { accuracy: run.history.at(-1)?.valAccuracy, loss: run.history.at(-1)?.valLoss };
  const card: ModelCard = {
    name: `Trained ${new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}`,
    source: 'trained',
    createdAt: new Date().toISOString(),
    testAccuracy: final.accuracy,
    testLoss: final.loss,
    epochs: run.settings.epochs,
    trainImages: Math.min(run.settings.trainImages, trainCount),
    batchSize: run.settings.batchSize,
    backend: info.name,
    trainingSeconds: run.trainingSeconds,
    parameters: model.countParams(),
    versions: { tfjs: tf.version.tfjs },
    trainedBy: 'Digit Lab in the browser',
    recipe: run.settings.recipe ?? 'workshop',
    recipeDetails:
      run.settings.recipe === 'handwriting'
        ? 'MNIST, half of the images augmented afresh each epoch as handwriting varies (elastic distortion, rotation, scale, aspect, shear, shift, stroke width)'
        : 'MNIST exactly as the original Keras script',
  };
  try {
    await putModel({ id, card });
    await setActiveModelId(id);
  } catch (error) {
    await tf.io.removeModel(modelUrl(id)).catch(() => undefined);
    throw new StorageFailure(storageError(error).message);
  }
  await clearCheckpoint();
  await tf.io.removeModel(CHECKPOINT_URL).catch(() => undefined);
  post({ type: 'done', model: { id, card } });
}

/** Evaluates a saved model on the test set, and records its accuracy on its card when it had none. */
async function evaluateStored(modelId: string): Promise<void> {
  try {
    if (running) throw new Error('evaluation waits until training has finished');
    await ensureBackend();
    const { test } = await ensureData();
    const model = await tf.loadLayersModel(modelUrl(modelId));
    try {
      const result = await evaluateModel(model, test, 500, nextTask);
      const stored = await getModel(modelId);
      if (stored && stored.card.testAccuracy === undefined) {
        await putModel({ ...stored, card: { ...stored.card, testAccuracy: result.accuracy, testLoss: result.loss } });
      }
      const labels = test.labels.slice();
      self.postMessage(
        { type: 'evaluated', modelId, accuracy: result.accuracy, loss: result.loss, labels, predicted: result.predicted, confidence: result.confidence } satisfies TrainEvent,
        [labels.buffer, result.predicted.buffer, result.confidence.buffer],
      );
    } finally {
      model.dispose();
    }
  } catch (error) {
    post({ type: 'evaluate-failed', modelId, message: (error as Error).message });
  }
}

self.onmessage = async (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'probe':
        await ensureBackend(request.backend);
        break;
      case 'bench': {
        const info = await ensureBackend(request.backend);
        post({ type: 'bench-result', result: await runBenchmark(request, info, await ensureData()) });
        break;
      }
      case 'cancel':
        cancelled = true;
        break;
      case 'evaluate':
        await evaluateStored(request.modelId);
        break;
      case 'test-images': {
        const { test } = await ensureData();
        const pixels = new Uint8Array(request.indices.length * 784);
        request.indices.forEach((index, i) => pixels.set(test.images.subarray(index * 784, (index + 1) * 784), i * 784));
        self.postMessage({ type: 'test-images', requestId: request.requestId, indices: request.indices, pixels } satisfies TrainEvent, [pixels.buffer]);
        break;
      }
      case 'train':
        if (running) throw new Error('training is already running');
        running = true;
        cancelled = false;
        try {
          await train(request.settings, request.resume ?? false);
        } finally {
          running = false;
        }
        break;
    }
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
};
