/**
 * Checks the files a user picked as a TensorFlow.js Layers model (model.json plus weight files) before
 * TensorFlow.js sees them, so every kind of bad input gets a message that says what is wrong. Pure.
 */
import type * as tf from '@tensorflow/tfjs';
import { artifactsFromFiles } from './modelFiles';

export const MAX_MODEL_JSON_BYTES = 5 * 1024 * 1024;
export const MAX_WEIGHT_BYTES = 64 * 1024 * 1024;

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, int8: 1, uint16: 2, int16: 2, float16: 2 };

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) throw new ImportError(`weight ${spec.name} has an unsupported type ${dtype}`);
  return count * size;
}

export function parseModelFiles(files: PickedFile[]): tf.io.ModelArtifacts {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length !== 1) {
    throw new ImportError(jsons.length === 0 ? 'Choose model.json together with its weight (.bin) files.' : 'Choose only one model.json at a time.');
  }
  const jsonFile = jsons[0]!;
  if (jsonFile.bytes.byteLength > MAX_MODEL_JSON_BYTES) {
    throw new ImportError(`${jsonFile.name} is ${(jsonFile.bytes.byteLength / 1e6).toFixed(1)} MB; a model.json over ${MAX_MODEL_JSON_BYTES / 1024 / 1024} MB is refused.`);
  }
  const weights = files.filter((f) => f !== jsonFile);
  const weightTotal = weights.reduce((sum, f) => sum + f.bytes.byteLength, 0);
  if (weightTotal > MAX_WEIGHT_BYTES) {
    throw new ImportError(`The weight files are ${(weightTotal / 1e6).toFixed(0)} MB; models over ${MAX_WEIGHT_BYTES / 1024 / 1024} MB are refused.`);
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonFile.bytes)) as tf.io.ModelJSON;
  } catch {
    throw new ImportError(`${jsonFile.name} is not a JSON file.`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ImportError(`${jsonFile.name} is not a TensorFlow.js model: it lacks modelTopology or weightsManifest.`);
  }
  if (json.format === 'graph-model' || !(json.modelTopology as { class_name?: string }).class_name) {
    throw new ImportError(`${jsonFile.name} is a TensorFlow.js graph model; only Layers models (for example converted from Keras) can be imported.`);
  }
  const byName = new Map(weights.map((f) => [f.name, f.bytes]));
  let needed = 0;
  let given = 0;
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const name = path.split('/').pop()!;
      const bytes = byName.get(name);
      if (!bytes) throw new ImportError(`The weight file ${name} is missing: select it together with ${jsonFile.name}.`);
      given += bytes.byteLength;
    }
    for (const spec of group.weights) needed += specBytes(spec);
  }
  if (given !== needed) {
    throw new ImportError(`The weight files hold ${given.toLocaleString('en')} bytes but the model needs ${needed.toLocaleString('en')}${given < needed ? ' (truncated or damaged?)' : ''}.`);
  }
  return artifactsFromFiles(json, byName);
}
