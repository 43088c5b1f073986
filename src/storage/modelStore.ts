/**
 * Saved models and training checkpoints in IndexedDB. Model weights live where TensorFlow.js keeps them
 * (database `tensorflowjs`, under the URLs below); this store keeps each model's card, which one is active,
 * and the state of an unfinished training run. Every record read is checked (records.ts). Works in the page and
 * in workers (no DOM).
 */
import type { BackendName, StoredModel } from '../model/modelCard';
import type { EpochPoint, TrainSettings } from '../model/trainSettings';
import type { Measurement } from '../model/measuredChoice';
import { MODELS, SETTINGS, run } from './database';
import { type ActiveChoiceRecord, type ModelList, toActiveChoice, toCheckpoint, toMeasurement, toModelList, toStoredModel } from './records';

export { StorageError, storageError } from './database';

export const modelUrl = (id: string) => `indexeddb://digit-lab-model-${id}`;
export const CHECKPOINT_URL = 'indexeddb://digit-lab-checkpoint';
export const PRETRAINED_ID = 'pretrained';

export interface CheckpointInfo {
  settings: TrainSettings;
  epochsDone: number;
  backend: BackendName;
  history: EpochPoint[];
  startedAt: string;
  trainingSeconds: number;
}

/** Every readable model record, newest first, and how many unreadable ones were skipped. */
export const listModels = (): Promise<ModelList> => run<unknown[]>(MODELS, 'readonly', (s) => s.getAll()).then(toModelList);
/** The key of every model record, readable or not (a damaged card still owns its weights). */
export const listModelKeys = () => run<IDBValidKey[]>(MODELS, 'readonly', (s) => s.getAllKeys()).then((keys) => keys.map(String));
export const getModel = (id: string) => run<unknown>(MODELS, 'readonly', (s) => s.get(id)).then(toStoredModel);
export const putModel = (model: StoredModel) => run(MODELS, 'readwrite', (s) => s.put(model)).then(() => undefined);
export const removeModelCard = (id: string) => run(MODELS, 'readwrite', (s) => s.delete(id)).then(() => undefined);

const ACTIVE_KEY = 'activeModelId';
export const getActiveChoice = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get(ACTIVE_KEY)).then(toActiveChoice);
export const getActiveModelId = () => getActiveChoice().then((choice) => choice?.id);

/**
 * Records `id` as the active model, chosen at `at`, unless the record holds a choice made later (in another tab,
 * say): read and write in one transaction, so two tabs can never both win. Whether it was recorded.
 */
export function claimActiveModel(id: string, at: number): Promise<boolean> {
  let claimed = false;
  return run(SETTINGS, 'readwrite', (s) => {
    const read = s.get(ACTIVE_KEY);
    read.onsuccess = () => {
      const current = toActiveChoice(read.result);
      if (current && current.at > at) return;
      claimed = true;
      s.put({ id, at } satisfies ActiveChoiceRecord, ACTIVE_KEY);
    };
    return read;
  }).then(() => claimed);
}

/** The training backends as measured on this device (backend/measuredChoice.ts). */
export const getMeasurement = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get('backendMeasurement')).then(toMeasurement);
export const putMeasurement = (m: Measurement) => run(SETTINGS, 'readwrite', (s) => s.put(m, 'backendMeasurement')).then(() => undefined);

export const getCheckpoint = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get('checkpoint')).then(toCheckpoint);
export const putCheckpoint = (info: CheckpointInfo) => run(SETTINGS, 'readwrite', (s) => s.put(info, 'checkpoint')).then(() => undefined);
export const clearCheckpoint = () => run(SETTINGS, 'readwrite', (s) => s.delete('checkpoint')).then(() => undefined);

/**
 * Whether `bytes` more can be stored here right now: writes that much into a scratch entry and deletes it again.
 * Used to tell a full quota from other failures when a save was lost without an error of its own (tfjs's
 * IndexedDB handler does not report a transaction that aborts after its write request succeeded).
 * Other failures answer true: they are not a lack of space.
 */
export async function storageHasRoomFor(bytes: number): Promise<boolean> {
  const key = 'space-probe';
  // Random bytes: the browser compresses what it stores, and zeros would take almost no space.
  const probe = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(probe.subarray(i, i + 65536));
  try {
    await run(SETTINGS, 'readwrite', (s) => s.put(probe, key));
  } catch (error) {
    return ((error as Error).cause as DOMException | undefined)?.name !== 'QuotaExceededError';
  }
  await run(SETTINGS, 'readwrite', (s) => s.delete(key)).catch(() => undefined);
  return true;
}

/** A new model id: time-ordered and unique enough for one browser. */
export function newModelId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
