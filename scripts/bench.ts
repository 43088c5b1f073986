/**
 * `npm run bench`: measures Digit Lab in headless Debian Chromium against the production build served by nginx,
 * and prints JSON:
 *  - per backend (wasm, webgl, cpu): training images/s on real MNIST batches of 128, the estimated epoch time,
 *    single-image prediction latency p50/p95 and the peak tensor memory of a training step;
 *  - the drawing path: time from pointer-up to the prediction on screen, p50/p95 (needs a model: the
 *    pre-trained one), with "Look inside" closed and open (and the time each view took in the prediction worker);
 *  - training through the app's UI, as a user does it: Train with 1 epoch on 12,800 images (--ui-images N), timed
 *    on the progress bar, with the workers it used and the drawing latency while it trains; the same timed run
 *    alternated with the same run with "Look inside" open (the view following the run's weights), --inside-rounds N
 *    rounds (default 4, closed-open then open-closed);
 *  - the training speed on wasm (images/s over a few steps of batches of 128, after two untimed) of the workshop's
 *    network and of each prepared experiment's variant (src/features/editor/shared/experiments.ts);
 *  - a PyTorch reference of the same network on the same cores (scripts/pytorch_reference.py), run before and
 *    after the browser when python3 can import torch (`apt-get install -y python3-torch libopenblas0-pthread`),
 *    and the ratio of the app's training speed to it.
 * Options: --experiments-only (the prepared experiments' training speed alone, as a table: a minute, not the
 *          whole benchmark), --experiment-batches N (timed batches per experiment, default 5; 0: none),
 *          --full-epochs N (also train a fresh CNN for N full epochs on wasm: time and test accuracy per epoch;
 *          --full-epoch is --full-epochs 1), --backends wasm,cpu,
 *          --profile (every kernel of a training step timed with tf.profile, summed per kernel over
 *          --profile-steps N steps, default 3: where a step's time goes),
 *          --batch-size N (images per timed batch, default 128), --workers app,1,2,4 (the wasm worker counts measured,
 *          default app,1: how a step scales with the cores), --full-epochs-all (the full epochs on every
 *          backend, not wasm alone), --batches N (timed wasm batches), --draws N, --root DIR (the build to serve; default dist-bench, the
 *          build `npm run build:bench` makes with the benchmark page and source maps, which production builds
 *          leave out; a copy keeps a long run safe from rebuilds).
 * Figures, not pass/fail: speed goals live here, not in the tests.
 */
import { spawn, spawnSync } from 'node:child_process';
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

interface TorchResult {
  framework: string;
  threads: number;
  trainImagesPerSecond: number;
  meanImagesPerSecond: number;
}

/** The PyTorch reference, or why there is none: Debian's python3 may not be the first python3 on the PATH. */
function pytorchReference(): TorchResult | { unavailable: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) continue;
    const run = spawnSync(python, ['scripts/pytorch_reference.py'], { encoding: 'utf8' });
    if (run.status !== 0) return { unavailable: `scripts/pytorch_reference.py failed: ${run.stderr.trim().split('\n').at(-1)}` };
    return JSON.parse(run.stdout) as TorchResult;
  }
  return { unavailable: 'no python3 here can import torch: apt-get install -y python3-torch libopenblas0-pthread' };
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>;

/**
 * Starts recording pointer-up to prediction-on-screen times on the app page. Listens on the document, so that a
 * pad or reading that React mounts anew (a model taking over, say) is still seen.
 */
async function watchDrawLatency(app: Page): Promise<void> {
  await app.evaluate(() => {
    const w = window as unknown as { __latencies: number[]; __up: number };
    w.__latencies = [];
    document.addEventListener(
      'pointerup',
      (event) => {
        if ((event.target as Element | null)?.getAttribute?.('aria-label') === 'Drawing pad') w.__up = performance.now();
      },
      true,
    );
    new MutationObserver(() => {
      const prediction = document.querySelector('[data-testid="prediction"]');
      if (w.__up && prediction?.getAttribute('aria-busy') === 'false' && prediction.textContent) {
        w.__latencies.push(performance.now() - w.__up);
        w.__up = 0;
      }
    }).observe(document.body, { attributes: true, childList: true, characterData: true, subtree: true });
  });
}

/** Records the time the prediction worker took for each "Look inside" view shown (its data-ms), from now on. */
async function watchInsideTimes(app: Page): Promise<void> {
  await app.evaluate(() => {
    const w = window as unknown as { __insideMs: number[]; __insideSeen?: string };
    w.__insideMs = [];
    new MutationObserver(() => {
      const view = document.querySelector('[data-testid="inside"]');
      const seen = `${view?.getAttribute('data-drawing')} ${view?.getAttribute('data-ms')}`;
      const ms = Number(view?.getAttribute('data-ms') || NaN);
      if (view && Number.isFinite(ms) && seen !== w.__insideSeen) w.__insideMs.push(ms);
      w.__insideSeen = seen;
    }).observe(document.body, { attributes: true, attributeFilter: ['data-ms', 'data-drawing'], subtree: true });
  });
}

/** The view times recorded since watchInsideTimes, sorted. */
const insideTimes = async (app: Page): Promise<number[]> =>
  ((await app.evaluate(() => (window as unknown as { __insideMs: number[] }).__insideMs)) as number[]).sort((a, b) => a - b);

/**
 * Draws `count` digits (or until `until` says stop) and returns the latencies recorded since the last call, sorted;
 * without `clear`, the last digit stays on the pad.
 */
async function drawDigits(app: Page, count: number, until: () => boolean = () => false, clear = true): Promise<number[]> {
  await app.evaluate(() => ((window as unknown as { __latencies: number[] }).__latencies = []));
  const pad = app.getByRole('img', { name: 'Drawing pad' });
  const digits = Object.values(HAND_DRAWN_DIGITS);
  for (let i = 0; i < count && !until(); i++) {
    // Pressing Train scrolled the page: bring the pad back into view, where the mouse can reach it.
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    const view = app.getByTestId('inside');
    const shown = (await view.count()) ? await view.getAttribute('data-drawing') : undefined;
    await replayStrokes(app, digits[i % digits.length]!, ([x, y]) => [box.x + x * box.width, box.y + y * box.height], 4);
    await app.locator('[data-testid="prediction"][aria-busy="false"]').waitFor();
    // With "Look inside" open, a user looks at the view before the next digit: wait until it shows this one.
    if (shown !== undefined) await app.locator(`[data-testid="inside"]:not([data-drawing="${shown}"])`).waitFor({ timeout: 10_000 }).catch(() => undefined);
    await app.waitForTimeout(50);
    // A model that finishes training takes over and starts from an empty pad: nothing to clear then.
    const clearButton = app.getByRole('button', { name: 'Clear' });
    if ((clear || i < count - 1) && (await clearButton.isEnabled())) await clearButton.click();
  }
  return ((await app.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies)) as number[]).sort((a, b) => a - b);
}

const latencySummary = (latencies: number[]) => ({ p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), runs: latencies.length });

/**
 * Train as a user does: 1 epoch on `images` images with the page's defaults, timed on the progress bar from its
 * first batch to its last. With `draw`, digits are drawn all the while and the drawing latency is returned
 * instead (drawing takes the page's time, so a timed run does not draw).
 */
async function trainThroughUi(app: Page, images: number, draw: boolean) {
  await app.getByLabel('Epochs').fill('1');
  await app.getByLabel('Training images').fill(String(images));
  const clicked = performance.now();
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  // Named: while MNIST downloads, its own progress bar shows too.
  const bar = app.getByRole('progressbar', { name: 'Training progress' });
  await bar.waitFor({ timeout: 300_000 });
  const max = Number(await bar.getAttribute('aria-valuemax'));
  let first: { at: number; batch: number } | undefined;
  let last = { at: 0, batch: 0 };
  let shown = '';
  let half: { at: number; batch: number } | undefined;
  // Each reading of the bar is one round trip to the page: few of them while the timed run trains.
  const poll = (async () => {
    for (;;) {
      const now = await bar.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null);
      const at = performance.now();
      if (now !== null) {
        const batch = Number(now);
        if (batch >= 1 && !first) first = { at, batch };
        if (batch > last.batch) last = { at, batch };
        if (!half && batch >= max / 2) half = { at, batch };
        if (!draw && batch >= max - 3 && !shown) shown = (await app.locator('.progress p').textContent().catch(() => '')) ?? '';
      }
      if (last.batch >= max || (now === null && last.batch > 0)) break;
      await app.waitForTimeout(first ? 50 : 20);
    }
  })();
  const giveUp = performance.now() + 300_000;
  while (!first && performance.now() < giveUp) await app.waitForTimeout(20);
  if (!first) throw new Error('training through the UI showed no batch within 5 minutes');
  const workers = Number(await app.getByTestId('training-workers').getAttribute('data-workers'));
  let latencies: number[] = [];
  if (draw) latencies = await drawDigits(app, 1000, () => last.batch >= max - 5);
  await poll;
  await app.getByText('Training finished').waitFor({ timeout: 600_000 });
  const finished = performance.now();
  const timedImages = (last.batch - first.batch) * 128;
  return {
    workers,
    batches: max,
    imagesPerSecond: +(timedImages / ((last.at - first.at) / 1000)).toFixed(1),
    /** The second half alone: without the first batches, which run while the engines compile (tier up) their code. */
    imagesPerSecondSecondHalf: half ? +(((last.batch - half.batch) * 128) / ((last.at - half.at) / 1000)).toFixed(1) : undefined,
    /** What the progress line said shortly before the end (its rate counts from the epoch's start). */
    imagesPerSecondShown: Number(/(\d+) images\/s/.exec(shown)?.[1] ?? NaN),
    secondsFirstToLastBatch: +((last.at - first.at) / 1000).toFixed(1),
    secondsClickToFinished: +((finished - clicked) / 1000).toFixed(1),
    latencies,
  };
}

interface ExperimentSpeed {
  name: string;
  parameters: number;
  workers: number;
  trainImagesPerSecond: number;
}

/** The prepared experiments' figures as lines of text: images/s, parameters and workers per network. */
function experimentsTable(speeds: ExperimentSpeed[] | { unavailable: string }): string {
  if (!Array.isArray(speeds)) return `prepared experiments: not measured (${speeds.unavailable})`;
  const width = Math.max(...speeds.map((s) => s.name.length));
  return [
    `${'network'.padEnd(width)}  images/s  parameters  workers`,
    ...speeds.map((s) => `${s.name.padEnd(width)}  ${s.trainImagesPerSecond.toFixed(0).padStart(8)}  ${s.parameters.toLocaleString('en-US').padStart(10)}  ${String(s.workers).padStart(7)}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const experimentsOnly = process.argv.includes('--experiments-only');
  const torchBefore = experimentsOnly ? { unavailable: 'not run (--experiments-only)' } : pytorchReference();
  const server = spawn('npx', ['tsx', 'scripts/nginxServer.ts', '--port', String(port), '--root', arg('root', 'dist-bench')], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(process.env.DIGIT_LAB_CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean)] });
  try {
    await waitForHealth(port, 20_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    const query = new URLSearchParams({
      backends: experimentsOnly ? '' : arg('backends', 'wasm,webgl,cpu'),
      experimentBatches: arg('experiment-batches', '5'),
      batches: arg('batches', '10'),
      // On wasm, the worker counts measured: `app` is what the app trains with (one per core).
      workers: arg('workers', 'app,1'),
      batchSize: arg('batch-size', '128'),
      // --full-epochs-all: the full epochs on every backend, not on wasm alone (bench:gpu compares their accuracy).
      fullEpochsAll: process.argv.includes('--full-epochs-all') ? '1' : '0',
      slowBatches: '1',
      fullEpochs: process.argv.includes('--full-epoch') ? '1' : arg('full-epochs', '0'),
      profileSteps: process.argv.includes('--profile') ? arg('profile-steps', '3') : '0',
    });
    await page.goto(`${base}/bench.html?${query}`);
    await page.locator('#bench-result[data-done="true"]').waitFor({ timeout: 0 });
    const backends = JSON.parse((await page.locator('#bench-result').textContent())!);
    const experimentsText = await page.locator('#bench-experiments').textContent();
    const experiments = experimentsText ? (JSON.parse(experimentsText) as ExperimentSpeed[] | { unavailable: string }) : undefined;
    if (experimentsOnly) {
      console.log(`Prepared experiments, training on wasm (${browser.version()}, ${(await import('node:os')).cpus().length} cores), ${new Date().toISOString()}:`);
      console.log(experiments ? experimentsTable(experiments) : 'prepared experiments: not measured (--experiment-batches 0)');
      return;
    }

    // Drawing path: pointer-up to the digit on screen, with the pre-trained model, on the real app page.
    const app = await context.newPage();
    app.on('crash', () => console.error('bench: the app page crashed'));
    app.on('pageerror', (error) => console.error(`bench: page error: ${error.message}`));
    await app.goto(`${base}/?backend=wasm`);
    await app.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await watchDrawLatency(app);
    const latencies = await drawDigits(app, Number(arg('draws', '40')));
    // The same with "Look inside" open: the view of every drawing is computed after its reading.
    const insideButton = app.getByRole('button', { name: 'Look inside', exact: true });
    await insideButton.click();
    await watchInsideTimes(app);
    const latenciesInside = await drawDigits(app, Number(arg('draws', '40')));
    const insideMs = await insideTimes(app);
    await insideButton.click();
    const uiImages = Number(arg('ui-images', '12800'));
    let ui: Record<string, unknown> | undefined;
    let uiImagesPerSecond: number | undefined;
    if (uiImages > 0) {
      // Runs with "Look inside" closed and open on a drawing (the view following the run's weights), alternated
      // --inside-rounds N times (default 4): on a shared 2-core machine two closed runs differ by several percent,
      // so one pair says little.
      const rounds = Number(arg('inside-rounds', '4'));
      const closedRuns: Awaited<ReturnType<typeof trainThroughUi>>[] = [];
      const openRuns: Awaited<ReturnType<typeof trainThroughUi>>[] = [];
      let liveViews: number[] = [];
      const openRun = async () => {
        await drawDigits(app, 1, () => false, false);
        await insideButton.click();
        await watchInsideTimes(app);
        openRuns.push(await trainThroughUi(app, uiImages, false));
        liveViews = liveViews.concat(await insideTimes(app));
        await insideButton.click();
      };
      // Closed-open, then open-closed, and so on: a drift over the runs (a warming engine, a growing heap) falls on both.
      for (let round = 0; round < rounds; round++) {
        if (round % 2 === 0) {
          closedRuns.push(await trainThroughUi(app, uiImages, false));
          await openRun();
        } else {
          await openRun();
          closedRuns.push(await trainThroughUi(app, uiImages, false));
        }
      }
      const { latencies: _none, ...timed } = closedRuns[0]!;
      const sum = (runs: typeof closedRuns) => runs.reduce((total, r) => total + r.imagesPerSecond, 0);
      // As long as the timed run, for some 30 draws: a p95 of 16 is its second-worst value.
      const drawing = await trainThroughUi(app, Math.max(3200, uiImages), true);
      uiImagesPerSecond = timed.imagesPerSecond;
      ui = {
        what: `Train clicked with Epochs 1 and Training images ${uiImages} (the page's default recipe), timed on the progress bar from its first batch to its last`,
        ...timed,
        insideOpen: {
          what: `runs of the same size in ${rounds} rounds, closed-open then open-closed: "Look inside" closed, and open on a drawing (the view follows the run's weights)`,
          closedImagesPerSecond: closedRuns.map((r) => r.imagesPerSecond),
          openImagesPerSecond: openRuns.map((r) => r.imagesPerSecond),
          openSecondHalf: openRuns.map((r) => r.imagesPerSecondSecondHalf),
          ratioToClosed: +(sum(openRuns) / sum(closedRuns)).toFixed(3),
          ratioPerRound: openRuns.map((r, i) => +(r.imagesPerSecond / closedRuns[i]!.imagesPerSecond).toFixed(3)),
          viewsOfTheRunsWeights: liveViews.length,
          viewMs: latencySummary(liveViews.sort((a, b) => a - b)),
        },
        drawToPredictionWhileTraining: {
          what: `pointer-up to the reading on screen while a second run (${drawing.batches} batches, ${drawing.workers} workers) trains`,
          ...latencySummary(drawing.latencies),
          sortedMs: drawing.latencies.map((ms) => +ms.toFixed(1)),
          imagesPerSecondWhileDrawing: drawing.imagesPerSecond,
        },
      };
    }
    const torchAfter = pytorchReference();
    const wasm = (backends as { backend: string; workers?: number; trainImagesPerSecond?: number }[]).find((b) => b.backend === 'wasm' && b.trainImagesPerSecond);
    const torchRuns = [torchBefore, torchAfter].filter((t): t is TorchResult => 'trainImagesPerSecond' in t);
    const torchMean = torchRuns.length ? torchRuns.reduce((sum, t) => sum + t.meanImagesPerSecond, 0) / torchRuns.length : undefined;
    const result = {
      date: new Date().toISOString(),
      machine: `${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} cores: ${(await import('node:os')).cpus()[0]?.model}`,
      chromium: browser.version(),
      backends,
      experiments,
      drawToPrediction: {
        what: 'pointer-up to the predicted digit on screen (prediction worker on wasm), pre-trained model, nothing training',
        ...latencySummary(latencies),
      },
      drawToPredictionInsideOpen: {
        what: 'the same with "Look inside" open: pointer-up to the predicted digit on screen, and the time the prediction worker took for each view',
        ...latencySummary(latenciesInside),
        viewMs: latencySummary(insideMs),
      },
      trainingThroughUi: ui,
      pytorch: { before: torchBefore, after: torchAfter },
      ratio: torchMean
        ? {
            what: 'the app\'s training images/s over PyTorch\'s (mean over its timed batches, average of the runs before and after), same machine, same run',
            appWorkers: wasm?.workers,
            appImagesPerSecond: wasm?.trainImagesPerSecond,
            pytorchImagesPerSecond: +torchMean.toFixed(1),
            benchVsPytorch: wasm?.trainImagesPerSecond ? +(wasm.trainImagesPerSecond / torchMean).toFixed(3) : undefined,
            uiVsPytorch: uiImagesPerSecond ? +(uiImagesPerSecond / torchMean).toFixed(3) : undefined,
          }
        : undefined,
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/bench.json', JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
    // The table goes to stderr: stdout stays one JSON document, for whatever reads it.
    if (experiments) console.error(experimentsTable(experiments));
  } finally {
    await browser.close();
    // The server runs in its own process group: npx, tsx and nginx all stop together.
    process.kill(-server.pid!, 'SIGTERM');
  }
}

await main();
