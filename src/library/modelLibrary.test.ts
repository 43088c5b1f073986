// The training run's modules import the wasm backend's binaries as Vite `?url` assets: Vite's types declare them.
/// <reference types="vite/client" />
import '../testing/browserStorage';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { buildCnn } from '../model/cnn';
import type { StoredModel } from '../model/modelCard';
import { modelArtifacts, modelFilesFromArtifacts } from '../model/modelFiles';
import { CHECKPOINT_URL, StorageError, getCheckpoint, getFinishedRuns, getModel, modelUrl, putModel } from '../storage/modelStore';
import { failWritesTo, resetBrowserStorage } from '../testing/browserStorage';
import { resumableCheckpoint, runTraining } from '../training/trainingRun';
import { ORPHAN_AGE_MS, adoptTrained, importPicked, listLibrary, recordEvaluation, recoverOrphanedWeights, rename } from './modelLibrary';
import { WASM_TRAINING_BACKEND, randomSplit } from '../testing/trainingFixtures';

const HOUR = ORPHAN_AGE_MS;

const split = randomSplit;
const wasm = WASM_TRAINING_BACKEND;

/** A finished two-epoch run (so it has a checkpoint): its model, as the page hands it to the library. */
async function finishedRun(): Promise<StoredModel> {
  const outcome = await runTraining({ epochs: 2, trainImages: 8, batchSize: 8, recipe: 'workshop' }, false, {
    backend: wasm,
    data: { train: split(8), test: split(16) },
    onProgress: () => undefined,
    signal: new AbortController().signal,
  });
  if (outcome.status !== 'done') throw new Error('the run did not finish');
  return outcome.model;
}

const savedUrls = async () => Object.keys(await tf.io.listModels()).sort();

beforeAll(startWasmBackend);
beforeEach(resetBrowserStorage);

describe('a finished training run is kept until it is safely kept', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('a card that cannot be written keeps the weights, the run’s record and its checkpoint, says so, and start-up writes it', async () => {
    const trained = await finishedRun();
    // Until the card is written the run is kept twice: its checked weights recorded as finished, and its checkpoint.
    expect(await savedUrls()).toEqual([CHECKPOINT_URL, modelUrl(trained.id)].sort());
    expect((await getFinishedRuns()).map((r) => r.id)).toEqual([trained.id]);
    const checkpoint = await getCheckpoint();
    expect(checkpoint?.epochsDone).toBe(1);
    // ...but the finished run is not offered to resume: that would only train it again.
    expect(await resumableCheckpoint(false)).toBeUndefined();

    restore = failWritesTo('models');
    const failure = await adoptTrained(trained).then(
      () => new Error('the card was written'),
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(StorageError);
    // The message the page shows (useTrainer shows a failed hand-over as the run's message; code `storage`).
    expect(failure.message).toContain('Training finished, but the new model could not be added to your models.');
    expect(failure.message).toContain('no storage space left');
    expect(failure.message).toContain('Its weights are kept');
    expect((failure as Error & { code?: string }).code).toBe('storage');
    expect(await getModel(trained.id)).toBeUndefined();
    expect(await savedUrls()).toEqual([CHECKPOINT_URL, modelUrl(trained.id)].sort());
    expect((await getFinishedRuns()).map((r) => r.id)).toEqual([trained.id]);
    expect((await getCheckpoint())?.startedAt).toBe(checkpoint?.startedAt);
    restore();
    restore = undefined;

    // The next start-up, even within the hour: the run gets the very card it was to have, and is listed.
    const recovery = await recoverOrphanedWeights();
    expect(recovery).toEqual({ recovered: [trained], removed: [] });
    expect(await getModel(trained.id)).toEqual(trained);
    expect((await listLibrary()).models.map((m) => m.id)).toEqual([trained.id]);
    // The card's transaction ended the record and the checkpoint; the checkpoint's weights go once no run trains.
    expect(await getFinishedRuns()).toEqual([]);
    expect(await getCheckpoint()).toBeUndefined();
    expect(await resumableCheckpoint(true)).toBeUndefined();
    expect(await savedUrls()).toEqual([modelUrl(trained.id)]);
    // And it loads.
    const model = await tf.loadLayersModel(modelUrl(trained.id));
    expect(model.countParams()).toBe(trained.card.parameters);
    model.dispose();
  });

  it('a retry of the same hand-over writes the card once storage works again', async () => {
    const trained = await finishedRun();
    restore = failWritesTo('models');
    await expect(adoptTrained(trained)).rejects.toThrow('Its weights are kept');
    restore();
    restore = undefined;
    const { model, stored } = await adoptTrained(trained);
    model.dispose();
    expect(stored).toEqual(trained);
    expect(await getModel(trained.id)).toEqual(trained);
    expect(await getFinishedRuns()).toEqual([]);
    expect(await getCheckpoint()).toBeUndefined();
    // Nothing is left for start-up to do.
    expect(await recoverOrphanedWeights()).toEqual({ recovered: [], removed: [] });
  });
});

describe('weights found without a card at start-up', () => {
  it('are given a card saying what is known, not deleted: the app’s CNN as a recovered training run', async () => {
    const cnn = buildCnn(1);
    await cnn.save(modelUrl('lost-run'));
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [784], activation: 'softmax' })] });
    await other.save(modelUrl('lost-import'));
    const saved = await tf.io.listModels();
    const savedAt = new Date(saved[modelUrl('lost-run')]!.dateSaved).getTime();

    // Within the hour they may be being saved in another tab right now: left alone.
    expect(await recoverOrphanedWeights(savedAt + HOUR / 2)).toEqual({ recovered: [], removed: [] });
    expect(await getModel('lost-run')).toBeUndefined();

    const { recovered, removed } = await recoverOrphanedWeights(savedAt + 2 * HOUR);
    expect(removed).toEqual([]);
    const run = recovered.find((m) => m.id === 'lost-run')!;
    expect(run.card.name).toMatch(/^Recovered training run of \d+ \w+ \d{4}, \d\d:\d\d$/);
    expect(run.card).toMatchObject({ source: 'trained', parameters: cnn.countParams(), createdAt: new Date(savedAt).toISOString() });
    expect(run.card.testAccuracy).toBeUndefined();
    expect(run.card.recipeDetails).toContain('test accuracy are not known');
    const imported = recovered.find((m) => m.id === 'lost-import')!;
    expect(imported.card).toMatchObject({ source: 'imported', parameters: 7850 });
    expect(imported.card.name).toMatch(/^Recovered model of /);
    expect((await listLibrary()).models.map((m) => m.id).sort()).toEqual(['lost-import', 'lost-run']);
    expect(await savedUrls()).toEqual([modelUrl('lost-import'), modelUrl('lost-run')]);
    cnn.dispose();
    other.dispose();
  });

  it('only weights that do not load, and the server’s pre-trained model’s, are removed (after the hour)', async () => {
    const small = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    await small.save(modelUrl('pretrained'));
    await small.save(modelUrl('junk'));
    small.dispose();
    // Damage the junk's stored topology, as a half-written or foreign record would be.
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('tensorflowjs');
      open.onsuccess = () => {
        const tx = open.result.transaction('models_store', 'readwrite');
        tx.objectStore('models_store').put({ modelPath: 'digit-lab-model-junk', modelArtifacts: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(8) } });
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error ?? new Error('could not damage the junk'));
      };
    });
    const { recovered, removed } = await recoverOrphanedWeights(Date.now() + 2 * HOUR);
    expect(recovered).toEqual([]);
    expect(removed.sort()).toEqual([modelUrl('junk'), modelUrl('pretrained')]);
    expect(await savedUrls()).toEqual([]);
  });
});

describe('an import whose card cannot be written', () => {
  it('leaves no weights behind: the picked files still have the model, start-up has nothing to recover', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [784], activation: 'softmax' })] });
    const files = modelFilesFromArtifacts(await modelArtifacts(model)).map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));
    model.dispose();
    const restore = failWritesTo('models');
    try {
      await expect(importPicked(files)).rejects.toThrow('no storage space left');
    } finally {
      restore();
    }
    expect(await savedUrls()).toEqual([]);
    const { model: imported, stored } = await importPicked(files);
    imported.dispose();
    expect(await savedUrls()).toEqual([modelUrl(stored.id)]);
  });
});

describe('changes to a card', () => {
  it('a rename and an evaluation recorded at the same moment (two tabs) both stay', async () => {
    await putModel({ id: 'm', card: { name: 'Mine', source: 'trained', createdAt: '2026-12-01T10:00:00.000Z' } });
    const [renamed, evaluated] = await Promise.all([rename('m', 'Best so far'), recordEvaluation('m', { accuracy: 0.99, loss: 0.03 })]);
    expect(renamed.card.name).toBe('Best so far');
    expect(evaluated?.card.testAccuracy).toBe(0.99);
    expect((await getModel('m'))?.card).toMatchObject({ name: 'Best so far', testAccuracy: 0.99, testLoss: 0.03 });
    // A second evaluation does not replace the first; renaming a model that is not there says so.
    expect((await recordEvaluation('m', { accuracy: 0.5, loss: 2 }))?.card.testAccuracy).toBe(0.99);
    await expect(rename('gone', 'x')).rejects.toThrow('no saved model with id gone');
  });
});
