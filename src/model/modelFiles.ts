/**
 * TensorFlow.js Layers model files (model.json + weight shards) from model artifacts, the format that
 * `tf.loadLayersModel(url)` and tensorflowjs_converter read. Used by the pre-trained model script and by export.
 */
import * as tf from '@tensorflow/tfjs';

export const SHARD_BYTES = 4 * 1024 * 1024;

/** The model's card beside model.json: what a server offers with its pre-trained model, and what export saves. */
export const MODEL_CARD_FILE = 'model-card.json';

export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

/** The files of a model: model.json first, then `<prefix>-shardNofM.bin` weight shards of at most SHARD_BYTES. */
export function modelFilesFromArtifacts(artifacts: tf.io.ModelArtifacts, prefix = 'group1'): ModelFile[] {
  if (!artifacts.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('model artifacts lack topology or weights');
  }
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const count = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
  const shards: ModelFile[] = [];
  for (let i = 0; i < count; i++) {
    shards.push({
      name: `${prefix}-shard${i + 1}of${count}.bin`,
      bytes: weights.slice(i * SHARD_BYTES, (i + 1) * SHARD_BYTES),
    });
  }
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: artifacts.weightSpecs }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata && Object.keys(artifacts.userDefinedMetadata).length > 0) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, ...shards];
}

/** Saves a model to memory and returns its artifacts. */
export async function modelArtifacts(model: tf.LayersModel, includeOptimizer = false): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return saved!;
}

/** Model artifacts from model.json's content and its weight files, found by name (the inverse of the above). */
export function artifactsFromFiles(modelJson: tf.io.ModelJSON, weightFiles: Map<string, Uint8Array>): tf.io.ModelArtifacts {
  const buffers: ArrayBuffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of modelJson.weightsManifest ?? []) {
    for (const path of group.paths) {
      const bytes = weightFiles.get(path.split('/').pop()!);
      if (!bytes) throw new Error(`weight file ${path} is missing`);
      buffers.push(bytes.slice().buffer);
    }
    specs.push(...group.weights);
  }
  return {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    trainingConfig: modelJson.trainingConfig,
    ...(modelJson.userDefinedMetadata ? { userDefinedMetadata: modelJson.userDefinedMetadata } : {}),
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
}

/** Removes what tfjs stored under `url` (weights, its info record), if anything. */
export const removeStoredModel = (url: string): Promise<void> =>
  tf.io.removeModel(url).then(
    () => undefined,
    () => undefined,
  );
