/** Evaluation, export and import, several saved models. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Page } from '@playwright/test';
import { loadModelDir } from '../scripts/eval-pendigits';
import { CONVERTER_FORMATS, converterFiles, float32WeightsOf, oversizedTopologyFiles } from '../src/testing/converterFormats';
import { expect, freshProfileImporting, test } from './fixtures';
import { type Upload, hostileUpload, otherArchitecture, uploads } from './modelUploads';

/** The weights of the model this server serves, read from the build and decoded to float32, in the app's order. */
async function servedWeights(): Promise<Uint8Array> {
  await tf.setBackend('cpu');
  const model = await loadModelDir('dist/models/pretrained');
  const weights = float32WeightsOf(model);
  model.dispose();
  return weights;
}

interface WorkerMemory {
  numTensors: number;
  tensorBytes: number;
  wasmHeapBytes?: number;
  jsHeapBytes?: number;
}

/** What the prediction worker holds (its own report, see predict.worker.ts). */
async function predictionWorkerMemory(page: Page): Promise<WorkerMemory> {
  const worker = page.workers().find((w) => w.url().includes('predict.worker'));
  if (!worker) throw new Error(`no prediction worker among ${page.workers().map((w) => w.url())}`);
  return worker.evaluate(() => (self as unknown as { digitLabMemory: () => WorkerMemory }).digitLabMemory());
}

test.describe('models', () => {
  test.setTimeout(300_000);

  test('export, clear all storage, import the exported files: identical predictions', async ({ app, modelStatus, training, drawing, library, browser }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await training.train({ epochs: 1, images: 256 });
    await training.waitForTrainedModel();
    await drawing.draw('3');
    await drawing.reading();
    const before = await drawing.probabilityValues();

    const dir = mkdtempSync(join(tmpdir(), 'digit-lab-export-'));
    const downloads = await library.exportFiles(dir, 4);
    expect(downloads.map((p) => p.split('/').pop())).toEqual(['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin', 'model-card.json']);
    // The card comes along, so the folder can be served as the pre-trained model (README "Your own model in the image").
    const card = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'));
    expect(card).toMatchObject({ source: 'trained', parameters: 1_199_882 });
    const exported = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(exported.format).toBe('layers-model');
    expect(exported.userDefinedMetadata, 'no personal memory: none was learnt').toBeUndefined();

    // A fresh browser context: no IndexedDB, no cache, nothing of the first session.
    const second = await freshProfileImporting(browser, downloads);
    await second.drawing.draw('3');
    await second.drawing.reading();
    expect(await second.drawing.probabilityValues()).toEqual(before);

    // The imported model survives a reload and is listed with the pre-trained one.
    await second.app.reload();
    await second.modelStatus.waitForModel('imported');
    await expect(second.library.models).toHaveCount(2);
    await second.close();
  });

  test('imports a model of a different architecture and predicts with it', async ({ app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await library.importFiles(await otherArchitecture([784]));
    await modelStatus.waitForModel('imported');
    await library.showArchitecture();
    await expect(library.architecture).toContainText('Dense');
    await expect(library.architecture).not.toContainText('Conv2D');
    await drawing.draw('1');
    expect(await drawing.reading()).toMatch(/^[0-9]$/);
  });

  test('every kind of bad import is refused with an alert, and the current model keeps predicting', async ({ app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    const good = await otherArchitecture([784]);
    const json = JSON.parse(good[0]!.buffer.toString());
    const withJson = (value: unknown): Upload => ({ ...good[0]!, buffer: Buffer.from(JSON.stringify(value)) });
    const unknownLayer = structuredClone(json);
    unknownLayer.modelTopology.config.layers[0].class_name = 'FancyLayer';
    const bigDir = mkdtempSync(join(tmpdir(), 'digit-lab-big-'));
    writeFileSync(join(bigDir, 'model.json'), good[0]!.buffer);
    writeFileSync(join(bigDir, 'group1-shard1of1.bin'), Buffer.alloc(65 * 1024 * 1024));

    const cases: Array<[string, Upload[] | string[], RegExp]> = [
      ['not JSON', [{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('\u0000\u00ffnot json') }], /is not a JSON file/],
      ['missing weights', [good[0]!], /weight file group1-shard1of1.bin is missing/],
      ['truncated weights', [good[0]!, { ...good[1]!, buffer: good[1]!.buffer.subarray(0, 1000) }], /truncated or damaged/],
      ['wrong input shape', await otherArchitecture([32, 32, 3]), /input is \[null, 32, 32, 3\]/],
      ['unknown layer type', [withJson(unknownLayer), good[1]!], /does not know: Unknown layer: FancyLayer/],
      ['oversized', [join(bigDir, 'model.json'), join(bigDir, 'group1-shard1of1.bin')], /models over 64 MB are refused/],
      // 592 bytes that would ask for 12.5 GB at their first reading; a graph that hung tfjs; an .h5 whose weight HDF5 cannot read.
      ['activations of 12.5 GB', hostileUpload('json-config-upsampling-12gb'), /would need 12\.5 GB for its layers' activations/],
      ['a layer reading from none', hostileUpload('json-config-functional-missing-inbound'), /cannot be connected as its file says/],
      ['a damaged weight in an .h5', hostileUpload('h5-weight-gzip-damaged'), /cannot be read \(damaged\?\)/],
      ['weights that are not numbers', hostileUpload('json-weights-nan'), /not a number a model can read with/],
    ];
    for (const [name, files, message] of cases) {
      await library.importFiles(files);
      await expect(library.importError, name).toContainText(message);
      await expect(library.importError).toContainText('Your current model is still in use.');
      await expect(modelStatus.card, name).toHaveAttribute('data-source', 'pretrained');
      await drawing.draw('7');
      await drawing.expectReading('7', name);
      await drawing.clear();
    }
    await expect(library.models).toHaveCount(1);
    // Nothing refused was kept to run again at start-up: a reload starts as before.
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    await expect(library.models).toHaveCount(1);
    await drawing.draw('7');
    await drawing.expectReading('7');
  });

  test('a saved model that never finished loading at the last two start-ups is skipped at the next, with a message, and stays', async ({ app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await library.importFiles(await otherArchitecture([784]));
    await modelStatus.waitForModel('imported');
    await expect(library.models).toHaveCount(2);
    // As two start-ups that began loading it and never finished (it crashed or hung the app) leave the record.
    const { id } = (await app.setting('activeModelId')) as { id: string };
    await app.setting('startingModel', { id, count: 2 });
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    await expect(app.alert).toContainText('did not finish loading the last 2 times the app started');
    await expect(library.models).toHaveCount(2);
    await drawing.draw('7');
    await drawing.expectReading('7');
  });

  test('imports the files tensorflowjs_converter writes for Keras models; each predicts as the served model', async ({ app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await drawing.draw('3');
    await drawing.expectReading('3');
    const served = await drawing.probabilityValues();
    const weights = await servedWeights();
    for (const [i, format] of CONVERTER_FORMATS.entries()) {
      await library.importFiles(uploads(converterFiles(format, weights)));
      await expect(library.models, format).toHaveCount(i + 2);
      await modelStatus.waitForModel('imported');
      await expect(app.alert).toHaveCount(0);
      await drawing.clear();
      await drawing.draw('3');
      await drawing.expectReading('3', format);
      expect(await drawing.probabilityValues(), format).toEqual(served);
    }
  });

  test('a topology far larger than its weights is refused before anything is allocated; bad imports leave memory as it was', async ({
    page,
    app,
    modelStatus,
    library,
    drawing,
  }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await drawing.draw('7');
    await drawing.expectReading('7');
    const before = await predictionWorkerMemory(page);
    expect(before.wasmHeapBytes).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      const units = 300_000 + i;
      await library.importFiles(uploads(oversizedTopologyFiles(units)));
      await expect(library.importError).toContainText(`need a weight dense/kernel of shape [784, ${units}]`);
      await expect(library.importError).toContainText('Your current model is still in use.');
    }
    const after = await predictionWorkerMemory(page);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.tensorBytes).toBe(before.tensorBytes);
    // The wasm heap grows for a large allocation and never shrinks: unchanged means nothing was allocated.
    expect(after.wasmHeapBytes).toBe(before.wasmHeapBytes);
    if (before.jsHeapBytes !== undefined) expect(after.jsHeapBytes! - before.jsHeapBytes).toBeLessThan(32 * 1024 * 1024);
    const pageHeap = await page.evaluate(() => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    expect(pageHeap).toBeLessThan(256 * 1024 * 1024);
    await expect(modelStatus.card).toHaveAttribute('data-source', 'pretrained');
    await drawing.clear();
    await drawing.draw('7');
    await drawing.expectReading('7');
  });

  test('damaged model records in IndexedDB are skipped with a message; odd fields blank nothing', async ({ page, app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    // What another version, an extension or a crash might leave: a name that is not a string, no date, no card.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('digit-lab');
          open.onsuccess = () => {
            const tx = open.result.transaction('models', 'readwrite');
            const store = tx.objectStore('models');
            store.put({ id: 'odd-name', card: { name: { first: 'not', last: 'a string' }, source: 'trained', createdAt: '2026-11-01T00:00:00Z' } });
            store.put({ id: 'no-date', card: { name: 'Undated', source: 'imported' } });
            store.put({ id: 'no-card' });
            store.put({ id: 42, card: { name: 'number id' } });
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    await expect(library.models).toHaveCount(3);
    await expect(library.modelsNamed('Unnamed model')).toHaveCount(1);
    await expect(library.modelsNamed('Undated')).toHaveCount(1);
    await expect(library.notice('2 saved model records are damaged or from another version and not shown.')).toBeVisible();
    await drawing.draw('7');
    await drawing.expectReading('7');
    expect(problems).toEqual([]);
  });

  test('unreadable weights left without a card are removed after an hour, not before (readable ones get a card: modelLibrary.test.ts)', async ({ page, app, modelStatus, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    /** tfjs's IndexedDB store: weights and their info record under each model path. */
    const tfjsStore = (action: 'plant' | 'paths') =>
      page.evaluate(
        (action) =>
          new Promise<string[]>((resolve, reject) => {
            const open = indexedDB.open('tensorflowjs');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction(['models_store', 'model_info_store'], 'readwrite');
              const info = tx.objectStore('model_info_store');
              let paths: string[] = [];
              if (action === 'plant') {
                const hour = 60 * 60 * 1000;
                for (const [path, age] of [['digit-lab-model-left-yesterday', 24 * hour], ['digit-lab-model-saved-just-now', 0]] as const) {
                  const dateSaved = new Date(Date.now() - age);
                  tx.objectStore('models_store').put({ modelPath: path, modelArtifacts: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(8) } });
                  info.put({ modelPath: path, modelArtifactsInfo: { dateSaved, modelTopologyType: 'JSON', weightDataBytes: 8 } });
                }
              } else {
                const keys = info.getAllKeys();
                keys.onsuccess = () => (paths = keys.result.map(String).sort());
              }
              tx.oncomplete = () => resolve(paths);
              tx.onerror = () => reject(tx.error);
            };
          }),
        action,
      );
    await tfjsStore('plant');
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    await expect.poll(() => tfjsStore('paths')).toEqual(['digit-lab-model-pretrained', 'digit-lab-model-saved-just-now']);
    await drawing.draw('7');
    await drawing.expectReading('7');
  });

  test('evaluation: accuracy matches the model card, per digit, confusion matrix cells open their images', async ({ app, modelStatus, evaluation }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    const cardAccuracy = await modelStatus.testAccuracyText();
    await evaluation.evaluate();
    await expect(evaluation.summary).toContainText(`Accuracy ${cardAccuracy}`, { timeout: 120_000 });
    await expect(evaluation.matrixCells).toHaveCount(100);
    const counts = await evaluation.matrixCells.allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(10_000);
    // Rows are true digits: each row sums to MNIST's published count of that digit in the test set.
    const rows = Array.from({ length: 10 }, (_, t) => counts.slice(t * 10, t * 10 + 10).map(Number).reduce((a, b) => a + b, 0));
    expect(rows).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    await expect(evaluation.perDigitAccuracy).toHaveCount(10);
    // The gallery first shows mistakes; a click on the 7 -> 7 cell shows correctly read sevens.
    await expect(evaluation.galleryImages.first()).toBeVisible();
    await evaluation.showImagesOf(7, 7);
    await expect(evaluation.galleryTitle(7, 7)).toBeVisible();
    await expect(evaluation.galleryImages.first()).toContainText('true 7 → 7');
  });

  test('the app’s own CNN can be trained further; saved models can be switched, renamed and deleted', async ({ app, modelStatus, training, library }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    const pretrainedAccuracy = Number.parseFloat(await modelStatus.testAccuracyText());
    await training.train({ epochs: 1, images: 256, recipe: 'workshop', continueFromModelInUse: true });
    await training.waitForTrainedModel();
    await expect(modelStatus.card).toContainText('workshop original');
    // Two more batches on top of a 98.9% model stay far above what 2 batches from scratch reach (~40%).
    expect(Number.parseFloat(await modelStatus.testAccuracyText())).toBeGreaterThan(pretrainedAccuracy - 3);

    await expect(library.models).toHaveCount(2);
    await library.use('Pre-trained');
    await modelStatus.waitForModel('pretrained');
    await library.rename('Trained', 'My first model');
    await expect(library.modelsNamed('My first model')).toHaveCount(1);
    await library.delete('My first model');
    await expect(library.models).toHaveCount(1);
    await expect(library.deleteButton('Pre-trained')).toBeDisabled();
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    await expect(library.models).toHaveCount(1);
  });
});
