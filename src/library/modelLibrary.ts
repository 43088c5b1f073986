/**
 * The model library, written only by the prediction worker: every model card, which model is active, the
 * server's pre-trained model kept for offline use, imports, renames and deletions. Weights live in tfjs's
 * IndexedDB store under modelUrl(id); cards and the active id in the app's own store (storage/modelStore.ts).
 * The two are separate databases, so no transaction holds both: weights are written first, the card second, and
 * weights found without a card at start-up are given one (recoverOrphanedWeights) rather than deleted, so that a
 * finished training run is never lost to a failed card write or a tab closed in between.
 */
import * as tf from '@tensorflow/tfjs';
import '../model/kerasAdadelta';
import { isAppCnn, summarise } from '../model/architecture';
import { importModelFiles } from '../model/importLayersModel';
import { MODEL_CARD_FILE, removeStoredModel } from '../model/modelFiles';
import type { ModelCard, StoredModel } from '../model/modelCard';
import {
  PRETRAINED_ID,
  StorageError,
  claimActiveModel,
  beginStartingModel as beginStarting,
  endStartingModel as endStarting,
  getActiveChoice,
  getActiveModelId,
  getFinishedRuns,
  getModel,
  listModelKeys,
  listModels,
  modelUrl,
  newModelId,
  putModel,
  removeFinishedRun,
  removeModelCard,
  storageError,
  updateModel,
} from '../storage/modelStore';
import type { ModelList } from '../storage/records';

export interface LoadedFromLibrary {
  model: tf.LayersModel;
  stored: StoredModel;
}

/** The server offers no pre-trained model (its card is not there). */
export class NoPretrainedModel extends Error {
  override name = 'NoPretrainedModel';
  /** How the worker boundary reports it (worker/bridge.ts's FailureCode). */
  readonly code = 'missing';
}

const removeWeights = (id: string) => removeStoredModel(modelUrl(id));

/** The start-up recovery under way, if any: the library is listed once it has given its models their cards. */
let recovering: Promise<unknown> = Promise.resolve();

export const listLibrary = async (): Promise<ModelList> => {
  await recovering;
  return listModels();
};

/** Loads a saved model (making it active is activeChoice.ts's decision). */
export async function loadSaved(id: string): Promise<LoadedFromLibrary> {
  const stored = await getModel(id);
  if (!stored) throw new Error(`no saved model with id ${id}`);
  const model = await tf.loadLayersModel(modelUrl(id));
  return { model, stored };
}

/** Loads the server's pre-trained model and keeps a copy, so it works offline from then on. */
export async function loadPretrained(url: string, base: string): Promise<LoadedFromLibrary> {
  const cardUrl = new URL(MODEL_CARD_FILE, new URL(url, base));
  const response = await fetch(cardUrl);
  if (response.status === 404) throw new NoPretrainedModel('this server offers no pre-trained model');
  if (!response.ok) throw new Error(`could not fetch the pre-trained model card (HTTP ${response.status})`);
  const card = (await response.json()) as ModelCard;
  const model = await tf.loadLayersModel(url);
  const stored: StoredModel = { id: PRETRAINED_ID, card: { ...card, source: 'pretrained' } };
  await keep(model, stored);
  return { model, stored };
}

/** Checks the picked files, loads them as a Layers model and stores it as a new imported model. */
export async function importPicked(files: File[]): Promise<LoadedFromLibrary> {
  const { model, fileName, notes } = await importModelFiles(files);
  const stored: StoredModel = {
    id: newModelId(),
    card: {
      name: `Imported ${fileName}`,
      source: 'imported',
      createdAt: new Date().toISOString(),
      parameters: model.countParams(),
      ...(notes.length ? { importNotes: notes.join(' ') } : {}),
    },
  };
  await keep(model, stored);
  return { model, stored };
}

/**
 * A model whose weights the training worker saved (and recorded as a finished run): its card written, which ends
 * the run's record and checkpoint in the same transaction; loaded. When the card cannot be written the weights and
 * the record stay, the error says so, and the next start-up (or a retry) writes the card.
 */
export async function adoptTrained(stored: StoredModel): Promise<LoadedFromLibrary> {
  try {
    await putModel(stored);
  } catch (error) {
    throw new StorageError(
      `Training finished, but the new model could not be added to your models. ${storageError(error).message} Its weights are kept: it is added to your models the next time the app starts.`,
      { cause: error },
    );
  }
  const model = await tf.loadLayersModel(modelUrl(stored.id));
  return { model, stored };
}

export async function rename(id: string, name: string): Promise<StoredModel> {
  const updated = await updateModel(id, (card) => ({ ...card, name }));
  if (!updated) throw new Error(`no saved model with id ${id}`);
  return updated;
}

/** Puts a test-set result on the card when it has none; the card as it now is (read and written at once). */
export function recordEvaluation(id: string, result: { accuracy: number; loss: number }): Promise<StoredModel | undefined> {
  return updateModel(id, (card) => (card.testAccuracy === undefined ? { ...card, testAccuracy: result.accuracy, testLoss: result.loss } : undefined));
}

/** Deletes a saved model; never the one in use. */
export async function remove(id: string, inUse: string | undefined): Promise<void> {
  if (inUse === id || (await getActiveModelId()) === id) throw new Error('the model in use cannot be deleted; switch to another first');
  await removeWeights(id);
  await removeModelCard(id);
}

/** Weights this old with no card are left over, not about to be given one (a save and its card take seconds). */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;

/** What start-up found of weights without a card. */
export interface Recovery {
  /** Weights given a card: a finished run's own, or one that says what is known (date, size) and what is not. */
  recovered: StoredModel[];
  /** Weights removed: unreadable ones, and the server's pre-trained model's (the server still has it). */
  removed: string[];
}

/**
 * Gives a card to model weights that no card refers to: what is left when a card could not be written, or the tab
 * closed between a save and its card. A finished training run gets the card it was recorded with (its weights were
 * checked before it was recorded, so at once); other weights, once ORPHAN_AGE_MS old (so that none being saved
 * in another tab right now is taken), get a card saying what can be known: when they were saved and their
 * parameter count ("Recovered training run of <date>" for the app's own CNN; its test accuracy unknown). Only
 * weights that do not load, and the pre-trained model's, are removed. The library's listing waits for it.
 */
export function recoverOrphanedWeights(now = Date.now()): Promise<Recovery> {
  const done = recover(now);
  recovering = done.catch(() => undefined);
  return done;
}

async function recover(now: number): Promise<Recovery> {
  const [saved, keys, finished] = await Promise.all([tf.io.listModels(), listModelKeys(), getFinishedRuns()]);
  const owned = new Set(keys);
  const prefix = modelUrl('');
  const recovery: Recovery = { recovered: [], removed: [] };
  const old = (date: Date | string) => !(now - new Date(date).getTime() <= ORPHAN_AGE_MS);
  for (const [url, info] of Object.entries(saved)) {
    if (!url.startsWith(prefix)) continue;
    const id = url.slice(prefix.length);
    if (owned.has(id)) continue;
    const run = finished.find((r) => r.id === id);
    let card: ModelCard | undefined = run?.card;
    if (!card) {
      if (!old(info.dateSaved)) continue;
      card = id === PRETRAINED_ID ? undefined : await recoveredCard(url, new Date(info.dateSaved), now);
    }
    if (card) {
      await putModel({ id, card });
      recovery.recovered.push({ id, card });
    } else {
      await removeStoredModel(url);
      recovery.removed.push(url);
    }
  }
  // A finished run whose weights are gone (the browser evicted them, say) has nothing left to recover.
  for (const run of finished) {
    if (!saved[modelUrl(run.id)] && !owned.has(run.id) && old(run.savedAt)) await removeFinishedRun(run.id);
  }
  return recovery;
}

/** The card of weights found without one, from what they tell: undefined when they do not load. */
async function recoveredCard(url: string, saved: Date, now: number): Promise<ModelCard | undefined> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(url);
  } catch {
    return undefined;
  }
  try {
    const date = Number.isNaN(saved.getTime()) ? new Date(now) : saved;
    const when = date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    const trained = isAppCnn(summarise(model.layers));
    return {
      name: trained ? `Recovered training run of ${when}` : `Recovered model of ${when}`,
      source: trained ? 'trained' : 'imported',
      createdAt: date.toISOString(),
      parameters: model.countParams(),
      recipeDetails:
        'Recovered when the app started: its weights were saved but its card was never written, so how it was trained and its test accuracy are not known (Evaluate measures it).',
    };
  } finally {
    model.dispose();
  }
}

/** Saves a library model's weights (and metadata) again, as they are now. */
export async function saveWeights(id: string, model: tf.LayersModel): Promise<void> {
  try {
    await model.save(modelUrl(id));
  } catch (error) {
    throw storageError(error);
  }
}

/**
 * Stores a model's weights and card; on failure the model is disposed and the error says what to do. An import's
 * weights are removed again (the picked files still have it: nothing is left for start-up to recover); the
 * pre-trained model's stay, since a card of an earlier visit may refer to them.
 */
async function keep(model: tf.LayersModel, stored: StoredModel): Promise<void> {
  try {
    await model.save(modelUrl(stored.id));
    await putModel(stored);
  } catch (error) {
    model.dispose();
    if (stored.id !== PRETRAINED_ID) await removeWeights(stored.id);
    throw storageError(error);
  }
}

/** Records `id` as the active model chosen at `at`, unless a later choice is recorded (activeChoice.ts's store). */
export async function claimActive(id: string, at: number): Promise<boolean> {
  try {
    return await claimActiveModel(id, at);
  } catch (error) {
    throw storageError(error);
  }
}

/** The recorded choice of active model, or undefined when there is none or it cannot be read. */
export const activeChoice = () => getActiveChoice().catch(() => undefined);

/** Start-ups that began with a saved model and never finished loading it (modelStore.ts); 0 when unknown. */
export const beginStartingModel = (id: string) => beginStarting(id).catch(() => 0);
export const endStartingModel = () => endStarting().catch(() => undefined);
/** After this many start-ups in a row that began with a model and never finished, the next skips it. */
export const UNFINISHED_STARTS_SKIPPED = 2;
