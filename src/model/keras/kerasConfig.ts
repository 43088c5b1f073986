/**
 * A Keras model config (Keras 2.1 to 3.x, from an .h5 file's `model_config` or a .keras file's config.json) as
 * the Keras 2 topology TensorFlow.js deserialises. tfjs itself parses the result; this only evens out what
 * Keras 3 writes differently and refuses what must never be read:
 *
 *  - Keras 3's `module` / `registered_name` / `build_config` wrappers go; initializers and the like become
 *    `{class_name, config}`; a `dtype` policy object becomes its name; `batch_shape` becomes `batch_input_shape`.
 *  - Keras 3's functional connections (`{args: [__keras_tensor__ ...], kwargs}`) become Keras 2's
 *    `[[layer, node, tensor, {}]]`; `Functional` becomes `Model`; a lone `[name, 0, 0]` input becomes a list.
 *  - Keras 2.1's Sequential config, a bare list of layers, becomes `{name, layers}`; a `batch_input_shape` on a
 *    Sequential layer other than the first is dropped (Keras ignores it too); a Sequential model with no input
 *    shape on its first layer takes its `build_input_shape`.
 *  - A fixed batch size in the input shape becomes null; a Flatten of an already flat input (Keras lets it pass,
 *    tfjs refuses it) stands in as a linear Activation.
 *  - A `Lambda` layer carries Python bytecode: the model is refused, the code never looked at.
 *  - A model whose last layer gives raw scores (no softmax) gets a softmax appended, and a note says so.
 *  - A model that takes 28x28 images without a channel axis gets a Reshape in front that drops it, so it reads
 *    the app's [28, 28, 1] images (and a note says so).
 * Pure: no tfjs, no DOM.
 */
import { KerasFileError } from './kerasError';

type Json = Record<string, unknown>;
export interface KerasLayer {
  class_name: string;
  config: Json;
  [key: string]: unknown;
}
export interface TfjsTopology {
  class_name: 'Sequential' | 'Model';
  config: { name: string; layers: KerasLayer[]; input_layers?: unknown[]; output_layers?: unknown[] };
}
export interface TranslatedConfig {
  topology: TfjsTopology;
  /** The model's layers as its config lists them (Sequential: in order, with any InputLayer). */
  layers: Array<{ name: string; className: string }>;
  /** What the user should know about how the model is read. */
  notes: string[];
}

export const SOFTMAX_LAYER_NAME = 'digit_lab_softmax';
export const RESHAPE_LAYER_NAME = 'digit_lab_drop_channel';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);
/** Layers that pass their input's values through unchanged at inference (so a softmax before them still holds). */
const PASS_THROUGH = new Set(['Dropout', 'Flatten', 'Reshape', 'ActivityRegularization', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout1D', 'SpatialDropout2D']);

/** A Keras 3 serialised object (`{module, class_name, config, registered_name}`) as Keras 2's `{class_name, config}`. */
function plainObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainObject);
  if (!isObject(value)) return value;
  if (typeof value.class_name === 'string' && ('module' in value || 'registered_name' in value)) {
    if (value.class_name === '__keras_tensor__' || value.class_name === '__tensor__') return value;
    return { class_name: value.class_name, config: plainObject(value.config ?? {}) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainObject(v)]));
}

/** A layer's own config, Keras 2 style. */
function layerConfig(className: string, config: Json): Json {
  const out = plainObject(config) as Json;
  const dtype = config.dtype;
  if (isObject(dtype)) {
    // DTypePolicy {name: 'float32' | 'mixed_float16' ...}: the weights are float32 either way; tfjs computes in float32.
    const name = isObject(dtype.config) ? dtype.config.name : undefined;
    out.dtype = typeof name === 'string' && name.startsWith('mixed_') ? 'float32' : (name ?? 'float32');
  }
  if (Array.isArray(out.batch_shape) && out.batch_input_shape === undefined) out.batch_input_shape = out.batch_shape;
  delete out.batch_shape;
  // A fixed batch size (Keras 3's InputLayer(batch_size=32)) only constrains training: one image at a time reads.
  if (Array.isArray(out.batch_input_shape) && typeof out.batch_input_shape[0] === 'number') out.batch_input_shape = [null, ...out.batch_input_shape.slice(1)];
  if (typeof out.groups === 'number' && out.groups !== 1) {
    throw new KerasFileError(`its layer ${String(config.name)} is a grouped convolution (groups ${out.groups}), which TensorFlow.js cannot run.`);
  }
  if (out.lora_rank !== undefined && out.lora_rank !== null) {
    throw new KerasFileError(`its layer ${String(config.name)} has LoRA weights, which TensorFlow.js cannot run.`);
  }
  // tf.keras 2.x writes BatchNormalization's axis as a list once built ([3]); tfjs wants the number.
  if (className === 'BatchNormalization' && Array.isArray(out.axis) && out.axis.length === 1) out.axis = out.axis[0];
  return out;
}

/** The tensors a Keras 3 node reads, as Keras 2's `[layer, node, tensor, {}]`, in order. */
function kerasTensors(value: unknown, into: unknown[][]): unknown[][] {
  if (Array.isArray(value)) for (const v of value) kerasTensors(v, into);
  else if (isObject(value)) {
    if (value.class_name === '__keras_tensor__' && isObject(value.config) && Array.isArray(value.config.keras_history)) {
      const [layer, node, tensor] = value.config.keras_history as unknown[];
      into.push([layer, node, tensor, {}]);
    } else for (const v of Object.values(value)) kerasTensors(v, into);
  }
  return into;
}

function inboundNodes(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) => (isObject(node) && 'args' in node ? kerasTensors(node.args, []) : node));
}

/** `[name, 0, 0]` (Keras 3, one tensor) or `[[name, 0, 0], ...]`: always the list. */
const tensorList = (value: unknown): unknown => (Array.isArray(value) && typeof value[0] === 'string' ? [value] : value);

function refuseCode(layer: Json, name: string): void {
  if (layer.class_name === 'Lambda') {
    throw new KerasFileError(
      `its layer ${name} is a Lambda layer, which holds Python code. Digit Lab never runs code from a file, so it cannot read this model; rebuild the model without the Lambda layer (Keras has a layer for most uses of one).`,
    );
  }
  if (layer.class_name === 'TFOpLambda' || layer.class_name === 'SlicingOpLambda') {
    throw new KerasFileError(`its layer ${name} is a TensorFlow operation (${layer.class_name}), which TensorFlow.js cannot read as a layer.`);
  }
}

function translateLayer(raw: unknown, index: number): KerasLayer {
  if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config ?? {})) {
    throw new KerasFileError(`its layer ${index + 1} is not a layer config.`);
  }
  const config = (raw.config ?? {}) as Json;
  const name = String(config.name ?? raw.name ?? `layer ${index + 1}`);
  refuseCode(raw, name);
  if (MODEL_CLASSES.has(raw.class_name)) {
    // A model used as a layer: translated as a model (its weights then nest, which a Keras file maps differently).
    const inner = translateModel(raw);
    return { class_name: inner.class_name, config: inner.config as unknown as Json, ...(raw.inbound_nodes !== undefined ? { inbound_nodes: inboundNodes(raw.inbound_nodes) } : {}), ...(raw.name !== undefined ? { name: raw.name } : {}) };
  }
  const layer: KerasLayer = { class_name: raw.class_name, config: layerConfig(raw.class_name, config) };
  if (raw.name !== undefined) layer.name = raw.name;
  if (raw.inbound_nodes !== undefined) layer.inbound_nodes = inboundNodes(raw.inbound_nodes);
  return layer;
}

/** What a value is, for people: "the number 7", "an object", "a string". */
function what(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Why a Sequential config that is not a list of layers, nor an object holding one, gives no layers. */
const notAList = (config: unknown) => (isObject(config) ? `its layers are ${what(config.layers)}, not a list` : `the config is ${what(config)}, not a list of layers`);

function translateModel(model: Json): TfjsTopology {
  const className = model.class_name;
  if (className === 'Sequential') {
    const config = Array.isArray(model.config) ? { name: 'sequential', layers: model.config } : model.config;
    if (!isObject(config) || !Array.isArray(config.layers)) throw new KerasFileError(`its Sequential config lists no layers (${notAList(config)}).`);
    if (config.layers.length === 0) throw new KerasFileError('its Sequential config lists no layers.');
    const layers = config.layers.map(translateLayer);
    const first = layers.findIndex((l) => l.class_name !== 'InputLayer');
    const hasInput = layers[0]?.class_name === 'InputLayer';
    layers.forEach((l, i) => {
      if (i > first || (hasInput && i === first)) delete l.config.batch_input_shape;
    });
    const buildShape = config.build_input_shape ?? (isObject(model.build_config) ? model.build_config.input_shape : undefined);
    const head = layers[first];
    if (!hasInput && head && head.config.batch_input_shape === undefined && Array.isArray(buildShape)) head.config.batch_input_shape = buildShape;
    return { class_name: 'Sequential', config: { name: String(config.name ?? 'sequential'), layers } };
  }
  if (className === 'Model' || className === 'Functional') {
    const config = model.config;
    if (!isObject(config) || !Array.isArray(config.layers)) throw new KerasFileError('its functional config lists no layers.');
    return {
      class_name: 'Model',
      config: {
        name: String(config.name ?? 'model'),
        layers: config.layers.map(translateLayer),
        input_layers: tensorList(config.input_layers) as unknown[],
        output_layers: tensorList(config.output_layers) as unknown[],
      },
    };
  }
  throw new KerasFileError(`its model class ${String(className)} is neither Sequential nor a functional Model.`);
}

const layerName = (layer: KerasLayer): string => String(layer.config.name ?? layer.name);
const gives = (layer: KerasLayer) => (layer.class_name === 'Softmax' || layer.config.activation === 'softmax' ? 'probabilities' : PASS_THROUGH.has(layer.class_name) ? 'same' : 'scores');

/** The layer that makes a model's one output, or undefined when there is not exactly one. */
function outputLayer(topology: TfjsTopology): KerasLayer | undefined {
  const { layers, output_layers: outputs } = topology.config;
  if (topology.class_name === 'Sequential') return layers[layers.length - 1];
  if (!Array.isArray(outputs) || outputs.length !== 1 || !Array.isArray(outputs[0])) return undefined;
  return layers.find((l) => layerName(l) === String((outputs[0] as unknown[])[0]));
}

/** Whether a model's output is a softmax's (through layers that pass values on unchanged, as Dropout does). */
function endsInSoftmax(topology: TfjsTopology, depth = 0): boolean {
  const { layers } = topology.config;
  let layer = outputLayer(topology);
  for (let steps = 0; layer && steps <= layers.length; steps++) {
    if (layer.class_name === 'Sequential' || layer.class_name === 'Model') return depth < 8 && endsInSoftmax(layer as unknown as TfjsTopology, depth + 1);
    const kind = gives(layer);
    if (kind !== 'same') return kind === 'probabilities';
    const current: KerasLayer = layer;
    if (topology.class_name === 'Sequential') layer = layers[layers.indexOf(current) - 1];
    else {
      const nodes = current.inbound_nodes;
      const from = Array.isArray(nodes) && Array.isArray(nodes[0]) && Array.isArray(nodes[0][0]) ? String(nodes[0][0][0]) : undefined;
      layer = layers.find((l) => layerName(l) === from);
    }
  }
  return false;
}

/** How a layer changes the rank of its input in a Sequential model (undefined: unknown, stop tracking). */
function rankAfter(layer: KerasLayer, rank: number): number | undefined {
  const c = layer.class_name;
  if (c === 'Flatten') return 2;
  if (c === 'Reshape' && Array.isArray(layer.config.target_shape)) return layer.config.target_shape.length + 1;
  if (['Dense', 'Dropout', 'Activation', 'BatchNormalization', 'Softmax', 'ReLU', 'LeakyReLU', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GaussianNoise', 'SpatialDropout2D'].includes(c)) return rank;
  if (c === 'GlobalAveragePooling2D' || c === 'GlobalMaxPooling2D') return 2;
  return undefined;
}

/**
 * Keras flattens a [batch, n] input to itself; TensorFlow.js refuses to (its Flatten wants rank 3 or more). In a
 * Sequential model, a Flatten whose input is already flat stands in as a linear Activation of the same name.
 */
function noOpFlattens(topology: TfjsTopology): void {
  if (topology.class_name !== 'Sequential') return;
  const { layers } = topology.config;
  const shape = layers.find((l) => Array.isArray(l.config.batch_input_shape))?.config.batch_input_shape as unknown[] | undefined;
  let rank: number | undefined = shape?.length;
  layers.forEach((layer, i) => {
    if (rank === undefined || layer.class_name === 'InputLayer') return;
    if (layer.class_name === 'Flatten' && rank === 2) {
      layers[i] = { class_name: 'Activation', config: { name: layerName(layer), trainable: true, activation: 'linear', ...(layer.config.batch_input_shape ? { batch_input_shape: layer.config.batch_input_shape } : {}) } };
      return;
    }
    rank = rankAfter(layer, rank);
  });
}

const isBare28x28 = (shape: unknown) => Array.isArray(shape) && shape.length === 3 && shape[0] === null && shape[1] === 28 && shape[2] === 28;

/** A model whose input is [null, 28, 28]: a Reshape from the app's [null, 28, 28, 1] goes in front. Whether it did. */
function dropChannelAxis(topology: TfjsTopology): boolean {
  const { layers } = topology.config;
  const reshape = (extra: Json): KerasLayer => ({ class_name: 'Reshape', config: { name: RESHAPE_LAYER_NAME, trainable: true, target_shape: [28, 28], ...extra } });
  const input = layers.find((l) => l.class_name === 'InputLayer' && isBare28x28(l.config.batch_input_shape));
  if (topology.class_name === 'Sequential') {
    if (input && layers[0] === input) {
      input.config.batch_input_shape = [null, 28, 28, 1];
      layers.splice(1, 0, reshape({}));
      return true;
    }
    const first = layers[0];
    if (!first || first.class_name === 'InputLayer' || !isBare28x28(first.config.batch_input_shape)) return false;
    delete first.config.batch_input_shape;
    layers.unshift(reshape({ batch_input_shape: [null, 28, 28, 1] }));
    return true;
  }
  const inputs = topology.config.input_layers;
  if (!input || !Array.isArray(inputs) || inputs.length !== 1) return false;
  const name = layerName(input);
  input.config.batch_input_shape = [null, 28, 28, 1];
  // Every layer that read the input reads the reshaped input instead.
  for (const layer of layers) {
    if (!Array.isArray(layer.inbound_nodes)) continue;
    for (const node of layer.inbound_nodes as unknown[][]) {
      for (const tensor of node) if (Array.isArray(tensor) && tensor[0] === name) tensor[0] = RESHAPE_LAYER_NAME;
    }
  }
  layers.splice(layers.indexOf(input) + 1, 0, { ...reshape({}), name: RESHAPE_LAYER_NAME, inbound_nodes: [[[name, 0, 0, {}]]] });
  return true;
}

/** Translates a parsed Keras model config; throws KerasFileError with the reason when it cannot be read. */
export function translateKerasConfig(config: unknown): TranslatedConfig {
  if (!isObject(config) || typeof config.class_name !== 'string') throw new KerasFileError('its model config names no model class.');
  const topology = translateModel(config);
  // The layers as the file has them, before anything is added or stood in for (weights are found by these).
  const layers = topology.config.layers.map((l) => ({ name: layerName(l), className: l.class_name }));
  const notes: string[] = [];
  noOpFlattens(topology);
  if (dropChannelAxis(topology)) notes.push('It takes 28x28 images without a channel axis: Digit Lab gives it its 28x28 images as they are.');
  const last = outputLayer(topology);
  if (!endsInSoftmax(topology)) {
    const softmax: KerasLayer = { class_name: 'Activation', config: { name: SOFTMAX_LAYER_NAME, trainable: true, activation: 'softmax' } };
    if (topology.class_name === 'Sequential') topology.config.layers.push(softmax);
    else {
      const outputs = topology.config.output_layers as unknown[][];
      if (outputs.length === 1 && Array.isArray(outputs[0])) {
        const [name, node, tensor] = outputs[0];
        softmax.name = SOFTMAX_LAYER_NAME;
        softmax.inbound_nodes = [[[name, node, tensor, {}]]];
        topology.config.layers.push(softmax);
        topology.config.output_layers = [[SOFTMAX_LAYER_NAME, 0, 0]];
      }
    }
    notes.push(`Its last layer (${last ? layerName(last) : 'the output'}) gives raw scores, not probabilities: Digit Lab reads them through a softmax.`);
  }
  return {
    topology,
    layers,
    notes,
  };
}

/** Keras 3's weight key for a class: `Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The keys under which a .keras file's model.weights.h5 keeps each layer's variables (`layers/<key>/vars/N`):
 * Keras 3 names them from the class, snake_case, with a counter per key in layer order, whatever the layers'
 * configured names; the InputLayer has none.
 */
export function kerasWeightKeys(layers: ReadonlyArray<{ name: string; className: string }>): Map<string, string> {
  const used = new Map<string, number>();
  const keys = new Map<string, string>();
  for (const { name, className } of layers) {
    if (className === 'InputLayer') continue;
    const base = snakeCase(className);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    keys.set(name, n === 0 ? base : `${base}_${n}`);
  }
  return keys;
}
