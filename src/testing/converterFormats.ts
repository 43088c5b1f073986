/**
 * Test support (never imported by the app): the model.json files that other tools write for the app's CNN,
 * in exactly their formats, carrying a real model's weights. Used by unit tests (Node) and end-to-end tests.
 *
 *  - `keras-2.2.4`: tensorflowjs_converter 1.x on a Keras 2.2.4 `mnist.h5` (the workshop's version): the
 *    `{keras_version, backend, model_config, training_config}` wrapper, Keras 2.2.4's layer configs and
 *    weight names, no `format` key, and weight shards named without `.bin`.
 *  - `keras-2.8`: tensorflowjs_converter 3.x on a TF 2.8 Keras model: an explicit InputLayer, `groups` in
 *    Conv2D, GlorotUniform, `learning_rate`, metrics as MeanMetricWrapper objects, `format: layers-model`.
 *  - `keras-legacy-list`: Keras 2.1's Sequential config, a bare list of layers inside the wrapper.
 *  - `keras-functional`: Keras 2.2.4's functional `Model` with inbound nodes.
 *
 * The layers are the app's CNN (mnist_cnn.py); the weights are whatever the caller passes, in the app's order
 * (conv1 kernel, bias, conv2 kernel, bias, dense1 kernel, bias, dense2 kernel, bias), so an imported file must
 * predict exactly as the source model does.
 */
import type * as tf from '@tensorflow/tfjs';
import { quantizeWeights } from '../model/quantize';

/** A model's weights as float32 bytes in its own order, however they were stored (the served model is uint8). */
export function float32WeightsOf(model: tf.LayersModel): Uint8Array {
  const values = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  return new Uint8Array(Float32Array.from(values).buffer);
}
export type ConverterFormat = 'keras-2.2.4' | 'keras-2.8' | 'keras-legacy-list' | 'keras-functional';
export const CONVERTER_FORMATS: ConverterFormat[] = ['keras-2.2.4', 'keras-2.8', 'keras-legacy-list', 'keras-functional'];

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

const SHAPES: number[][] = [[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [9216, 128], [128], [128, 10], [10]];

type Json = Record<string, unknown>;

function kerasLayers(format: ConverterFormat): { layers: Array<{ class_name: string; config: Json }>; weightPrefixes: string[] } {
  const modern = format === 'keras-2.8';
  const n = (base: string, i: number) => (modern ? (i === 1 ? base : `${base}_${i - 1}`) : `${base}_${i}`);
  const initializer = modern
    ? { class_name: 'GlorotUniform', config: { seed: null } }
    : { class_name: 'VarianceScaling', config: { scale: 1.0, mode: 'fan_avg', distribution: 'uniform', seed: null } };
  const common = (name: string) => ({ name, trainable: true, ...(modern ? { dtype: 'float32' } : {}) });
  const regularised = {
    kernel_initializer: initializer,
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
  const conv = (i: number, filters: number, first: boolean): Json => ({
    ...common(n('conv2d', i)),
    ...(first && !modern ? { batch_input_shape: [null, 28, 28, 1], dtype: 'float32' } : {}),
    filters,
    kernel_size: [3, 3],
    strides: [1, 1],
    padding: 'valid',
    data_format: 'channels_last',
    dilation_rate: [1, 1],
    ...(modern ? { groups: 1 } : {}),
    activation: 'relu',
    use_bias: true,
    ...regularised,
  });
  const dense = (i: number, units: number, activation: string): Json => ({ ...common(n('dense', i)), units, activation, use_bias: true, ...regularised });
  const layers = [
    ...(modern
      ? [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' } }]
      : []),
    { class_name: 'Conv2D', config: conv(1, 32, true) },
    { class_name: 'Conv2D', config: conv(2, 64, false) },
    { class_name: 'MaxPooling2D', config: { ...common(n('max_pooling2d', 1)), pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' } },
    { class_name: 'Dropout', config: { ...common(n('dropout', 1)), rate: 0.25, noise_shape: null, seed: null } },
    { class_name: 'Flatten', config: { ...common(n('flatten', 1)), data_format: 'channels_last' } },
    { class_name: 'Dense', config: dense(1, 128, 'relu') },
    { class_name: 'Dropout', config: { ...common(n('dropout', 2)), rate: 0.5, noise_shape: null, seed: null } },
    { class_name: 'Dense', config: dense(2, 10, 'softmax') },
  ];
  return { layers, weightPrefixes: [n('conv2d', 1), n('conv2d', 2), n('dense', 1), n('dense', 2)] };
}

function functionalConfig(layers: Array<{ class_name: string; config: Json }>): Json {
  const input = { name: 'input_1', class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, name: 'input_1' }, inbound_nodes: [] };
  let previous = 'input_1';
  const chained = layers.map((layer) => {
    const config = { ...layer.config };
    delete config.batch_input_shape;
    delete config.dtype;
    const name = config.name as string;
    const node = { name, class_name: layer.class_name, config, inbound_nodes: [[[previous, 0, 0, {}]]] };
    previous = name;
    return node;
  });
  return { name: 'model_1', layers: [input, ...chained], input_layers: [['input_1', 0, 0]], output_layers: [[previous, 0, 0]] };
}

const TRAINING_CONFIG_2_2_4 = {
  optimizer_config: { class_name: 'Adadelta', config: { lr: 1.0, rho: 0.95, decay: 0.0, epsilon: 1e-7 } },
  loss: 'categorical_crossentropy',
  metrics: ['accuracy'],
  sample_weight_mode: null,
  loss_weights: null,
};
const TRAINING_CONFIG_2_8 = {
  loss: 'categorical_crossentropy',
  metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'categorical_accuracy' } }]],
  weighted_metrics: null,
  loss_weights: null,
  optimizer_config: { class_name: 'Adadelta', config: { name: 'Adadelta', learning_rate: 1.0, decay: 0.0, rho: 0.95, epsilon: 1e-7 } },
};

/**
 * model.json and weight shards as the converter writes them for `format`, holding `weights` (the app's CNN's
 * weights concatenated in its order, float32), optionally quantised to uint8 as `--quantize_uint8` does.
 * Shards of at most 4 MiB, as the converter splits them.
 */
export function converterFiles(format: ConverterFormat, float32Weights: Uint8Array, options: { quantizeUint8?: boolean } = {}): NamedBytes[] {
  const expected = SHAPES.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1) * 4, 0);
  if (float32Weights.byteLength !== expected) throw new Error(`the CNN's weights are ${expected} bytes, got ${float32Weights.byteLength}`);
  const specs = SHAPES.map((shape, i) => ({ name: `w${i}`, shape, dtype: 'float32' as const }));
  const quantized = options.quantizeUint8 ? quantizeWeights(specs, float32Weights.slice().buffer, 'uint8') : undefined;
  const weights = quantized ? new Uint8Array(quantized.data) : float32Weights;
  const { layers, weightPrefixes } = kerasLayers(format);
  const shardBytes = 4 * 1024 * 1024;
  const count = Math.ceil(weights.byteLength / shardBytes);
  // Converter 1.x (Keras 2.2.4 era) named shards without an extension; later ones add .bin.
  const ext = format === 'keras-2.8' ? '.bin' : '';
  const shards = Array.from({ length: count }, (_, i) => ({ name: `group1-shard${i + 1}of${count}${ext}`, bytes: weights.slice(i * shardBytes, (i + 1) * shardBytes) }));
  const names = weightPrefixes.flatMap((p) => [`${p}/kernel`, `${p}/bias`]);
  const manifest = [
    {
      paths: shards.map((s) => s.name),
      weights: SHAPES.map((shape, i) => ({ name: names[i], shape, dtype: 'float32', ...(quantized ? { quantization: quantized.specs[i]!.quantization } : {}) })),
    },
  ];
  const wrapper = (modelConfig: Json, kerasVersion: string, trainingConfig: Json | undefined) => ({
    keras_version: kerasVersion,
    backend: 'tensorflow',
    model_config: modelConfig,
    ...(trainingConfig ? { training_config: trainingConfig } : {}),
  });
  let json: Json;
  switch (format) {
    case 'keras-2.2.4':
      json = { modelTopology: wrapper({ class_name: 'Sequential', config: { name: 'sequential_1', layers } }, '2.2.4', TRAINING_CONFIG_2_2_4), weightsManifest: manifest };
      break;
    case 'keras-2.8':
      json = {
        format: 'layers-model',
        generatedBy: 'keras v2.8.0',
        convertedBy: 'TensorFlow.js Converter v3.14.0',
        modelTopology: wrapper({ class_name: 'Sequential', config: { name: 'sequential', layers } }, '2.8.0', TRAINING_CONFIG_2_8),
        weightsManifest: manifest,
      };
      break;
    case 'keras-legacy-list':
      json = { modelTopology: wrapper({ class_name: 'Sequential', config: layers }, '2.1.6', TRAINING_CONFIG_2_2_4), weightsManifest: manifest };
      break;
    case 'keras-functional':
      json = { modelTopology: wrapper({ class_name: 'Model', config: functionalConfig(layers) }, '2.2.4', TRAINING_CONFIG_2_2_4), weightsManifest: manifest };
      break;
  }
  return [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, ...shards];
}

/**
 * A small model.json whose topology declares a Dense layer of `units` units while its manifest holds one
 * 4-byte weight: tfjs alone would build (allocate) the whole layer before noticing.
 */
export function oversizedTopologyFiles(units = 300_000): NamedBytes[] {
  const json = {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'huge',
        layers: [
          { class_name: 'Flatten', config: { name: 'flatten', batch_input_shape: [null, 28, 28, 1], dtype: 'float32' } },
          { class_name: 'Dense', config: { name: 'dense', units, activation: 'relu' } },
          { class_name: 'Dense', config: { name: 'out', units: 10, activation: 'softmax' } },
        ],
      },
    },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'dense/kernel', shape: [1], dtype: 'float32' }] }],
  };
  return [
    { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
    { name: 'w.bin', bytes: new Uint8Array(4) },
  ];
}
