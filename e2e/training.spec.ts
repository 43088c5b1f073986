import { expect, panelsFor, test } from './fixtures';
import { withPersistentContext } from './persistentContext';
import { emptyStorage, fillStorage, holdStore, limitStorage, storedWeights } from './siteStorage';

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
      await limitStorage(page, baseURL!, 64e6);
      const { app, drawing, training, modelStatus } = panelsFor(page);
      await app.goto();
      await modelStatus.waitForModel('pretrained');
      await page.evaluate(() => navigator.serviceWorker.ready);
      // Less room than a new model (4.8 MB) needs.
      const chunks = await fillStorage(page, { leaveFreeMB: 2 });
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
      const stored = await storedWeights(page);
      expect(stored).toEqual(['digit-lab-model-pretrained']);
    });
  });

  test('a full disk when the card is written: the weights are kept, and after a reload the run is in your models and reads', async ({ baseURL }) => {
    await withPersistentContext(baseURL, async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await limitStorage(page, baseURL!, 64e6);
      const { app, drawing, training, modelStatus, library } = panelsFor(page);
      await app.goto();
      await modelStatus.waitForModel('pretrained');
      await page.evaluate(() => navigator.serviceWorker.ready);

      // The run's weights are saved with room to spare; its card, written by the library once the run is over, is
      // kept waiting by a transaction of the test's on the cards' store, and the disk is filled meanwhile. The run
      // is over (weights saved and checked, finished run recorded) once its worker lets go of the training lock.
      await training.train({ epochs: 1, images: 256 });
      await expect.poll(() => app.heldLocks(), { timeout: 60_000 }).toContain('digit-lab-training');
      const cards = await holdStore(page, 'models');
      expect(await app.heldLocks(), 'the run must still be training once the cards are held').toContain('digit-lab-training');
      await expect.poll(() => app.heldLocks(), { timeout: 180_000 }).not.toContain('digit-lab-training');
      expect(await fillStorage(page, { leaveFreeMB: 0 })).toBeGreaterThan(10);
      await cards.release();

      await expect(app.alert).toContainText('Training finished, but the new model could not be added to your models.', { timeout: 60_000 });
      await expect(app.alert).toContainText('The browser has no storage space left for this site.');
      await expect(app.alert).toContainText('Its weights are kept: it is added to your models the next time the app starts.');
      await expect(training.progress).toBeHidden();
      await expect(modelStatus.card).toHaveAttribute('data-source', 'pretrained');
      await expect(library.models).toHaveCount(1);
      // Kept: its checked weights, and the finished run's record with the card it is to get.
      const finished = (await app.setting('finishedRuns')) as Array<{ id: string; card: { name: string } }>;
      expect(finished).toHaveLength(1);
      const { id, card } = finished[0]!;
      expect(card.name).toMatch(/^Trained /);
      expect(await storedWeights(page)).toEqual([`digit-lab-model-${id}`, 'digit-lab-model-pretrained'].sort());

      // Space freed, the next start-up gives the weights their card: the run is in the library, and it reads.
      await emptyStorage(page);
      await app.reload();
      await modelStatus.waitForModel('pretrained');
      await expect(library.modelsNamed(card.name)).toHaveCount(1);
      await expect(library.models).toHaveCount(2);
      expect(await app.setting('finishedRuns')).toBeUndefined();
      await library.use(card.name);
      await modelStatus.waitForModel('trained');
      await expect(modelStatus.card).toContainText('1 epoch on 256 images');
      await drawing.draw('7');
      expect(await drawing.reading()).toMatch(/^[0-9]$/);
      // Nothing of the run is left to resume.
      await expect(training.anyResumeButton).toHaveCount(0);
    });
  });
});
