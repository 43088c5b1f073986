/**
 * The core journey of a new user, run against both servers the project documents: nginx with the container's
 * configuration (project "nginx") and the README's own `npm start`, i.e. `vite preview` (project "npm-start").
 * The two differ where it matters: vite preview sends the gzip MNIST files with Content-Encoding: gzip, nginx
 * does not.
 */
import { expect, test } from './fixtures';

test.describe('a new user’s first visit', () => {
  test.setTimeout(300_000);

  test('draws and reads a digit, trains 1 epoch on 2048 images on the backend it reports, and finds the model after a reload', async ({
    app,
    drawing,
    training,
    modelStatus,
    about,
  }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await drawing.draw('7');
    await drawing.expectReading('7');
    await drawing.clear();

    // On these machines WebGL is SwiftShader (software), so wasm must have been chosen, and the reason says why.
    await expect(training.backend).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(training.backend).toContainText(/SwiftShader|software/i);

    await training.train({ epochs: 1, images: 2048 });
    await expect(training.progress).toBeVisible({ timeout: 60_000 });
    await expect(training.progress).toHaveAttribute('aria-valuemax', '16');
    // Every core trains on wasm: one worker per core, as the progress line says.
    const cores = await app.page.evaluate(() => navigator.hardwareConcurrency);
    await expect(training.workers).toHaveAttribute('data-workers', String(Math.min(8, cores)));
    await expect(training.workers).toHaveText(`on ${Math.min(8, cores)} ${cores === 1 ? 'worker' : 'workers'}`);
    await expect.poll(() => training.batchesDone(), { timeout: 120_000 }).toBeGreaterThan(2);
    await expect(training.cancelButton).toBeVisible();

    await training.waitForTrainedModel();
    await expect(training.progress).toBeHidden();
    const accuracy = await modelStatus.testAccuracyText();
    // The default recipe augments for drawn digits, and the model's card says so.
    await expect(modelStatus.card).toContainText('for drawn digits (augmented)');
    // 16 steps of Keras' Adadelta reach well above chance (10%) on the 10,000 test images: about 55-75% with the
    // default recipe, whose augmented images make the first steps noisier than plain MNIST's.
    expect(Number.parseFloat(accuracy)).toBeGreaterThan(30);

    // Storage figures update themselves: the saved model shows without pressing anything.
    await expect.poll(() => about.storageUsedMB(), { timeout: 20_000 }).toBeGreaterThan(1);

    await app.reload();
    await modelStatus.waitForModel('trained');
    await expect(modelStatus.testAccuracy).toHaveText(accuracy);
    await drawing.draw('1');
    expect(await drawing.reading()).toMatch(/^[0-9]$/);
  });
});
