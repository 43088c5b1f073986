/**
 * `npm run screenshot`: the README's screenshot, made from the real production build served by nginx in headless
 * Chromium, with a real writer's pen digit (UCI pen digits, an evaluation writer) on the pad, so it stays current.
 * Writes docs/screenshot.png (desktop, 1366 x 900, the first screen) and docs/screenshot-phone.png (360 px), and
 * docs/screenshot-inside.png: "Look inside" opened on the same digit, a map of the second convolution selected.
 */
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromiumArgs';
import { WRITER_SPLIT, byWriters } from '../src/data/pendigits';
import { startNginx } from './nginxServer';
import { replayStrokes } from './replayStrokes';
import { readPenDigits } from './pendigits';

const port = 4183;
const server = startNginx(port, resolve('dist'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  await server.ready();
  const digit = byWriters(readPenDigits(), WRITER_SPLIT.evaluate).find((d) => d.label === 4)!;
  for (const [file, viewport, scale, inside] of [
    ['docs/screenshot.png', { width: 1366, height: 900 }, 1, false],
    ['docs/screenshot-phone.png', { width: 360, height: 740 }, 2, false],
    ['docs/screenshot-inside.png', { width: 1366, height: 900 }, 1, true],
  ] as const) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: scale, colorScheme: 'light' });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const pad = page.getByRole('img', { name: 'Drawing pad' });
    const box = (await pad.boundingBox())!;
    // The digit centred, two thirds of the pad tall: as someone would draw it on the pad.
    const points = digit.strokes.flat();
    const [x0, x1, y0, y1] = [Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[0])), Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[1]))];
    const size = (0.66 * box.height) / Math.max(x1 - x0, y1 - y0);
    await replayStrokes(page, digit.strokes, ([x, y]) => [box.x + box.width / 2 + (x - (x0 + x1) / 2) * size, box.y + box.height / 2 + (y - (y0 + y1) / 2) * size]);
    await page.locator('[data-testid="prediction"][aria-busy="false"]').waitFor();
    if (inside) {
      await page.getByRole('button', { name: 'Look inside', exact: true }).click();
      const view = page.getByTestId('inside');
      await view.locator('[data-testid="layer-view"]').first().waitFor();
      // Map 6 of the second convolution: its 32 grids of weights and one pixel worked out.
      await view.getByTestId('layer-view').nth(1).getByRole('button').nth(5).click();
      await view.getByTestId('filter').waitFor();
      await page.getByRole('region', { name: 'Inside the network' }).screenshot({ path: file });
    } else {
      await page.screenshot({ path: file });
    }
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
