/**
 * Reads the files a user picked as a TensorFlow.js Layers model (model.json plus weight files) into model
 * artifacts, checking everything that can be checked without building a layer, so every kind of bad input gets
 * a message that says what is wrong. Sizes are checked from the files' lengths before any byte is read; only
 * model.json and the weight files it names are read. Accepts every shape TensorFlow.js itself reads:
 * tensorflowjs_converter's Keras wrapper (`{keras_version, backend, model_config, training_config}`),
 * a bare `{class_name, config}` (with `config` a layer list, as Keras 2.2.4 wrote Sequential models, or an
 * object), and tfjs's own save format. No DOM, no TensorFlow.js kernels: runs in a worker or in Node.
 */
import type * as tf from '@tensorflow/tfjs';
import { MAX_CONFIG_DEPTH, MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES } from './importLimits';
import { nestsDeeperThan } from './jsonNesting';
import { MODEL_CARD_FILE, artifactsFromFiles } from './modelFiles';

export { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES } from './importLimits';

/** A picked file, read lazily: a browser `File` is one. */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export class ImportError extends Error {
  override name = 'ImportError';
  /** How the worker boundary reports it (worker/bridge.ts's FailureCode). */
  readonly code = 'invalid-model';
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, int8: 1, uint16: 2, int16: 2, float16: 2 };
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const baseName = (path: string) => path.split('/').pop()!;

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ImportError(`weight ${String(spec.name)} has no valid shape.`);
  }
  // Each dimension bounded first: [1e200, 1e200, 0] multiplies to Infinity x 0, which is no number of bytes.
  if (spec.shape.some((d) => d > MAX_WEIGHT_BYTES)) {
    throw new ImportError(`weight ${String(spec.name)} has a shape [${spec.shape.join(', ')}] larger than any model this app reads.`);
  }
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) throw new ImportError(`weight ${String(spec.name)} has an unsupported type ${String(dtype)}.`);
  return count * size;
}

/** What kind of TensorFlow.js model a model.json's topology describes. */
export function topologyKind(json: { format?: unknown; modelTopology?: unknown }): 'layers' | 'graph' | 'unknown' {
  const topology = json.modelTopology as Record<string, unknown> | null | undefined;
  if (json.format === 'graph-model') return 'graph';
  if (!topology || typeof topology !== 'object') return 'unknown';
  // A GraphDef: a list of nodes (tensorflowjs_converter --input_format=tf_saved_model / tf_frozen_model).
  if (Array.isArray(topology.node)) return 'graph';
  const config = (topology.model_config ?? topology) as Record<string, unknown> | null;
  if (config && typeof config === 'object' && typeof config.class_name === 'string' && config.config !== undefined) return 'layers';
  return 'unknown';
}

/** Picks model.json among the files and checks its size; nothing is read. */
function pickModelJson(files: readonly PickedFile[]): PickedFile {
  // The card that export saves beside model.json (MODEL_CARD_FILE) describes the model; it is no model itself.
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json') && f.name !== MODEL_CARD_FILE);
  if (jsons.length !== 1) {
    throw new ImportError(jsons.length === 0 ? 'Choose model.json together with its weight (.bin) files, or one Keras .h5 or .keras file.' : 'Choose only one model.json at a time.');
  }
  const json = jsons[0]!;
  if (json.size > MAX_MODEL_JSON_BYTES) {
    throw new ImportError(`${json.name} is ${mb(json.size)}; a model.json over ${MAX_MODEL_JSON_BYTES / 1024 / 1024} MB is refused.`);
  }
  return json;
}

/** Refuses a config's JSON text nested deeper than MAX_CONFIG_DEPTH, before anything parses or walks it. */
function assertShallow(text: string, what: string): void {
  if (nestsDeeperThan(text, MAX_CONFIG_DEPTH)) {
    throw new ImportError(`${what} nests arrays and objects more than ${MAX_CONFIG_DEPTH} levels deep (model configs nest under 20); it is refused.`);
  }
}

/**
 * A model config's JSON text parsed, once it is known to nest no deeper than MAX_CONFIG_DEPTH (so nothing that
 * walks it can overflow the stack). `what` starts the message: "its config.json", say.
 */
export function parseConfigJson(text: string, what: string): unknown {
  assertShallow(text, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportError(`${what} is not valid JSON.`);
  }
}

/** Parses and classifies model.json's bytes. */
export function parseModelJson(bytes: Uint8Array, name = 'model.json'): tf.io.ModelJSON {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(`${name} is not a JSON file.`);
  }
  assertShallow(text, name);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch {
    throw new ImportError(`${name} is not a JSON file.`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) {
    throw new ImportError(`${name} is not a TensorFlow.js model: it has no modelTopology.`);
  }
  const kind = topologyKind(json);
  if (kind === 'graph') {
    throw new ImportError(`${name} is a TensorFlow.js graph model (a converted SavedModel); only Layers models, for example converted from Keras, can be imported.`);
  }
  if (kind === 'unknown') throw new ImportError(`${name} is not a TensorFlow.js Layers model: its modelTopology names no model class.`);
  if (!Array.isArray(json.weightsManifest) || !json.weightsManifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))) {
    throw new ImportError(`${name} has no valid weightsManifest (a list of weight files and the weights they hold).`);
  }
  return json;
}

/**
 * The weight files model.json names, checked against what was picked by their lengths alone: every one is
 * there, together they hold exactly the bytes the manifest's weights need, and that is under the limit.
 */
function weightFilesFor(json: tf.io.ModelJSON, jsonName: string, files: readonly PickedFile[]): PickedFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  let needed = 0;
  for (const group of json.weightsManifest) for (const spec of group.weights) needed += specBytes(spec);
  if (needed > MAX_WEIGHT_BYTES) {
    throw new ImportError(`The model's weights need ${mb(needed)}; models over ${MAX_WEIGHT_BYTES / 1024 / 1024} MB are refused.`);
  }
  const picked: PickedFile[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const file = byName.get(baseName(String(path)));
      if (!file) throw new ImportError(`The weight file ${baseName(String(path))} is missing: select it together with ${jsonName}.`);
      picked.push(file);
    }
  }
  const given = picked.reduce((sum, f) => sum + f.size, 0);
  if (given > MAX_WEIGHT_BYTES) {
    throw new ImportError(`The weight files are ${mb(given)}; models over ${MAX_WEIGHT_BYTES / 1024 / 1024} MB are refused.`);
  }
  if (given !== needed) {
    throw new ImportError(`The weight files hold ${given.toLocaleString('en')} bytes but the model needs ${needed.toLocaleString('en')}${given < needed ? ' (truncated or damaged?)' : ''}.`);
  }
  return picked;
}

/** Reads picked files into model artifacts, refusing bad input before more is read than the limits allow. */
export async function readModelFiles(files: readonly PickedFile[]): Promise<tf.io.ModelArtifacts> {
  const jsonFile = pickModelJson(files);
  const json = parseModelJson(new Uint8Array(await jsonFile.arrayBuffer()), jsonFile.name);
  const weightFiles = weightFilesFor(json, jsonFile.name, files);
  const contents = await Promise.all(weightFiles.map(async (f) => [f.name, new Uint8Array(await f.arrayBuffer())] as const));
  return artifactsFromFiles(json, new Map(contents));
}
