/**
 * Trains the pre-trained model that the container serves, as the original workshop trained mnist.h5 once and
 * committed it. Same model, optimizer, data and training loop as the browser (src/model, src/data), on the same
 * wasm backend with the same added kernels. Writes public/models/pretrained/{model.json, shards, model-card.json}.
 *
 * Recipes (--recipe): `handwriting` (default) trains on MNIST plus the training writers' pen digits
 * (scripts/data/pendigits, writers 1-20, made into inputs by the app's own preprocessing), every image augmented
 * as handwriting varies (src/data/augment.ts); `workshop` is the original script's plain MNIST. --init DIR starts
 * from a saved model instead of fresh weights (the card says so). The card records both accuracies: MNIST's
 * 10,000 test images and the evaluation writers' pen digits (writers 21-30, never trained on).
 *
 * --stroke-copies N adds N renderings of each pen digit from strokes varied as the pen varies (strokeAugment.ts);
 * --conventions N adds N renderings of each in a convention of its digit that the writers lack (conventions.ts);
 * --device-variation records those renderings as other tablets and screens would (deviceAugment.ts).
 * scripts/cv-handwriting.ts trains by the same recipe (trainRecipe) once per fold of writers.
 *
 * Usage: npm run train:pretrained [-- --epochs 4 --images 60000 --seed 1 --recipe handwriting --pen-repeat 1
 *        --stroke-copies 0 --conventions 0 --device-variation --init DIR --out DIR]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Augmenter } from '../src/data/augment';
import { type MnistSplit, concatSplits } from '../src/data/batches';
import { SPLIT_COUNTS } from '../src/data/mnistFacts';
import { type PenDigit, WRITER_SPLIT, byWriters, penDigitsAsSplit } from '../src/data/pendigits';
import { augmentStrokes } from '../src/data/strokeAugment';
import { withConvention } from '../src/data/conventions';
import { varyDevice } from '../src/data/deviceAugment';
import { buildCnn, compileForTraining, DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from '../src/model/cnn';
import { type ModelCard, RECIPES, type Recipe, trainedModelCard } from '../src/model/modelCard';
import { modelArtifacts, modelFilesFromArtifacts } from '../src/model/modelFiles';
import { trainModel } from '../src/model/train';
import { arg } from './cliArgs';
import { startWasmBackend } from './nodeBackend';
import { evaluatePenDigits, loadModelDir } from './eval-pendigits';
import { readPenDigits } from './pendigits';
import { mnistDataDir, readSplit } from './prepare-data';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the served pre-trained model lives (also read by scripts/pretrained-model.test.ts). */
export const PRETRAINED_DIR = join(root, 'public', 'models', 'pretrained');

function numberArg(name: string, fallback: number): number {
  const value = Number(arg(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

export interface RecipeOptions {
  recipe: Recipe;
  epochs: number;
  /** How many of MNIST's training images (the first n). */
  mnistImages: number;
  seed: number;
  /** The pen digits this many times an epoch (each time augmented differently). */
  penRepeat: number;
  /** And this many more renderings of each pen digit, each from strokes varied as the pen varies (strokeAugment.ts). */
  strokeCopies: number;
  /**
   * And this many more renderings of each pen digit written by a convention of its digit that the writers lack
   * (conventions.ts: a slashed 0, a continental 1, a crossed 7, ...), made from its strokes, then varied as the pen varies.
   */
  conventionCopies?: number;
  /** The varied and convention renderings also as another tablet or screen records them (deviceAugment.ts). */
  deviceVariation?: boolean;
  /** Writers whose pen digits train (handwriting recipe). */
  penWriters: readonly number[];
  /** Start from this saved model instead of fresh weights. */
  init?: string;
}

/**
 * The pen digits a recipe trains on: each as written, penRepeat times, then strokeCopies varied renderings, then
 * conventionCopies renderings in a convention of its digit (after the others, so a recipe without them draws
 * the same random numbers as before they existed).
 */
export function recipePenDigits(digits: readonly PenDigit[], penRepeat: number, strokeCopies: number, random: () => number, conventionCopies = 0, deviceVariation = false): MnistSplit {
  const pen = penDigitsAsSplit(digits);
  const device = (d: PenDigit): PenDigit => (deviceVariation ? { ...d, strokes: varyDevice(d.strokes, random) } : d);
  let out = pen;
  for (let r = 1; r < penRepeat; r++) out = concatSplits(out, pen);
  for (let c = 0; c < strokeCopies; c++) out = concatSplits(out, penDigitsAsSplit(digits.map((d) => device({ ...d, strokes: augmentStrokes(d.strokes, random) }))));
  for (let c = 0; c < conventionCopies; c++) out = concatSplits(out, penDigitsAsSplit(conventionDigits(digits, random).map(device)));
  return out;
}

/** Each digit once in a convention of its kind (conventions.ts), from its own strokes, then varied as the pen varies. */
export function conventionDigits(digits: readonly PenDigit[], random: () => number): PenDigit[] {
  const zeros = new Map<number, PenDigit[]>();
  for (const d of digits) if (d.label === 0) zeros.set(d.writer, [...(zeros.get(d.writer) ?? []), d]);
  return digits.map((d) => {
    const own = zeros.get(d.writer);
    const zeroOf = () => own?.[Math.floor(random() * own.length)]?.strokes;
    return { ...d, strokes: augmentStrokes(withConvention(d.label, d.strokes, random, zeroOf).strokes, random) };
  });
}

/** The seeded random a recipe draws from (Park-Miller), first for the varied strokes, then for augmentation. */
export function recipeRandom(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

/** Trains the workshop's CNN by a recipe, logging as it goes; the caller owns the model. */
export async function trainRecipe(o: RecipeOptions) {
  const random = recipeRandom(o.seed);
  const dataDir = mnistDataDir();
  const mnist = { count: SPLIT_COUNTS.train, ...readSplit(dataDir, 'train') };
  const test = { count: SPLIT_COUNTS.test, ...readSplit(dataDir, 'test') };
  const mnistPart = { count: o.mnistImages, images: mnist.images.subarray(0, o.mnistImages * 784), labels: mnist.labels.subarray(0, o.mnistImages) };
  const penDigits = o.recipe === 'handwriting' ? byWriters(readPenDigits(), o.penWriters) : undefined;
  const pen = penDigits && recipePenDigits(penDigits, o.penRepeat, o.strokeCopies, random, o.conventionCopies ?? 0, o.deviceVariation ?? false);
  const train = pen ? concatSplits(mnistPart, pen) : mnistPart;
  const trainImages = train.count;
  const augmenter = o.recipe === 'handwriting' ? new Augmenter(undefined, random) : undefined;
  const model = o.init ? await loadModelDir(o.init) : buildCnn();
  compileForTraining(model);
  console.log(
    `training on ${tf.getBackend()}: recipe ${o.recipe}, ${o.epochs} epochs of ${trainImages} images (${o.mnistImages} MNIST` +
      `${penDigits ? ` + ${penDigits.length} pen digits of ${o.penWriters.length} writers${o.penRepeat > 1 ? ` x ${o.penRepeat}` : ''}${o.strokeCopies ? ` + ${o.strokeCopies} varied copies` : ''}${o.conventionCopies ? ` + ${o.conventionCopies} in conventions` : ''}${o.deviceVariation ? ', as other devices record them' : ''}` : ''}), batch ${DEFAULT_BATCH_SIZE}${o.init ? `, starting from ${o.init}` : ''}`,
  );

  const started = performance.now();
  let lastLine = 0;
  const result = await trainModel(model, train, test, {
    epochs: o.epochs,
    batchSize: DEFAULT_BATCH_SIZE,
    trainImages,
    random,
    augment: augmenter && ((src, out, offset) => augmenter.augment(src, out, offset)),
    onBatch: (r) => {
      if (performance.now() - lastLine < 10_000 && r.batch !== r.batchesPerEpoch) return;
      lastLine = performance.now();
      const left = ((r.batchesPerEpoch - r.batch) * DEFAULT_BATCH_SIZE) / r.imagesPerSecond;
      console.log(
        `epoch ${r.epoch}/${o.epochs} batch ${r.batch}/${r.batchesPerEpoch} loss ${r.loss.toFixed(4)} acc ${r.accuracy.toFixed(4)} ` +
          `${r.imagesPerSecond.toFixed(0)} img/s, ${left.toFixed(0)} s left in epoch`,
      );
    },
    onEpoch: (e) =>
      console.log(
        `epoch ${e.epoch}: test loss ${e.validation.loss.toFixed(4)} accuracy ${(e.validation.accuracy * 100).toFixed(2)}% ` +
          `(${e.seconds.toFixed(0)} s, ${e.numTensors} tensors)`,
      ),
  });
  if (!result) throw new Error('no epoch was trained');
  return { model, result, train, trainImages, penCount: penDigits?.length ?? 0, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const epochs = numberArg('epochs', DEFAULT_EPOCHS);
  const mnistImages = Math.min(numberArg('images', SPLIT_COUNTS.train), SPLIT_COUNTS.train);
  const shuffleSeed = numberArg('seed', 1);
  const recipe = (arg('recipe') ?? 'handwriting') as Recipe;
  if (!RECIPES.includes(recipe)) throw new Error(`--recipe must be one of ${RECIPES.join(', ')}`);
  const init = arg('init');
  const outDir = arg('out') ?? PRETRAINED_DIR;
  const penRepeat = numberArg('pen-repeat', 1);
  const strokeCopies = Number(arg('stroke-copies', '0'));
  const conventionCopies = Number(arg('conventions', '0'));
  const deviceVariation = process.argv.includes('--device-variation');
  const penWriters = WRITER_SPLIT.train;

  await startWasmBackend();
  const { model, result, train, trainImages, penCount, seconds } = await trainRecipe({ recipe, epochs, mnistImages, seed: shuffleSeed, penRepeat, strokeCopies, conventionCopies, deviceVariation, penWriters, init });
  const penDigits = await evaluatePenDigits(model);
  console.log(`pen digits of writers never trained on: ${JSON.stringify(penDigits)}`);
  const files = modelFilesFromArtifacts(await modelArtifacts(model));
  const base = init ? (JSON.parse(readFileSync(join(init, 'model-card.json'), 'utf8')) as ModelCard) : undefined;
  const card = trainedModelCard({
    name: 'Pre-trained MNIST CNN',
    source: 'pretrained',
    test: result.validation,
    epochs,
    trainImages,
    batchSize: DEFAULT_BATCH_SIZE,
    backend: 'wasm',
    trainingSeconds: seconds,
    parameters: model.countParams(),
    dataSha256: createHash('sha256').update(train.images).digest('hex'),
    versions: { tfjs: tf.version.tfjs, node: process.version },
    trainedBy: `scripts/train-pretrained.ts --recipe ${recipe} --epochs ${epochs} --images ${mnistImages} --seed ${shuffleSeed}${penRepeat > 1 ? ` --pen-repeat ${penRepeat}` : ''}${strokeCopies ? ` --stroke-copies ${strokeCopies}` : ''}${conventionCopies ? ` --conventions ${conventionCopies}` : ''}${deviceVariation ? ' --device-variation' : ''}${init ? ` --init ${init}` : ''}`,
    recipe,
    recipeDetails:
      (recipe === 'handwriting'
        ? `${epochs} epochs of MNIST's ${mnistImages} training images and ${penCount} pen digits of writers ${penWriters[0]}-${penWriters.at(-1)}` +
          `${penRepeat > 1 ? ` (each ${penRepeat} times an epoch)` : ''}${strokeCopies ? ` and ${strokeCopies} renderings of each from varied strokes` : ''}` +
          `${conventionCopies ? ` and ${conventionCopies} renderings of each in a convention of its digit the writers lack (slashed 0, continental 1, crossed 7, ...)` : ''}` +
          `${deviceVariation ? ', those renderings as other tablets and screens record them (point rate, grid, hooks, tremor, stray dots)' : ''}, ` +
          'half of the images augmented afresh each epoch (elastic distortion, rotation, scale, aspect, shear, shift, stroke width)'
        : `${epochs} epochs of MNIST's ${mnistImages} training images, as the original Keras script`) +
      (base ? `, continuing from "${base.name}" (${base.trainedBy ?? base.recipeDetails ?? 'its own recipe'})` : ''),
    penDigitsAccuracy: penDigits.accuracy,
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const f of files) writeFileSync(join(outDir, f.name), f.bytes);
  writeFileSync(join(outDir, 'model-card.json'), JSON.stringify(card, null, 2) + '\n');
  console.log(`wrote ${files.length} files and model-card.json to ${outDir}: test accuracy ${(result.validation.accuracy * 100).toFixed(2)}%, pen digits ${(penDigits.accuracy * 100).toFixed(2)}%`);
}

// Only when run as a script, not when a test imports PRETRAINED_DIR.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
