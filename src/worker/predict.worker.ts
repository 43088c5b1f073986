/// <reference lib="webworker" />
/**
 * The prediction worker: holds the active model on wasm (under a millisecond per image) and answers
 * predictions; it never trains, so a drawing is never queued behind a training step. It is also the one writer
 * of the model library (library/modelLibrary.ts). Implements PredictorApi (api.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { transfer } from 'comlink';
import { startWasm } from '../backend/wasmBackend';
import { ActiveModel } from '../library/activeModel';
import { Handwriting } from '../library/handwriting';
import { InsideViews } from '../library/insideViews';
import { viewBuffers } from '../model/inside';
import * as library from '../library/modelLibrary';
import type { LoadedModel, PredictorApi, StartOutcome } from './api';
import { serve } from './bridge';

declare const self: DedicatedWorkerGlobalScope & { digitLabMemory?: () => WorkerMemory };

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

let backendReady: Promise<void> | undefined;
const ensureBackend = (): Promise<void> =>
  (backendReady ??= (async () => {
    if (!(await startWasm())) await tf.setBackend('cpu');
  })());

const active = new ActiveModel();

/** Makes what the library loaded the active model. */
const handwriting = new Handwriting(active);
/** "Look inside": the model in use and the run that trains, each for the drawing. */
const inside = new InsideViews();
/** Makes what the library loaded the active model, reading through the user's memory if it was learnt on it. */
async function show({ model, stored }: library.LoadedFromLibrary): Promise<LoadedModel> {
  const summary = active.activate(model, stored);
  await handwriting.apply().catch(() => undefined); // unreadable handwriting records: the base model reads
  return { model: stored, summary };
}
const messageOf = (error: unknown) => (error as Error).message;

const predictor: PredictorApi = {
  async start(pretrainedUrl) {
    await ensureBackend();
    // In the background: weights left without a card by a tab that closed mid-way take space, never reads.
    void library.removeOrphanedWeights().catch(() => undefined);
    let failure: StartOutcome['message'];
    const id = await library.activeModelId();
    if (id) {
      try {
        return { loaded: await show(await library.loadSaved(id)) };
      } catch (error) {
        failure = { kind: 'error', text: `Your saved model could not be loaded (${messageOf(error)}).` };
      }
    }
    try {
      return { loaded: await show(await library.loadPretrained(pretrainedUrl, self.location.href)), ...(failure ? { message: failure } : {}) };
    } catch (error) {
      const text =
        error instanceof library.NoPretrainedModel ? 'This server offers no pre-trained model. Train one below.' : `The pre-trained model could not be loaded: ${messageOf(error)}`;
      return { message: { kind: error instanceof library.NoPretrainedModel ? 'info' : 'error', text } };
    }
  },

  async use(id) {
    await ensureBackend();
    return show(await library.loadSaved(id));
  },

  predict(input) {
    const started = performance.now();
    const { probabilities, personal } = active.predict(input);
    return { probabilities, personal, ms: performance.now() - started };
  },

  inside(input, source) {
    const view = source === 'training' ? inside.ofTraining(input) : inside.ofActive(active.model, input);
    return transfer(view, viewBuffers(view));
  },

  setTrainingWeights: (live) => inside.setTraining(live),

  async importFiles(files) {
    await ensureBackend();
    return show(await library.importPicked(files));
  },

  exportActive: () => active.files(),

  list: () => library.listLibrary(),

  async rename(id, name) {
    const updated = await library.rename(id, name);
    active.updateCard(updated);
    return updated;
  },

  remove: (id) => library.remove(id, active.stored?.id),

  async adoptTrained(model) {
    await ensureBackend();
    return show(await library.adoptTrained(model));
  },

  async recordEvaluation(id, result) {
    const updated = await library.recordEvaluation(id, result);
    if (updated) active.updateCard(updated);
    return updated;
  },

  handwriting: () => handwriting.status(),
  addSample: (pixels, label) => handwriting.add(pixels, label),
  removeSample: (id) => handwriting.remove(id),
  forgetHandwriting: () => handwriting.forget(),
  setPersonalEnabled: (enabled) => handwriting.setEnabled(enabled),
  recordPersonal: (learning) => handwriting.record(learning),
};

serve(predictor);
