/**
 * Keras files made to get past the limits, each made here and refused through the import the browser uses
 * (importModelFiles) with a message, before what it asked for is unpacked or parsed: a .keras zip that repeats a
 * name, declares sizes over the limits or lies about them; an .h5 whose model_config is over the limit (from its
 * header where it is fixed-length); configs nested 200,000 deep. And a deflated .keras file still reads.
 */
import * as tf from '@tensorflow/tfjs';
import { type Zippable, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../scripts/nodeBackend';
import { KERAS_MODELS_DIR, mnistTestDigits } from '../../testing/keras/reference';
import { MAX_KERAS_CONFIG_BYTES, MAX_KERAS_FILE_BYTES } from '../importLimits';
import { importModelFiles } from '../importLayersModel';
import { openHdf5, writeHdf5 } from './hdf5';
import { zipDirectory } from './zipEntries';

const KERAS_FILE = join(KERAS_MODELS_DIR, 'moonflower2022-mnist-models_mnist_model.keras');
const H5_FILE = join(KERAS_MODELS_DIR, 'kilj4eden-streamlit_minimal_ml_mnist.h5');

beforeAll(async () => {
  await startWasmBackend();
});

const fileOf = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);
const realEntries = () => unzipSync(new Uint8Array(readFileSync(KERAS_FILE)));
/** JSON text nested `depth` arrays deep inside a Keras model config. */
const deepConfig = (depth: number) => `{"class_name": "Sequential", "config": {"name": "deep", "layers": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
const hostBytes = () => process.memoryUsage().heapUsed + process.memoryUsage().external;

/** Refused with the reason, in a few seconds, the host's memory barely grown. */
async function refused(file: File, reason: RegExp): Promise<void> {
  const before = hostBytes();
  const started = performance.now();
  await expect(importModelFiles([file])).rejects.toThrowError(reason);
  expect(performance.now() - started).toBeLessThan(3000);
  expect(hostBytes() - before).toBeLessThan(200 * 1024 * 1024);
}

/**
 * An fflate zip (no comment) with one entry changed in place: its declared size in the central directory, its
 * name (same length) in both its headers.
 */
function patchZip(zip: Uint8Array, name: string, change: { size?: number; name?: string }): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const end = out.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  let at = view.getUint32(end + 16, true);
  let found = false;
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const nameLength = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(out.subarray(at + 46, at + 46 + nameLength)) === name) {
      found = true;
      if (change.size !== undefined) view.setUint32(at + 24, change.size, true);
      if (change.name !== undefined) {
        const bytes = new TextEncoder().encode(change.name);
        expect(bytes.length).toBe(nameLength);
        out.set(bytes, at + 46);
        out.set(bytes, view.getUint32(at + 42, true) + 30);
      }
    }
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  expect(found).toBe(true);
  return out;
}

/** An .h5 with this model_config: fixed-length (as Keras's bytes are written) or variable-length (h5py's str). */
async function h5WithModelConfig(value: string | string[], fixedLength: boolean): Promise<Uint8Array> {
  if (!fixedLength) return writeHdf5({ attrs: { model_config: value, keras_version: '2.6.0', backend: 'tensorflow' }, groups: { model_weights: {} } });
  const h5 = await import('h5wasm');
  await h5.ready;
  const path = `/keras-limits-${Date.now()}.h5`;
  const file = new h5.File(path, 'w');
  try {
    file.create_attribute('model_config', value, null, `S${(value as string).length}`);
    file.create_group('model_weights');
  } finally {
    file.close();
  }
  try {
    return h5.FS!.readFile(path, { encoding: 'binary' }) as Uint8Array;
  } finally {
    h5.FS!.unlink(path);
  }
}

describe('a .keras zip', () => {
  it('that repeats a name is refused before anything is unpacked: a first model.weights.h5 declared at 3 GB, a small second one', async () => {
    const { 'model.weights.h5': weights, ...rest } = realEntries();
    const entries: Zippable = { ...rest, 'model.weights.h5': [weights!, { level: 6 }], 'model.weights.h6': [weights!, { level: 0 }] };
    let zip = patchZip(zipSync(entries), 'model.weights.h5', { size: 3_000_000_000 });
    zip = patchZip(zip, 'model.weights.h6', { name: 'model.weights.h5' });
    await refused(fileOf('twice.keras', zip), /twice\.keras: it holds two entries named model\.weights\.h5; a zip that repeats a name is refused/);
  });

  it('whose entries declare more than the limits is refused from its directory alone', async () => {
    const zip = zipSync(realEntries(), { level: 0 });
    await refused(fileOf('big-weights.keras', patchZip(zip, 'model.weights.h5', { size: 300_000_000 })), /big-weights\.keras: its model\.weights\.h5 is 300\.0 MB; over 256 MB is refused/);
    await refused(fileOf('big-config.keras', patchZip(zip, 'config.json', { size: 2 * MAX_KERAS_CONFIG_BYTES })), /big-config\.keras: its config\.json is 2\.1 MB; a model config over 1 MB is refused/);
    // Each within its limit, not together.
    await refused(fileOf('big-sum.keras', patchZip(zip, 'model.weights.h5', { size: MAX_KERAS_FILE_BYTES })), /its config\.json and model\.weights\.h5 unpack to 268\.4 MB together; over 256 MB is refused/);
  });

  it('whose entry unpacks to more than it declares (a deflate bomb declared at 1,000 bytes) is stopped at the first step', async () => {
    const { 'model.weights.h5': _weights, ...rest } = realEntries();
    const bomb = zipSync({ ...rest, 'model.weights.h5': [new Uint8Array(64 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(200_000);
    await refused(fileOf('bomb.keras', patchZip(bomb, 'model.weights.h5', { size: 1000 })), /bomb\.keras: its model\.weights\.h5 unpacks to more than the 1,000 bytes its zip directory declares/);
  });

  it('whose entry unpacks to less than it declares, or whose directory is cut, is damaged', async () => {
    const entries = realEntries();
    const deflated = zipSync(entries, { level: 6 });
    const size = entries['model.weights.h5']!.length;
    await refused(fileOf('short.keras', patchZip(deflated, 'model.weights.h5', { size: size + 1 })), /short\.keras: it is not a readable zip file \(damaged or truncated\?\): model\.weights\.h5 unpacks to [\d,]+ bytes, not the [\d,]+ its directory declares/);
    const stored = zipSync(entries, { level: 0 });
    await refused(fileOf('stored.keras', patchZip(stored, 'model.weights.h5', { size: size + 1 })), /model\.weights\.h5 is stored as [\d]+ bytes but declared as [\d]+/);
    expect(() => zipDirectory(stored.subarray(0, stored.length - 10))).toThrowError(/no central directory/);
    const cut = stored.slice();
    new DataView(cut.buffer).setUint16(cut.length - 22 + 10, 50, true);
    expect(() => zipDirectory(cut)).toThrowError(/damaged or truncated/);
  });

  it('deflated, as zip tools write it, still reads: the same predictions as the stored original', async () => {
    const entries = realEntries();
    const deflated = zipSync(entries, { level: 6 });
    expect([...zipDirectory(deflated).values()].map((e) => e.method)).toEqual([8, 8, 8]);
    const [{ model: original }, { model: unpacked }] = [await importModelFiles([fileOf('stored.keras', zipSync(entries, { level: 0 }))]), await importModelFiles([fileOf('deflated.keras', deflated)])];
    const digits = mnistTestDigits(8);
    const predict = (model: tf.LayersModel) => tf.tidy(() => Array.from((model.predict(tf.tensor4d(digits.images, [8, 28, 28, 1])) as tf.Tensor).dataSync()));
    expect(predict(unpacked)).toEqual(predict(original));
    original.dispose();
    unpacked.dispose();
  });
});

describe("a Keras file's config", () => {
  it("an .h5's model_config over 1 MB: from its header when fixed-length, nothing read; once read when variable-length", async () => {
    const big = JSON.stringify({ class_name: 'Sequential', config: { name: 'x'.repeat(2 * MAX_KERAS_CONFIG_BYTES), layers: [] } });
    const fixed = await h5WithModelConfig(big, true);
    const variable = await h5WithModelConfig(big, false);
    const reader = await openHdf5(fixed);
    expect(reader.attrSize('/', 'model_config')).toEqual({ count: 1, bytes: big.length });
    reader.close();
    const vlen = await openHdf5(variable);
    expect(vlen.attrSize('/', 'model_config')).toEqual({ count: 1 });
    expect(vlen.attrSize('/', 'absent')).toBeUndefined();
    vlen.close();
    await refused(fileOf('fixed.h5', fixed), /fixed\.h5: its model_config is 2\.1 MB; a model config over 1 MB is refused/);
    await refused(fileOf('variable.h5', variable), /variable\.h5: its model_config is 2\.1 MB; a model config over 1 MB is refused/);
    await refused(fileOf('list.h5', await h5WithModelConfig(['{}', '{}'], false)), /list\.h5: its model_config is not one string/);
  });

  it('nested 200,000 deep: refused with a message, in an .h5, a .keras file and a model.json, not a stack overflow', async () => {
    const deep = deepConfig(200_000);
    await refused(fileOf('deep.h5', await h5WithModelConfig(deep, false)), /deep\.h5: its model_config nests arrays and objects more than 100 levels deep/);
    const keras = zipSync({ ...realEntries(), 'config.json': new TextEncoder().encode(deep) }, { level: 6 });
    await refused(fileOf('deep.keras', keras), /deep\.keras: its config\.json nests arrays and objects more than 100 levels deep/);
    const modelJson = `{"format": "layers-model", "modelTopology": ${deep}, "weightsManifest": []}`;
    await expect(importModelFiles([fileOf('model.json', new TextEncoder().encode(modelJson))])).rejects.toThrowError(/model\.json nests arrays and objects more than 100 levels deep/);
  });

  it('real files pass: their configs nest 7 deep and weigh a few KB', async () => {
    const { model } = await importModelFiles([new File([readFileSync(H5_FILE)], 'real.h5')]);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    model.dispose();
  });
});
