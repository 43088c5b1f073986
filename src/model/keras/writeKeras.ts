/**
 * A model's artifacts as Keras files: a Keras 2 full-model `.h5` (what `keras.models.load_model` of Keras 2 and
 * tf.keras read: root attributes `keras_version`, `backend`, `model_config`; weights in
 * `model_weights/<layer>/<layer>/<name>:0` listed by each layer group's `weight_names` and the group's
 * `layer_names`) and a Keras 3 `.keras` zip (metadata.json, config.json, model.weights.h5 with each layer's
 * variables in `layers/<key>/vars/N`). The layer configs are the ones TensorFlow.js writes, which are Keras's
 * (tensorflowjs_converter hands them to Keras as they are); the .keras config wraps them as Keras 3 serialises.
 * Weights keep their layout, which Keras shares with TensorFlow.js: Conv2D kernels [kh, kw, in, out], Dense
 * kernels [in, out]. No optimizer state and no training config: the files are for inference and further work in
 * Keras. No DOM.
 */
import type * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import type { ModelFile } from '../modelFiles';
import { type Hdf5Group, writeHdf5 } from './hdf5';
import { kerasWeightKeys } from './kerasConfig';

export type KerasFormat = 'keras' | 'h5';

/** The Keras versions whose file layouts these follow (the real files in src/testing/keras-models/). */
export const KERAS2_VERSION = '2.6.0';
export const KERAS3_VERSION = '3.1.1';

type Json = Record<string, unknown>;
interface LayerConfig {
  class_name: string;
  config: Json;
  inbound_nodes?: unknown;
  name?: string;
}
interface Topology {
  class_name: string;
  config: { name?: string; layers: LayerConfig[]; input_layers?: unknown; output_layers?: unknown };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const layerName = (layer: LayerConfig) => String(layer.config.name ?? layer.name);

function topologyOf(artifacts: tf.io.ModelArtifacts): Topology {
  const raw = artifacts.modelTopology as Json | undefined;
  const topology = (raw && isObject(raw.model_config) ? raw.model_config : raw) as Topology | undefined;
  if (!topology || !isObject(topology.config) || !Array.isArray(topology.config.layers)) throw new Error('the model has no Layers topology to export');
  return topology;
}

/** The weight data as one buffer (tfjs may hand it over in parts); no TensorFlow.js needed for that. */
function joined(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const part of data) {
    out.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return out.buffer;
}

/** Each layer's weights in order, as Keras names them (`kernel`, `bias`, `gamma` ...). */
function weightsByLayer(artifacts: tf.io.ModelArtifacts): Map<string, Array<{ name: string; shape: number[]; data: Float32Array }>> {
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new Error('the model has no weights to export');
  const buffer = joined(artifacts.weightData);
  const byLayer = new Map<string, Array<{ name: string; shape: number[]; data: Float32Array }>>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32' || spec.quantization) throw new Error(`weight ${spec.name} is ${spec.dtype}; only float32 weights are exported as Keras files`);
    const data = new Float32Array(buffer.slice(offset, offset + count * 4));
    offset += count * 4;
    const cut = spec.name.lastIndexOf('/');
    const layer = spec.name.slice(0, cut);
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), { name: spec.name.slice(cut + 1), shape: [...spec.shape], data }]);
  }
  return byLayer;
}

/** The Keras 2 `.h5`: what Keras 2's `model.save('model.h5')` writes, less the optimizer. */
export async function kerasH5(artifacts: tf.io.ModelArtifacts): Promise<Uint8Array> {
  const topology = topologyOf(artifacts);
  const weights = weightsByLayer(artifacts);
  const names = topology.config.layers.map(layerName);
  const groups: Record<string, Hdf5Group> = {};
  for (const name of names) {
    const own = weights.get(name) ?? [];
    groups[name] = {
      attrs: { weight_names: own.map((w) => `${name}/${w.name}:0`) },
      groups: own.length ? { [name]: { datasets: Object.fromEntries(own.map((w) => [`${w.name}:0`, { shape: w.shape, data: w.data }])) } } : {},
    };
  }
  const modelConfig = { class_name: topology.class_name, config: topology.config };
  return writeHdf5({
    attrs: { keras_version: KERAS2_VERSION, backend: 'tensorflow', model_config: JSON.stringify(modelConfig) },
    groups: { model_weights: { attrs: { layer_names: names, backend: 'tensorflow', keras_version: KERAS2_VERSION }, groups } },
  });
}

/** A Keras 2 `{class_name, config}` (an initializer, say) as Keras 3 serialises it, with its module. */
function keras3Object(value: unknown, module: string): unknown {
  if (Array.isArray(value)) return value.map((v) => keras3Object(v, module));
  if (isObject(value) && typeof value.class_name === 'string' && isObject(value.config)) {
    return { module, class_name: value.class_name, config: value.config, registered_name: null };
  }
  return value;
}

const OBJECT_MODULES: Record<string, string> = {
  _initializer: 'keras.initializers',
  _regularizer: 'keras.regularizers',
  _constraint: 'keras.constraints',
};

function keras3LayerConfig(config: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'batch_input_shape') continue;
    const suffix = Object.keys(OBJECT_MODULES).find((s) => key.endsWith(s));
    out[key] = suffix ? keras3Object(value, OBJECT_MODULES[suffix]!) : value;
  }
  out.dtype ??= 'float32';
  return out;
}

/** Keras 2's inbound node `[[layer, node, tensor, kwargs], ...]` as Keras 3's `{args, kwargs}`. */
function keras3Node(node: unknown): unknown {
  if (!Array.isArray(node)) return node;
  const tensors = node.map((t) => {
    const [layer, nodeIndex, tensorIndex] = t as unknown[];
    return { class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: [layer, nodeIndex, tensorIndex] } };
  });
  return { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
}

/** The Keras 3 config.json of a model. */
export function keras3Config(topology: Topology, inputShape: Array<number | null>): Json {
  const sequential = topology.class_name === 'Sequential';
  const layers: Json[] = topology.config.layers.map((layer) => ({
    module: 'keras.layers',
    class_name: layer.class_name,
    config: layer.class_name === 'InputLayer' ? inputConfig(layer) : keras3LayerConfig(layer.config),
    registered_name: null,
    ...(sequential ? {} : { name: layerName(layer), inbound_nodes: (Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : []).map(keras3Node) }),
  }));
  if (sequential && topology.config.layers[0]?.class_name !== 'InputLayer') {
    layers.unshift({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: inputShape, dtype: 'float32', sparse: false, name: 'input_layer' },
      registered_name: null,
    });
  }
  const config: Json = { name: topology.config.name ?? 'sequential', trainable: true, dtype: 'float32', layers };
  if (!sequential) {
    config.input_layers = topology.config.input_layers;
    config.output_layers = topology.config.output_layers;
  }
  return { module: 'keras', class_name: sequential ? 'Sequential' : 'Functional', config, registered_name: null, build_config: { input_shape: inputShape } };
}

function inputConfig(layer: LayerConfig): Json {
  const { batch_input_shape: shape, dtype, sparse, name } = layer.config;
  return { batch_shape: shape, dtype: dtype ?? 'float32', sparse: sparse ?? false, name };
}

function inputShapeOf(topology: Topology): Array<number | null> {
  for (const layer of topology.config.layers) {
    const shape = layer.config.batch_input_shape;
    if (Array.isArray(shape)) return shape as Array<number | null>;
  }
  throw new Error('the model names no input shape');
}

const twoDigits = (n: number) => String(n).padStart(2, '0');
function kerasDate(date: Date): string {
  return `${date.getUTCFullYear()}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}@${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
}

/** The Keras 3 `.keras` zip: what Keras 3's `model.save('model.keras')` writes, less the optimizer. */
export async function dotKeras(artifacts: tf.io.ModelArtifacts, now = new Date()): Promise<Uint8Array> {
  const topology = topologyOf(artifacts);
  const weights = weightsByLayer(artifacts);
  const layers = topology.config.layers.map((l) => ({ name: layerName(l), className: l.class_name }));
  const groups: Record<string, Hdf5Group> = {};
  for (const [name, key] of kerasWeightKeys(layers)) {
    const own = weights.get(name) ?? [];
    groups[key] = { groups: { vars: { datasets: Object.fromEntries(own.map((w, i) => [String(i), { shape: w.shape, data: w.data }])) } } };
  }
  const weightsH5 = await writeHdf5({ groups: { layers: { groups }, vars: {} } });
  const encode = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));
  return zipSync(
    {
      'metadata.json': encode({ keras_version: KERAS3_VERSION, date_saved: kerasDate(now) }),
      'config.json': encode(keras3Config(topology, inputShapeOf(topology))),
      'model.weights.h5': weightsH5,
    },
    { level: 0 },
  );
}

/** The model as one Keras file, named `<base>.keras` or `<base>.h5`. */
export async function kerasFiles(artifacts: tf.io.ModelArtifacts, format: KerasFormat, base = 'model'): Promise<ModelFile[]> {
  return [{ name: `${base}.${format}`, bytes: format === 'h5' ? await kerasH5(artifacts) : await dotKeras(artifacts) }];
}
