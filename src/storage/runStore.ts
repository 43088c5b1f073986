/**
 * The network editor's runs in IndexedDB (store `runs`, database version 3): every run of an edited network that
 * finished, with its network, its training settings, its curves and its results. Written by the training worker
 * as the run's weights are saved (the model itself goes to the model library under the same id); read and deleted
 * through it. Every record read is checked (records.ts). Works in the page and in workers (no DOM).
 */
import type { BackendName } from '../model/modelCard';
import type { EditorRunSettings, EpochPoint } from '../model/trainSettings';
import { RUNS, run } from './database';
import { toEditorRuns } from './records';

/** One training batch of a run: `step` counts batches from the run's start (1, 2, ...). */
export interface RunBatchPoint {
  step: number;
  loss: number;
  accuracy: number;
}

export interface RunResult {
  /** The test set's after the last epoch, 0..1, once known. */
  testAccuracy?: number;
  testLoss?: number;
  /** Training time, evaluations after each epoch left out. */
  seconds: number;
  imagesPerSecond: number;
  backend: BackendName;
  parameters: number;
  /** Training images an epoch really used. */
  trainImages: number;
}

export interface EditorRun extends EditorRunSettings {
  /** The model's id in the model library (its weights: modelStore.ts modelUrl). */
  id: string;
  name: string;
  /** ISO. */
  createdAt: string;
  batchesPerEpoch: number;
  /** Training batches' loss and accuracy (those of the epochs this page's worker trained: a resumed run's start is not kept). */
  batches: RunBatchPoint[];
  /** The test set's after each epoch. */
  epochs: EpochPoint[];
  result: RunResult;
}

export interface RunList {
  /** Oldest first, as they were made. */
  runs: EditorRun[];
  /** Records that could not be read, not shown. */
  skipped: number;
}

export const listRuns = (): Promise<RunList> => run<unknown[]>(RUNS, 'readonly', (s) => s.getAll()).then(toEditorRuns);
export const putRun = (record: EditorRun) => run(RUNS, 'readwrite', (s) => s.put(record)).then(() => undefined);
export const removeRun = (id: string) => run(RUNS, 'readwrite', (s) => s.delete(id)).then(() => undefined);
