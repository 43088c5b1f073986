/**
 * "Look inside" on the real build: a real writer's pen digits (UCI pen digits, writer 21, an evaluation writer)
 * drawn through the pad, the view's layers named as the served model names them, maps that follow the drawing,
 * a map's filter and pixel arithmetic, filters that change while a run trains (and the model in use that does
 * not), and axe with the view open at desktop and phone sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { TABLET_BOX, byWriters } from '../src/data/pendigits';
import { readPenDigits } from '../scripts/pendigits';
import { KERAS_MODELS_DIR, REAL_KERAS_FILES } from '../src/testing/keras/reference';
import { type DrawingPanel, expect, panelsFor, test } from './fixtures';

const writer = byWriters(readPenDigits(), [21]);
const penDigit = (label: number) => writer.find((d) => d.label === label)!;
const drawPen = (drawing: DrawingPanel, label: number) => drawing.drawPen(penDigit(label).strokes, TABLET_BOX, { left: 0.1, top: 0.1, size: 0.8 });

/** The served model's layers, from its model.json, as the view should show them (Dropout and Flatten change nothing). */
function servedLayers(): string[] {
  const json = JSON.parse(readFileSync('public/models/pretrained/model.json', 'utf8')) as { modelTopology: { config: { layers: Array<{ class_name: string; config: { name: string } }> } } };
  return json.modelTopology.config.layers.filter((l) => !['Dropout', 'Flatten'].includes(l.class_name)).map((l) => l.config.name);
}

test.describe('look inside', () => {
  test('a real pen digit: the served model’s layers, maps that change with the drawing, a map’s weights and how one of its pixels is computed', async ({ app, modelStatus, drawing, inside }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await inside.open();
    await expect(inside.view).toHaveAttribute('data-drawing', '');

    await drawPen(drawing, 3);
    await drawing.expectReading('3');
    const first = await inside.waitForNewDrawing('');
    const layers = servedLayers();
    expect(await inside.layerSummary()).toEqual([
      { layer: layers[0], units: 32 },
      { layer: layers[1], units: 64 },
      { layer: layers[2], units: 64 },
      { layer: layers[3], units: 128 },
      { layer: layers[4], units: 10 },
    ]);
    const [conv1, conv2, pool] = layers as [string, string, string];
    await expect(inside.maps(conv1)).toHaveCount(32);
    await expect(inside.maps(conv2)).toHaveCount(64);
    await expect(inside.maps(pool)).toHaveCount(64);
    await expect(inside.maps(conv1).first()).toHaveAccessibleName(new RegExp(`^${conv1} map 1 of 32: strongest activation [0-9.]+ at row \\d+, column \\d+$`));
    const pixelsOf3 = await inside.mapPixels(conv2, 0);

    // Another digit: the view shows the new drawing, and its maps are other maps.
    await drawing.clear();
    await drawPen(drawing, 7);
    await drawing.expectReading('7');
    await inside.waitForNewDrawing(first);
    expect(await inside.mapPixels(conv2, 0)).not.toBe(pixelsOf3);

    // A map of the second convolution: 3x3 weights for each of the 32 maps it reads, and its strongest pixel worked out.
    await inside.selectMap(conv2, 5);
    await expect(inside.filter).toHaveAttribute('data-weights', String(3 * 3 * 32));
    const strongest = Number(/strongest activation ([0-9.]+)/.exec((await inside.maps(conv2).nth(5).getAttribute('aria-label'))!)![1]);
    const worked = Number(await inside.arithmetic.getAttribute('data-output'));
    expect(Math.abs(worked - strongest), `arithmetic ${worked}, map ${strongest}`).toBeLessThan(0.006);
    await expect(inside.arithmetic).toContainText('ReLU');
    // The first convolution's filters read the input only: 9 weights.
    await inside.selectMap(conv1, 0);
    await expect(inside.filter).toHaveAttribute('data-weights', '9');
    // Why this digit: the digit read and the runner-up.
    await expect(inside.saliency.getByRole('img')).toHaveCount(2);
    await expect(inside.saliency.getByRole('img').first()).toHaveAccessibleName(/^Saliency for 7 \(the digit read/);
    await expect(inside.alert).toHaveCount(0);
  });

  test('an imported Keras model of another architecture (Keras 2.1, four convolutions): its own layers and shapes, its filters and their arithmetic', async ({
    app,
    modelStatus,
    library,
    drawing,
    inside,
  }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await library.importFiles(join(KERAS_MODELS_DIR, REAL_KERAS_FILES[0]!));
    await modelStatus.waitForModel('imported');
    await drawPen(drawing, 2);
    await drawing.reading();
    await inside.open();
    await inside.waitForNewDrawing('');
    // The layers the app's architecture table lists, less those that pass their input on, with their channels or units.
    const expected = (await library.architectureRows())
      .filter((r) => !['Dropout', 'Flatten', 'InputLayer'].includes(r.className))
      .map((r) => Number(/(\d+)\]$/.exec(r.outputShape)![1]));
    const shown = await inside.layerSummary();
    expect(shown.map((l) => l.units)).toEqual(expected);
    expect(shown.filter((l) => l.layer.startsWith('conv2d')).length, `layers ${shown.map((l) => l.layer).join(', ')}`).toBe(4);
    expect(shown.map((l) => l.layer)).not.toContain(servedLayers()[0]);
    // Its third convolution: a filter over every map of the layer before, and its strongest pixel worked out.
    const third = shown.filter((l) => l.layer.startsWith('conv2d'))[2]!.layer;
    await inside.selectMap(third, 1);
    const before = shown[shown.findIndex((l) => l.layer === third) - 1]!;
    await expect(inside.filter).toHaveAttribute('data-weights', String(3 * 3 * before.units));
    const strongest = Number(/strongest activation ([0-9.]+)/.exec((await inside.maps(third).nth(1).getAttribute('aria-label'))!)![1]);
    expect(Math.abs(Number(await inside.arithmetic.getAttribute('data-output')) - strongest)).toBeLessThan(0.006);
    await expect(inside.saliency.getByRole('img')).toHaveCount(2);
    await expect(inside.alert).toHaveCount(0);
  });

  test('while a run trains, the filters and maps follow its weights; the model in use and its reading stay as they were', async ({ app, modelStatus, drawing, training, inside }) => {
    test.setTimeout(300_000);
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await drawPen(drawing, 4);
    await drawing.expectReading('4');
    await inside.open();
    await inside.waitForNewDrawing('');
    // The first layer by its place: a fresh run's copy of the network names its layers its own way.
    await inside.selectMap(0, 0);
    const served = await inside.filterFingerprint();
    const servedMap = await inside.mapPixels(0, 0);
    expect(await inside.source()).toBe('active');

    await training.train({ epochs: 1, images: 60_000 });
    await expect.poll(() => inside.source(), { timeout: 180_000 }).toBe('training');
    await expect.poll(() => inside.filterFingerprint()).not.toBe(served);
    const early = await inside.filterFingerprint();
    // The weights keep changing as the run goes on, and the view with them.
    await expect.poll(() => inside.filterFingerprint(), { timeout: 60_000 }).not.toBe(early);
    await expect(inside.filter).toHaveAttribute('data-weights', '9');
    expect(await inside.mapPixels(0, 0)).not.toBe(servedMap);
    // The drawing is still read, by the model in use.
    await drawing.clear();
    await drawPen(drawing, 4);
    await drawing.expectReading('4');

    await training.cancel();
    await expect(training.cancelledMessage).toBeVisible({ timeout: 60_000 });
    await expect.poll(() => inside.source()).toBe('active');
    await expect.poll(() => inside.filterFingerprint()).toBe(served);
  });
});

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe violations ${state}`).toEqual([]);
}

for (const [size, viewport] of [
  ['desktop', { width: 1366, height: 900 }],
  ['phone', { width: 360, height: 740 }],
] as const) {
  test(`look inside at ${size} size: no axe violations, maps legible, nothing wider than the screen`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
    const page = await context.newPage();
    const { app, modelStatus, drawing, inside } = panelsFor(page);
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await inside.open();
    await expectNoViolations(page, 'with the view open before a drawing');
    await drawPen(drawing, 5);
    await drawing.reading();
    await inside.waitForNewDrawing('');
    const [conv1, conv2] = servedLayers() as [string, string];
    await inside.selectMap(conv2, 2);
    await expectNoViolations(page, 'with the view open and a map selected');
    // Legible: every map is drawn at least 40 CSS pixels wide (26x26 and 24x24 pixels, so 1.5 px a pixel or more).
    for (const layer of [conv1, conv2]) {
      const widths = await inside.maps(layer).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(widths, `${layer} maps`).toHaveLength(layer === conv1 ? 32 : 64);
      expect(Math.min(...widths), `${layer} maps' width`).toBeGreaterThanOrEqual(40);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'page width').toBeLessThanOrEqual(viewport.width);
    await context.close();
  });
}
