/**
 * Whether cleaning a drawing before it is rendered (src/preprocess/cleanStrokes.ts: stray dots and pen-down /
 * pen-up hooks taken out) helps or hurts the served model, in Node: the evaluation writers' pen digits (writers
 * 21-30) read (a) as they are, (b) cleaned, (c) as another device would record them (src/data/deviceAugment.ts,
 * seeded), (d) so and cleaned, and, for the two things cleaning is for, (e) with only device hooks and stray dots
 * added (one of each per digit at most, by DEVICE_VARIATION's chances) and (f) so and cleaned. Also how many of
 * all 7,494 pen digits cleaning changes, and by how much (largest change of a pixel of the rendered input).
 * Since cleaning became part of the preprocessing (strokesToMnistInput), every condition is read cleaned: (a)
 * equals (b), (c) equals (d) and (e) equals (f); the README keeps the figures measured before, when they differed.
 * Usage: npx tsx scripts/eval-clean-strokes.ts [--model public/models/pretrained] [--seed 1]
 */
import { type PenDigit, WRITER_SPLIT, byWriters, penDigitsAsSplit } from '../src/data/pendigits';
import { DEVICE_VARIATION, type DeviceVariationSettings, varyDevice } from '../src/data/deviceAugment';
import { evaluateModel } from '../src/model/evaluate';
import { seededRandom } from '../src/model/seededRandom';
import { cleanStrokes } from '../src/preprocess/cleanStrokes';
import { renderMnistInput } from '../src/preprocess/mnistInput';
import { arg } from './cliArgs';
import { loadModelDir } from './eval-pendigits';
import { startWasmBackend } from './nodeBackend';
import { readPenDigits } from './pendigits';

/** Only what cleaning is for: hooks and stray dots, at DEVICE_VARIATION's chances and sizes. */
export const HOOKS_AND_DOTS: DeviceVariationSettings = { ...DEVICE_VARIATION, resample: 0, grid: 0, tremor: 0 };

/** How many digits cleaning changes at all, and the largest pixel change of their rendered inputs (quantiles). */
export function cleaningChanges(digits: readonly PenDigit[]) {
  const changes: number[] = [];
  let strokesRemoved = 0;
  for (const d of digits) {
    const clean = cleanStrokes(d.strokes);
    if (JSON.stringify(clean) === JSON.stringify(d.strokes)) continue;
    if (clean.length < d.strokes.length) strokesRemoved++;
    const [a, b] = [renderMnistInput(d.strokes)!, renderMnistInput(clean)!];
    changes.push(a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0));
  }
  changes.sort((x, y) => x - y);
  const q = (p: number) => +(changes[Math.floor(p * (changes.length - 1))] ?? 0).toFixed(3);
  return {
    digits: digits.length,
    changed: changes.length,
    withStrokesRemoved: strokesRemoved,
    maxPixelChange: { median: q(0.5), p90: q(0.9), max: q(1) },
    changedByMoreThanHalf: changes.filter((c) => c > 0.5).length,
  };
}

if (process.argv[1]?.endsWith('eval-clean-strokes.ts')) {
  await startWasmBackend();
  const model = await loadModelDir(arg('model', 'public/models/pretrained'));
  const seed = Number(arg('seed', '1'));
  const all = readPenDigits();
  const digits = byWriters(all, WRITER_SPLIT.evaluate);
  const vary = (settings: DeviceVariationSettings) => {
    const random = seededRandom(seed);
    return digits.map((d) => ({ ...d, strokes: varyDevice(d.strokes, random, settings) }));
  };
  const clean = (ds: readonly PenDigit[]) => ds.map((d) => ({ ...d, strokes: cleanStrokes(d.strokes) }));
  const [varied, hooked] = [vary(DEVICE_VARIATION), vary(HOOKS_AND_DOTS)];
  const conditions: Array<[string, PenDigit[]]> = [
    ['a as they are', digits],
    ['b cleaned', clean(digits)],
    ['c device-varied', varied],
    ['d device-varied, cleaned', clean(varied)],
    ['e hooks and dots only', hooked],
    ['f hooks and dots only, cleaned', clean(hooked)],
  ];
  const accuracy: Record<string, number> = {};
  for (const [name, ds] of conditions) accuracy[name] = +(await evaluateModel(model, penDigitsAsSplit(ds))).accuracy.toFixed(4);
  console.log(
    JSON.stringify(
      { model: arg('model', 'public/models/pretrained'), writers: WRITER_SPLIT.evaluate.join(','), digits: digits.length, seed, deviceVariation: DEVICE_VARIATION, accuracy, cleaningAllPenDigits: cleaningChanges(all) },
      null,
      2,
    ),
  );
}
