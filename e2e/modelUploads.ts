/** Model files made in the test, as the file input takes them (Playwright's setInputFiles payloads). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** An entry of the fuzz corpus of hostile model files (src/testing/hostile-models, scripts/make-hostile-models.ts), as its manifest names its files. */
export function hostileUpload(id: string): Upload[] {
  const dir = fileURLToPath(new URL('../src/testing/hostile-models/', import.meta.url));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { entries: Array<{ id: string; files: Array<{ file: string; as: string }> }> };
  const entry = manifest.entries.find((e) => e.id === id);
  if (!entry) throw new Error(`no hostile model ${id}`);
  return uploads(entry.files.map(({ file, as }) => ({ name: as, bytes: new Uint8Array(readFileSync(join(dir, file))) })));
}
