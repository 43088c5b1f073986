/**
 * One training run in the training worker: trains the app's CNN with the shared loop (model/train.ts), stores a
 * checkpoint after every epoch, falls back to another backend and carries on from the last checkpoint when the
 * backend fails mid-way, and finally saves the model's weights once they are checked. It writes no model card:
 * the finished model goes back to the page, which hands it to the model library (the prediction worker). Until
 * that card is written the run is kept twice: its checked weights recorded as a finished run (with the card they
 * are to get), and its checkpoint; the card's transaction ends both (storage/modelStore.ts putModel), and start-up
 * gives the weights their card if it never came (library/modelLibrary.ts recoverOrphanedWeights).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../backend/backendChoice';
import { watchWebglContext } from '../backend/webglContextWatch';
import { Augmenter, HANDWRITING_AUGMENTATION } from '../data/augment';
import type { AugmentImage } from '../data/batches';
import type { LoadProgress } from '../data/fetchMnist';
import { isAppCnn, summarise } from '../model/architecture';
import { buildCnn, compileForTraining } from '../model/cnn';
import { type StoredModel, describeRecipe, trainedModelCard } from '../model/modelCard';
import { removeStoredModel } from '../model/modelFiles';
import { type BatchReport, type EpochReport, TrainingCancelled, trainModel } from '../model/train';
import type { EditorRunSettings, EpochPoint, TrainSettings } from '../model/trainSettings';
import {
  CHECKPOINT_URL,
  type CheckpointInfo,
  clearCheckpoint,
  getCheckpoint,
  getFinishedRuns,
  modelUrl,
  newModelId,
  putCheckpoint,
  putFinishedRun,
  StorageError,
  storageError,
} from '../storage/modelStore';
import { type EditorRun, type RunBatchPoint, putRun } from '../storage/runStore';
import { saveChecked } from './checkedSave';
import { type LiveWeights, LiveWeightsSender } from './liveWeights';
import { type StartHelpers, sharedSteps } from './parallelSteps';
import type { TrainingBackend } from './trainingBackend';
import type { TrainingData } from './trainingData';

/** What a training run reports while it runs. */
export type TrainProgress =
  | { type: 'backend'; backend: BackendInfo }
  /** Downloading MNIST (once per worker): compressed bytes so far. */
  | ({ type: 'data' } & LoadProgress)
  /** `workers`: how many workers share each step (one per core on wasm). */
  | { type: 'started'; settings: TrainSettings; startEpoch: number; batchesPerEpoch: number; workers: number }
  /** A gradient worker failed and training carries on with fewer. */
  | { type: 'workers'; workers: number; reason: string }
  | ({ type: 'batch' } & BatchReport)
  | { type: 'epoch'; point: EpochPoint; numTensors: number; seconds: number }
  /** The weights as they are now, while the page asks for them ("Look inside"; liveWeights.ts). */
  | { type: 'weights'; live: LiveWeights };

export type TrainOutcome = { status: 'done'; model: StoredModel } | { status: 'cancelled' };

export interface RunContext {
  backend: TrainingBackend;
  data: TrainingData;
  onProgress: (progress: TrainProgress) => void;
  signal: AbortSignal;
  /** Starts the gradient workers that share each step; without it, this worker trains alone. */
  startHelpers?: StartHelpers;
  /** Logical cores of the device (navigator.hardwareConcurrency). */
  cores?: number;
  /** Builds and compiles the networks of the editor's runs (features/editor/worker, given by the worker). */
  networks?: EditorNetworks;
}

/** The network editor's side of a run: its network built and compiled as the editor's settings say. */
export interface EditorNetworks {
  build(editor: EditorRunSettings): tf.LayersModel;
  compile(model: tf.LayersModel, editor: EditorRunSettings): void;
}

/**
 * Lets the worker read its messages (a cancel, say) between batches. A message to itself, not setTimeout(0),
 * which browsers clamp to 4 ms once timers nest, as a training loop's do.
 */
const yielder = new MessageChannel();
const nextTask = () =>
  new Promise<void>((resolve) => {
    yielder.port1.onmessage = () => resolve();
    yielder.port2.postMessage(null);
  });

export async function runTraining(
  settings: TrainSettings,
  resume: boolean,
  { backend, data, onProgress, signal, startHelpers, cores = 1, networks }: RunContext,
): Promise<TrainOutcome> {
  let info = await backend.ensure();
  onProgress({ type: 'backend', backend: info });
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

  // An editor run's training batches, kept for its record (runStore.ts).
  const batches: RunBatchPoint[] = [];
  for (;;) {
    const model = run.epochsDone > 0 ? await tf.loadLayersModel(CHECKPOINT_URL) : await startingModel(run.settings, networks);
    if (run.epochsDone === 0) {
      // Left out of the editor, the workshop's path exactly as it always was.
      if (run.settings.editor) networks!.compile(model, run.settings.editor);
      else compileForTraining(model);
    }
    const batchesPerEpoch = Math.ceil(Math.min(run.settings.trainImages, data.train.count) / run.settings.batchSize);
    // A fallback starts again from the last checkpoint: the batches of the epoch it abandoned go.
    const kept = batches.filter((b) => b.step <= run.epochsDone * batchesPerEpoch);
    batches.length = 0;
    batches.push(...kept);
    const steps = await sharedSteps(model, info.name, { startHelpers, cores, requested: run.settings.workers }, (error, remaining) =>
      onProgress({ type: 'workers', workers: remaining + 1, reason: `a gradient worker failed (${(error as Error).message}); training carries on with ${remaining + 1}` }),
    );
    onProgress({ type: 'started', settings: run.settings, startEpoch: run.epochsDone, batchesPerEpoch, workers: steps.workers });
    const live = new LiveWeightsSender(model, onProgress);
    // On WebGL, a lost context would leave this attempt waiting forever: the watch ends it instead, and the
    // abandoned loop is told to stop should it ever wake up.
    const watch = watchWebglContext();
    let abandoned = false;
    // `run` moves on only once an epoch's checkpoint is stored, so a fallback always restarts from what is on disk.
    let finished: CheckpointInfo | undefined;
    try {
      const last = await watch.guard(
        trainModel(model, data.train, data.test, {
          ...run.settings,
          startEpoch: run.epochsDone,
          augment: augmentFor(run.settings),
          step: (batch, meanwhile) => steps.step(batch, meanwhile),
          isCancelled: () => signal.aborted || abandoned,
          yieldBetweenBatches: nextTask,
          onBatch: (report) => {
            onProgress({ type: 'batch', ...report });
            if (run.settings.editor) batches.push({ step: (report.epoch - 1) * report.batchesPerEpoch + report.batch, loss: report.loss, accuracy: report.accuracy });
            live.afterBatch(report.epoch, report.batch);
          },
          onEpoch: async (e) => {
            const point: EpochPoint = { epoch: e.epoch, valLoss: e.validation.loss, valAccuracy: e.validation.accuracy };
            onProgress({ type: 'epoch', point, numTensors: e.numTensors, seconds: e.seconds });
            const after: CheckpointInfo = { ...run, epochsDone: e.epoch, history: [...run.history, point], trainingSeconds: run.trainingSeconds + e.seconds };
            if (e.epoch === run.settings.epochs) {
              finished = after;
              return;
            }
            await saveChecked(model, CHECKPOINT_URL, true, data.test);
            await putCheckpoint(after).catch((error: unknown) => {
              throw storageError(error);
            });
            Object.assign(run, after);
          },
        }),
      );
      const done = finished ?? run;
      const trainImages = Math.min(done.settings.trainImages, data.train.count);
      const card = cardOf(done, last, info, trainImages, model.countParams());
      // Saving reads the weights from the backend: the last step that a lost WebGL context can stop.
      const id = newModelId();
      await watch.guard(saveChecked(model, modelUrl(id), false, data.test)).catch(async (error: unknown) => {
        await removeStoredModel(modelUrl(id)); // what tfjs did write (its info record)
        throw error;
      });
      // The run is kept from here on, whatever happens to the page. Its checkpoint stays until the card is written.
      // Should even this record fail, the weights are recovered as weights without a card are, with a plainer card.
      const stored: StoredModel = { id, card };
      await putFinishedRun({ ...stored, startedAt: run.startedAt, savedAt: new Date().toISOString() }).catch(() => undefined);
      if (done.settings.editor) {
        // The editor's record of the run, under the model's id; the model itself is the library's like any other.
        const record: EditorRun = {
          id,
          name: card.name,
          createdAt: card.createdAt,
          ...done.settings.editor,
          batchesPerEpoch,
          batches,
          epochs: done.history,
          result: {
            ...(card.testAccuracy !== undefined ? { testAccuracy: card.testAccuracy } : {}),
            ...(card.testLoss !== undefined ? { testLoss: card.testLoss } : {}),
            seconds: done.trainingSeconds,
            imagesPerSecond: done.trainingSeconds > 0 ? (done.settings.epochs * trainImages) / done.trainingSeconds : 0,
            backend: info.name,
            parameters: model.countParams(),
            trainImages,
          },
        };
        await putRun(record).catch((error: unknown) => {
          throw storageError(error);
        });
      }
      return { status: 'done', model: stored };
    } catch (error) {
      if (error instanceof TrainingCancelled) {
        await forgetCheckpoint();
        return { status: 'cancelled' };
      }
      // A backend that fails mid-way (lost WebGL context, NaN loss): carry on from the last checkpoint.
      // Storage failures are not the backend's fault: they end the run with their message.
      if (error instanceof StorageError) throw error;
      const next = await backend.fallBack((error as Error).message);
      if (!next) throw error;
      info = next;
      run.backend = next.name;
      onProgress({ type: 'backend', backend: next });
    } finally {
      abandoned = true;
      watch.stop();
      steps.close();
      model.dispose();
    }
  }
}

async function forgetCheckpoint(): Promise<void> {
  await clearCheckpoint();
  await removeStoredModel(CHECKPOINT_URL);
}

/**
 * The unfinished run that can be resumed: the checkpoint, unless its run has finished and waits for its card (the
 * run is kept; resuming it would only train it again). With `tidy`, to be passed only while no run can be saving a
 * checkpoint (the training lock is free), the checkpoint's weights go once no checkpoint record refers to them:
 * the transaction that wrote the last run's card ended its record, and these weights are all that is left of it.
 */
export async function resumableCheckpoint(tidy: boolean): Promise<CheckpointInfo | undefined> {
  const [checkpoint, finished] = await Promise.all([getCheckpoint(), getFinishedRuns()]);
  if (!checkpoint) {
    if (tidy) await removeStoredModel(CHECKPOINT_URL);
    return undefined;
  }
  return finished.some((r) => r.startedAt === checkpoint.startedAt) ? undefined : checkpoint;
}

/** The recipe's augmentation, run here in the worker as each batch is cut; none for the workshop's recipe. */
function augmentFor(settings: TrainSettings): AugmentImage | undefined {
  if (settings.recipe !== 'handwriting') return undefined;
  const augmenter = new Augmenter(HANDWRITING_AUGMENTATION);
  return (src, out, offset) => augmenter.augment(src, out, offset);
}

/** A fresh CNN (or the editor's network), or the saved model to train further (only the app's own architecture can be). */
async function startingModel(settings: TrainSettings, networks: EditorNetworks | undefined): Promise<tf.LayersModel> {
  if (settings.editor) {
    if (!networks) throw new Error('This worker cannot build the network editor’s networks.');
    return networks.build(settings.editor);
  }
  if (!settings.baseModelId) return buildCnn();
  const model = await tf.loadLayersModel(modelUrl(settings.baseModelId));
  if (!isAppCnn(summarise(model.layers))) {
    model.dispose();
    throw new Error('Only models with the app’s own CNN architecture can be trained further.');
  }
  return model;
}

function cardOf(run: CheckpointInfo, last: EpochReport | undefined, info: BackendInfo, trainImages: number, parameters: number) {
  const editor = run.settings.editor;
  return trainedModelCard({
    name: editor
      ? `Your network, ${new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })}`
      : `Trained ${new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}`,
    ...(editor ? { recipeDetails: `${describeRecipe(run.settings.recipe ?? 'workshop')}; a network of your own from the network editor, trained with ${editor.training.optimizer.name}` } : {}),
    source: 'trained',
    test: last?.validation ?? { accuracy: run.history.at(-1)?.valAccuracy, loss: run.history.at(-1)?.valLoss },
    epochs: run.settings.epochs,
    trainImages,
    batchSize: run.settings.batchSize,
    backend: info.name,
    trainingSeconds: run.trainingSeconds,
    parameters,
    versions: { tfjs: tf.version.tfjs },
    trainedBy: 'Digit Lab in the browser',
    recipe: run.settings.recipe ?? 'workshop',
  });
}
