import { expect, test } from '@playwright/test';
import { DIGITS, DigitLabPage } from './pages/DigitLabPage';

test('draws digits with the mouse and the pre-trained model reads them', async ({ page }) => {
  const app = new DigitLabPage(page);
  await app.goto();
  await app.waitForModel('pretrained');
  await expect(app.prediction).toHaveText('');
  await expect(app.prediction).toHaveAttribute('aria-busy', 'false');
  for (const [digit, strokes] of Object.entries(DIGITS)) {
    await app.draw(strokes);
    expect(await app.predictedDigit(), `drawn ${digit}`).toBe(digit);
    const confidence = Number(await app.prediction.getAttribute('data-confidence'));
    expect(confidence).toBeGreaterThan(0.5);
    const probabilities = await app.probabilities.locator('[data-digit]').evaluateAll((items) =>
      items.map((li) => Number(li.getAttribute('data-probability'))),
    );
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    await app.clear();
    await expect(app.prediction).toHaveText('');
  }
});
