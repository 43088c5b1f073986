/**
 * Trains the pre-trained model that the container serves, as the original workshop trained mnist.h5 once and
 * committed it. Same model, optimizer, data and training loop as the browser (src/model, src/data), on the same
 * wasm backend with the same added kernels. Writes public/models/pretrained/{model.json, shards, model-card.json}.
 *
 * Usage: npm run train:pretrained [-- --epochs 4 --images 60000 --seed 1]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { SPLIT_COUNTS } from '../src/data/mnistFacts';
import { buildCnn, compileForTraining, DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from '../src/model/cnn';
import type { ModelCard } from '../src/model/modelCard';
import { modelArtifacts, modelFilesFromArtifacts } from '../src/model/modelFiles';
import { trainModel } from '../src/model/train';
import { useWasmBackend } from './nodeBackend';
import { mnistDataDir, readSplit } from './prepare-data';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the served pre-trained model lives (also read by scripts/pretrained-model.test.ts). */
export const PRETRAINED_DIR = join(root, 'public', 'models', 'pretrained');

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main(): Promise<void> {
  const epochs = numberArg('epochs', DEFAULT_EPOCHS);
  const trainImages = Math.min(numberArg('images', SPLIT_COUNTS.train), SPLIT_COUNTS.train);
  const shuffleSeed = numberArg('seed', 1);
  let seed = shuffleSeed;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;

  await useWasmBackend();
  const dataDir = mnistDataDir();
  const train = { count: SPLIT_COUNTS.train, ...readSplit(dataDir, 'train') };
  const test = { count: SPLIT_COUNTS.test, ...readSplit(dataDir, 'test') };
  const model = buildCnn();
  compileForTraining(model);
  console.log(`training on ${tf.getBackend()}: ${epochs} epochs of ${trainImages} images, batch ${DEFAULT_BATCH_SIZE}`);

  const started = performance.now();
  let lastLine = 0;
  const result = await trainModel(model, train, test, {
    epochs,
    batchSize: DEFAULT_BATCH_SIZE,
    trainImages,
    random,
    onBatch: (r) => {
      if (performance.now() - lastLine < 10_000 && r.batch !== r.batchesPerEpoch) return;
      lastLine = performance.now();
      const left = ((r.batchesPerEpoch - r.batch) * DEFAULT_BATCH_SIZE) / r.imagesPerSecond;
      console.log(
        `epoch ${r.epoch}/${epochs} batch ${r.batch}/${r.batchesPerEpoch} loss ${r.loss.toFixed(4)} acc ${r.accuracy.toFixed(4)} ` +
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
  const files = modelFilesFromArtifacts(await modelArtifacts(model));
  const card: ModelCard = {
    name: 'Pre-trained MNIST CNN',
    source: 'pretrained',
    createdAt: new Date().toISOString(),
    testAccuracy: result.validation.accuracy,
    testLoss: result.validation.loss,
    epochs,
    trainImages,
    batchSize: DEFAULT_BATCH_SIZE,
    backend: 'wasm',
    trainingSeconds: (performance.now() - started) / 1000,
    parameters: model.countParams(),
    dataSha256: createHash('sha256').update(train.images).digest('hex'),
    versions: { tfjs: tf.version.tfjs, node: process.version },
    trainedBy: `scripts/train-pretrained.ts --epochs ${epochs} --images ${trainImages} --seed ${shuffleSeed}`,
  };
  rmSync(PRETRAINED_DIR, { recursive: true, force: true });
  mkdirSync(PRETRAINED_DIR, { recursive: true });
  for (const f of files) writeFileSync(join(PRETRAINED_DIR, f.name), f.bytes);
  writeFileSync(join(PRETRAINED_DIR, 'model-card.json'), JSON.stringify(card, null, 2) + '\n');
  console.log(`wrote ${files.length} files and model-card.json to public/models/pretrained: test accuracy ${(result.validation.accuracy * 100).toFixed(2)}%`);
}

// Only when run as a script, not when a test imports PRETRAINED_DIR.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
