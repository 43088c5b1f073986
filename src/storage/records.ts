/**
 * Checks what comes back from IndexedDB before the app uses it. Records written by another version of the app,
 * by an extension, or half-written by a crash must not blank the page: a record that cannot identify a model is
 * skipped (and counted, so the page can say so); a readable one has its odd fields dropped or defaulted. Pure.
 */
import { type BackendName, type ModelCard, type ModelSource, RECIPES, type Recipe, type StoredModel } from '../model/modelCard';
import type { PersonalLearning, PersonalSample } from '../model/personal';
import type { LearntHabit } from '../model/personalHabits';
import type { EditorRunSettings, EpochPoint } from '../model/trainSettings';
import { storedDefinition } from '../features/editor/shared/storedDefinition';
import type { CheckpointInfo, FinishedRun } from './modelStore';
import type { EditorRun, RunBatchPoint, RunList } from './runStore';
import type { BackendTrial, Measurement } from '../model/measuredChoice';

const SOURCES: readonly ModelSource[] = ['pretrained', 'trained', 'imported'];
const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const NUMBER_FIELDS = ['testAccuracy', 'testLoss', 'epochs', 'trainImages', 'batchSize', 'trainingSeconds', 'parameters', 'penDigitsAccuracy'] as const;
const STRING_FIELDS = ['dataSha256', 'trainedBy', 'recipeDetails', 'importNotes'] as const;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A card with every field of the right type: odd optional fields dropped, odd required ones defaulted. */
export function toModelCard(value: Loose): ModelCard {
  const card: ModelCard = {
    name: typeof value.name === 'string' && value.name.trim() ? value.name : 'Unnamed model',
    source: SOURCES.includes(value.source as ModelSource) ? (value.source as ModelSource) : 'imported',
    // An unknown date sorts last and shows as unknown.
    createdAt: typeof value.createdAt === 'string' && !Number.isNaN(Date.parse(value.createdAt)) ? value.createdAt : '',
  };
  for (const key of NUMBER_FIELDS) if (isFiniteNumber(value[key])) card[key] = value[key];
  for (const key of STRING_FIELDS) if (typeof value[key] === 'string') card[key] = value[key];
  if (BACKENDS.includes(value.backend as BackendName)) card.backend = value.backend as BackendName;
  if (RECIPES.includes(value.recipe as Recipe)) card.recipe = value.recipe as Recipe;
  if (value.weights === 'float16' || value.weights === 'uint8') card.weights = value.weights;
  if (isObject(value.versions) && Object.values(value.versions).every((v) => typeof v === 'string')) {
    card.versions = value.versions as Record<string, string>;
  }
  return card;
}

/** A stored model record, or undefined when it cannot name a model (no id, no card). */
export function toStoredModel(value: unknown): StoredModel | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || !value.id || !isObject(value.card)) return undefined;
  return { id: value.id, card: toModelCard(value.card) };
}

export interface ModelList {
  /** Newest first; models of unknown date last. */
  models: StoredModel[];
  /** How many records could not be read and are not shown. */
  skipped: number;
}

export function toModelList(values: readonly unknown[]): ModelList {
  const models = values.map(toStoredModel).filter((m): m is StoredModel => m !== undefined);
  models.sort((a, b) => b.card.createdAt.localeCompare(a.card.createdAt));
  return { models, skipped: values.length - models.length };
}

/** A stored id (the active model's): a non-empty string, or absent. */
export function asStoredId(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** Which model is active, and when the user chose it (ms since the epoch; library/activeChoice.ts). */
export interface ActiveChoiceRecord {
  id: string;
  at: number;
}

/**
 * The active model's record: `{ id, at }`, or a bare id as versions before the choice's time wrote it (chosen
 * "at 0", before anything chosen since), or absent.
 */
export function toActiveChoice(value: unknown): ActiveChoiceRecord | undefined {
  const legacy = asStoredId(value);
  if (legacy) return { id: legacy, at: 0 };
  if (!isObject(value)) return undefined;
  const id = asStoredId(value.id);
  return id && isFiniteNumber(value.at) ? { id, at: value.at } : undefined;
}

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isEpochPoint = (v: unknown): v is EpochPoint => isObject(v) && isFiniteNumber(v.epoch) && isFiniteNumber(v.valLoss) && isFiniteNumber(v.valAccuracy);

/** An unfinished training run's state, or undefined when the record is not one (it is then ignored). */
export function toCheckpoint(value: unknown): CheckpointInfo | undefined {
  if (!isObject(value) || !isObject(value.settings)) return undefined;
  const { settings } = value;
  if (!isPositiveInteger(settings.epochs) || !isPositiveInteger(settings.trainImages) || !isPositiveInteger(settings.batchSize)) return undefined;
  if (!Number.isInteger(value.epochsDone) || (value.epochsDone as number) < 0 || (value.epochsDone as number) >= settings.epochs) return undefined;
  if (!BACKENDS.includes(value.backend as BackendName) || !Array.isArray(value.history) || !value.history.every(isEpochPoint)) return undefined;
  if (typeof value.startedAt !== 'string' || !isFiniteNumber(value.trainingSeconds)) return undefined;
  return {
    settings: {
      epochs: settings.epochs,
      trainImages: settings.trainImages,
      batchSize: settings.batchSize,
      ...(typeof settings.baseModelId === 'string' ? { baseModelId: settings.baseModelId } : {}),
      ...(RECIPES.includes(settings.recipe as Recipe) ? { recipe: settings.recipe as Recipe } : {}),
      ...(settings.editor !== undefined && toEditorRunSettings(settings.editor) ? { editor: toEditorRunSettings(settings.editor)! } : {}),
    },
    epochsDone: value.epochsDone as number,
    backend: value.backend as BackendName,
    history: value.history,
    startedAt: value.startedAt,
    trainingSeconds: value.trainingSeconds,
  };
}

/**
 * The finished runs whose cards are not written yet; a record that is not one is left out (its weights are then
 * recovered, if they are there, as weights without a card are).
 */
export function toFinishedRuns(value: unknown): FinishedRun[] {
  if (!Array.isArray(value)) return [];
  const runs: FinishedRun[] = [];
  for (const v of value) {
    if (!isObject(v) || typeof v.startedAt !== 'string' || typeof v.savedAt !== 'string') continue;
    const stored = toStoredModel(v);
    if (stored) runs.push({ ...stored, startedAt: v.startedAt, savedAt: v.savedAt });
  }
  return runs;
}

const isDigit = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 9;

/** The readable samples, oldest first; a damaged one is left out. */
export function toSamples(values: readonly unknown[]): PersonalSample[] {
  const samples: PersonalSample[] = [];
  for (const v of values) {
    if (!isObject(v) || typeof v.id !== 'string' || !isDigit(v.label) || !(v.pixels instanceof Uint8Array) || v.pixels.length !== 784) continue;
    samples.push({ id: v.id, label: v.label, pixels: v.pixels, createdAt: typeof v.createdAt === 'string' ? v.createdAt : '' });
  }
  return samples.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

const isHabit = (v: unknown): boolean => isObject(v) && isDigit(v.digit) && isDigit(v.readAs) && Number.isInteger(v.samples) && (v.samples as number) > 0;

/** A stored personal model, or undefined when the record is not a whole one (it is then ignored). */
export function toPersonalLearning(value: unknown): PersonalLearning | undefined {
  if (!isObject(value) || typeof value.baseId !== 'string' || !Array.isArray(value.sampleIds) || !isObject(value.memory) || !isObject(value.checks)) return undefined;
  const { memory, checks } = value;
  const dim = memory.dim;
  if (!Number.isInteger(dim) || !(memory.entries instanceof Float32Array) || !(memory.labels instanceof Uint8Array) || !(memory.radii instanceof Float32Array)) return undefined;
  const n = memory.labels.length;
  if (memory.entries.length !== (dim as number) * n || memory.radii.length !== n || !memory.labels.every((l) => l <= 9)) return undefined;
  // A head (personalHead.ts), where learning made one: of the memory's features, every weight a number.
  const head = memory.head;
  if (head !== undefined) {
    if (!isObject(head) || !(head.v instanceof Float32Array) || !(head.c instanceof Float32Array)) return undefined;
    if (head.v.length !== (dim as number) * 10 || head.c.length !== 10 || !head.v.every(Number.isFinite) || !head.c.every(Number.isFinite)) return undefined;
  }
  const numbers = ['samples', 'ownPersonal', 'ownBase', 'mnistPersonal', 'mnistBase'] as const;
  if (!numbers.every((k) => isFiniteNumber(checks[k]))) return undefined;
  return {
    baseId: value.baseId,
    sampleIds: value.sampleIds.filter((id): id is string => typeof id === 'string'),
    memory: {
      dim: dim as number,
      entries: memory.entries,
      labels: memory.labels,
      radii: memory.radii,
      ...(head !== undefined && { head: { dim: dim as number, v: head.v as Float32Array, c: head.c as Float32Array } }),
    },
    checks: {
      ...(Object.fromEntries(numbers.map((k) => [k, checks[k]])) as unknown as PersonalLearning['checks']),
      ...(isFiniteNumber(checks.ownSeen) ? { ownSeen: checks.ownSeen } : {}),
    },
    ...(Array.isArray(value.learnt) && value.learnt.every(isHabit) ? { learnt: value.learnt as LearntHabit[] } : {}),
    accepted: value.accepted === true,
    reason: typeof value.reason === 'string' ? value.reason : '',
    seconds: isFiniteNumber(value.seconds) ? value.seconds : 0,
  };
}

const isTrial = (v: unknown): v is BackendTrial =>
  isObject(v) &&
  BACKENDS.includes(v.backend as BackendName) &&
  (v.imagesPerSecond === undefined || isFiniteNumber(v.imagesPerSecond)) &&
  (v.drift === undefined || typeof v.drift === 'number') &&
  (v.unavailable === undefined || typeof v.unavailable === 'string') &&
  (v.detail === undefined || typeof v.detail === 'string');

/** The kept measurement of the training backends, or undefined when the record is not one (it is then made again). */
export function toMeasurement(value: unknown): Measurement | undefined {
  if (!isObject(value) || !isObject(value.device) || !Array.isArray(value.trials) || !value.trials.every(isTrial)) return undefined;
  const { device } = value;
  if (typeof device.userAgent !== 'string' || typeof device.gpu !== 'string' || !isFiniteNumber(device.cores)) return undefined;
  if (!BACKENDS.includes(value.chosen as BackendName) || typeof value.measuredAt !== 'string') return undefined;
  return { device: { userAgent: device.userAgent, gpu: device.gpu, cores: device.cores }, trials: value.trials, chosen: value.chosen as BackendName, measuredAt: value.measuredAt };
}

/**
 * An edited network and its training as stored (a checkpoint's, a run's), or undefined unless the editor could
 * train it as it is (shared/storedDefinition.ts).
 */
export const toEditorRunSettings = (value: unknown): EditorRunSettings | undefined => storedDefinition(value);

const isBatchPoint = (v: unknown): v is RunBatchPoint => isObject(v) && isFiniteNumber(v.step) && isFiniteNumber(v.loss) && isFiniteNumber(v.accuracy);

/** A stored editor run, or undefined when the record is not a whole one (it is then skipped). */
export function toEditorRun(value: unknown): EditorRun | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || !value.id || typeof value.name !== 'string') return undefined;
  const settings = toEditorRunSettings(value);
  if (!settings || !isPositiveInteger(value.batchesPerEpoch) || !isObject(value.result)) return undefined;
  if (!Array.isArray(value.batches) || !value.batches.every(isBatchPoint) || !Array.isArray(value.epochs) || !value.epochs.every(isEpochPoint)) return undefined;
  const { result } = value;
  const numbers = ['seconds', 'imagesPerSecond', 'parameters', 'trainImages'] as const;
  if (!numbers.every((k) => isFiniteNumber(result[k])) || !BACKENDS.includes(result.backend as BackendName)) return undefined;
  return {
    id: value.id,
    name: value.name,
    createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
    ...settings,
    batchesPerEpoch: value.batchesPerEpoch,
    batches: value.batches,
    epochs: value.epochs,
    result: {
      ...(Object.fromEntries(numbers.map((k) => [k, result[k]])) as Pick<EditorRun['result'], (typeof numbers)[number]>),
      backend: result.backend as BackendName,
      ...(isFiniteNumber(result.testAccuracy) ? { testAccuracy: result.testAccuracy } : {}),
      ...(isFiniteNumber(result.testLoss) ? { testLoss: result.testLoss } : {}),
    },
  };
}

/** The readable runs, oldest first; a damaged one is counted and left out. */
export function toEditorRuns(values: readonly unknown[]): RunList {
  const runs = values.map(toEditorRun).filter((r): r is EditorRun => r !== undefined);
  runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { runs, skipped: values.length - runs.length };
}
