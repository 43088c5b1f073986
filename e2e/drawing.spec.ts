import { TABLET_BOX, WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { HAND_DRAWN_DIGITS, type HandDrawnDigit, type Stroke } from '../scripts/handDrawnDigits';
import { readPenDigits } from '../scripts/pendigits';
import { expect, panelsFor, test } from './fixtures';

test('draws digits with the mouse and the pre-trained model reads them', async ({ app, modelStatus, drawing }) => {
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  await expect(drawing.prediction).toHaveText('');
  await expect(drawing.prediction).toHaveAttribute('aria-busy', 'false');
  for (const digit of Object.keys(HAND_DRAWN_DIGITS) as HandDrawnDigit[]) {
    await drawing.draw(digit);
    await drawing.expectReading(digit, `drawn ${digit}`);
    expect(await drawing.confidence()).toBeGreaterThan(0.5);
    const probabilities = await drawing.probabilityNumbers();
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    await drawing.clear();
    await expect(drawing.prediction).toHaveText('');
  }
});

test('on a 360 px phone: no sideways scrolling, and pen and touch strokes draw', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const { app, modelStatus, drawing } = panelsFor(await context.newPage());
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  expect(await app.contentWidth()).toBeLessThanOrEqual(360);
  const box = await drawing.padBox();
  expect(box.width).toBeGreaterThanOrEqual(300);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  // The canvas is crisp: its backing store follows the device pixel ratio.
  expect(await drawing.padPixelRatio()).toBe(3);

  // A 1: one stroke straight down the middle, in eleven samples.
  const one: Stroke = Array.from({ length: 11 }, (_, i): [number, number] => [0.5, 0.15 + i * 0.07]);
  for (const pointerType of ['pen', 'touch'] as const) {
    await drawing.drawWithPointer(pointerType, one);
    await drawing.expectReading('1', pointerType);
    await drawing.clear();
  }
  await context.close();
});

test('keyboard: the pad, Undo and Clear are reachable; Ctrl+Z undoes the last stroke, Escape clears', async ({ app, modelStatus, drawing }) => {
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  // A 4 in two strokes: undo takes the second one away; Escape takes everything.
  await drawing.drawStrokes([[[0.3, 0.15], [0.28, 0.55], [0.72, 0.55]], [[0.62, 0.2], [0.62, 0.88]]]);
  await drawing.expectReading('4');
  const both = await drawing.probabilityValues();
  await drawing.focusPad();
  await expect(drawing.pad).toBeFocused();
  await drawing.pressUndoShortcut();
  await expect(drawing.prediction).toHaveAttribute('aria-busy', 'false');
  await expect
    .poll(() => drawing.probabilityValues())
    .not.toEqual(both);
  await expect(drawing.prediction).toHaveText(/^[0-9]$/);
  await drawing.pressClearShortcut();
  await expect(drawing.prediction).toHaveText('');
  await expect(drawing.undoButton).toBeDisabled();
  await drawing.draw('7');
  await drawing.undoWithKeyboard();
  await expect(drawing.prediction).toHaveText('');
});

test('a real pen digit drawn small in a corner and large in the centre gets the same input and the same reading', async ({ app, modelStatus, drawing }) => {
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  const pen = byWriters(readPenDigits(), WRITER_SPLIT.evaluate);
  for (const label of [4, 7, 2]) {
    const { strokes } = pen.find((d) => d.label === label)!;
    await drawing.drawPen(strokes, TABLET_BOX, { left: 0.02, top: 0.02, size: 0.22 });
    const small = await drawing.reading();
    const smallInput = await drawing.modelInput();
    await drawing.clear();
    await drawing.drawPen(strokes, TABLET_BOX, { left: 0.05, top: 0.05, size: 0.9 });
    const large = await drawing.reading();
    const largeInput = await drawing.modelInput();
    await drawing.clear();
    expect(large, `pen ${label}`).toBe(String(label));
    expect(small, `pen ${label}, small in the corner`).toBe(large);
    const mse = smallInput.reduce((sum, v, i) => sum + ((v - largeInput[i]!) / 255) ** 2, 0) / 784;
    expect(mse, `pen ${label}`).toBeLessThan(0.01);
  }
});

test('on a phone, a real pen digit drawn with a finger (touch events) reads exactly as the same strokes drawn with the mouse, and the page does not scroll', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const { app, modelStatus, drawing } = panelsFor(await context.newPage());
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  // Evaluation writers' digits (never trained on), each as the tablet captured it, filling the pad.
  const digits = readPenDigits().filter((d) => d.writer === 25 && [1, 4, 7, 9].includes(d.label)).filter((d, i, all) => all.findIndex((e) => e.label === d.label) === i);
  expect(digits).toHaveLength(4);
  for (const digit of digits) {
    const strokes = digit.strokes.map((s) => s.map(([x, y]): [number, number] => [x / TABLET_BOX, y / TABLET_BOX]));
    // Scrolled down a little first: a finger on the pad must not scroll the page.
    await app.page.evaluate(() => window.scrollBy(0, 40));
    const { scrolled } = await drawing.drawWithTouch(strokes);
    expect(scrolled, `digit ${digit.label}: the page scrolled while drawing`).toBe(0);
    await drawing.reading();
    const byTouch = await drawing.probabilityValues();
    const inputByTouch = await drawing.modelInput();
    await drawing.clear();
    await drawing.drawStrokes(strokes, 1);
    await drawing.reading();
    expect(await drawing.modelInput(), `digit ${digit.label}: the same 28x28 input`).toEqual(inputByTouch);
    expect(await drawing.probabilityValues(), `digit ${digit.label}: the same probabilities`).toEqual(byTouch);
    await drawing.clear();
  }
  // Every button is large enough to tap (WCAG 2.5.8: 24 CSS px; 44 recommended for touch).
  const small = await app.page.locator('button:visible').evaluateAll((buttons) =>
    buttons.map((b) => ({ name: b.textContent?.trim() || b.getAttribute('aria-label') || '?', ...b.getBoundingClientRect().toJSON() })).filter((r) => r.width < 24 || r.height < 24),
  );
  expect(small, 'buttons smaller than 24 x 24 CSS px').toEqual([]);
  await context.close();
});
