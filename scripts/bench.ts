/**
 * `npm run bench`: measures Digit Lab in headless Debian Chromium against the production build served by nginx,
 * and prints JSON:
 *  - per backend (wasm, webgl, cpu): training images/s on real MNIST batches of 128, the estimated epoch time,
 *    single-image prediction latency p50/p95 and the peak tensor memory of a training step;
 *  - the drawing path: time from pointer-up to the prediction on screen, p50/p95 (needs a model: the
 *    pre-trained one).
 * Options: --full-epochs N (also train a fresh CNN for N full epochs on wasm: time and test accuracy per epoch;
 *          --full-epoch is --full-epochs 1), --backends wasm,cpu,
 *          --profile (every kernel of a training step timed with tf.profile, summed per kernel over
 *          --profile-steps N steps, default 3: where a step's time goes),
 *          --batches N (timed wasm batches), --draws N, --root DIR (the build to serve; default dist-bench, the
 *          build `npm run build:bench` makes with the benchmark page and source maps, which production builds
 *          leave out; a copy keeps a long run safe from rebuilds).
 * Figures, not pass/fail: speed goals live here, not in the tests.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromiumArgs';
import { HAND_DRAWN_DIGITS } from './handDrawnDigits';
import { waitForHealth } from './nginxServer';
import { replayStrokes } from './replayStrokes';
import { arg } from './cliArgs';

const port = Number(arg('port', '4180'));
const base = `http://127.0.0.1:${port}`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const server = spawn('npx', ['tsx', 'scripts/nginxServer.ts', '--port', String(port), '--root', arg('root', 'dist-bench')], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await waitForHealth(port, 20_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    const query = new URLSearchParams({
      backends: arg('backends', 'wasm,webgl,cpu'),
      batches: arg('batches', '10'),
      slowBatches: '1',
      fullEpochs: process.argv.includes('--full-epoch') ? '1' : arg('full-epochs', '0'),
      profileSteps: process.argv.includes('--profile') ? arg('profile-steps', '3') : '0',
    });
    await page.goto(`${base}/bench.html?${query}`);
    await page.locator('#bench-result[data-done="true"]').waitFor({ timeout: 0 });
    const backends = JSON.parse((await page.locator('#bench-result').textContent())!);

    // Drawing path: pointer-up to the digit on screen, with the pre-trained model, on the real app page.
    const app = await context.newPage();
    await app.goto(`${base}/`);
    await app.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await app.evaluate(() => {
      const w = window as unknown as { __latencies: number[]; __up: number };
      w.__latencies = [];
      const prediction = document.querySelector('[data-testid="prediction"]')!;
      document.querySelector('canvas[aria-label="Drawing pad"]')!.addEventListener('pointerup', () => (w.__up = performance.now()), true);
      new MutationObserver(() => {
        if (w.__up && prediction.getAttribute('aria-busy') === 'false' && prediction.textContent) {
          w.__latencies.push(performance.now() - w.__up);
          w.__up = 0;
        }
      }).observe(prediction, { attributes: true, childList: true, characterData: true, subtree: true });
    });
    const pad = app.getByRole('img', { name: 'Drawing pad' });
    const box = (await pad.boundingBox())!;
    const draws = Number(arg('draws', '40'));
    const digits = Object.values(HAND_DRAWN_DIGITS);
    for (let i = 0; i < draws; i++) {
      await replayStrokes(app, digits[i % digits.length]!, ([x, y]) => [box.x + x * box.width, box.y + y * box.height], 4);
      await app.locator('[data-testid="prediction"][aria-busy="false"]').waitFor();
      await app.waitForTimeout(50);
      await app.getByRole('button', { name: 'Clear' }).click();
    }
    const latencies = ((await app.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies)) as number[]).sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      machine: `${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} cores: ${(await import('node:os')).cpus()[0]?.model}`,
      chromium: browser.version(),
      backends,
      drawToPrediction: {
        what: 'pointer-up to the predicted digit on screen (prediction worker on wasm), pre-trained model',
        p50Ms: percentile(latencies, 0.5),
        p95Ms: percentile(latencies, 0.95),
        runs: latencies.length,
      },
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/bench.json', JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    // The server runs in its own process group: npx, tsx and nginx all stop together.
    process.kill(-server.pid!, 'SIGTERM');
  }
}

await main();
