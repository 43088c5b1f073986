/** Model files made in the test, as the file input takes them (Playwright's setInputFiles payloads). */
import * as tf from '@tensorflow/tfjs';
import { modelArtifacts, modelFilesFromArtifacts } from '../src/model/modelFiles';
import type { NamedBytes } from '../src/testing/converterFormats';

export type Upload = { name: string; mimeType: string; buffer: Buffer };

export const uploads = (files: NamedBytes[]): Upload[] =>
  files.map((f) => ({ name: f.name, mimeType: f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream', buffer: Buffer.from(f.bytes) }));

/** A model's TensorFlow.js files; model.json named `jsonName` (the app names an imported model after it). */
export async function filesOf(model: tf.LayersModel, jsonName = 'model.json'): Promise<Upload[]> {
  return uploads(modelFilesFromArtifacts(await modelArtifacts(model)).map((f) => (f.name === 'model.json' ? { ...f, name: jsonName } : f)));
}

/** A small model of another architecture than the app's: flat 784 input (or `inputShape` flattened), one hidden layer. */
export async function otherArchitecture(inputShape: number[] = [784], jsonName = 'model.json'): Promise<Upload[]> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      ...(inputShape.length > 1 ? [tf.layers.flatten({ inputShape })] : []),
      tf.layers.dense({ ...(inputShape.length > 1 ? {} : { inputShape }), units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const files = await filesOf(model, jsonName);
  model.dispose();
  return files;
}
