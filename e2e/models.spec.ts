/** Evaluation, export and import, several saved models. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Page, expect, test } from '@playwright/test';
import { loadModelDir } from '../scripts/eval-pendigits';
import { modelArtifacts, modelFilesFromArtifacts } from '../src/model/modelFiles';
import { CONVERTER_FORMATS, type NamedBytes, converterFiles, float32WeightsOf, oversizedTopologyFiles } from '../src/testing/converterFormats';
import { DIGITS, DigitLabPage } from './pages/DigitLabPage';

type Upload = { name: string; mimeType: string; buffer: Buffer };

async function filesOf(model: tf.LayersModel): Promise<Upload[]> {
  return modelFilesFromArtifacts(await modelArtifacts(model)).map((f) => ({
    name: f.name,
    mimeType: f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    buffer: Buffer.from(f.bytes),
  }));
}

/** A small model of another architecture than the app's: flat 784 input, one hidden layer. */
async function otherArchitecture(inputShape: number[] = [784]): Promise<Upload[]> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      ...(inputShape.length > 1 ? [tf.layers.flatten({ inputShape })] : []),
      tf.layers.dense({ ...(inputShape.length > 1 ? {} : { inputShape }), units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const files = await filesOf(model);
  model.dispose();
  return files;
}

const importInput = (page: Page) => page.getByLabel('Import model');

const uploads = (files: NamedBytes[]): Upload[] =>
  files.map((f) => ({ name: f.name, mimeType: f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream', buffer: Buffer.from(f.bytes) }));

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

  test('export, clear all storage, import the exported files: identical predictions', async ({ page, browser }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await app.train(1, 256);
    await app.waitForTrainedModel();
    await app.draw(DIGITS['3']!);
    await app.predictedDigit();
    const before = await app.probabilityValues();

    const dir = mkdtempSync(join(tmpdir(), 'digit-lab-export-'));
    const downloads: string[] = [];
    page.on('download', async (d) => {
      const path = join(dir, d.suggestedFilename());
      await d.saveAs(path);
      downloads.push(path);
    });
    await page.getByRole('button', { name: 'Export model' }).click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);
    expect(downloads.map((p) => p.split('/').pop()).sort()).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json']);
    const exported = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(exported.format).toBe('layers-model');

    // A fresh browser context: no IndexedDB, no cache, nothing of the first session.
    const fresh = await browser.newContext();
    const page2 = await fresh.newPage();
    const app2 = new DigitLabPage(page2);
    await app2.goto();
    await app2.waitForModel('pretrained');
    await importInput(page2).setInputFiles(downloads);
    await app2.waitForModel('imported');
    await app2.draw(DIGITS['3']!);
    await app2.predictedDigit();
    expect(await app2.probabilityValues()).toEqual(before);

    // The imported model survives a reload and is listed with the pre-trained one.
    await page2.reload();
    await app2.waitForModel('imported');
    await expect(page2.locator('table.models tbody tr')).toHaveCount(2);
    await fresh.close();
  });

  test('imports a model of a different architecture and predicts with it', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await importInput(page).setInputFiles(await otherArchitecture([784]));
    await app.waitForModel('imported');
    await page.getByText(/Architecture of the model in use/).click();
    await expect(page.getByTestId('architecture')).toContainText('Dense');
    await expect(page.getByTestId('architecture')).not.toContainText('Conv2D');
    await app.draw(DIGITS['1']!);
    expect(await app.predictedDigit()).toMatch(/^[0-9]$/);
  });

  test('every kind of bad import is refused with an alert, and the current model keeps predicting', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
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
    ];
    for (const [name, files, message] of cases) {
      await importInput(page).setInputFiles(files);
      const alert = page.getByRole('alert').filter({ hasText: 'Import failed' });
      await expect(alert, name).toContainText(message);
      await expect(alert).toContainText('Your current model is still in use.');
      await expect(app.modelStatus, name).toHaveAttribute('data-source', 'pretrained');
      await app.draw(DIGITS['7']!);
      expect(await app.predictedDigit(), name).toBe('7');
      await app.clear();
    }
    await expect(page.locator('table.models tbody tr')).toHaveCount(1);
  });

  test('imports the files tensorflowjs_converter writes for Keras models; each predicts as the served model', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await app.draw(DIGITS['3']!);
    expect(await app.predictedDigit()).toBe('3');
    const served = await app.probabilityValues();
    const weights = await servedWeights();
    const rows = page.locator('table.models tbody tr');
    for (const [i, format] of CONVERTER_FORMATS.entries()) {
      await importInput(page).setInputFiles(uploads(converterFiles(format, weights)));
      await expect(rows, format).toHaveCount(i + 2);
      await app.waitForModel('imported');
      await expect(page.getByRole('alert')).toHaveCount(0);
      await app.clear();
      await app.draw(DIGITS['3']!);
      expect(await app.predictedDigit(), format).toBe('3');
      expect(await app.probabilityValues(), format).toEqual(served);
    }
  });

  test('a topology far larger than its weights is refused before anything is allocated; bad imports leave memory as it was', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await app.draw(DIGITS['7']!);
    expect(await app.predictedDigit()).toBe('7');
    const before = await predictionWorkerMemory(page);
    expect(before.wasmHeapBytes).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      const units = 300_000 + i;
      await importInput(page).setInputFiles(uploads(oversizedTopologyFiles(units)));
      const alert = page.getByRole('alert').filter({ hasText: 'Import failed' });
      await expect(alert).toContainText(`need a weight dense/kernel of shape [784, ${units}]`);
      await expect(alert).toContainText('Your current model is still in use.');
    }
    const after = await predictionWorkerMemory(page);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.tensorBytes).toBe(before.tensorBytes);
    // The wasm heap grows for a large allocation and never shrinks: unchanged means nothing was allocated.
    expect(after.wasmHeapBytes).toBe(before.wasmHeapBytes);
    if (before.jsHeapBytes !== undefined) expect(after.jsHeapBytes! - before.jsHeapBytes).toBeLessThan(32 * 1024 * 1024);
    const pageHeap = await page.evaluate(() => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    expect(pageHeap).toBeLessThan(256 * 1024 * 1024);
    await expect(app.modelStatus).toHaveAttribute('data-source', 'pretrained');
    await app.clear();
    await app.draw(DIGITS['7']!);
    expect(await app.predictedDigit()).toBe('7');
  });

  test('damaged model records in IndexedDB are skipped with a message; odd fields blank nothing', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
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
    await page.reload();
    await app.waitForModel('pretrained');
    const rows = page.locator('table.models tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'Unnamed model' })).toHaveCount(1);
    await expect(rows.filter({ hasText: 'Undated' })).toHaveCount(1);
    await expect(page.getByText('2 saved model records are damaged or from another version and not shown.')).toBeVisible();
    await app.draw(DIGITS['7']!);
    expect(await app.predictedDigit()).toBe('7');
    expect(problems).toEqual([]);
  });

  test('evaluation: accuracy matches the model card, per digit, confusion matrix cells open their images', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    const cardAccuracy = (await app.testAccuracy.textContent())!;
    await page.getByRole('button', { name: 'Evaluate the model in use' }).click();
    await expect(page.getByTestId('evaluation-summary')).toContainText(`Accuracy ${cardAccuracy}`, { timeout: 120_000 });
    const cells = page.getByTestId('confusion-matrix').locator('button.cell');
    await expect(cells).toHaveCount(100);
    const counts = await cells.allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(10_000);
    // Rows are true digits: each row sums to MNIST's published count of that digit in the test set.
    const rows = Array.from({ length: 10 }, (_, t) => counts.slice(t * 10, t * 10 + 10).map(Number).reduce((a, b) => a + b, 0));
    expect(rows).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    await expect(page.locator('.per-digit [data-digit]')).toHaveCount(10);
    // The gallery first shows mistakes; a click on the 7 -> 7 cell shows correctly read sevens.
    await expect(page.getByTestId('gallery').locator('li').first()).toBeVisible();
    await page.getByRole('button', { name: /images of 7 predicted as 7$/ }).click();
    await expect(page.getByRole('heading', { name: 'Test images of 7 predicted as 7' })).toBeVisible();
    await expect(page.getByTestId('gallery').locator('li').first()).toContainText('true 7 → 7');
  });

  test('the app’s own CNN can be trained further; saved models can be switched, renamed and deleted', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    const pretrainedAccuracy = Number.parseFloat((await app.testAccuracy.textContent())!);
    await page.getByLabel(/Continue from the model in use/).check();
    await app.train(1, 256, 'workshop');
    await app.waitForTrainedModel();
    await expect(app.modelStatus).toContainText('workshop original');
    // Two more batches on top of a 98.9% model stay far above what 2 batches from scratch reach (~40%).
    expect(Number.parseFloat((await app.testAccuracy.textContent())!)).toBeGreaterThan(pretrainedAccuracy - 3);

    const rows = page.locator('table.models tbody tr');
    await expect(rows).toHaveCount(2);
    await page.getByRole('button', { name: /^Use Pre-trained/ }).click();
    await app.waitForModel('pretrained');
    page.once('dialog', (dialog) => dialog.accept('My first model'));
    await page.getByRole('button', { name: /^Rename Trained/ }).click();
    await expect(rows.filter({ hasText: 'My first model' })).toHaveCount(1);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Delete My first model' }).click();
    await expect(rows).toHaveCount(1);
    await expect(page.getByRole('button', { name: /^Delete Pre-trained/ })).toBeDisabled();
    await page.reload();
    await app.waitForModel('pretrained');
    await expect(rows).toHaveCount(1);
  });
});
