import { expect, test } from '@playwright/test';
import { withPersistentContext } from './persistentContext';
import { DIGITS, DigitLabPage } from './pages/DigitLabPage';

test.describe('training in the browser', () => {
  test.setTimeout(300_000);

  test('cancelling mid-way keeps the previous model, which still predicts', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    const before = await app.testAccuracy.textContent();
    await app.draw(DIGITS['7']!);
    const digitBefore = await app.predictedDigit();
    const probabilitiesBefore = await app.probabilityValues();

    await app.train(1, 60000);
    await expect.poll(async () => Number(await app.progress.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThan(1);
    // Predictions stay live while training runs: a new drawing gets its digit from the prediction worker.
    await app.clear();
    await app.draw(DIGITS['1']!);
    expect(await app.predictedDigit()).toBe('1');
    await expect(app.progress).toBeVisible();
    await app.clear();
    await app.draw(DIGITS['7']!);
    await page.getByRole('button', { name: 'Cancel training' }).click();
    await expect(page.getByText('Training cancelled. Your previous model is unchanged.')).toBeVisible({ timeout: 60_000 });
    await expect(app.progress).toBeHidden();

    await expect(app.modelStatus).toHaveAttribute('data-source', 'pretrained');
    await expect(app.testAccuracy).toHaveText(before!);
    await app.clear();
    await app.draw(DIGITS['7']!);
    expect(await app.predictedDigit()).toBe(digitBefore);
    const probabilitiesAfter = await app.probabilityValues();
    expect(probabilitiesAfter).toEqual(probabilitiesBefore);

    // Still there after a reload, and no half-trained checkpoint is offered.
    await page.reload();
    await app.waitForModel('pretrained');
    await expect(page.getByRole('button', { name: /Resume training/ })).toHaveCount(0);
  });

  test('a reload mid-run keeps the checkpoint of the last finished epoch, and training resumes from it', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await app.train(2, 512);
    // The second epoch starts only after the first one's checkpoint is written.
    await expect(app.progress).toHaveAttribute('aria-valuetext', /^Epoch 2 of 2/, { timeout: 180_000 });
    await page.reload();
    await app.waitForModel('pretrained');
    const resume = page.getByRole('button', { name: 'Resume training (epoch 2 of 2)' });
    await expect(resume).toBeVisible();
    await resume.click();
    await expect(app.progress).toHaveAttribute('aria-valuetext', /^Epoch 2 of 2/, { timeout: 60_000 });
    await app.waitForTrainedModel();
    await expect(app.modelStatus).toContainText('2 epochs on 512 images');
    await expect(resume).toHaveCount(0);
  });

  test('when the WebGL context is lost mid-run (the GPU process crashes), training carries on with wasm and finishes', async ({ page, browser }) => {
    // WebGL is SwiftShader here: one batch takes a minute or more, so this run is two batches.
    test.setTimeout(480_000);
    const app = new DigitLabPage(page);
    await app.goto('?backend=webgl');
    await app.waitForModel('pretrained');
    await expect(app.backend).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
    await app.train(1, 256);
    // A batch finished on WebGL proves the context was in use before it is lost.
    await expect.poll(async () => Number(await app.progress.getAttribute('aria-valuenow')), { timeout: 360_000 }).toBeGreaterThanOrEqual(1);
    await expect(app.backend).toHaveAttribute('data-backend', 'webgl');

    // What a GPU reset or driver crash does to every WebGL context of the browser, the worker's included.
    const cdp = await browser.newBrowserCDPSession();
    await cdp.send('Browser.crashGpuProcess');
    await expect(app.backend).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(app.backend).toContainText('WebGL failed (the WebGL context was lost); continued on wasm');

    await app.waitForTrainedModel();
    await expect(app.modelStatus).toContainText('1 epoch on 256 images (wasm');
    await app.draw(DIGITS['1']!);
    expect(await app.predictedDigit()).toMatch(/^[0-9]$/);
  });

  test('a full disk: the save fails with a message that says so, and the previous model stays in use', async ({ baseURL }) => {
    await withPersistentContext(baseURL, async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      // A small site quota, set before the site stores anything: set later, it did not reach the training
      // worker's writes in our tries.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 64e6 });
      const app = new DigitLabPage(page);
      await app.goto();
      await app.waitForModel('pretrained');
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

      const accuracy = await app.testAccuracy.textContent();
      await app.draw(DIGITS['7']!);
      const probabilities = await app.probabilityValues();

      await app.train(1, 128);
      // Where even tfjs's small index record does not fit, its own error says so; otherwise the save is lost
      // silently and the app's check finds out. Either way the message names the full disk.
      await expect(page.getByRole('alert')).toContainText('The browser has no storage space left for this site', { timeout: 180_000 });
      await expect(page.getByRole('alert')).toContainText('Your previous model is unchanged.');
      await expect(app.progress).toBeHidden();
      await expect(app.modelStatus).toHaveAttribute('data-source', 'pretrained');
      await expect(app.testAccuracy).toHaveText(accuracy!);
      await app.clear();
      await app.draw(DIGITS['7']!);
      await app.predictedDigit();
      expect(await app.probabilityValues()).toEqual(probabilities);

      // Nothing half-saved is left behind: after a reload the pre-trained model is still the one in use, and the
      // model library lists it alone.
      await page.reload();
      await app.waitForModel('pretrained');
      await expect(app.testAccuracy).toHaveText(accuracy!);
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
