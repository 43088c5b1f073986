/**
 * Saved models and training checkpoints in IndexedDB. Model weights live where TensorFlow.js keeps them
 * (database `tensorflowjs`, under the URLs below); this store keeps each model's card, which one is active,
 * the state of an unfinished training run, and the finished runs whose cards are not written yet. IndexedDB
 * has no transaction across two databases, so weights and card cannot be written at once: a finished run is
 * recorded here once its weights are saved and checked, and the transaction that writes its card also ends
 * that record and the run's checkpoint (putModel). Every record read is checked (records.ts). Works in the page
 * and in workers (no DOM).
 */
import type { BackendName, ModelCard, StoredModel } from '../model/modelCard';
import type { EpochPoint, TrainSettings } from '../model/trainSettings';
import type { Measurement } from '../model/measuredChoice';
import { MODELS, SETTINGS, run, transaction } from './database';
import {
  type ActiveChoiceRecord,
  type ModelList,
  toActiveChoice,
  toCheckpoint,
  toFinishedRuns,
  toMeasurement,
  toModelList,
  toStoredModel,
} from './records';

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
export const removeModelCard = (id: string) => run(MODELS, 'readwrite', (s) => s.delete(id)).then(() => undefined);

const CHECKPOINT_KEY = 'checkpoint';
const FINISHED_KEY = 'finishedRuns';

/**
 * Writes a model's card. A finished run waiting for this card ends in the same transaction: its record goes,
 * and so does its checkpoint (the checkpoint record of the same run), so that until the card is there the run is
 * kept twice over, and once it is there nothing of it is left to resume or recover.
 */
export function putModel(model: StoredModel): Promise<void> {
  return transaction([MODELS, SETTINGS], 'readwrite', (tx) => {
    tx.objectStore(MODELS).put(model);
    const settings = tx.objectStore(SETTINGS);
    const finished = settings.get(FINISHED_KEY);
    finished.onsuccess = () => {
      const runs = toFinishedRuns(finished.result);
      const done = runs.find((r) => r.id === model.id);
      if (!done) return;
      putFinishedRuns(settings, runs.filter((r) => r !== done));
      const checkpoint = settings.get(CHECKPOINT_KEY);
      checkpoint.onsuccess = () => {
        if ((checkpoint.result as { startedAt?: unknown } | undefined)?.startedAt === done.startedAt) settings.delete(CHECKPOINT_KEY);
      };
    };
    return () => undefined;
  });
}

/**
 * Changes a model's card by `change` (undefined: leave it as it is), reading and writing in one transaction, so
 * that two changes made at once (a rename in one tab, an evaluation recorded in another) both stay. The card as
 * it now is; undefined when there is no such model.
 */
export function updateModel(id: string, change: (card: ModelCard) => ModelCard | undefined): Promise<StoredModel | undefined> {
  let outcome: StoredModel | undefined;
  return transaction([MODELS], 'readwrite', (tx) => {
    const models = tx.objectStore(MODELS);
    const read = models.get(id);
    read.onsuccess = () => {
      const stored = toStoredModel(read.result);
      if (!stored) return;
      const card = change(stored.card);
      outcome = card ? { id, card } : stored;
      if (card) models.put(outcome);
    };
    return () => outcome;
  });
}

/**
 * A trained model whose weights are saved and checked, waiting for its card. The training worker records it
 * right after the check; the transaction that writes the card ends it (putModel). Until then it is what keeps the
 * run: start-up gives the weights this card (library/modelLibrary.ts, recoverOrphanedWeights).
 */
export interface FinishedRun extends StoredModel {
  /** When the run started: its checkpoint's startedAt, which names the run. */
  startedAt: string;
  /** When its weights were saved (ISO). */
  savedAt: string;
}

export const getFinishedRuns = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get(FINISHED_KEY)).then(toFinishedRuns);
/** Records a finished run (read and write in one transaction: runs recorded meanwhile stay). */
export const putFinishedRun = (finished: FinishedRun) => editFinishedRuns((runs) => [...runs.filter((r) => r.id !== finished.id), finished]);
export const removeFinishedRun = (id: string) => editFinishedRuns((runs) => runs.filter((r) => r.id !== id));

function editFinishedRuns(edit: (runs: FinishedRun[]) => FinishedRun[]): Promise<void> {
  return transaction([SETTINGS], 'readwrite', (tx) => {
    const settings = tx.objectStore(SETTINGS);
    const read = settings.get(FINISHED_KEY);
    read.onsuccess = () => putFinishedRuns(settings, edit(toFinishedRuns(read.result)));
    return () => undefined;
  });
}

function putFinishedRuns(settings: IDBObjectStore, runs: FinishedRun[]): void {
  if (runs.length > 0) settings.put(runs, FINISHED_KEY);
  else settings.delete(FINISHED_KEY);
}

const ACTIVE_KEY = 'activeModelId';
/**
 * The recorded choice of active model. Its time is capped at now: a time still to come was written while the
 * clock was ahead, and following it as it is would make this tab refuse every choice until the clock caught up.
 */
export const getActiveChoice = (now = Date.now()) =>
  run<unknown>(SETTINGS, 'readonly', (s) => s.get(ACTIVE_KEY))
    .then(toActiveChoice)
    .then((choice) => choice && { id: choice.id, at: Math.min(choice.at, now) });
export const getActiveModelId = () => getActiveChoice().then((choice) => choice?.id);

/**
 * Records `id` as the active model, chosen at `at`, unless the record holds a choice made later (in another tab,
 * say): read and write in one transaction, so two tabs can never both win. Whether it was recorded.
 *
 * Times are capped at now, when written and when compared: a choice is never recorded as made later than now, and
 * a recorded time later than now (written while the clock was ahead, and it has been put right since) says
 * nothing true about when the choice was made, so it counts as no later than the choice compared with it,
 * instead of outranking every choice until real time catches up.
 */
export function claimActiveModel(id: string, at: number, now = Date.now()): Promise<boolean> {
  const asked = Math.min(at, now);
  let claimed = false;
  return run(SETTINGS, 'readwrite', (s) => {
    const read = s.get(ACTIVE_KEY);
    read.onsuccess = () => {
      const current = toActiveChoice(read.result);
      if (current && current.at <= now && current.at > asked) return;
      claimed = true;
      s.put({ id, at: asked } satisfies ActiveChoiceRecord, ACTIVE_KEY);
    };
    return read;
  }).then(() => claimed);
}

const STARTING_KEY = 'startingModel';

/**
 * Counts a start-up that begins by loading model `id`, until endStartingModel says it finished: how many start-ups
 * before this one began with the same model and never finished (a tab that closed meanwhile, or a model whose
 * reading crashed or hung the app). Read and write in one transaction.
 */
export function beginStartingModel(id: string): Promise<number> {
  let before = 0;
  return run(SETTINGS, 'readwrite', (s) => {
    const read = s.get(STARTING_KEY);
    read.onsuccess = () => {
      const r = read.result as { id?: unknown; count?: unknown } | undefined;
      before = r && r.id === id && Number.isInteger(r.count) && (r.count as number) > 0 ? (r.count as number) : 0;
      s.put({ id, count: before + 1 }, STARTING_KEY);
    };
    return read;
  }).then(() => before);
}
export const endStartingModel = () => run(SETTINGS, 'readwrite', (s) => s.delete(STARTING_KEY)).then(() => undefined);

/** The training backends as measured on this device (backend/measuredChoice.ts). */
export const getMeasurement = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get('backendMeasurement')).then(toMeasurement);
export const putMeasurement = (m: Measurement) => run(SETTINGS, 'readwrite', (s) => s.put(m, 'backendMeasurement')).then(() => undefined);

export const getCheckpoint = () => run<unknown>(SETTINGS, 'readonly', (s) => s.get(CHECKPOINT_KEY)).then(toCheckpoint);
export const putCheckpoint = (info: CheckpointInfo) => run(SETTINGS, 'readwrite', (s) => s.put(info, CHECKPOINT_KEY)).then(() => undefined);
export const clearCheckpoint = () => run(SETTINGS, 'readwrite', (s) => s.delete(CHECKPOINT_KEY)).then(() => undefined);

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
