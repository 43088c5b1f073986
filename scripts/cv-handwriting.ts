/**
 * Writer-level cross-validation of a training recipe and of personal learning: the 30 pen-digit writers in 5 folds
 * of 6 (writers 1-6, 7-12, ...). Per fold, a model is trained by the recipe (trainRecipe, as train:pretrained
 * trains the served model) on MNIST and the pen digits of the other 24 writers only, then the 6 held-out writers
 * are read (all their digits, through the app's own preprocessing) and each goes through a personal-learning
 * session on that model (eval-personal's protocol: 100 drawn, at most 20 corrections, 60 others read). So every
 * figure comes from writers that no choice and no training saw. Each fold writes DIR/fold-K.json; --summarise DIR
 * prints mean and worst writer, and mean and worst fold, over the folds written.
 *
 * Start from a model that never saw pen digits (e.g. `train-pretrained.ts --recipe workshop --epochs 1 --out
 * /tmp/mnist-base`); starting from the served model would leak writers 1-20 into their own folds.
 *
 * Usage: npx tsx scripts/cv-handwriting.ts --init DIR --out DIR [--folds 1-5] [--epochs 1] [--images 30000]
 *        [--pen-repeat 3] [--stroke-copies 0] [--conventions 0] [--device-variation] [--seed 1] [--enrol] [--convention-writers] [--no-personal] [--reuse DIR2]
 *        (each fold also reads the conventions made from its held-out writers' strokes, eval-conventions.ts, and
 *        their digits as other devices record them, deviceAugment.ts: development checks made by our own
 *        generators, summarised apart; --no-personal skips personal learning)
 *        (--reuse DIR2: read the fold models an earlier run saved in --out DIR instead of training, and write the
 *        folds' figures to DIR2: personal-learning settings compared on the same models)
 *        npx tsx scripts/cv-handwriting.ts --summarise DIR
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WRITER_FOLDS, byWriters, penDigitsAsSplit } from '../src/data/pendigits';
import { varyDevice } from '../src/data/deviceAugment';
import { evaluateModel } from '../src/model/evaluate';
import { seededRandom } from '../src/model/seededRandom';
import { readPenDigits } from './pendigits';
import { arg } from './cliArgs';
import type * as tf from '@tensorflow/tfjs';
import { modelArtifacts, modelFilesFromArtifacts } from '../src/model/modelFiles';
import { evaluatePenDigits, loadModelDir } from './eval-pendigits';
import { type PersonalResult, learnerSettingsFromArgs, personalSessions, personalSummary, writersArg } from './eval-personal';
import { startWasmBackend } from './nodeBackend';
import { evaluateConventions } from './eval-conventions';
import { trainRecipe } from './train-pretrained';


async function saveModelDir(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const f of modelFilesFromArtifacts(await modelArtifacts(model))) writeFileSync(join(dir, f.name), f.bytes);
}

interface FoldResult {
  fold: number;
  heldOut: number[];
  recipe: Record<string, unknown>;
  mnist: number;
  reading: { accuracy: number; perWriter: Record<string, { fold: number; accuracy: number }>; perDigit: number[]; topConfusions: Array<[string, number]> };
  personal: PersonalResult[];
  conventions?: Awaited<ReturnType<typeof evaluateConventions>>;
  /** The held-out writers' digits as other tablets and screens record them (deviceAugment.ts, seeded by the fold). */
  deviceVaried?: number;
  trainingSeconds: number;
}

/** The conventions' development check over the folds: all of them, and each convention, pooled over digits. */
function conventionSummary(folds: readonly FoldResult[]) {
  const checked = folds.flatMap((f) => (f.conventions ? [f.conventions] : []));
  if (!checked.length) return undefined;
  const pooled = (pick: (c: NonNullable<FoldResult['conventions']>) => { digits: number; accuracy: number } | undefined) => {
    const parts = checked.flatMap((c) => (pick(c) ? [pick(c)!] : []));
    const digits = parts.reduce((a, p) => a + p.digits, 0);
    return +(parts.reduce((a, p) => a + p.accuracy * p.digits, 0) / digits).toFixed(4);
  };
  const names = Object.keys(checked[0]!.perConvention);
  return { all: pooled((c) => c), ...Object.fromEntries(names.map((n) => [n, pooled((c) => c.perConvention[n])])) };
}

function summarise(dir: string): void {
  const folds = readdirSync(dir)
    .filter((f) => /^fold-\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FoldResult)
    .sort((a, b) => a.fold - b.fold);
  const perWriter = folds.flatMap((f) => Object.entries(f.reading.perWriter).map(([w, r]) => ({ fold: f.fold, writer: Number(w), reading: typeof r === 'number' ? r : r.accuracy })));
  const personal = folds.flatMap((f) => f.personal.map((r) => ({ fold: f.fold, ...r })));
  const mean = (xs: number[]) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4);
  const foldMeans = folds.map((f) => ({ fold: f.fold, reading: mean(Object.values(f.reading.perWriter).map((r) => (typeof r === 'number' ? r : r.accuracy))), mnist: f.mnist, personal: personalSummary(f.personal) }));
  const worst = <T>(xs: T[], by: (x: T) => number) => xs.reduce((a, b) => (by(b) < by(a) ? b : a));
  console.log(
    JSON.stringify(
      {
        dir,
        recipe: folds[0]?.recipe,
        folds: folds.length,
        writers: perWriter.length,
        reading: { meanWriter: mean(perWriter.map((w) => w.reading)), worstWriter: worst(perWriter, (w) => w.reading), worstFold: worst(foldMeans, (f) => f.reading) },
        mnist: { mean: mean(folds.map((f) => f.mnist)), worst: Math.min(...folds.map((f) => f.mnist)) },
        perDigit: Array.from({ length: 10 }, (_, d) => mean(folds.map((f) => f.reading.perDigit[d]!))),
        conventions: conventionSummary(folds),
        deviceVaried: folds.every((f) => f.deviceVaried !== undefined) ? mean(folds.map((f) => f.deviceVaried!)) : undefined,
        personal: personal.length ? { ...personalSummary(personal), worstWriterAfter: worst(personal, (r) => r.after), corrections: mean(personal.map((r) => r.corrections)) } : undefined,
        foldMeans,
        perWriter: perWriter.map((w) => ({ ...w, personalBefore: personal.find((r) => r.writer === w.writer)?.before, personalAfter: personal.find((r) => r.writer === w.writer)?.after })),
      },
      null,
      2,
    ),
  );
}

async function main(): Promise<void> {
  const summariseDir = arg('summarise');
  if (summariseDir) return summarise(summariseDir);
  const init = arg('init');
  const outDir = arg('out');
  if (!init || !outDir) throw new Error('--init DIR (a model that never saw pen digits) and --out DIR are needed');
  mkdirSync(outDir, { recursive: true });
  await startWasmBackend();
  const recipe = {
    recipe: 'handwriting' as const,
    epochs: Number(arg('epochs', '1')),
    mnistImages: Number(arg('images', '30000')),
    seed: Number(arg('seed', '1')),
    penRepeat: Number(arg('pen-repeat', '3')),
    strokeCopies: Number(arg('stroke-copies', '0')),
    conventionCopies: Number(arg('conventions', '0')),
    deviceVariation: process.argv.includes('--device-variation'),
    init,
  };
  const settings = learnerSettingsFromArgs();
  const reuse = arg('reuse');
  if (reuse) mkdirSync(reuse, { recursive: true });
  for (const fold of writersArg(arg('folds', `1-${WRITER_FOLDS.length}`))) {
    const heldOut = WRITER_FOLDS[fold - 1]!;
    const penWriters = WRITER_FOLDS.flat().filter((w) => !heldOut.includes(w));
    console.log(`fold ${fold}: holding out writers ${heldOut.join(', ')}`);
    // --reuse: the fold's model saved by an earlier run of the same recipe (to compare personal-learning settings).
    const modelDir = join(outDir, `fold-${fold}-model`);
    const trained = reuse ? undefined : await trainRecipe({ ...recipe, penWriters });
    const model = trained?.model ?? (await loadModelDir(modelDir));
    if (trained) await saveModelDir(model, modelDir);
    const mnist = trained?.result.validation.accuracy ?? (JSON.parse(readFileSync(join(outDir, `fold-${fold}.json`), 'utf8')) as FoldResult).mnist;
    const seconds = trained?.seconds ?? 0;
    const { accuracy, perWriter, perDigit, topConfusions } = await evaluatePenDigits(model, heldOut);
    console.log(`fold ${fold}: MNIST ${(mnist * 100).toFixed(2)}%, held-out writers ${(accuracy * 100).toFixed(2)}% ${JSON.stringify(perWriter)}`);
    const conventions = await evaluateConventions(model, heldOut, fold);
    const deviceRandom = seededRandom(fold);
    const varied = byWriters(readPenDigits(), heldOut).map((d) => ({ ...d, strokes: varyDevice(d.strokes, deviceRandom) }));
    const deviceVaried = +(await evaluateModel(model, penDigitsAsSplit(varied))).accuracy.toFixed(4);
    console.log(`fold ${fold}: conventions of the held-out writers ${(conventions.accuracy * 100).toFixed(2)}%, their digits as other devices record them ${(deviceVaried * 100).toFixed(2)}%`);
    const personal = process.argv.includes('--no-personal')
      ? []
      : await personalSessions(model, heldOut, settings, {
          enrol: process.argv.includes('--enrol'),
          conventionWriters: process.argv.includes('--convention-writers'),
          log: (r) => console.log(`fold ${fold}: ${JSON.stringify(r)}`),
        });
    const out: FoldResult = { fold, heldOut, recipe, mnist, reading: { accuracy, perWriter, perDigit, topConfusions }, personal, conventions, deviceVaried, trainingSeconds: seconds };
    writeFileSync(join(reuse ?? outDir, `fold-${fold}.json`), JSON.stringify(out, null, 2) + '\n');
    model.dispose();
  }
}

await main();
