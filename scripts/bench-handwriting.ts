/**
 * `npm run bench:handwriting`: how well the app reads real people's handwriting. Replays pen digits of the
 * evaluation writers (UCI pendigits writers 21-30, never used for training) through the real drawing pad of the
 * production build in headless Chromium, with the mouse, at their natural size: the writer's 500 x 500 tablet box
 * mapped onto the whole pad, so a digit keeps the size and place it had in the writer's box. Prints JSON (also
 * written to bench-results/handwriting.json): accuracy, per-digit accuracy, the most frequent confusions.
 *
 * Options: --per-digit N (digits of each class per writer, default 3: 300 digits), --root DIR (the build to
 * serve, default dist: point it at another build to compare), --port N.
 * Figures, not pass/fail.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromiumArgs';
import { type PenDigit, TABLET_BOX, WRITER_SPLIT, byWriters, foldOf } from '../src/data/pendigits';
import { startNginx } from './nginxServer';
import { replayStrokes } from './replayStrokes';
import { readPenDigits } from './pendigits';
import { arg } from './cliArgs';

/** The first `perDigit` digits of each class of each evaluation writer, in file order (no randomness). */
export function evaluationSample(perDigit: number): PenDigit[] {
  const all = byWriters(readPenDigits(), WRITER_SPLIT.evaluate);
  return WRITER_SPLIT.evaluate.flatMap((writer) =>
    Array.from({ length: 10 }, (_, label) => all.filter((d) => d.writer === writer && d.label === label).slice(0, perDigit)).flat(),
  );
}

async function main(): Promise<void> {
  const root = resolve(arg('root', 'dist'));
  const port = Number(arg('port', '4181'));
  const sample = evaluationSample(Number(arg('per-digit', '3')));
  const server = startNginx(port, root);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await server.ready();
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const card = JSON.parse(readFileSync(join(root, 'models', 'pretrained', 'model-card.json'), 'utf8')) as Record<string, unknown>;
    const pad = page.getByRole('img', { name: 'Drawing pad' });
    const prediction = page.getByTestId('prediction');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    const results: Array<{ label: number; writer: number; read: number }> = [];
    const started = performance.now();
    for (const digit of sample) {
      await replayStrokes(page, digit.strokes, ([x, y]) => [box.x + (x / TABLET_BOX) * box.width, box.y + (y / TABLET_BOX) * box.height]);
      await page.locator('[data-testid="prediction"][aria-busy="false"]').waitFor();
      const text = (await prediction.textContent()) ?? '';
      results.push({ label: digit.label, writer: digit.writer, read: /^[0-9]$/.test(text) ? Number(text) : -1 });
      await page.getByRole('button', { name: 'Clear' }).click();
    }
    const right = (rs: typeof results) => rs.filter((r) => r.read === r.label).length / Math.max(1, rs.length);
    const confusions = new Map<string, number>();
    for (const r of results) if (r.read !== r.label) confusions.set(`${r.label}->${r.read}`, (confusions.get(`${r.label}->${r.read}`) ?? 0) + 1);
    const output = {
      date: new Date().toISOString(),
      machine: `${process.platform} ${process.arch}, ${cpus().length} cores: ${cpus()[0]?.model}`,
      chromium: browser.version(),
      build: root,
      model: { name: card.name, recipe: card.recipe ?? 'workshop', trainedBy: card.trainedBy, mnistTestAccuracy: card.testAccuracy },
      what: 'UCI pen digits of writers 21-30 (never trained on), replayed through the pad with the mouse at their natural size in the writer\'s box',
      digits: results.length,
      writers: WRITER_SPLIT.evaluate,
      accuracy: +right(results).toFixed(4),
      perDigit: Object.fromEntries(Array.from({ length: 10 }, (_, d) => [d, +right(results.filter((r) => r.label === d)).toFixed(3)])),
      // Each writer with the cross-validation fold it is in (WRITER_FOLDS), as scripts/cv-handwriting.ts reports it.
      perWriter: Object.fromEntries(WRITER_SPLIT.evaluate.map((w) => [w, { fold: foldOf(w), accuracy: +right(results.filter((r) => r.writer === w)).toFixed(3) }])),
      topConfusions: Object.fromEntries([...confusions].sort((a, b) => b[1] - a[1]).slice(0, 8)),
      seconds: +((performance.now() - started) / 1000).toFixed(1),
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/handwriting.json', JSON.stringify(output, null, 2) + '\n');
    console.log(JSON.stringify(output, null, 2));
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (process.argv[1]?.endsWith('bench-handwriting.ts')) await main();
