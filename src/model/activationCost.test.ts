/**
 * What reading one digit costs a model, worked out from its shapes, and the files that would have asked for the
 * machine's memory at their first reading: each goes through the import the browser uses (importModelFiles) and is
 * refused with the layer, the need and the cap, quickly and without allocating what it asked for.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { BATCH_ACTIVATION_BYTES, activationCost, batchWithin } from './activationCost';
import { buildCnn } from './cnn';
import { dryBuild } from './dryBuild';
import { MAX_ACTIVATION_BYTES, MAX_WEIGHT_BYTES } from './importLimits';
import { importModelFiles } from './importLayersModel';
import type { PickedFile } from './importModel';
import { modelArtifacts } from './modelFiles';
import { dotKeras, kerasH5 } from './keras/writeKeras';

type Json = Record<string, unknown>;
type Weights = Array<[name: string, shape: number[]]>;

beforeAll(async () => {
  await startWasmBackend();
});

const layer = (className: string, config: Json) => ({ class_name: className, config });
const topologyOf = (layers: Json[]) => ({ class_name: 'Sequential', config: { name: 'crafted', layers } });

/** model.json and its weight file (zeros) for a Sequential model of these layers and weights. */
function craftedFiles(layers: Json[], weights: Weights): File[] {
  const json = {
    format: 'layers-model',
    modelTopology: topologyOf(layers),
    weightsManifest: [{ paths: ['w.bin'], weights: weights.map(([name, shape]) => ({ name, shape, dtype: 'float32' })) }],
  };
  const floats = weights.reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
  return [new File([JSON.stringify(json)], 'model.json'), new File([new Uint8Array(floats * 4)], 'w.bin')];
}

/** The same model as a Keras file, written as Keras writes one. */
async function craftedKerasFile(layers: Json[], weights: Weights, format: 'h5' | 'keras'): Promise<File> {
  const floats = weights.reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: topologyOf(layers),
    weightSpecs: weights.map(([name, shape]) => ({ name, shape, dtype: 'float32' })),
    weightData: new ArrayBuffer(floats * 4),
  };
  const bytes = format === 'h5' ? await kerasH5(artifacts) : await dotKeras(artifacts);
  return new File([bytes as Uint8Array<ArrayBuffer>], `crafted.${format}`);
}

const digitIn = { batch_input_shape: [null, 28, 28, 1] };
const tenOut = (inputs: number): [Json[], Weights] => [
  [layer('GlobalAveragePooling2D', { name: 'pool' }), layer('Dense', { name: 'out', units: 10, activation: 'softmax' })],
  [
    ['out/kernel', [inputs, 10]],
    ['out/bias', [10]],
  ],
];

/** The model: a 512-byte model.json and 80 bytes of weights that asked for 12.5 GB at the first reading. */
function upsamplingModel(): [Json[], Weights] {
  const [head, weights] = tenOut(1);
  return [[layer('UpSampling2D', { name: 'up', size: [2000, 2000], ...digitIn }), ...head], weights];
}

const wasmHeapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
const hostBytes = () => {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

/** Refused with the reason, in a few seconds, with nothing of what it asked for allocated. */
async function refusedCheaply(files: PickedFile[], reason: RegExp): Promise<void> {
  const tensors = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().state.registeredVariables).length;
  const wasmBefore = wasmHeapBytes();
  const hostBefore = hostBytes();
  const started = performance.now();
  await expect(importModelFiles(files)).rejects.toThrowError(reason);
  expect(performance.now() - started).toBeLessThan(3000);
  expect(hostBytes() - hostBefore).toBeLessThan(200 * 1024 * 1024);
  expect(wasmHeapBytes()).toBe(wasmBefore);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(Object.keys(tf.engine().state.registeredVariables)).toHaveLength(variables);
}

const CAP = /models that need over 64 MB of activations to read one digit are refused/;

describe('activationCost', () => {
  it("the app's CNN: its outputs and the second convolution's im2col buffer, 1.0 MB, far under the cap", async () => {
    const plan = await dryBuild((await modelArtifacts(buildCnn(1))).modelTopology);
    const outputs = 26 * 26 * 32 + 24 * 24 * 64 + 3 * 12 * 12 * 64 + 128 + 128 + 10;
    const im2col = 24 * 24 * (3 * 3 * 32);
    expect(plan.activations.bytes).toBe((outputs + im2col) * 4);
    expect(plan.activations.largest).toMatchObject({ bytes: im2col * 4, what: 'im2col buffer [576, 288]' });
    expect(plan.activations.bytes).toBeLessThan(MAX_ACTIVATION_BYTES / 60);
  });

  it('counts a layer once for every time it runs: a shared layer, a nested model used twice', () => {
    const input = tf.input({ shape: [784] });
    const shared = tf.layers.dense({ units: 1000 });
    const twice = tf.model({ inputs: input, outputs: shared.apply(shared.apply(tf.layers.dense({ units: 1000 }).apply(input))) as tf.SymbolicTensor });
    expect(activationCost(twice).bytes).toBe((784 + 3 * 1000) * 4);
    const inner = tf.sequential({ layers: [tf.layers.dense({ units: 500, inputShape: [784] })] });
    const outer = tf.model({ inputs: input, outputs: inner.apply(tf.layers.dense({ units: 784 }).apply(inner.apply(input))) as tf.SymbolicTensor });
    expect(activationCost(outer).bytes).toBe((784 + 784 + 2 * 500) * 4);
    tf.dispose([twice, outer].flatMap((m) => m.getWeights()));
  });

  it('leaves nothing unknown for a digit input, and says which layer when a shape is unknown', () => {
    const fake = { name: 'odd', getClassName: () => 'Dense', getConfig: () => ({}), inboundNodes: [{ inputShapes: [null, 784], outputShapes: [null, null, 3] }] };
    expect(activationCost({ layers: [fake] })).toEqual({ bytes: NaN, unknown: { layer: 'odd', shape: '[null, null, 3]' } });
  });
});

describe('models that would ask for the memory at their first reading, refused at import', () => {
  it('the 512-byte model.json of the issue: UpSampling2D of 2000, GlobalAveragePooling2D, Dense 10 (12.5 GB)', async () => {
    const [layers, weights] = upsamplingModel();
    const files = craftedFiles(layers, weights);
    expect(files[0]!.size).toBeLessThan(600);
    expect(files[1]!.size).toBe(80);
    await refusedCheaply(files, /Reading one digit with this model would need 12\.5 GB for its layers' activations \(layer up's output \[56000, 56000, 1\] alone takes 12\.5 GB\)/);
    await refusedCheaply(files, CAP);
  });

  it('the same model as a Keras .h5 and a .keras file', async () => {
    const [layers, weights] = upsamplingModel();
    for (const format of ['h5', 'keras'] as const) {
      await refusedCheaply([await craftedKerasFile(layers, weights, format)], /would need 12\.5 GB .*layer up's output \[56000, 56000, 1\]/);
    }
  });

  it('a Conv2D of 100,000 filters with a 1x1 kernel: 0.8 MB of weights, 314 MB of output', async () => {
    const [head, tail] = tenOut(100_000);
    const layers = [layer('Conv2D', { name: 'wide', filters: 100_000, kernel_size: [1, 1], ...digitIn }), ...head];
    const weights: Weights = [['wide/kernel', [1, 1, 1, 100_000]], ['wide/bias', [100_000]], ...tail];
    await refusedCheaply(craftedFiles(layers, weights), /would need 314\.0 MB .*layer wide's output \[28, 28, 100000\] alone takes 313\.6 MB\).*64 MB/);
  });

  it("a convolution whose im2col buffer is the cost: 3x3 over 16,000 channels into one filter (451.6 MB)", async () => {
    const [head, tail] = tenOut(1);
    const layers = [
      layer('Conv2D', { name: 'spread', filters: 16_000, kernel_size: [1, 1], ...digitIn }),
      layer('Conv2D', { name: 'gather', filters: 1, kernel_size: [3, 3], padding: 'same' }),
      ...head,
    ];
    const weights: Weights = [['spread/kernel', [1, 1, 1, 16_000]], ['spread/bias', [16_000]], ['gather/kernel', [3, 3, 16_000, 1]], ['gather/bias', [1]], ...tail];
    await refusedCheaply(craftedFiles(layers, weights), /layer gather's im2col buffer \[784, 144000\] alone takes 451\.6 MB/);
  });

  it('ZeroPadding2D of 100,000 (and of 1e200, past what a double holds) and Conv2DTranspose of stride 10,000', async () => {
    const [head, tail] = tenOut(1);
    await refusedCheaply(craftedFiles([layer('ZeroPadding2D', { name: 'pad', padding: [[100_000, 100_000], [100_000, 100_000]], ...digitIn }), ...head], tail), /layer pad's output \[200028, 200028, 1\] alone takes 160\.0 GB/);
    const past = layer('ZeroPadding2D', { name: 'past', padding: [[1e200, 1e200], [1e200, 1e200]], ...digitIn });
    await refusedCheaply(craftedFiles([past, ...head], tail), /would need more memory than any device has .*layer past's output/);
    const transpose = layer('Conv2DTranspose', { name: 'grow', filters: 1, kernel_size: [3, 3], strides: [10_000, 10_000], ...digitIn });
    await refusedCheaply(craftedFiles([transpose, ...head], [['grow/kernel', [3, 3, 1, 1]], ['grow/bias', [1]], ...tail]), /layer grow's output \[280000, 280000, 1\] alone takes 313\.6 GB/);
  });

  it("a Reshape to an absurd shape (tfjs's shape inference lets it through; running it would fail): refused by what it claims", async () => {
    const [, tail] = tenOut(784);
    const layers = [layer('Reshape', { name: 'big', target_shape: [1_000_000_000, 1_000_000_000], batch_input_shape: [null, 784] }), layer('Flatten', { name: 'flat' }), layer('Dense', { name: 'out', units: 10, activation: 'softmax' })];
    await refusedCheaply(craftedFiles(layers, tail), /would need 8,000,000,000\.0 GB .*layer big's output \[1000000000, 1000000000\]/);
  });

  it('a Dense of 1,000,000 units is a weights matter: refused by the weights limit, the weight file never read', async () => {
    const layers = [layer('Dense', { name: 'huge', units: 1_000_000, batch_input_shape: [null, 784] }), layer('Dense', { name: 'out', units: 10, activation: 'softmax' })];
    const weights: Weights = [['huge/kernel', [784, 1_000_000]], ['huge/bias', [1_000_000]], ['out/kernel', [1_000_000, 10]], ['out/bias', [10]]];
    const [json] = craftedFiles(layers, [['out/bias', [10]]]);
    const manifest = JSON.parse(await json!.text()) as { weightsManifest: Array<{ weights: unknown[] }> };
    manifest.weightsManifest[0]!.weights = weights.map(([name, shape]) => ({ name, shape, dtype: 'float32' }));
    const unread: PickedFile = { name: 'w.bin', size: MAX_WEIGHT_BYTES, arrayBuffer: () => Promise.reject(new Error('read before its size was checked')) };
    await refusedCheaply([new File([JSON.stringify(manifest)], 'model.json'), unread], /The model's weights need 3180\.0 MB; models over 64 MB are refused/);
  });
});

describe('batches of readings sized by what a reading costs', () => {
  it('keeps the app\'s CNN at its batches, and cuts a costlier model\'s down to fit, never below one', () => {
    const cnn = buildCnn();
    const perDigit = activationCost(cnn).bytes;
    // Evaluation's 500 test digits and the inside view's 49 occluded copies, as before, for the workshop's CNN.
    expect(perDigit * 500).toBeLessThanOrEqual(BATCH_ACTIVATION_BYTES);
    expect(batchWithin(cnn, 500)).toBe(500);
    expect(batchWithin(cnn, 49)).toBe(49);
    // A model that needs 64 MB a digit (the import's limit) would have asked for 32 GB a batch of 500.
    expect(batchWithin(cnn, 500, 64 * perDigit)).toBe(64);
    expect(batchWithin(cnn, 500, perDigit / 2)).toBe(1);
    cnn.dispose();
  });
});
