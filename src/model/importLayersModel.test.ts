/**
 * Import of the files other tools write (tensorflowjs_converter on Keras 2.2.4, 2.8, older list configs,
 * functional models), built here from the served model's real weights: each must predict exactly as the
 * served model does. And topologies that would allocate more than their files hold are refused first.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistDataDir, readSplit } from '../../scripts/prepare-data';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { CONVERTER_FORMATS, type NamedBytes, converterFiles, float32WeightsOf, oversizedTopologyFiles } from '../testing/converterFormats';
import { importLayersModel } from './importLayersModel';
import { loadModelDir } from '../../scripts/eval-pendigits';

const asFiles = (files: NamedBytes[]) => files.map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));

let served: tf.LayersModel;
let weights: Uint8Array;
let images: tf.Tensor4D;

beforeAll(async () => {
  await startWasmBackend();
  served = await loadModelDir('public/models/pretrained');
  weights = float32WeightsOf(served);
  const test = readSplit(mnistDataDir(), 'test');
  images = tf.tidy(() => tf.tensor4d(Float32Array.from(test.images.subarray(0, 64 * 784), (v) => v / 255), [64, 28, 28, 1]));
});

const predict = (model: tf.LayersModel) => tf.tidy(() => Array.from((model.predict(images) as tf.Tensor).dataSync()));

describe('importing converter output', () => {
  for (const format of CONVERTER_FORMATS) {
    it(`${format}: imports and predicts exactly as the served model`, async () => {
      const model = await importLayersModel(asFiles(converterFiles(format, weights)));
      expect(model.countParams()).toBe(1_199_882);
      const got = predict(model);
      const want = predict(served);
      expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-6);
      model.dispose();
    });
  }

  it('keras-2.8 quantised to uint8 (--quantize_uint8): a quarter of the bytes, the same readings', async () => {
    const files = converterFiles('keras-2.8', weights, { quantizeUint8: true });
    expect(files.slice(1).reduce((n, f) => n + f.bytes.byteLength, 0)).toBe(weights.byteLength / 4);
    const model = await importLayersModel(asFiles(files));
    const got = predict(model);
    const want = predict(served);
    expect(got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0)).toBeLessThan(0.05);
    const argmax = (p: number[]) => Array.from({ length: p.length / 10 }, (_, i) => p.slice(i * 10, i * 10 + 10).indexOf(Math.max(...p.slice(i * 10, i * 10 + 10))));
    expect(argmax(got)).toEqual(argmax(want));
    model.dispose();
  });

  it('refuses a topology bigger than its weights before allocating anything', async () => {
    const before = { ...tf.memory(), variables: Object.keys(tf.engine().state.registeredVariables).length };
    const wasmBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
    const heapBefore = wasmBytes();
    await expect(importLayersModel(asFiles(oversizedTopologyFiles()))).rejects.toThrowError(/need a weight dense\/kernel of shape \[784, 300000\]/);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(Object.keys(tf.engine().state.registeredVariables)).toHaveLength(before.variables);
    // 0.94 GB would have grown wasm's heap for good.
    expect(wasmBytes()).toBe(heapBefore);
  });

  it('refuses a model whose input cannot be a digit, before building it', async () => {
    const files = converterFiles('keras-2.2.4', weights);
    const json = JSON.parse(new TextDecoder().decode(files[0]!.bytes));
    json.modelTopology.model_config.config.layers[0].config.batch_input_shape = [null, 32, 32, 3];
    files[0] = { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) };
    await expect(importLayersModel(asFiles(files))).rejects.toThrowError(/input is \[null, 32, 32, 3\]/);
  });

  it('frees everything when tfjs fails after building (weights of the right shapes under other names)', async () => {
    const files = converterFiles('keras-2.8', weights);
    const json = JSON.parse(new TextDecoder().decode(files[0]!.bytes));
    for (const w of json.weightsManifest[0].weights) w.name = `other_${w.name}`;
    files[0] = { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) };
    const before = { ...tf.memory(), variables: Object.keys(tf.engine().state.registeredVariables).length };
    for (let i = 0; i < 4; i++) await expect(importLayersModel(asFiles(files))).rejects.toThrowError(/could not be read/);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(Object.keys(tf.engine().state.registeredVariables)).toHaveLength(before.variables);
  });

  it('names a layer type it does not know', async () => {
    const files = converterFiles('keras-2.2.4', weights);
    const json = JSON.parse(new TextDecoder().decode(files[0]!.bytes));
    json.modelTopology.model_config.config.layers[4].class_name = 'FancyLayer';
    files[0] = { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) };
    await expect(importLayersModel(asFiles(files))).rejects.toThrowError(/does not know: Unknown layer: FancyLayer/);
  });
});
