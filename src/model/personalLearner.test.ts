/**
 * Learning a writer's handwriting on the models users bring: a real Keras file someone else trained on MNIST
 * alone (TrustAI/DeepGame, src/testing/keras-models), which reads some of writer 28's 9s (a small loop on a long
 * stem) as 7s, learns the habit from the writer's corrections; the served model and the same network as other
 * tools write it (tensorflowjs_converter's Keras formats) learn the same from the same samples; a model with no
 * features before its last layer is refused with the reason. Real pen digits (writer 28), MNIST's own test digits
 * for the replay and the check. (The served model, trained on the writers' conventions, now reads all of writer
 * 28's taught 9s: it leaves nothing to correct.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { byWriters, penDigitsAsSplit } from '../data/pendigits';
import type { MnistSplit } from '../data/batches';
import { loadModelDir } from '../../scripts/eval-pendigits';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { readPenDigits } from '../../scripts/pendigits';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { type NamedBytes, converterFiles, float32WeightsOf } from '../testing/converterFormats';
import { NoFeatures, featureReader, readFeatures } from './featureReader';
import { importLayersModel, importModelFiles } from './importLayersModel';
import { KERAS_MODELS_DIR, REAL_KERAS_FILES, pickedFile } from '../testing/keras/reference';
import { join } from 'node:path';
import type { PersonalSample } from './personal';
import { LEARNER, PersonalLearner } from './personalLearner';
import { type Features, readRow } from './personalMemory';

const asFiles = (files: NamedBytes[]) => files.map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));

let served: tf.LayersModel;
let mnistOnly: tf.LayersModel;
let test: MnistSplit;
let taught: PersonalSample[];
let others: { images: Float32Array; labels: Uint8Array };

beforeAll(async () => {
  await startWasmBackend();
  served = await loadModelDir('public/models/pretrained');
  mnistOnly = (await importModelFiles([pickedFile(join(KERAS_MODELS_DIR, REAL_KERAS_FILES[0]!))])).model;
  const mnist = readSplit(mnistDataDir(), 'test');
  // 2,000 MNIST test digits keep the test quick: the first 1,000 bound the balls, the rest are the check.
  test = { count: 2000, images: mnist.images.subarray(0, 2000 * 784), labels: mnist.labels.subarray(0, 2000) };
  const nines = penDigitsAsSplit(byWriters(readPenDigits(), [28]).filter((d) => d.label === 9));
  const pixels = (i: number) => nines.images.slice(i * 784, (i + 1) * 784);
  const even = Array.from({ length: nines.count }, (_, i) => i).filter((i) => i % 2 === 0);
  const odd = Array.from({ length: nines.count }, (_, i) => i).filter((i) => i % 2 === 1);
  taught = even.map((i) => ({ id: `s${i}`, label: 9, pixels: pixels(i), createdAt: `2026-12-02T00:00:${String(i).padStart(2, '0')}` }));
  others = { images: Float32Array.from(odd.flatMap((i) => Array.from(pixels(i))), (v) => v / 255), labels: new Uint8Array(odd.length).fill(9) };
});

/** Learns from the taught 9s; the other 9s read right by the base model and with what was learnt. */
async function learnOn(model: tf.LayersModel) {
  const learner = new PersonalLearner({ ...LEARNER, checkFrom: 1000, stride: 1 });
  const learnt = await learner.learn('base', async () => model, test, taught);
  const reader = featureReader(model);
  const read = await readFeatures(reader, others.images, others.labels.length);
  const rows: Features = { dim: reader.dim, x: read.features, y: others.labels, base: read.probabilities };
  const right = (memory: typeof learnt.memory | undefined) => others.labels.filter((label, i) => readRow(memory, rows, i) === label).length;
  return { learnt, before: right(undefined), after: right(learnt.memory) };
}

describe('learning a writer’s handwriting', () => {
  it('on a model users bring that misreads them: the writer’s other 9s read better, MNIST within 0.3 points', async () => {
    const { learnt, before, after } = await learnOn(mnistOnly);
    expect(learnt.accepted, learnt.reason).toBe(true);
    expect(learnt.checks.ownBase).toBeLessThan(1);
    expect(after).toBeGreaterThan(before);
    expect(learnt.checks.mnistPersonal).toBeGreaterThanOrEqual(learnt.checks.mnistBase - 0.003);
    expect(Array.from(learnt.memory.labels).every((l) => l === 9)).toBe(true);
  }, 60_000);

  for (const format of ['keras-2.2.4', 'keras-functional'] as const) {
    it(`on the same network imported from ${format}: the very same memory and readings`, async () => {
      const imported = await importLayersModel(asFiles(converterFiles(format, float32WeightsOf(served))));
      const mine = await learnOn(served);
      const theirs = await learnOn(imported);
      expect(theirs.learnt.accepted).toBe(mine.learnt.accepted);
      expect([theirs.before, theirs.after]).toEqual([mine.before, mine.after]);
      expect(Array.from(theirs.learnt.memory.radii)).toEqual(Array.from(mine.learnt.memory.radii).map((r) => expect.closeTo(r, 5)));
      imported.dispose();
    }, 120_000);
  }

  it('refuses a model with nothing flat before its last layer, saying why', () => {
    const single = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] });
    expect(() => featureReader(single)).toThrow(NoFeatures);
    expect(() => featureReader(single)).toThrow(/more than one layer/);
    const convHead = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3 }), tf.layers.conv2d({ filters: 10, kernelSize: 26, activation: 'softmax' })],
    });
    expect(() => featureReader(convHead)).toThrow(/flat features/);
    single.dispose();
    convHead.dispose();
  });
});
