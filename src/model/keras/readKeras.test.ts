/**
 * Direct Keras import on real files other people made (src/testing/keras-models/) and on bad ones: each real
 * file predicts what an independent reader (h5py + numpy, src/testing/keras/keras_reference.py) computes from
 * the same file, within 1e-4 on every probability, and reads the MNIST digits right.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../scripts/nodeBackend';
import {
  KERAS_MODELS_DIR,
  REAL_KERAS_FILES,
  mnistTestDigits,
  pickedFile,
  referenceProbabilities,
  writeFloat16KerasFile,
  writeFunctionalKerasFile,
  writeTestKerasFile,
  writeWindowsKerasFile,
} from '../../testing/keras/reference';
import { importModelFiles } from '../importLayersModel';

const COUNT = 32;
const digits = mnistTestDigits(COUNT);

beforeAll(async () => {
  await startWasmBackend();
});

function predict(model: tf.LayersModel): number[][] {
  const image = model.inputs[0]!.shape.length === 4;
  return tf.tidy(() => {
    const x = image ? tf.tensor4d(digits.images, [COUNT, 28, 28, 1]) : tf.tensor2d(digits.images, [COUNT, 784]);
    return (model.predict(x) as tf.Tensor).arraySync() as number[][];
  });
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));
const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

describe('real Keras files', () => {
  for (const name of REAL_KERAS_FILES) {
    it(`${name} predicts as the independent numpy reference does`, async () => {
      const path = join(KERAS_MODELS_DIR, name);
      const tensorsBefore = tf.memory().numTensors;
      const { model, notes, fileName } = await importModelFiles([pickedFile(path)]);
      expect(fileName).toBe(name);
      expect(notes).toEqual([]);
      const ours = predict(model);
      const reference = referenceProbabilities(path, digits.images, COUNT);
      expect(maxDifference(ours, reference)).toBeLessThan(1e-4);
      expect(ours.map(argmax)).toEqual(reference.map(argmax));
      // Working classifiers: at most one of these 32 test digits wrong.
      expect(ours.map(argmax).filter((d, i) => d !== digits.labels[i]).length).toBeLessThanOrEqual(1);
      model.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }
});

/** A File from bytes made in the test. */
const fileOf = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);
const KERAS_FILE = join(KERAS_MODELS_DIR, 'moonflower2022-mnist-models_mnist_model.keras');
const H5_FILE = join(KERAS_MODELS_DIR, 'kilj4eden-streamlit_minimal_ml_mnist.h5');

/** The real .keras file's entries, to rebuild it with one thing changed. */
function kerasEntries(): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(readFileSync(KERAS_FILE)));
}

describe('functional models', () => {
  for (const version of [2, 3] as const) {
    it(`Keras ${version}'s functional connections: the reference's predictions, through the softmax it lacks`, async () => {
      const path = writeFunctionalKerasFile(version);
      const { model, notes } = await importModelFiles([pickedFile(path)]);
      expect(notes).toEqual([expect.stringMatching(/last layer \(logits\) gives raw scores/)]);
      expect(model.layers.map((l) => l.name)).toEqual(['img', 'conv', 'pool', 'flat', 'logits', 'digit_lab_softmax']);
      expect(maxDifference(predict(model), referenceProbabilities(path, digits.images, COUNT))).toBeLessThan(1e-4);
      model.dispose();
    });
  }
});

describe('.keras files of tf.keras 2.13 on Windows', () => {
  it('weights under "_layer_checkpoint_dependencies\\<key>", a counter that skips: the same predictions as the file they came from', async () => {
    const path = writeWindowsKerasFile(KERAS_FILE);
    const { model } = await importModelFiles([pickedFile(path)]);
    const { model: original } = await importModelFiles([pickedFile(KERAS_FILE)]);
    expect(predict(model)).toEqual(predict(original));
    expect(maxDifference(predict(model), referenceProbabilities(path, digits.images, COUNT))).toBeLessThan(1e-4);
    model.dispose();
    original.dispose();
  });
});

describe('float16 weights (a model saved in half precision)', () => {
  /** Each weight's values, in the model's order, by its name in the file (tfjs numbers the variables' own names). */
  const weightsOf = (model: tf.LayersModel) => model.weights.map((w) => ({ name: w.originalName, values: Array.from(w.read().dataSync()) }));

  for (const variant of ['le', 'be'] as const) {
    it(`${variant === 'le' ? 'little' : 'big'}-endian: reads as its float32 twin within float16 precision, and as the numpy reference reads the float16 file`, async () => {
      const path = writeFloat16KerasFile(H5_FILE, variant);
      const tensorsBefore = tf.memory().numTensors;
      const { model, notes } = await importModelFiles([pickedFile(path)]);
      const { model: twin } = await importModelFiles([pickedFile(H5_FILE)]);
      expect(notes).toEqual([]);
      const [halves, floats] = [weightsOf(model), weightsOf(twin)];
      expect(halves.map((w) => w.name)).toEqual(floats.map((w) => w.name));
      halves.forEach(({ name, values }, i) => {
        const exact = floats[i]!.values;
        expect(values, name).toHaveLength(exact.length);
        // Rounded to the nearest half: within half a unit in the last of 11 significant bits (2^-25 for subnormals).
        const worst = values.findIndex((v, j) => Math.abs(v - exact[j]!) > Math.max(Math.abs(exact[j]!) * 2 ** -11, 2 ** -25));
        expect(worst, `${name}[${worst}]: ${values[worst]} for ${exact[worst]}`).toBe(-1);
        expect(values.some((v, j) => v !== exact[j]), `${name} is float16, not the float32 original`).toBe(true);
      });
      const ours = predict(model);
      const original = predict(twin);
      expect(maxDifference(ours, referenceProbabilities(path, digits.images, COUNT))).toBeLessThan(1e-4);
      expect(maxDifference(ours, original)).toBeLessThan(1e-3);
      expect(ours.map(argmax)).toEqual(original.map(argmax));
      model.dispose();
      twin.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  it('subnormals, -0 and the largest half read exactly', async () => {
    const { model } = await importModelFiles([pickedFile(writeFloat16KerasFile(H5_FILE, 'specials'))]);
    const bias = Array.from(model.getLayer('conv2d').getWeights()[1]!.dataSync().slice(0, 4));
    expect(bias).toEqual([2 ** -24, 1023 * 2 ** -24, -0, 65504]);
    expect(Object.is(bias[2], -0)).toBe(true);
    model.dispose();
  });

  for (const [variant, value] of [
    ['nan', 'NaN'],
    ['inf', 'Infinity'],
  ] as const) {
    it(`a float16 ${value} weight: refused by the numbers check, nothing left allocated`, async () => {
      const before = tf.memory().numTensors;
      const variables = Object.keys(tf.engine().state.registeredVariables).length;
      const error = (await importModelFiles([pickedFile(writeFloat16KerasFile(H5_FILE, variant))]).catch((e: unknown) => e)) as Error & { code?: string };
      expect(error.message).toMatch(new RegExp(`^Its weight conv2d/bias(_\\d+)? holds ${value}, not a number a model can read with\\.$`));
      expect(error.code).toBe('invalid-model');
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(variables);
    });
  }
});

describe('refusals, each with its reason and nothing left allocated', () => {
  async function refused(files: File[], reason: RegExp) {
    const before = tf.memory().numTensors;
    const variables = Object.keys(tf.engine().state.registeredVariables).length;
    await expect(importModelFiles(files)).rejects.toThrowError(reason);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(variables);
  }

  it('a Lambda layer: refused, its code never run', async () => {
    await refused([pickedFile(writeTestKerasFile('lambda'))], /lambda\.h5: its layer lambda_1 is a Lambda layer, which holds Python code/);
  });

  it('a weights-only .h5 (save_weights)', async () => {
    await refused([pickedFile(writeTestKerasFile('weights-only'))], /holds only weights \(saved with save_weights\)/);
  });

  it('a garbage .h5, a truncated .h5 and a file that is not HDF5', async () => {
    const real = new Uint8Array(readFileSync(H5_FILE));
    await refused([fileOf('half.h5', real.slice(0, real.length / 2))], /half\.h5: it is not a readable HDF5 file \(damaged or truncated\?\)/);
    await refused([fileOf('head.h5', real.slice(0, 600))], /head\.h5: it is not a readable HDF5 file/);
    const garbage = real.slice();
    garbage.fill(0x5a, 8, 4096);
    await refused([fileOf('garbage.h5', garbage)], /garbage\.h5: it is not a readable HDF5 file/);
    await refused([fileOf('notes.h5', new TextEncoder().encode('hello'))], /notes\.h5: it is not an HDF5 file/);
  });

  it('a .keras zip without config.json, one without weights, a truncated one', async () => {
    const { 'config.json': config, ...rest } = kerasEntries();
    await refused([fileOf('no-config.keras', zipSync(rest, { level: 0 }))], /no-config\.keras: it has no config\.json, so it is not a Keras 3 model file/);
    const { 'model.weights.h5': _weights, ...noWeights } = kerasEntries();
    await refused([fileOf('no-weights.keras', zipSync({ ...noWeights, 'config.json': config! }, { level: 0 }))], /has no model\.weights\.h5/);
    const real = new Uint8Array(readFileSync(KERAS_FILE));
    await refused([fileOf('cut.keras', real.slice(0, 300_000))], /cut\.keras: it is not a readable zip file/);
  });

  it('a .keras whose config does not match its weights', async () => {
    const entries = kerasEntries();
    const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as { config: { layers: Array<{ config: Record<string, unknown> }> } };
    config.config.layers[1]!.config.filters = 16;
    const bytes = zipSync({ ...entries, 'config.json': new TextEncoder().encode(JSON.stringify(config)) }, { level: 0 });
    await refused([fileOf('changed.keras', bytes)], /its layer conv2d needs a weight of shape \[3, 3, 1, 16\], and the file holds \[3, 3, 1, 32\]/);
  });

  it('a Git LFS pointer committed in place of the file', async () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
    await refused([fileOf('mnist.keras', new TextEncoder().encode(pointer))], /mnist\.keras is a Git LFS pointer \(\d+ bytes\), not the model itself/);
  });

  it('two Keras files at once', async () => {
    await refused([pickedFile(H5_FILE), pickedFile(KERAS_FILE)], /Choose one Keras file/);
  });
});

describe('a model whose last layer gives raw scores', () => {
  it('reads through a softmax, says so, and matches the reference (which does the same)', async () => {
    const path = writeTestKerasFile('no-softmax');
    const { model, notes } = await importModelFiles([pickedFile(path)]);
    expect(notes).toEqual([expect.stringMatching(/last layer \(dense_2\) gives raw scores, not probabilities: Digit Lab reads them through a softmax/)]);
    const ours = predict(model);
    for (const row of ours) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(maxDifference(ours, referenceProbabilities(path, digits.images, COUNT))).toBeLessThan(1e-4);
    model.dispose();
  });
});
