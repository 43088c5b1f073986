import { expect, panelsFor, test } from './fixtures';
import { withPersistentContext } from './persistentContext';

test.describe('training in the browser', () => {
  test.setTimeout(300_000);

  test('cancelling mid-way keeps the previous model, which still predicts', async ({ app, drawing, training, modelStatus }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    const before = await modelStatus.testAccuracyText();
    await drawing.draw('7');
    const digitBefore = await drawing.reading();
    const probabilitiesBefore = await drawing.probabilityValues();

    await training.train({ epochs: 1, images: 60000 });
    await expect.poll(() => training.batchesDone(), { timeout: 120_000 }).toBeGreaterThan(1);
    // Predictions stay live while training runs: a new drawing gets its digit from the prediction worker.
    await drawing.clear();
    await drawing.draw('1');
    await drawing.expectReading('1');
    await expect(training.progress).toBeVisible();
    await drawing.clear();
    await drawing.draw('7');
    await training.cancel();
    await expect(training.cancelledMessage).toBeVisible({ timeout: 60_000 });
    await expect(training.progress).toBeHidden();

    await expect(modelStatus.card).toHaveAttribute('data-source', 'pretrained');
    await expect(modelStatus.testAccuracy).toHaveText(before);
    await drawing.clear();
    await drawing.draw('7');
    await drawing.expectReading(digitBefore);
    const probabilitiesAfter = await drawing.probabilityValues();
    expect(probabilitiesAfter).toEqual(probabilitiesBefore);

    // Still there after a reload, and no half-trained checkpoint is offered.
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    await expect(training.anyResumeButton).toHaveCount(0);
  });

  test('a reload mid-run keeps the checkpoint of the last finished epoch, and training resumes from it', async ({ app, training, modelStatus }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await training.train({ epochs: 2, images: 512 });
    // The second epoch starts only after the first one's checkpoint is written.
    await expect(training.progress).toHaveAttribute('aria-valuetext', /^Epoch 2 of 2/, { timeout: 180_000 });
    await app.reload();
    await modelStatus.waitForModel('pretrained');
    const resume = training.resumeButton('epoch 2 of 2');
    await expect(resume).toBeVisible();
    await resume.click();
    await expect(training.progress).toHaveAttribute('aria-valuetext', /^Epoch 2 of 2/, { timeout: 60_000 });
    await training.waitForTrainedModel();
    await expect(modelStatus.card).toContainText('2 epochs on 512 images');
    await expect(resume).toHaveCount(0);
  });

  test('when the WebGL context is lost mid-run (the GPU process crashes), training carries on with wasm and finishes', async ({
    app,
    drawing,
    training,
    modelStatus,
    browser,
  }) => {
    // WebGL is SwiftShader here: one batch takes a minute or more, so this run is two batches.
    test.setTimeout(480_000);
    await app.goto('?backend=webgl');
    await modelStatus.waitForModel('pretrained');
    await expect(training.backend).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
    await training.train({ epochs: 1, images: 256 });
    // A batch finished on WebGL proves the context was in use before it is lost.
    await expect.poll(() => training.batchesDone(), { timeout: 360_000 }).toBeGreaterThanOrEqual(1);
    await expect(training.backend).toHaveAttribute('data-backend', 'webgl');

    // What a GPU reset or driver crash does to every WebGL context of the browser, the worker's included.
    const cdp = await browser.newBrowserCDPSession();
    await cdp.send('Browser.crashGpuProcess');
    await expect(training.backend).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(training.backend).toContainText('WebGL failed (the WebGL context was lost); continued on wasm');

    await training.waitForTrainedModel();
    await expect(modelStatus.card).toContainText('1 epoch on 256 images (wasm');
    await drawing.draw('1');
    expect(await drawing.reading()).toMatch(/^[0-9]$/);
  });

  test('a full disk: the save fails with a message that says so, and the previous model stays in use', async ({ baseURL }) => {
    await withPersistentContext(baseURL, async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      // A small site quota, set before the site stores anything: set later, it did not reach the training
      // worker's writes in our tries.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 64e6 });
      const { app, drawing, training, modelStatus } = panelsFor(page);
      await app.goto();
      await modelStatus.waitForModel('pretrained');
      await page.evaluate(() => navigator.serviceWorker.ready);
      // Fill the rest with 1 MB chunks of random bytes (stored values are compressed) until a write is refused,
      // then free two: less room than a new model (4.8 MB) needs.
      const chunks = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('ballast', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('chunks');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const write = (store: (s: IDBObjectStore) => void) =>
          new Promise<string>((resolve) => {
            const tx = db.transaction('chunks', 'readwrite');
            store(tx.objectStore('chunks'));
            tx.oncomplete = () => resolve('ok');
            tx.onabort = () => resolve(tx.error?.name ?? 'AbortError');
          });
        for (let i = 0; i < 100; i++) {
          const chunk = new Uint8Array(1 << 20);
          for (let j = 0; j < chunk.length; j += 65536) crypto.getRandomValues(chunk.subarray(j, j + 65536));
          const result = await write((s) => s.put(chunk, i));
          if (result === 'QuotaExceededError') {
            await write((s) => s.delete(IDBKeyRange.bound(i - 2, i - 1)));
            return i;
          }
          if (result !== 'ok') throw new Error(result);
        }
        return -1; // never full: the quota override did not apply
      });
      expect(chunks).toBeGreaterThan(10);

      const accuracy = await modelStatus.testAccuracyText();
      await drawing.draw('7');
      const probabilities = await drawing.probabilityValues();

      await training.train({ epochs: 1, images: 128 });
      // Where even tfjs's small index record does not fit, its own error says so; otherwise the save is lost
      // silently and the app's check finds out. Either way the message names the full disk.
      await expect(app.alert).toContainText('The browser has no storage space left for this site', { timeout: 180_000 });
      await expect(app.alert).toContainText('Your previous model is unchanged.');
      await expect(training.progress).toBeHidden();
      await expect(modelStatus.card).toHaveAttribute('data-source', 'pretrained');
      await expect(modelStatus.testAccuracy).toHaveText(accuracy);
      await drawing.clear();
      await drawing.draw('7');
      await drawing.reading();
      expect(await drawing.probabilityValues()).toEqual(probabilities);

      // Nothing half-saved is left behind: after a reload the pre-trained model is still the one in use, and the
      // model library lists it alone.
      await app.reload();
      await modelStatus.waitForModel('pretrained');
      await expect(modelStatus.testAccuracy).toHaveText(accuracy);
      const stored = await page.evaluate(
        () =>
          new Promise<string[]>((resolve, reject) => {
            const open = indexedDB.open('tensorflowjs');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const request = open.result.transaction('model_info_store').objectStore('model_info_store').getAllKeys();
              request.onsuccess = () => resolve(request.result.map(String));
            };
          }),
      );
      expect(stored).toEqual(['digit-lab-model-pretrained']);
    });
  });
});
