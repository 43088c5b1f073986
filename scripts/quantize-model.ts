/**
 * Stores a saved model's weights as float16 or uint8 (TensorFlow.js's weights-manifest quantisation) and says what
 * it costs: MNIST test accuracy and the evaluation writers' pen digits, before and after, measured here. The card
 * gets the quantised model's own figures. The served model is quantised only where MNIST drops by less than 0.05
 * points and the pen digits do not drop (issue "Looks as good as it works").
 * Usage: npx tsx scripts/quantize-model.ts --in DIR --out DIR --to float16|uint8
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SPLIT_COUNTS } from '../src/data/mnistFacts';
import { evaluateModel } from '../src/model/evaluate';
import type { ModelCard } from '../src/model/modelCard';
import { modelArtifacts, modelFilesFromArtifacts } from '../src/model/modelFiles';
import { type Quantization, quantizeWeights } from '../src/model/quantize';
import { evaluatePenDigits, loadModelDir } from './eval-pendigits';
import { arg } from './cliArgs';
import { startWasmBackend } from './nodeBackend';
import { mnistDataDir, readSplit } from './prepare-data';

const required = (name: string) => {
  const value = arg(name);
  if (!value) throw new Error(`--${name} is required`);
  return value;
};
const inDir = required('in');
const outDir = required('out');
const to = required('to') as Quantization;
if (to !== 'float16' && to !== 'uint8') throw new Error('--to must be float16 or uint8');

await startWasmBackend();
const test = { count: SPLIT_COUNTS.test, ...readSplit(mnistDataDir(), 'test') };
const measure = async (model: tf.LayersModel) => ({ mnist: await evaluateModel(model, test), pen: await evaluatePenDigits(model) });

const original = await loadModelDir(inDir);
const before = await measure(original);
const artifacts = await modelArtifacts(original);
const q = quantizeWeights(artifacts.weightSpecs!, tf.io.CompositeArrayBuffer.join(artifacts.weightData!), to);
const quantized = { ...artifacts, weightSpecs: q.specs, weightData: q.data };
const model = await tf.loadLayersModel(tf.io.fromMemory(quantized));
const after = await measure(model);

const card = JSON.parse(readFileSync(join(inDir, 'model-card.json'), 'utf8')) as ModelCard;
const updated: ModelCard = {
  ...card,
  testAccuracy: after.mnist.accuracy,
  testLoss: after.mnist.loss,
  penDigitsAccuracy: after.pen.accuracy,
  weights: to,
  trainedBy: `${card.trainedBy}; weights stored as ${to} by scripts/quantize-model.ts`,
};
mkdirSync(outDir, { recursive: true });
for (const f of modelFilesFromArtifacts(quantized)) writeFileSync(join(outDir, f.name), f.bytes);
writeFileSync(join(outDir, 'model-card.json'), JSON.stringify(updated, null, 2) + '\n');
console.log(
  JSON.stringify(
    {
      to,
      weightBytes: { float32: tf.io.CompositeArrayBuffer.join(artifacts.weightData!).byteLength, [to]: q.data.byteLength },
      mnistTestAccuracy: { float32: before.mnist.accuracy, [to]: after.mnist.accuracy, dropPoints: +((before.mnist.accuracy - after.mnist.accuracy) * 100).toFixed(3) },
      penDigitsAccuracy: { float32: before.pen.accuracy, [to]: after.pen.accuracy },
      wrote: outDir,
    },
    null,
    2,
  ),
);
