import { expect, test } from '@playwright/test';
import { TABLET_BOX, WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { readPenDigits } from '../scripts/pendigits';
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

test('on a 360 px phone: no sideways scrolling, and pen and touch strokes draw', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const app = new DigitLabPage(page);
  await app.goto();
  await app.waitForModel('pretrained');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const box = (await app.pad.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(300);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  // The canvas is crisp: its backing store follows the device pixel ratio.
  expect(await app.pad.evaluate((c: HTMLCanvasElement) => c.width / c.clientWidth)).toBe(3);

  for (const pointerType of ['pen', 'touch'] as const) {
    await app.pad.evaluate((canvas, type) => {
      const r = canvas.getBoundingClientRect();
      const at = (x: number, y: number) => ({ clientX: r.left + x * r.width, clientY: r.top + y * r.height, pointerId: 7, pointerType: type, isPrimary: true, bubbles: true, button: 0, buttons: 1 });
      canvas.dispatchEvent(new PointerEvent('pointerdown', at(0.5, 0.15)));
      for (let i = 1; i <= 10; i++) canvas.dispatchEvent(new PointerEvent('pointermove', at(0.5, 0.15 + i * 0.07)));
      canvas.dispatchEvent(new PointerEvent('pointerup', { ...at(0.5, 0.85), buttons: 0 }));
    }, pointerType);
    expect(await app.predictedDigit(), pointerType).toBe('1');
    await app.clear();
  }
  await context.close();
});

test('keyboard: the pad, Undo and Clear are reachable; Ctrl+Z undoes the last stroke, Escape clears', async ({ page }) => {
  const app = new DigitLabPage(page);
  await app.goto();
  await app.waitForModel('pretrained');
  // A 4 in two strokes: undo takes the second one away; Escape takes everything.
  await app.draw([[[0.3, 0.15], [0.28, 0.55], [0.72, 0.55]], [[0.62, 0.2], [0.62, 0.88]]]);
  expect(await app.predictedDigit()).toBe('4');
  const both = await app.probabilityValues();
  await app.pad.focus();
  await expect(app.pad).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(app.prediction).toHaveAttribute('aria-busy', 'false');
  await expect
    .poll(() => app.probabilityValues())
    .not.toEqual(both);
  await expect(app.prediction).toHaveText(/^[0-9]$/);
  await page.keyboard.press('Escape');
  await expect(app.prediction).toHaveText('');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await app.draw(DIGITS['7']!);
  await page.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press('Enter');
  await expect(app.prediction).toHaveText('');
});

test('a real pen digit drawn small in a corner and large in the centre gets the same input and the same reading', async ({ page }) => {
  const app = new DigitLabPage(page);
  await app.goto();
  await app.waitForModel('pretrained');
  const pen = byWriters(readPenDigits(), WRITER_SPLIT.evaluate);
  for (const label of [4, 7, 2]) {
    const { strokes } = pen.find((d) => d.label === label)!;
    await app.drawPen(strokes, TABLET_BOX, { left: 0.02, top: 0.02, size: 0.22 });
    const small = await app.predictedDigit();
    const smallInput = await app.modelInput();
    await app.clear();
    await app.drawPen(strokes, TABLET_BOX, { left: 0.05, top: 0.05, size: 0.9 });
    const large = await app.predictedDigit();
    const largeInput = await app.modelInput();
    await app.clear();
    expect(large, `pen ${label}`).toBe(String(label));
    expect(small, `pen ${label}, small in the corner`).toBe(large);
    const mse = smallInput.reduce((sum, v, i) => sum + ((v - largeInput[i]!) / 255) ** 2, 0) / 784;
    expect(mse, `pen ${label}`).toBeLessThan(0.01);
  }
});
