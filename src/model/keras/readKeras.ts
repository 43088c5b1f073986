/**
 * Reads a Keras model file, `.h5` (Keras 2 full-model HDF5, and the legacy `.h5` Keras 3 still writes) or
 * `.keras` (Keras 3: a zip of config.json, metadata.json and model.weights.h5), into TensorFlow.js model
 * artifacts. Every check of a TensorFlow.js import applies, each before the next costs anything: the file's size
 * before a byte is read; a .keras zip's directory (no repeated names, the declared sizes) before an entry is
 * unpacked, and each entry unpacked no further than it declared (zipEntries.ts); the config's size (an .h5's
 * model_config from its header where it is fixed-length) and its nesting before it is parsed; the config
 * translated (kerasConfig.ts) and dry-built (no weight allocated); each layer's weights found as the file says
 * (an .h5 layer's `weight_names`; a .keras layer's `layers/<key>/vars/N`), their shapes matched to the
 * topology's from the datasets' headers and their total size checked before any is read. The limits are the
 * importer's (KerasReadOptions). Optimizer state and training configs are never read. Whatever was opened is
 * closed on every path.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PlannedWeight } from '../dryBuild';
import type { PickedFile } from '../importModel';
import { Hdf5Error, type Hdf5Reader, READ_FLOAT_BYTES, openHdf5, unreadFloats } from './hdf5';
import { KerasFileError } from './kerasError';
import { snakeCase, translateKerasConfig } from './kerasConfig';
import { unpackEntry, zipDirectory } from './zipEntries';

/**
 * What the importer lends the reader: the dry build (the topology's weights, nothing allocated), its JSON parse
 * (which refuses a config nested too deep) and its limits (importLimits.ts). Passed in, not imported, so this
 * chunk shares no module (TensorFlow.js included) with the worker's own.
 */
export interface KerasReadOptions {
  plan(topology: unknown): Promise<PlannedWeight[]>;
  /** JSON.parse, refusing (with a message starting with `what`) a text nested deeper than the limit. */
  parseConfig(text: string, what: string): unknown;
  /** The file, and what a .keras zip's entries unpack to together. */
  maxFileBytes: number;
  maxWeightBytes: number;
  /** An .h5's model_config, a .keras file's config.json. */
  maxConfigBytes: number;
}

export interface KerasRead {
  artifacts: tf.io.ModelArtifacts;
  /** What the user should know about how it is read (a softmax added, say). */
  notes: string[];
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const limit = (bytes: number) => `${bytes / 1024 / 1024} MB`;
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const isHdf5 = (b: Uint8Array) => HDF5_SIGNATURE.every((v, i) => b[i] === v);

/** Each layer's weight datasets in the file, in the order the layer creates them. */
type LayerWeights = Map<string, string[]>;

const configTooLarge = (what: string, bytes: number, options: KerasReadOptions) =>
  new KerasFileError(`its ${what} is ${mb(bytes)}; a model config over ${limit(options.maxConfigBytes)} is refused (real ones are a few KB).`);

/** Keras 2 (and Keras 3's legacy .h5): `model_weights/<layer>` with `weight_names` relative to that group. */
function h5LayerWeights(reader: Hdf5Reader): LayerWeights {
  const root = reader.kind('/model_weights') === 'group' ? '/model_weights' : '/';
  const names = reader.attr(root, 'layer_names');
  const layerNames = Array.isArray(names) ? names : reader.keys(root);
  const weights: LayerWeights = new Map();
  for (const layer of layerNames) {
    const listed = reader.attr(`${root}/${layer}`.replace('//', '/'), 'weight_names');
    const paths = (Array.isArray(listed) ? listed : typeof listed === 'string' ? [listed] : []).map((w) => `${root}/${layer}/${w}`.replace('//', '/'));
    weights.set(layer, paths);
  }
  return weights;
}

/** The groups of a .keras file's model.weights.h5 that hold one layer each, by key (`conv2d`, `conv2d_1` ...). */
function layerGroups(reader: Hdf5Reader): Map<string, string> {
  const groups = new Map<string, string>();
  for (const root of ['layers', '_layer_checkpoint_dependencies']) {
    // Keras 3 writes layers/; tf.keras 2.13-2.15 wrote _layer_checkpoint_dependencies/, and on Windows named the
    // groups with a backslash at the top level (`_layer_checkpoint_dependencies\conv2d`).
    for (const key of reader.keys(`/${root}`)) groups.set(key, `/${root}/${key}`);
    for (const key of reader.keys('/')) if (key.startsWith(`${root}\\`)) groups.set(key.slice(root.length + 1), `/${key}`);
  }
  return groups;
}

/**
 * A .keras file's weights, `<group>/vars/0..N-1` per layer. The group's key is not the layer's name: Keras makes it
 * from the class in snake_case and a counter (`conv2d`, `conv2d_1`), and files exist whose counters skip
 * (`conv2d`, `conv2d_2`). So each class's keys, in the order of their counters, go to that class's layers in order.
 */
function kerasV3LayerWeights(reader: Hdf5Reader, layers: ReadonlyArray<{ name: string; className: string }>): LayerWeights {
  const groups = layerGroups(reader);
  const counter = (key: string, base: string) => (key === base ? 0 : Number(key.slice(base.length + 1)));
  const keysOf = new Map<string, string[]>();
  for (const { className } of layers) {
    const base = snakeCase(className);
    if (keysOf.has(base)) continue;
    const pattern = new RegExp(`^${base}(_\\d+)?$`); // snakeCase leaves only [a-z0-9_]
    keysOf.set(base, [...groups.keys()].filter((k) => pattern.test(k)).sort((x, y) => counter(x, base) - counter(y, base)));
  }
  const weights: LayerWeights = new Map();
  for (const { name, className } of layers) {
    if (className === 'InputLayer') continue;
    const group = keysOf.get(snakeCase(className))!.shift();
    const vars = group === undefined ? undefined : `${groups.get(group)}/vars`;
    const indices = vars
      ? reader
          .keys(vars)
          .map(Number)
          .filter((i) => Number.isInteger(i) && i >= 0)
          .sort((x, y) => x - y)
      : [];
    weights.set(
      name,
      indices.map((i) => `${vars}/${i}`),
    );
  }
  return weights;
}

const layerOf = (weight: PlannedWeight) => weight.name.slice(0, weight.name.lastIndexOf('/'));
const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The file's weights for the planned ones, checked by count and shape from the headers, then read. */
function readWeights(reader: Hdf5Reader, planned: readonly PlannedWeight[], fromFile: LayerWeights, maxBytes: number): Pick<tf.io.ModelArtifacts, 'weightSpecs' | 'weightData'> {
  const byLayer = new Map<string, PlannedWeight[]>();
  for (const w of planned) byLayer.set(layerOf(w), [...(byLayer.get(layerOf(w)) ?? []), w]);
  for (const [layer, paths] of fromFile) {
    if (paths.length && !byLayer.has(layer)) throw new KerasFileError(`it holds weights for a layer ${layer} that its config does not have.`);
  }
  const pairs: Array<{ weight: PlannedWeight; path: string }> = [];
  let bytes = 0;
  for (const [layer, weights] of byLayer) {
    const paths = fromFile.get(layer) ?? [];
    if (paths.length !== weights.length) {
      throw new KerasFileError(`its layer ${layer} needs ${weights.length} weights, and the file holds ${paths.length} for it.`);
    }
    weights.forEach((weight, i) => {
      const path = paths[i]!;
      const info = reader.dataset(path);
      if (!info) throw new KerasFileError(`the weight ${path} its layer ${layer} names is not in the file.`);
      if (info.type !== 'float') throw new KerasFileError(`the weight ${path} does not hold floating-point numbers.`);
      if (!READ_FLOAT_BYTES.has(info.bytesPerElement)) throw new KerasFileError(`${unreadFloats(path, info.bytesPerElement)}.`);
      if (shapeText(info.shape) !== shapeText(weight.shape)) {
        throw new KerasFileError(`its layer ${layer} needs a weight of shape ${shapeText(weight.shape)}, and the file holds ${shapeText(info.shape)} (${path}).`);
      }
      bytes += weight.shape.reduce((a, b) => a * b, 1) * 4;
      pairs.push({ weight, path });
    });
  }
  if (bytes > maxBytes) throw new KerasFileError(`its weights need ${mb(bytes)}; models over ${maxBytes / 1024 / 1024} MB are refused.`);
  const data = new Float32Array(bytes / 4);
  let offset = 0;
  for (const { weight, path } of pairs) {
    const values = reader.readFloats(path);
    const count = weight.shape.reduce((a, b) => a * b, 1);
    if (values.length !== count) throw new KerasFileError(`the weight ${path} holds ${values.length} numbers, not ${count} (damaged?).`);
    data.set(values, offset);
    offset += count;
  }
  return { weightSpecs: pairs.map(({ weight }) => ({ name: weight.name, shape: weight.shape, dtype: 'float32' })), weightData: data.buffer };
}

async function fromConfig(reader: Hdf5Reader, config: unknown, weightsOf: (layers: ReadonlyArray<{ name: string; className: string }>) => LayerWeights, options: KerasReadOptions): Promise<KerasRead> {
  const translated = translateKerasConfig(config);
  const planned = await options.plan(translated.topology);
  const weights = readWeights(reader, planned, weightsOf(translated.layers), options.maxWeightBytes);
  return { artifacts: { modelTopology: translated.topology as unknown as tf.io.ModelArtifacts['modelTopology'], ...weights }, notes: translated.notes };
}

async function withHdf5<T>(bytes: Uint8Array, use: (reader: Hdf5Reader) => Promise<T>): Promise<T> {
  const reader = await openHdf5(bytes);
  try {
    return await use(reader);
  } finally {
    reader.close();
  }
}

async function readH5(bytes: Uint8Array, options: KerasReadOptions): Promise<KerasRead> {
  if (!isHdf5(bytes)) throw new KerasFileError('it is not an HDF5 file (Keras .h5 files are).');
  return withHdf5(bytes, async (reader) => {
    const size = reader.attrSize('/', 'model_config');
    if (size && size.count !== 1) throw new KerasFileError('its model_config is not one string, so it is not a Keras model file.');
    if (size?.bytes !== undefined && size.bytes > options.maxConfigBytes) throw configTooLarge('model_config', size.bytes, options);
    const modelConfig = reader.attr('/', 'model_config');
    if (typeof modelConfig !== 'string') {
      const weightsOnly = reader.attr('/', 'layer_names') !== undefined || reader.kind('/layers') === 'group' || reader.kind('/model_weights') === 'group';
      throw new KerasFileError(
        weightsOnly
          ? 'it holds only weights (saved with save_weights), not the model: Keras keeps the layers elsewhere. Save the whole model with model.save("mnist.h5") or model.save("mnist.keras") and import that file.'
          : 'it is an HDF5 file but not a Keras model: it has no model_config.',
      );
    }
    // A variable-length string (what h5py writes for a str) says its length only once read; the file's size bounds it.
    if (modelConfig.length > options.maxConfigBytes) throw configTooLarge('model_config', modelConfig.length, options);
    return fromConfig(reader, options.parseConfig(modelConfig, 'its model_config'), () => h5LayerWeights(reader), options);
  });
}

async function readDotKeras(bytes: Uint8Array, options: KerasReadOptions): Promise<KerasRead> {
  if (!isZip(bytes)) throw new KerasFileError('it is not a zip file (Keras 3 .keras files are).');
  // First the directory only: what is there and what it declares it unpacks to, before anything is unpacked.
  const entries = zipDirectory(bytes);
  const configEntry = entries.get('config.json');
  const weightsEntry = entries.get('model.weights.h5');
  if (!configEntry) throw new KerasFileError('it has no config.json, so it is not a Keras 3 model file.');
  if (!weightsEntry) throw new KerasFileError('it has no model.weights.h5: its weights are missing.');
  if (configEntry.size > options.maxConfigBytes) throw configTooLarge('config.json', configEntry.size, options);
  if (weightsEntry.size > options.maxFileBytes) throw new KerasFileError(`its model.weights.h5 is ${mb(weightsEntry.size)}; over ${limit(options.maxFileBytes)} is refused.`);
  if (configEntry.size + weightsEntry.size > options.maxFileBytes) {
    throw new KerasFileError(`its config.json and model.weights.h5 unpack to ${mb(configEntry.size + weightsEntry.size)} together; over ${limit(options.maxFileBytes)} is refused.`);
  }
  const config = options.parseConfig(new TextDecoder().decode(unpackEntry(bytes, configEntry)), 'its config.json');
  const weights = unpackEntry(bytes, weightsEntry);
  if (!isHdf5(weights)) throw new KerasFileError('its model.weights.h5 is not an HDF5 file.');
  return withHdf5(weights, (reader) => fromConfig(reader, config, (layers) => kerasV3LayerWeights(reader, layers), options));
}

/** Reads one picked Keras file; KerasFileError with a message naming the file when it cannot be read. */
export async function readKerasFile(file: PickedFile, options: KerasReadOptions): Promise<KerasRead> {
  if (file.size > options.maxFileBytes) throw new KerasFileError(`${file.name} is ${mb(file.size)}; Keras files over ${limit(options.maxFileBytes)} are refused.`);
  if (file.size === 0) throw new KerasFileError(`${file.name} is empty.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (new TextDecoder().decode(bytes.subarray(0, 40)).startsWith('version https://git-lfs')) {
    throw new KerasFileError(`${file.name} is a Git LFS pointer (${bytes.length} bytes), not the model itself: download the real file (git lfs pull, or "Download raw file" on the repository's page).`);
  }
  try {
    return /\.keras$/i.test(file.name) || isZip(bytes) ? await readDotKeras(bytes, options) : await readH5(bytes, options);
  } catch (error) {
    // The dry build's own errors (ImportError) carry the same code.
    if (error instanceof KerasFileError || (error as { code?: unknown } | null)?.code === 'invalid-model') {
      const text = (error as Error).message;
      // Messages from the translation and dry build start with "its ..." or "it ..."; the file is named first.
      throw new KerasFileError(/^(it|its|the) /i.test(text) ? `${file.name}: ${text.charAt(0).toLowerCase()}${text.slice(1)}` : `${file.name}: ${text}`);
    }
    if (error instanceof Hdf5Error) throw new KerasFileError(`${file.name}: ${error.message}.`);
    throw error;
  }
}
