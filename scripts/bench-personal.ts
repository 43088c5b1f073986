/**
 * `npm run bench:personal`: simulated users teach the app their handwriting, through the real pad of the
 * production build in headless Chromium. Per writer (UCI pen digits; by default writers 26-30, which tuned
 * nothing: the memory's settings were chosen on writers 21-25), in a fresh browser profile with the served model:
 *  1. 60 of their digits are read by the base model (before);
 *  2. 100 other digits are drawn one by one; each misreading is corrected with "It's a N" (at most 20), and the
 *     user draws on without waiting, as people do;
 *  3. the time from the last correction until learning is done (and from the first, which also computes the
 *     base model's MNIST features);
 *  4. the same 60 digits are read again (after).
 * Digits keep their natural size (the writer's tablet box mapped onto the pad). Also the drawing-to-reading time
 * while learning runs and while it does not, and the MNIST check of the personal model. Prints JSON (also
 * bench-results/personal.json). Options: --writers 26-30, --root DIR, --port N; --enrol: the guided round ("Teach
 * it my handwriting") instead of corrections: the first two of each digit among the 100 are kept when the app asks
 * for them, then the user draws the rest of the 100 on while it learns (the time from the last Keep until learnt);
 * --convention-writers: each writer as one who slashes every 0, flags every 1 and crosses every 7 (as
 * eval-personal.ts makes them); --import FILE: a model file imported first as the base (a Keras .h5, say), instead
 * of the served model. Figures, not pass/fail.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { type Page, chromium } from '@playwright/test';
import { asConventionWriter } from '../src/data/conventions';
import { type PenDigit, TABLET_BOX, byWriters } from '../src/data/pendigits';
import { seededRandom } from '../src/model/seededRandom';
import { CHROMIUM_ARGS } from './chromiumArgs';
import { arg } from './cliArgs';
import { MAX_CORRECTIONS, writerSession, writersArg } from './eval-personal';
import { startNginx } from './nginxServer';
import { readPenDigits } from './pendigits';
import { replayStrokes } from './replayStrokes';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1) : null;
};

/** Draws a pen digit at its natural size; the digit read and the ms from the last mouse-up until it was read. */
async function drawAndRead(page: Page, digit: PenDigit): Promise<{ read: number; ms: number }> {
  const pad = page.getByRole('img', { name: 'Drawing pad' });
  // A button pressed below the pad (Teach it my handwriting) may have scrolled it away.
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await replayStrokes(page, digit.strokes, ([x, y]) => [box.x + (x / TABLET_BOX) * box.width, box.y + (y / TABLET_BOX) * box.height]);
  const t0 = performance.now();
  await page.locator('[data-testid="prediction"][aria-busy="false"]').filter({ hasText: /^[0-9]$/ }).waitFor();
  const ms = performance.now() - t0;
  return { read: Number(await page.getByTestId('prediction').textContent()), ms };
}

async function main(): Promise<void> {
  const root = resolve(arg('root', 'dist'));
  const port = Number(arg('port', '4186'));
  const writers = writersArg(arg('writers', '26-30'));
  const enrol = process.argv.includes('--enrol');
  const conventionWriters = process.argv.includes('--convention-writers');
  const importFile = arg('import', '');
  const own = byWriters(readPenDigits(), writers);
  const pen = conventionWriters ? writers.flatMap((w) => asConventionWriter(own.filter((d) => d.writer === w), seededRandom(w * 7919))) : own;
  const server = startNginx(port, root);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const results: Array<{
    writer: number;
    corrections: number;
    before: number;
    after: number;
    state: string | null;
    secondsFromLastCorrectionToLearnt: number;
    secondsFromFirstCorrectionToLearnt: number;
    mnistBase: number | null;
    mnistPersonal: number | null;
  }> = [];
  const latency = { learning: [] as number[], idle: [] as number[] };
  try {
    await server.ready();
    for (const writer of writers) {
      const { drawn, others } = writerSession(pen, writer);
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
      if (importFile) {
        await page.getByLabel('Import model').setInputFiles(resolve(importFile));
        await page.locator('[data-testid="model-status"][data-source="imported"][data-ready="true"]').waitFor({ timeout: 60_000 });
      }
      const status = page.getByTestId('handwriting');
      // When the handwriting state changes, by the page's clock: learning ends while the user draws on.
      await status.evaluate((el) => {
        const changes: Array<{ t: number; state: string | null }> = [];
        (window as unknown as { stateChanges: typeof changes }).stateChanges = changes;
        new MutationObserver(() => changes.push({ t: performance.now(), state: el.getAttribute('data-state') })).observe(el, { attributeFilter: ['data-state'] });
      });
      const pageNow = () => page.evaluate(() => performance.now());
      await page.getByRole('img', { name: 'Drawing pad' }).scrollIntoViewIfNeeded();
      const clear = () => page.getByRole('button', { name: 'Clear' }).click();
      const readAll = async () => {
        let right = 0;
        for (const d of others) {
          if ((await drawAndRead(page, d)).read === d.label) right++;
          await clear();
        }
        return right / others.length;
      };
      const before = await readAll();
      let corrections = 0;
      let firstCorrection = 0;
      let lastCorrection = 0;
      // The guided round: the digits kept when asked for, in the order of the 100 drawn.
      const kept = new Set<PenDigit>();
      if (enrol) {
        await page.getByRole('button', { name: 'Teach it my handwriting' }).click();
        const enrollment = page.getByTestId('enrollment');
        while (await enrollment.isVisible()) {
          const digit = Number(await enrollment.getAttribute('data-digit'));
          const d = drawn.find((x) => x.label === digit && !kept.has(x))!;
          kept.add(d);
          await drawAndRead(page, d);
          lastCorrection = await pageNow();
          if (!corrections) firstCorrection = lastCorrection;
          await page.getByRole('button', { name: 'Keep this drawing' }).click();
          corrections++;
        }
      }
      for (const d of drawn) {
        if (kept.has(d)) continue;
        const learningNow = (await status.getAttribute('data-state')) === 'learning';
        const { read, ms } = await drawAndRead(page, d);
        (learningNow ? latency.learning : latency.idle).push(ms);
        if (!enrol && read !== d.label && corrections < MAX_CORRECTIONS) {
          lastCorrection = await pageNow();
          if (!corrections) firstCorrection = lastCorrection;
          await page.getByRole('button', { name: `It's a ${d.label}`, exact: true }).click();
          corrections++;
        }
        await clear();
      }
      await page.locator('[data-testid="handwriting"]:not([data-state="learning"])').waitFor({ timeout: 120_000 });
      const changes = await page.evaluate(() => (window as unknown as { stateChanges: Array<{ t: number; state: string | null }> }).stateChanges);
      const done = changes.find((c) => c.t > lastCorrection && c.state !== 'learning');
      const learnt = corrections && done ? (done.t - lastCorrection) / 1000 : 0;
      // The first learning also computes the base model's MNIST features (once per model).
      const firstDone = changes.find((c) => c.t > firstCorrection && c.state !== 'learning');
      const firstLearnt = corrections && firstDone ? (firstDone.t - firstCorrection) / 1000 : 0;
      const after = await readAll();
      const mnist = async (name: string) => {
        const v = await status.getAttribute(name);
        return v ? +Number(v).toFixed(4) : null;
      };
      results.push({
        writer,
        corrections,
        before: +before.toFixed(4),
        after: +after.toFixed(4),
        state: await status.getAttribute('data-state'),
        secondsFromLastCorrectionToLearnt: +learnt.toFixed(1),
        secondsFromFirstCorrectionToLearnt: +firstLearnt.toFixed(1),
        mnistBase: await mnist('data-mnist-base'),
        mnistPersonal: await mnist('data-mnist-personal'),
      });
      console.error(JSON.stringify(results.at(-1)));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const mean = (f: (r: (typeof results)[number]) => number) => +(results.reduce((a, r) => a + f(r), 0) / Math.max(1, results.length)).toFixed(4);
  const output = {
    date: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, ${cpus().length} cores: ${cpus()[0]?.model}`,
    build: root,
    what: `UCI pen digits${conventionWriters ? ' (as convention writers)' : ''}, per writer: 60 read before, 100 drawn ${enrol ? 'of which the guided round keeps two of each digit' : 'with at most 20 corrections'}, the same 60 read after; natural size; base: ${importFile || 'the served model'}`,
    writers,
    meanBefore: mean((r) => r.before),
    meanAfter: mean((r) => r.after),
    worseWriters: results.filter((r) => r.after < r.before).map((r) => r.writer),
    drawingToReadingMs: {
      whileLearning: { p50: percentile(latency.learning, 0.5), p95: percentile(latency.learning, 0.95), n: latency.learning.length },
      otherwise: { p50: percentile(latency.idle, 0.5), p95: percentile(latency.idle, 0.95), n: latency.idle.length },
    },
    results,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/personal.json', JSON.stringify(output, null, 2) + '\n');
  console.log(JSON.stringify(output, null, 2));
}

if (process.argv[1]?.endsWith('bench-personal.ts')) await main();
