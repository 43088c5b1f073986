/**
 * The core journey of a new user, run against both servers the project documents: nginx with the container's
 * configuration (project "nginx") and the README's own `npm start`, i.e. `vite preview` (project "npm-start").
 * The two differ where it matters: vite preview sends the gzip MNIST files with Content-Encoding: gzip, nginx
 * does not.
 */
import { expect, test } from '@playwright/test';
import { DIGITS, DigitLabPage } from './pages/DigitLabPage';

test.describe('a new user’s first visit', () => {
  test.setTimeout(300_000);

  test('draws and reads a digit, trains 1 epoch on 2048 images on the backend it reports, and finds the model after a reload', async ({ page }) => {
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await app.draw(DIGITS['7']!);
    expect(await app.predictedDigit()).toBe('7');
    await app.clear();

    // On these machines WebGL is SwiftShader (software), so wasm must have been chosen, and the reason says why.
    await expect(app.backend).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(app.backend).toContainText(/SwiftShader|software/i);

    await app.train(1, 2048);
    await expect(app.progress).toBeVisible({ timeout: 60_000 });
    await expect(app.progress).toHaveAttribute('aria-valuemax', '16');
    await expect.poll(async () => Number(await app.progress.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThan(2);
    await expect(page.getByRole('button', { name: 'Cancel training' })).toBeVisible();

    await app.waitForTrainedModel();
    await expect(app.progress).toBeHidden();
    const accuracy = await app.testAccuracy.textContent();
    // The default recipe augments for drawn digits, and the model's card says so.
    await expect(app.modelStatus).toContainText('for drawn digits (augmented)');
    // 16 steps of Keras' Adadelta reach well above chance (10%) on the 10,000 test images: about 55-75% with the
    // default recipe, whose augmented images make the first steps noisier than plain MNIST's.
    expect(Number.parseFloat(accuracy!)).toBeGreaterThan(30);

    // Storage figures update themselves: the saved model shows without pressing anything.
    await expect.poll(async () => Number.parseFloat((await page.getByTestId('storage-usage').textContent()) ?? '0'), { timeout: 20_000 }).toBeGreaterThan(1);

    await page.reload();
    await app.waitForModel('trained');
    await expect(app.testAccuracy).toHaveText(accuracy!);
    await app.draw(DIGITS['1']!);
    expect(await app.predictedDigit()).toMatch(/^[0-9]$/);
  });
});
