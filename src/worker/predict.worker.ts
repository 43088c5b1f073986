/// <reference lib="webworker" />
/**
 * The prediction worker: holds the active model on wasm (under a millisecond per image) and answers
 * predictions. It never trains, so a drawing is never queued behind a training step.
 */
import * as tf from '@tensorflow/tfjs';
import '../model/kerasAdadelta';
import { summarise } from '../model/architecture';
import { type InputLayout, inputLayoutOf } from '../model/compatibility';
import { importLayersModel } from '../model/importLayersModel';
import type { ModelCard } from '../model/modelCard';
import { modelArtifacts, modelFilesFromArtifacts } from '../model/modelFiles';
import {
  PRETRAINED_ID,
  getActiveModelId,
  getModel,
  modelUrl,
  newModelId,
  putModel,
  removeModelCard,
  setActiveModelId,
  storageError,
} from '../storage/modelStore';
import type { BackendName, LayerSummary, ModelFile, PredictEvent, PredictRequest, StoredModel } from './protocol';
import { useWasm } from './wasmBackend';

declare const self: DedicatedWorkerGlobalScope & { digitLabMemory?: () => WorkerMemory };
const post = (event: PredictEvent) => self.postMessage(event);

interface WorkerMemory {
  numTensors: number;
  tensorBytes: number;
  /** The wasm backend's heap: it grows for a large allocation and never shrinks. */
  wasmHeapBytes?: number;
  /** This worker's JavaScript heap, where the browser tells it. */
  jsHeapBytes?: number;
}

// What this worker holds, for the end-to-end tests and for anyone curious (the worker's devtools console).
self.digitLabMemory = () => {
  const backend = tf.getBackend() ? (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }) : undefined;
  const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return { numTensors: tf.memory().numTensors, tensorBytes: tf.memory().numBytes, wasmHeapBytes: backend?.wasm?.HEAPU8.byteLength, jsHeapBytes: heap?.usedJSHeapSize };
};

let backendReady: Promise<BackendName> | undefined;
let active: { model: tf.LayersModel; layout: InputLayout; stored: StoredModel } | undefined;

function ensureBackend(): Promise<BackendName> {
  backendReady ??= (async () => {
    if (await useWasm()) return 'wasm';
    await tf.setBackend('cpu');
    return 'cpu';
  })();
  return backendReady;
}

/** Makes a loaded model the active one, disposing the previous only once the new one is ready. */
function activate(model: tf.LayersModel, stored: StoredModel): void {
  const layout = inputLayoutOf(model);
  // Warm up: the first call compiles kernels and allocates; do it now, not on the user's first stroke.
  tf.tidy(() => model.predict(layout === 'image' ? tf.zeros([1, 28, 28, 1]) : tf.zeros([1, 784])));
  active?.model.dispose();
  active = { model, layout, stored };
}

async function loadStored(id: string): Promise<StoredModel> {
  const stored = await getModel(id);
  if (!stored) throw new Error(`no saved model with id ${id}`);
  activate(await tf.loadLayersModel(modelUrl(id)), stored);
  return stored;
}

/** Loads the server's pre-trained model and keeps a copy in IndexedDB, so it works offline from then on. */
async function loadPretrained(url: string): Promise<StoredModel> {
  const cardUrl = new URL('model-card.json', new URL(url, self.location.href));
  const response = await fetch(cardUrl);
  if (response.status === 404) throw Object.assign(new Error('this server offers no pre-trained model'), { missing: true });
  if (!response.ok) throw new Error(`could not fetch the pre-trained model card (HTTP ${response.status})`);
  const card = (await response.json()) as ModelCard;
  const model = await tf.loadLayersModel(url);
  const stored: StoredModel = { id: PRETRAINED_ID, card: { ...card, source: 'pretrained' } };
  try {
    await model.save(modelUrl(PRETRAINED_ID));
    await putModel(stored);
  } catch (error) {
    model.dispose();
    throw storageError(error);
  }
  activate(model, stored);
  return stored;
}

const summary = (model: tf.LayersModel): LayerSummary[] => summarise(model.layers);

/** Checks the picked files, loads them as a Layers model, and stores it as a new imported model. */
async function importModel(files: File[]): Promise<StoredModel> {
  const model = await importLayersModel(files);
  const jsonName = files.find((f) => f.name.endsWith('.json'))!.name;
  const stored: StoredModel = {
    id: newModelId(),
    card: { name: `Imported ${jsonName}`, source: 'imported', createdAt: new Date().toISOString(), parameters: model.countParams() },
  };
  try {
    await model.save(modelUrl(stored.id));
    await putModel(stored);
    await setActiveModelId(stored.id);
  } catch (error) {
    model.dispose();
    throw storageError(error);
  }
  activate(model, stored);
  return stored;
}

async function exportActive(): Promise<ModelFile[]> {
  if (!active) throw new Error('no model is loaded');
  return modelFilesFromArtifacts(await modelArtifacts(active.model));
}

async function deleteModel(id: string): Promise<void> {
  if (active?.stored.id === id || (await getActiveModelId()) === id) throw new Error('the model in use cannot be deleted; switch to another first');
  await tf.io.removeModel(modelUrl(id)).catch(() => undefined);
  await removeModelCard(id);
}

self.onmessage = async (event: MessageEvent<PredictRequest>) => {
  const request = event.data;
  if (request.type === 'predict') {
    if (!active) {
      post({ type: 'error', id: request.id, message: 'no model is loaded' });
      return;
    }
    const started = performance.now();
    const { model, layout } = active;
    const probabilities = tf.tidy(() => {
      const x = layout === 'image' ? tf.tensor4d(request.input, [1, 28, 28, 1]) : tf.tensor2d(request.input, [1, 784]);
      return Array.from((model.predict(x) as tf.Tensor).dataSync());
    });
    post({ type: 'prediction', id: request.id, probabilities, ms: performance.now() - started });
    return;
  }
  try {
    const backend = await ensureBackend();
    switch (request.type) {
      case 'export': {
        const files = await exportActive();
        post({ type: 'exported', files });
        return;
      }
      case 'delete':
        await deleteModel(request.id);
        post({ type: 'deleted', id: request.id });
        return;
      case 'import': {
        let stored: StoredModel;
        try {
          stored = await importModel(request.files);
        } catch (error) {
          post({ type: 'import-failed', message: (error as Error).message });
          return;
        }
        post({ type: 'loaded', model: stored, backend, summary: summary(active!.model) });
        return;
      }
      case 'load':
      case 'load-pretrained': {
        const stored = request.type === 'load' ? await loadStored(request.id) : await loadPretrained(request.url);
        post({ type: 'loaded', model: stored, backend, summary: summary(active!.model) });
        return;
      }
    }
  } catch (error) {
    if (request.type === 'load' || request.type === 'load-pretrained') {
      post({ type: 'load-failed', message: (error as Error).message, missing: Boolean((error as { missing?: boolean }).missing) });
    } else {
      post({ type: 'error', message: (error as Error).message });
    }
  }
};
