/**
 * The model library, written only by the prediction worker: every model card, which model is active, the
 * server's pre-trained model kept for offline use, imports, renames and deletions. Weights live in tfjs's
 * IndexedDB store under modelUrl(id); cards and the active id in the app's own store (storage/modelStore.ts).
 */
import * as tf from '@tensorflow/tfjs';
import '../model/kerasAdadelta';
import { importModelFiles } from '../model/importLayersModel';
import { removeStoredModel } from '../model/modelFiles';
import type { ModelCard, StoredModel } from '../model/modelCard';
import {
  PRETRAINED_ID,
  claimActiveModel,
  getActiveChoice,
  getActiveModelId,
  getModel,
  listModelKeys,
  listModels,
  modelUrl,
  newModelId,
  putModel,
  removeModelCard,
  storageError,
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

export const listLibrary = (): Promise<ModelList> => listModels();

/** Loads a saved model (making it active is activeChoice.ts's decision). */
export async function loadSaved(id: string): Promise<LoadedFromLibrary> {
  const stored = await getModel(id);
  if (!stored) throw new Error(`no saved model with id ${id}`);
  const model = await tf.loadLayersModel(modelUrl(id));
  return { model, stored };
}

/** Loads the server's pre-trained model and keeps a copy, so it works offline from then on. */
export async function loadPretrained(url: string, base: string): Promise<LoadedFromLibrary> {
  const cardUrl = new URL('model-card.json', new URL(url, base));
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

/** A model whose weights the training worker saved: its card recorded, loaded. */
export async function adoptTrained(stored: StoredModel): Promise<LoadedFromLibrary> {
  try {
    await putModel(stored);
  } catch (error) {
    await removeWeights(stored.id);
    throw storageError(error);
  }
  const model = await tf.loadLayersModel(modelUrl(stored.id));
  return { model, stored };
}

export async function rename(id: string, name: string): Promise<StoredModel> {
  const stored = await getModel(id);
  if (!stored) throw new Error(`no saved model with id ${id}`);
  const updated = { ...stored, card: { ...stored.card, name } };
  await putModel(updated);
  return updated;
}

/** Puts a test-set result on the card when it has none; the card as it now is. */
export async function recordEvaluation(id: string, result: { accuracy: number; loss: number }): Promise<StoredModel | undefined> {
  const stored = await getModel(id);
  if (!stored || stored.card.testAccuracy !== undefined) return stored;
  const updated = { ...stored, card: { ...stored.card, testAccuracy: result.accuracy, testLoss: result.loss } };
  await putModel(updated);
  return updated;
}

/** Deletes a saved model; never the one in use. */
export async function remove(id: string, inUse: string | undefined): Promise<void> {
  if (inUse === id || (await getActiveModelId()) === id) throw new Error('the model in use cannot be deleted; switch to another first');
  await removeWeights(id);
  await removeModelCard(id);
}

/** Weights this old with no card are left over, not about to be adopted (that takes seconds). */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * Removes model weights that no card refers to, saved more than ORPHAN_AGE_MS ago: what is left when the tab
 * closed between a save and its card (the training worker saves a trained model's weights, then the page hands
 * it to the library; an import saves weights, then the card). The URLs removed.
 */
export async function removeOrphanedWeights(now = Date.now()): Promise<string[]> {
  const [saved, keys] = await Promise.all([tf.io.listModels(), listModelKeys()]);
  const owned = new Set(keys.map(modelUrl));
  const prefix = modelUrl('');
  const orphans = Object.entries(saved)
    .filter(([url, info]) => url.startsWith(prefix) && !owned.has(url) && now - new Date(info.dateSaved).getTime() > ORPHAN_AGE_MS)
    .map(([url]) => url);
  for (const url of orphans) await removeStoredModel(url);
  return orphans;
}

/** Saves a library model's weights (and metadata) again, as they are now. */
export async function saveWeights(id: string, model: tf.LayersModel): Promise<void> {
  try {
    await model.save(modelUrl(id));
  } catch (error) {
    throw storageError(error);
  }
}

/** Stores a model's weights and card; on failure the model is disposed and the error says what to do. */
async function keep(model: tf.LayersModel, stored: StoredModel): Promise<void> {
  try {
    await model.save(modelUrl(stored.id));
    await putModel(stored);
  } catch (error) {
    model.dispose();
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
