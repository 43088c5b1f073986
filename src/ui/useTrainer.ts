/** Training and evaluation as the page shows them, driven by the training worker's progress reports. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendInfo, BackendName } from '../backend/backendChoice';
import type { TestEvaluation } from '../model/evaluate';
import type { StoredModel } from '../model/modelCard';
import type { EpochPoint, TrainSettings } from '../model/trainSettings';
import type { CheckpointInfo } from '../storage/modelStore';
import type { LiveWeights } from '../training/liveWeights';
import type { TrainProgress } from '../worker/api';
import type { Trainer } from './workers';

export type TrainPhase = 'idle' | 'loading-data' | 'training' | 'cancelling';

export interface BatchPoint {
  /** Batches done in the run so far, counting every epoch: the charts' x. */
  step: number;
  loss: number;
  accuracy: number;
}

export interface TrainState {
  phase: TrainPhase;
  backend?: BackendInfo;
  settings?: TrainSettings;
  data?: { loadedBytes: number; totalBytes: number };
  progress?: { epoch: number; batch: number; batchesPerEpoch: number; imagesPerSecond: number; startEpoch: number };
  /** Workers sharing each training step (one per core on wasm). */
  workers?: number;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  numTensors: number[];
  message?: { kind: 'error' | 'info'; text: string };
  checkpoint?: CheckpointInfo;
  /** The run's weights as they now are, while "Look inside" asks for them (training/liveWeights.ts). */
  live?: LiveWeights;
}

const initial: TrainState = { phase: 'idle', batches: [], epochs: [], numTensors: [] };

/** The backend asked for in the page address, e.g. `?backend=wasm` (tests and benchmarks use it). */
export function requestedBackend(): BackendName | undefined {
  const value = new URLSearchParams(location.search).get('backend');
  return value === 'webgpu' || value === 'webgl' || value === 'wasm' || value === 'cpu' ? value : undefined;
}

/** The number of training workers asked for in the page address, e.g. `?workers=1` (benchmarks compare them). */
export function requestedWorkers(): number | undefined {
  const value = Number(new URLSearchParams(location.search).get('workers'));
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

export type EvaluationState =
  | { status: 'idle' }
  | { status: 'running'; modelId: string }
  | ({ status: 'done'; modelId: string } & TestEvaluation)
  | { status: 'failed'; modelId: string; message: string };

/** The state after one progress report. Pure. */
export function withProgress(s: TrainState, report: TrainProgress): TrainState {
  switch (report.type) {
    case 'backend':
      return { ...s, backend: report.backend };
    case 'data':
      return { ...s, phase: s.phase === 'idle' ? s.phase : 'loading-data', data: { loadedBytes: report.loadedBytes, totalBytes: report.totalBytes } };
    case 'started':
      return {
        ...s,
        phase: s.phase === 'cancelling' ? s.phase : 'training',
        settings: report.settings,
        workers: report.workers,
        progress: { epoch: report.startEpoch + 1, batch: 0, batchesPerEpoch: report.batchesPerEpoch, imagesPerSecond: 0, startEpoch: report.startEpoch },
      };
    case 'workers':
      return { ...s, workers: report.workers };
    case 'batch': {
      const { type: _type, ...batch } = report;
      return {
        ...s,
        phase: s.phase === 'cancelling' ? s.phase : 'training',
        progress: { ...batch, startEpoch: s.progress?.startEpoch ?? 0 },
        batches: [...s.batches, { step: (batch.epoch - 1) * batch.batchesPerEpoch + batch.batch, loss: batch.loss, accuracy: batch.accuracy }],
      };
    }
    case 'epoch':
      return { ...s, epochs: [...s.epochs, report.point], numTensors: [...s.numTensors, report.numTensors] };
    case 'weights':
      return { ...s, live: report.live };
  }
}

/**
 * Progress reports applied to the state at most a few times a second: every batch re-rendered the charts, and
 * on a device whose every core trains, the page's rendering is training time lost. Reports keep their order;
 * anything but a batch report (an epoch, a backend change) is shown at once.
 */
const PROGRESS_INTERVAL_MS = 250;
function progressInBatches(setState: (update: (s: TrainState) => TrainState) => void): { report: (report: TrainProgress) => void; close: () => void } {
  let queued: TrainProgress[] = [];
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const reports = queued;
    queued = [];
    if (reports.length) setState((s) => reports.reduce(withProgress, s));
  };
  const report = (progress: TrainProgress) => {
    if (closed) return; // a report that crossed the run's end: the run's outcome is what shows now
    queued.push(progress);
    if (progress.type !== 'batch') flush();
    else timer ??= setTimeout(flush, PROGRESS_INTERVAL_MS);
  };
  const close = () => {
    flush();
    closed = true;
  };
  return { report, close };
}

/**
 * `onTrained` receives the model a run saved and when Train was clicked, and makes it the one in use unless the
 * user chose another model since (the library's job; whether it is in use); `onEvaluated` receives a test-set
 * result to record on the model's card.
 */
export function useTrainer(
  trainer: Trainer | undefined,
  onTrained: (model: StoredModel, askedAt: number) => Promise<boolean>,
  onEvaluated: (modelId: string, result: { accuracy: number; loss: number }) => Promise<void>,
) {
  const [state, setState] = useState<TrainState>(initial);
  const [evaluation, setEvaluation] = useState<EvaluationState>({ status: 'idle' });
  const run = useRef<AbortController | undefined>(undefined);
  // The latest callbacks, so that a run that started before they changed still reaches them.
  const callbacks = useRef({ onTrained, onEvaluated });
  useEffect(() => {
    callbacks.current = { onTrained, onEvaluated };
  }, [onTrained, onEvaluated]);

  useEffect(() => {
    if (!trainer) return;
    void trainer.backend(requestedBackend()).then(
      (backend) => setState((s) => ({ ...s, backend })),
      () => undefined, // the first Train reports it
    );
    void trainer.checkpoint().then((checkpoint) => checkpoint && setState((s) => ({ ...s, checkpoint })));
  }, [trainer]);

  const start = useCallback(
    async (settings: TrainSettings, resume = false) => {
      if (!trainer) return;
      // The time of the user's intent, as library/activeChoice.ts's choiceTime measures it.
      const askedAt = performance.timeOrigin + performance.now();
      setState((s) => ({
        ...s,
        phase: 'loading-data',
        settings,
        message: undefined,
        batches: resume ? s.batches : [],
        epochs: resume ? (s.checkpoint?.history ?? []) : [],
        numTensors: [],
        progress: undefined,
        live: undefined,
      }));
      const controller = new AbortController();
      run.current = controller;
      let message: TrainState['message'];
      const progress = progressInBatches(setState);
      try {
        const workers = requestedWorkers();
        const outcome = await trainer.train(workers ? { ...settings, workers } : settings, resume, progress.report, controller.signal);
        if (outcome.status === 'done') {
          const inUse = await callbacks.current.onTrained(outcome.model, askedAt);
          message = {
            kind: 'info',
            text: inUse ? 'Training finished; the new model is saved and in use.' : 'Training finished; the new model is saved in your models. The model chosen while it trained stays in use.',
          };
        } else {
          message = { kind: 'info', text: 'Training cancelled. Your previous model is unchanged.' };
        }
      } catch (error) {
        message = { kind: 'error', text: (error as Error).message };
      } finally {
        // Whatever is still queued comes before the end of the run, not after it.
        progress.close();
        run.current = undefined;
      }
      // What is on disk now: nothing after a finished or cancelled run, the last epoch's checkpoint after a failure.
      const checkpoint = await trainer.checkpoint().catch(() => undefined);
      setState((s) => ({ ...s, phase: 'idle', checkpoint, message, live: undefined }));
    },
    [trainer],
  );

  const cancel = useCallback(() => {
    setState((s) => ({ ...s, phase: 'cancelling' }));
    run.current?.abort();
  }, []);

  const evaluate = useCallback(
    async (modelId: string) => {
      if (!trainer) return;
      setEvaluation({ status: 'running', modelId });
      try {
        const result = await trainer.evaluate(modelId);
        setEvaluation({ status: 'done', modelId, ...result });
        await callbacks.current.onEvaluated(modelId, result);
      } catch (error) {
        setEvaluation({ status: 'failed', modelId, message: (error as Error).message });
      }
    },
    [trainer],
  );

  /** Pixels (784 bytes each) of the given test images. */
  const testImages = useCallback((indices: number[]) => (trainer ? trainer.testImages(indices) : Promise.resolve(new Uint8Array(0))), [trainer]);

  return { state, ready: trainer !== undefined, start, cancel, evaluation, evaluate, testImages };
}
