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
import { watchBlockedUpgrade } from '../storage/database';
import { ActiveChoice, type ChoiceKind, choiceTime } from '../library/activeChoice';
import { type LibraryMessage, openLibraryChannel } from '../library/libraryChannel';
import type { Activation, LibraryChange, LoadedModel, PredictorApi, StartOutcome } from './api';
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

/** The page's ear for other tabs' changes (PredictorApi.watch). */
let onChange: ((change: LibraryChange) => void) | undefined;
const channel = openLibraryChannel((message) => void heard(message));
/** Who decides which model reads: the most recent user intent (library/activeChoice.ts). */
const choice = new ActiveChoice({ claim: library.claimActive }, (id, at) => channel.post({ type: 'active', id, at }));
/** The other tabs hear that the library changed (a model kept, renamed, deleted). */
const changed = () => channel.post({ type: 'changed' });

/** Offers a loaded model as the choice made at `at`: the Activation the page is told. */
async function offer(loaded: library.LoadedFromLibrary, at: number, kind: ChoiceKind): Promise<Activation> {
  const shown = await choice.offer(loaded.stored.id, at, loaded.model, kind, () => show(loaded));
  return shown ? { model: loaded.stored, loaded: shown } : { model: loaded.stored };
}

/** Another tab chose a model (this tab follows, unless it chose later itself) or changed the library. */
async function heard(message: LibraryMessage): Promise<void> {
  if (message.type === 'changed') return onChange?.({ kind: 'list' });
  if (!choice.mayActivate(message.at)) return;
  try {
    await ensureBackend();
    const { loaded } = await offer(await library.loadSaved(message.id), message.at, 'follow');
    if (loaded) onChange?.({ kind: 'active', loaded });
  } catch {
    // This tab cannot load it (storage went away meanwhile): it keeps reading with the model it has.
  }
  onChange?.({ kind: 'list' });
}

const predictor: PredictorApi = {
  async start(pretrainedUrl, onLoading) {
    // Start-up stands for the page's opening: anything the user asks for from now on wins over it.
    const openedAt = choiceTime();
    await ensureBackend();
    // In the background: weights left without a card (a card write that failed, a tab that closed mid-way) get
    // one, so a finished run is never lost; every tab's library then lists it.
    void library
      .recoverOrphanedWeights()
      .then(({ recovered }) => {
        if (recovered.length) changed();
      })
      .catch(() => undefined);
    let failure: StartOutcome['message'];
    const saved = await library.activeChoice();
    // A saved model whose loading never finished at the last start-ups (it crashed or hung the app, say) is skipped
    // once, with a message; it stays in the library, to be chosen again.
    const unfinished = saved ? await library.beginStartingModel(saved.id) : 0;
    if (saved && unfinished >= library.UNFINISHED_STARTS_SKIPPED) {
      await library.endStartingModel();
      failure = {
        kind: 'error',
        text: `Your saved model did not finish loading the last ${unfinished} times the app started (reading it may crash or hang this app), so the pre-trained model reads instead. It stays in your models: choose it there to try it again.`,
      };
    } else if (saved) {
      try {
        onLoading?.('saved');
        // The saved choice keeps the time it was made: a choice made in another tab since then wins over it.
        const { loaded } = await offer(await library.loadSaved(saved.id), saved.at, 'follow');
        await library.endStartingModel();
        return loaded ? { loaded } : { superseded: true };
      } catch (error) {
        await library.endStartingModel();
        failure = { kind: 'error', text: `Your saved model could not be loaded (${messageOf(error)}).` };
      }
    }
    if (!choice.mayActivate(openedAt)) return { superseded: true };
    try {
      onLoading?.('pretrained');
      const pretrained = await library.loadPretrained(pretrainedUrl, self.location.href);
      changed(); // kept for offline use: in the library of every tab
      const { loaded } = await offer(pretrained, openedAt, 'claim');
      return loaded ? { loaded, ...(failure ? { message: failure } : {}) } : { superseded: true };
    } catch (error) {
      if (!choice.mayActivate(openedAt)) return { superseded: true };
      const text =
        error instanceof library.NoPretrainedModel ? 'This server offers no pre-trained model. Train one below.' : `The pre-trained model could not be loaded: ${messageOf(error)}`;
      return { message: { kind: error instanceof library.NoPretrainedModel ? 'info' : 'error', text } };
    }
  },

  watch(listener) {
    onChange = listener;
    // A tab still on an older version of the app keeps the database from upgrading: the page says so meanwhile.
    watchBlockedUpgrade((blocked) => onChange?.({ kind: 'storage-blocked', blocked }));
  },

  async use(id) {
    const at = choiceTime();
    await ensureBackend();
    return offer(await library.loadSaved(id), at, 'claim');
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
    const at = choiceTime();
    await ensureBackend();
    const imported = await library.importPicked(files);
    changed();
    return offer(imported, at, 'claim');
  },

  exportActive: (format) => active.files(format),

  list: () => library.listLibrary(),

  async rename(id, name) {
    const updated = await library.rename(id, name);
    active.updateCard(updated);
    changed();
    return updated;
  },

  async remove(id) {
    await library.remove(id, active.stored?.id);
    changed();
  },

  async adoptTrained(model, askedAt) {
    await ensureBackend();
    const trained = await library.adoptTrained(model);
    changed();
    return offer(trained, askedAt, 'claim');
  },

  async recordEvaluation(id, result) {
    const updated = await library.recordEvaluation(id, result);
    if (updated) active.updateCard(updated);
    changed();
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
