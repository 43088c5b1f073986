/**
 * How well a model reads the handwriting conventions (src/data/conventions.ts) made from the strokes of writers
 * it was never trained on: every convention, from every one of those writers' digits it applies to (an 8's
 * loops from their zeros), with a fixed seed, through the app's own preprocessing. A development check made by
 * our own generator, so reported apart from the real writers' figures. Usage:
 * npx tsx scripts/eval-conventions.ts [model dir, default public/models/pretrained] [--writers 21-30]
 */
import type * as tf from '@tensorflow/tfjs';
import { CONVENTIONS } from '../src/data/conventions';
import { type PenDigit, WRITER_SPLIT, byWriters, penDigitsAsSplit } from '../src/data/pendigits';
import { evaluateModel } from '../src/model/evaluate';
import { seededRandom } from '../src/model/seededRandom';
import { arg } from './cliArgs';
import { loadModelDir } from './eval-pendigits';
import { startWasmBackend } from './nodeBackend';
import { readPenDigits } from './pendigits';

/** The conventions made from `writers`' digits: for each, its digits and what each was read as. */
export async function evaluateConventions(model: tf.LayersModel, writers: readonly number[] = WRITER_SPLIT.evaluate, seed = 1) {
  const own = byWriters(readPenDigits(), writers);
  const random = seededRandom(seed);
  const perConvention: Record<string, { digits: number; accuracy: number; misread: Record<string, number> }> = {};
  let [right, total] = [0, 0];
  for (const c of CONVENTIONS) {
    const sources = own.filter((d) => d.label === (c.name === 'eight as two loops' ? 0 : c.label));
    const made: PenDigit[] = sources.flatMap((d) => {
      const strokes = c.make(d.strokes, random);
      return strokes ? [{ label: c.label, writer: d.writer, strokes }] : [];
    });
    if (!made.length) continue;
    const result = await evaluateModel(model, penDigitsAsSplit(made));
    const misread: Record<string, number> = {};
    made.forEach((d, i) => {
      if (result.predicted[i] !== d.label) misread[String(result.predicted[i])] = (misread[String(result.predicted[i])] ?? 0) + 1;
    });
    perConvention[c.name] = { digits: made.length, accuracy: +result.accuracy.toFixed(4), misread };
    right += Math.round(result.accuracy * made.length);
    total += made.length;
  }
  return { writers: [...writers], digits: total, accuracy: +(right / total).toFixed(4), perConvention };
}

if (process.argv[1]?.endsWith('eval-conventions.ts')) {
  await startWasmBackend();
  const model = await loadModelDir(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'public/models/pretrained');
  const [from, to] = arg('writers', '21-30').split('-').map(Number);
  const writers = Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
  console.log(JSON.stringify(await evaluateConventions(model, writers), null, 2));
}
