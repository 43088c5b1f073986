/**
 * Keras files in and out in the browser: the real .h5 and .keras files other people made
 * (src/testing/keras-models/) imported through the real file input, read as the independent h5py + numpy reader
 * reads them; the app's export as .h5 and .keras read back by that reader and imported into a fresh profile with
 * identical probabilities; refusals with their reasons; and the HDF5 reader (4.8 MB) never downloaded on a first
 * visit, only once a Keras file is picked, and kept for offline use from then on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from '@playwright/test';
import { KERAS_MODELS_DIR, REAL_KERAS_FILES, describeKerasFile, referenceProbabilities, writeTestKerasFile } from '../src/testing/keras/reference';
import { expect, freshProfileImporting, test } from './fixtures';

const KERAS_CHUNK = /\/assets\/keras-[^/]+\.js$/;
const HDF5_CHUNK = /\/assets\/keras-hdf5_hl-[^/]+\.js$/;

/** The reference's probabilities for the image the page shows it gave the model (0..255, so rounded). */
function referenceFor(path: string, input: number[]): number[] {
  return referenceProbabilities(path, Float32Array.from(input, (v) => v / 255), 1)[0]!;
}

test.describe('Keras files', () => {
  test.setTimeout(240_000);

  test('the real .h5 and .keras files import through the file input and read as the independent reader does', async ({ app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    for (const [i, name] of REAL_KERAS_FILES.entries()) {
      const path = join(KERAS_MODELS_DIR, name);
      await library.importFiles(path);
      await expect(library.modelsNamed(`Imported ${name}`)).toHaveCount(1);
      await modelStatus.waitForModel('imported');
      await expect(library.models).toHaveCount(i + 2);
      await drawing.draw('3');
      const reading = await drawing.reading();
      const shown = await drawing.probabilityNumbers();
      const reference = referenceFor(path, await drawing.modelInput());
      // The preview rounds the input to 8 bits; within that, the same probabilities and the same digit.
      expect(Math.max(...shown.map((p, d) => Math.abs(p - reference[d]!))), name).toBeLessThan(0.02);
      expect(reading, name).toBe(String(reference.indexOf(Math.max(...reference))));
      await drawing.clear();
    }
  });

  for (const format of ['h5', 'keras'] as const) {
    test(`export as ${format}: the independent reader sees the model's layers and predictions; a fresh profile imports it with identical probabilities`, async ({
      app,
      modelStatus,
      library,
      drawing,
      browser,
    }) => {
      await app.goto();
      await modelStatus.waitForModel('pretrained');
      await drawing.draw('3');
      await drawing.reading();
      const before = await drawing.probabilityValues();
      const input = await drawing.modelInput();
      await library.showArchitecture();
      await expect(library.architecture).toContainText('Conv2D');

      await library.chooseExportFormat(format);
      const [path, ...others] = await library.exportFiles(mkdtempSync(join(tmpdir(), 'digit-lab-keras-')), 1);
      expect(others).toEqual([]);
      expect(path!.split('/').pop()).toBe(`model.${format}`);
      const described = describeKerasFile(path!);
      expect(described.model_class).toBe('Sequential');
      const layers = described.layers.filter((l) => l.class !== 'InputLayer');
      expect(layers.map((l) => l.class)).toEqual(['Conv2D', 'Conv2D', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'Dropout', 'Dense']);
      expect(layers.flatMap((l) => l.weights)).toEqual([[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [9216, 128], [128], [128, 10], [10]]);
      const reference = referenceFor(path!, input);
      expect(Math.max(...before.map((p, d) => Math.abs(Number(p) - reference[d]!)))).toBeLessThan(0.02);

      const second = await freshProfileImporting(browser, [path!]);
      await expect(second.library.modelsNamed(`Imported model.${format}`)).toHaveCount(1);
      await second.drawing.draw('3');
      await second.drawing.reading();
      expect(await second.drawing.probabilityValues()).toEqual(before);
      await second.close();
    });
  }

  test('a Lambda layer is refused with the reason; a model without a softmax reads through one and says so', async ({ app, modelStatus, library, drawing }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await library.importFiles(writeTestKerasFile('lambda'));
    await expect(library.importError).toContainText('its layer lambda_1 is a Lambda layer, which holds Python code');
    await expect(library.importError).toContainText('Your current model is still in use');
    await modelStatus.waitForModel('pretrained');
    await drawing.draw('3');
    await expect(drawing.prediction).toHaveText(/^[0-9]$/);

    await library.importFiles(writeTestKerasFile('no-softmax'));
    await modelStatus.waitForModel('imported');
    await expect(library.notice('gives raw scores, not probabilities: Digit Lab reads them through a softmax')).toBeVisible();
    await drawing.draw('1');
    await drawing.reading();
    const sum = (await drawing.probabilityNumbers()).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 2);
  });

  test('a first visit downloads no Keras code; the first Keras import does, once, and it works offline from then on', async ({ app, modelStatus, library, context }) => {
    // Every request, and which of them the service worker made (its own fetches: what came over the network).
    const requests: string[] = [];
    const network: string[] = [];
    const record = (request: Request) => {
      requests.push(request.url());
      if (request.serviceWorker()) network.push(request.url());
    };
    context.on('request', record);
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await app.waitForServiceWorker();
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((url) => KERAS_CHUNK.test(url)), 'nothing of the Keras reader on a first visit').toEqual([]);

    await library.importFiles(join(KERAS_MODELS_DIR, REAL_KERAS_FILES[1]!));
    await modelStatus.waitForModel('imported');
    expect(network.filter((url) => HDF5_CHUNK.test(url)), 'the HDF5 reader came over the network once').toHaveLength(1);
    const fetchedBefore = network.length;

    await context.setOffline(true);
    await app.reload();
    await modelStatus.waitForModel('imported');
    await library.importFiles(join(KERAS_MODELS_DIR, REAL_KERAS_FILES[2]!));
    await expect(library.modelsNamed(`Imported ${REAL_KERAS_FILES[2]}`)).toHaveCount(1);
    await expect(library.importError).toHaveCount(0);
    expect(network.slice(fetchedBefore).filter((url) => KERAS_CHUNK.test(url)), 'offline: the Keras reader came from the cache').toEqual([]);
    await context.setOffline(false);
    context.off('request', record);
  });
});
