/**
 * The app's own export as Keras files, read back by the independent reader (h5py + numpy,
 * src/testing/keras/keras_reference.py): the same layer names and weight shapes, the structure Keras's loaders
 * read, and the same predictions; and imported back here with identical probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../scripts/nodeBackend';
import { KERAS_MODELS_DIR, describeKerasFile, mnistTestDigits, pickedFile, referenceProbabilities, writeFunctionalKerasFile } from '../../testing/keras/reference';
import { buildCnn } from '../cnn';
import { importModelFiles } from '../importLayersModel';
import { modelArtifacts } from '../modelFiles';
import { type KerasFormat, kerasFiles } from './writeKeras';

const COUNT = 16;
const digits = mnistTestDigits(COUNT);
const dir = mkdtempSync(join(tmpdir(), 'keras-export-'));

beforeAll(async () => {
  await startWasmBackend();
});

const predict = (model: tf.LayersModel) => tf.tidy(() => (model.predict(tf.tensor4d(digits.images, [COUNT, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

async function exported(model: tf.LayersModel, format: KerasFormat, base: string): Promise<string> {
  const [file, ...rest] = await kerasFiles(await modelArtifacts(model), format, base);
  expect(rest).toEqual([]);
  expect(file!.name).toBe(`${base}.${format}`);
  const path = join(dir, file!.name);
  writeFileSync(path, file!.bytes);
  return path;
}

describe("the app's CNN exported as Keras files", () => {
  // Trained weights are not needed to compare readers: seeded Glorot weights give distinct, non-trivial outputs.
  let model: tf.LayersModel;
  let names: string[];
  let shapes: number[][][];
  beforeAll(() => {
    model = buildCnn(7);
    names = model.layers.map((l) => l.name);
    shapes = model.layers.map((l) => l.getWeights().map((w) => w.shape));
  });

  for (const format of ['h5', 'keras'] as const) {
    it(`${format}: the independent reader finds the same layers, shapes and predictions`, async () => {
      const path = await exported(model, format, 'digit-lab');
      const described = describeKerasFile(path);
      expect(described.model_class).toBe('Sequential');
      const layers = described.layers.filter((l) => l.class !== 'InputLayer');
      expect(layers.map((l) => l.name)).toEqual(names);
      expect(layers.map((l) => l.weights)).toEqual(shapes);
      if (format === 'h5') {
        expect(described.attrs).toMatchObject({ keras_version: expect.stringMatching(/^2\./), backend: 'tensorflow' });
        expect(described.layer_names).toEqual(names);
        expect(described.model_weights_attrs).toEqual(['backend', 'keras_version', 'layer_names']);
        expect(described.weight_names![names[0]!]).toEqual([`${names[0]}/kernel:0`, `${names[0]}/bias:0`]);
        expect(described.weight_names![names[2]!]).toEqual([]);
      } else {
        expect(described.entries).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
        expect(described.metadata).toMatchObject({ keras_version: expect.stringMatching(/^3\./) });
        expect(described.weight_keys).toEqual(['conv2d', 'conv2d_1', 'dense', 'dense_1', 'dropout', 'dropout_1', 'flatten', 'max_pooling2d']);
      }
      const ours = predict(model);
      expect(maxDifference(ours, referenceProbabilities(path, digits.images, COUNT))).toBeLessThan(1e-4);
    });

    it(`${format}: imported back, it predicts identically`, async () => {
      const path = await exported(model, format, 'round-trip');
      const { model: back } = await importModelFiles([pickedFile(path)]);
      expect(back.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name)).toEqual(names);
      expect(predict(back)).toEqual(predict(model));
      back.dispose();
    });
  }

  for (const format of ['h5', 'keras'] as const) {
    it(`a functional model imported, then exported as ${format}: the reader finds its connections and predictions`, async () => {
      const original = writeFunctionalKerasFile(2);
      const { model: imported } = await importModelFiles([pickedFile(original)]);
      const path = await exported(imported, format, 'functional');
      expect(describeKerasFile(path).model_class).toBe(format === 'h5' ? 'Model' : 'Functional');
      expect(maxDifference(referenceProbabilities(path, digits.images, COUNT), referenceProbabilities(original, digits.images, COUNT))).toBeLessThan(1e-6);
      const { model: back } = await importModelFiles([pickedFile(path)]);
      expect(predict(back)).toEqual(predict(imported));
      imported.dispose();
      back.dispose();
    });
  }

  it('a real Keras 2.6 file imported, then exported as .keras, still predicts as the original file does', async () => {
    const original = join(KERAS_MODELS_DIR, 'kilj4eden-streamlit_minimal_ml_mnist.h5');
    const { model: imported } = await importModelFiles([pickedFile(original)]);
    const path = await exported(imported, 'keras', 'kilj4eden');
    expect(maxDifference(referenceProbabilities(path, digits.images, COUNT), referenceProbabilities(original, digits.images, COUNT))).toBeLessThan(1e-6);
    imported.dispose();
  });
});
