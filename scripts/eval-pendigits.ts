/**
 * How well a model reads real pen digits of writers it was never trained on, in Node: the evaluation writers'
 * strokes (scripts/data/pendigits, writers 21-30) made into inputs by the app's own preprocessing, then
 * predicted. A fast stand-in for `npm run bench:handwriting` (which draws them through the real pad in Chromium).
 * Usage: npx tsx scripts/eval-pendigits.ts [model dir, default public/models/pretrained]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { WRITER_SPLIT, byWriters, foldOf, penDigitsAsSplit } from '../src/data/pendigits';
import { evaluateModel } from '../src/model/evaluate';
import { artifactsFromFiles } from '../src/model/modelFiles';
import { startWasmBackend } from './nodeBackend';
import { readPenDigits } from './pendigits';

export async function loadModelDir(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const files = new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
  return tf.loadLayersModel(tf.io.fromMemory(artifactsFromFiles(json, files)));
}

/** Accuracy, per writer, per digit, and the most frequent confusions on some writers' pen digits (by default the
 * evaluation writers). */
export async function evaluatePenDigits(model: tf.LayersModel, writers: readonly number[] = WRITER_SPLIT.evaluate) {
  const digits = byWriters(readPenDigits(), writers);
  const split = penDigitsAsSplit(digits);
  const result = await evaluateModel(model, split);
  const perDigit = Array.from({ length: 10 }, (_, d) => {
    const idx = digits.flatMap((x, i) => (x.label === d ? [i] : []));
    return +(idx.filter((i) => result.predicted[i] === d).length / idx.length).toFixed(4);
  });
  const confusions = new Map<string, number>();
  digits.forEach((d, i) => {
    if (result.predicted[i] !== d.label) confusions.set(`${d.label}->${result.predicted[i]}`, (confusions.get(`${d.label}->${result.predicted[i]}`) ?? 0) + 1);
  });
  const perWriter = Object.fromEntries(
    writers.map((w) => {
      const idx = digits.flatMap((x, i) => (x.writer === w ? [i] : []));
      return [w, { fold: foldOf(w), accuracy: +(idx.filter((i) => result.predicted[i] === digits[i]!.label).length / idx.length).toFixed(4) }];
    }),
  );
  return {
    writers: [...writers],
    digits: digits.length,
    accuracy: +result.accuracy.toFixed(4),
    perWriter,
    worstWriter: Math.min(...Object.values(perWriter).map((w) => w.accuracy)),
    perDigit,
    topConfusions: [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 8),
  };
}

if (process.argv[1]?.endsWith('eval-pendigits.ts')) {
  await startWasmBackend();
  const model = await loadModelDir(process.argv[2] ?? 'public/models/pretrained');
  console.log(JSON.stringify(await evaluatePenDigits(model), null, 2));
}
