/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js for training. Loads MNIST (once per worker), trains the app's CNN
 * with the shared loop, writes a checkpoint after every epoch, and saves the finished model only once it is
 * complete and checked. Speaks TrainRequest / TrainEvent (protocol.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { MnistSplit } from '../data/batches';
import { fetchSplits } from '../data/fetchMnist';
import { buildCnn, compileForTraining } from '../model/cnn';
import type { ModelCard } from '../model/modelCard';
import { NonFiniteLoss, TrainingCancelled, trainModel } from '../model/train';
import {
  CHECKPOINT_URL,
  type CheckpointInfo,
  clearCheckpoint,
  getCheckpoint,
  modelUrl,
  newModelId,
  putCheckpoint,
  putModel,
  setActiveModelId,
  storageError,
} from '../storage/modelStore';
import { chooseTrainingBackend, fallBackFrom } from './backendChoice';
import { runBenchmark } from './benchmark';
import type { BackendInfo, BackendName, EpochPoint, TrainEvent, TrainRequest, TrainSettings } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (event: TrainEvent) => self.postMessage(event);
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let backend: BackendInfo | undefined;
let data: { train: MnistSplit; test: MnistSplit } | undefined;
let running = false;
let cancelled = false;

async function ensureBackend(requested?: BackendName): Promise<BackendInfo> {
  backend ??= await chooseTrainingBackend(requested);
  post({ type: 'backend', backend });
  return backend;
}

async function ensureData(): Promise<{ train: MnistSplit; test: MnistSplit }> {
  if (!data) {
    const splits = await fetchSplits(self.location.origin + '/', ['train', 'test'], (p) =>
      post({ type: 'data-progress', ...p }),
    );
    data = { train: splits.train!, test: splits.test! };
  }
  return data;
}

async function saveOrExplain(model: tf.LayersModel, url: string, includeOptimizer: boolean): Promise<void> {
  try {
    await model.save(url, { includeOptimizer });
  } catch (error) {
    throw storageError(error);
  }
}

/** Loads what was saved and checks it predicts as the model in memory does: the save is complete. */
async function verifySaved(model: tf.LayersModel, url: string, test: MnistSplit): Promise<void> {
  const loaded = await tf.loadLayersModel(url);
  try {
    const [a, b] = tf.tidy(() => {
      const xs = tf.tensor4d(Float32Array.from(test.images.subarray(0, 16 * 784), (v) => v / 255), [16, 28, 28, 1]);
      return [model.predict(xs) as tf.Tensor, loaded.predict(xs) as tf.Tensor];
    });
    const diff = tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
    tf.dispose([a, b]);
    if (!(diff < 1e-4)) throw new Error(`the saved model differs from the trained one (max difference ${diff})`);
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
    const model = run.epochsDone > 0 ? await tf.loadLayersModel(CHECKPOINT_URL) : buildCnn();
    if (run.epochsDone === 0) compileForTraining(model);
    const batchesPerEpoch = Math.ceil(Math.min(run.settings.trainImages, train.count) / run.settings.batchSize);
    post({ type: 'started', settings: run.settings, startEpoch: run.epochsDone, batchesPerEpoch });
    try {
      const last = await trainModel(model, train, test, {
        ...run.settings,
        startEpoch: run.epochsDone,
        isCancelled: () => cancelled,
        yieldBetweenBatches: nextTask,
        onBatch: (r) => post({ type: 'batch', ...r }),
        onEpoch: async (e) => {
          const point: EpochPoint = { epoch: e.epoch, valLoss: e.validation.loss, valAccuracy: e.validation.accuracy };
          run.history.push(point);
          run.epochsDone = e.epoch;
          run.trainingSeconds += e.seconds;
          post({ type: 'epoch', point, numTensors: e.numTensors, seconds: e.seconds });
          if (e.epoch < run.settings.epochs) {
            await saveOrExplain(model, CHECKPOINT_URL, true);
            await putCheckpoint(run);
            post({ type: 'checkpoint', epochsDone: e.epoch });
          }
        },
      });
      const id = newModelId();
      const url = modelUrl(id);
      await saveOrExplain(model, url, false);
      await verifySaved(model, url, test);
      const final = last ?? { validation: { accuracy: run.history.at(-1)?.valAccuracy, loss: run.history.at(-1)?.valLoss } };
      const card: ModelCard = {
        name: `Trained ${new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}`,
        source: 'trained',
        createdAt: new Date().toISOString(),
        testAccuracy: final.validation.accuracy,
        testLoss: final.validation.loss,
        epochs: run.settings.epochs,
        trainImages: Math.min(run.settings.trainImages, train.count),
        batchSize: run.settings.batchSize,
        backend: info.name,
        trainingSeconds: run.trainingSeconds,
        parameters: model.countParams(),
        versions: { tfjs: tf.version.tfjs },
        trainedBy: 'Digit Lab in the browser',
      };
      await putModel({ id, card });
      await setActiveModelId(id);
      await clearCheckpoint();
      await tf.io.removeModel(CHECKPOINT_URL).catch(() => undefined);
      post({ type: 'done', model: { id, card } });
      return;
    } catch (error) {
      if (error instanceof TrainingCancelled) {
        await clearCheckpoint();
        await tf.io.removeModel(CHECKPOINT_URL).catch(() => undefined);
        post({ type: 'cancelled' });
        return;
      }
      // A backend that fails mid-way (lost WebGL context, NaN loss): carry on from the last checkpoint.
      const cause = error instanceof NonFiniteLoss ? error.message : (error as Error).message;
      const next = error instanceof Error && /storage/i.test(error.message) ? undefined : await fallBackFrom(info.name, cause);
      if (!next) throw error;
      info = backend = next;
      run.backend = next.name;
      post({ type: 'backend', backend: next });
    } finally {
      model.dispose();
    }
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
