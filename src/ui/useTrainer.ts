/** Training state for the page, driven by the training worker's events. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckpointInfo } from '../storage/modelStore';
import { getCheckpoint } from '../storage/modelStore';
import type { BackendInfo, BackendName, EpochPoint, StoredModel, TestEvaluation, TrainEvent, TrainSettings } from '../worker/protocol';
import { TrainerClient } from './trainerClient';

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
  batches: BatchPoint[];
  epochs: EpochPoint[];
  numTensors: number[];
  message?: { kind: 'error' | 'info'; text: string };
  checkpoint?: CheckpointInfo;
}

const initial: TrainState = { phase: 'idle', batches: [], epochs: [], numTensors: [] };

/** The backend asked for in the page address, e.g. `?backend=wasm` (tests and benchmarks use it). */
export function requestedBackend(): BackendName | undefined {
  const value = new URLSearchParams(location.search).get('backend');
  return value === 'webgl' || value === 'wasm' || value === 'cpu' ? value : undefined;
}

export type EvaluationState =
  | { status: 'idle' }
  | { status: 'running'; modelId: string }
  | ({ status: 'done'; modelId: string } & TestEvaluation)
  | { status: 'failed'; modelId: string; message: string };

export function useTrainer(onModelSaved: (model: StoredModel) => void, onEvaluated: () => void = () => {}) {
  const [state, setState] = useState<TrainState>(initial);
  const [evaluation, setEvaluation] = useState<EvaluationState>({ status: 'idle' });
  const imageRequests = useRef(new Map<number, (pixels: Uint8Array) => void>());
  const nextRequest = useRef(1);
  const onEval = useRef(onEvaluated);
  onEval.current = onEvaluated;
  const client = useRef<TrainerClient | undefined>(undefined);
  const onSaved = useRef(onModelSaved);
  onSaved.current = onModelSaved;

  useEffect(() => {
    const handle = (event: TrainEvent) => {
      if (event.type === 'done') onSaved.current(event.model);
      if (event.type === 'evaluated') {
        const { type: _type, ...result } = event;
        setEvaluation({ status: 'done', ...result });
        onEval.current();
        return;
      }
      if (event.type === 'evaluate-failed') {
        setEvaluation({ status: 'failed', modelId: event.modelId, message: event.message });
        return;
      }
      if (event.type === 'test-images') {
        imageRequests.current.get(event.requestId)?.(event.pixels);
        imageRequests.current.delete(event.requestId);
        return;
      }
      setState((s): TrainState => {
        switch (event.type) {
          case 'backend':
            return { ...s, backend: event.backend };
          case 'data-progress':
            return { ...s, phase: s.phase === 'idle' ? s.phase : 'loading-data', data: event };
          case 'started':
            return {
              ...s,
              phase: s.phase === 'cancelling' ? s.phase : 'training',
              settings: event.settings,
              progress: { epoch: event.startEpoch + 1, batch: 0, batchesPerEpoch: event.batchesPerEpoch, imagesPerSecond: 0, startEpoch: event.startEpoch },
            };
          case 'batch':
            return {
              ...s,
              phase: s.phase === 'cancelling' ? s.phase : 'training',
              progress: { ...event, startEpoch: s.progress?.startEpoch ?? 0 },
              batches: [...s.batches, { step: (event.epoch - 1) * event.batchesPerEpoch + event.batch, loss: event.loss, accuracy: event.accuracy }],
            };
          case 'epoch':
            return { ...s, epochs: [...s.epochs, event.point], numTensors: [...s.numTensors, event.numTensors] };
          case 'checkpoint':
            return s;
          case 'done':
            return { ...s, phase: 'idle', checkpoint: undefined, message: { kind: 'info', text: 'Training finished; the new model is saved and in use.' } };
          case 'cancelled':
            return { ...s, phase: 'idle', checkpoint: undefined, message: { kind: 'info', text: 'Training cancelled. Your previous model is unchanged.' } };
          case 'error':
            return { ...s, phase: 'idle', message: { kind: 'error', text: event.message } };
          case 'bench-result':
            return s;
        }
      });
    };
    const trainer = new TrainerClient(handle);
    client.current = trainer;
    trainer.probe(requestedBackend());
    void getCheckpoint().then((checkpoint) => checkpoint && setState((s) => ({ ...s, checkpoint })), () => undefined);
    return () => trainer.terminate();
  }, []);

  const start = useCallback((settings: TrainSettings, resume = false) => {
    void navigator.storage?.persist?.().catch(() => false);
    setState((s) => ({
      ...s,
      phase: 'loading-data',
      settings,
      message: undefined,
      batches: resume ? s.batches : [],
      epochs: resume ? (s.checkpoint?.history ?? []) : [],
      numTensors: [],
      progress: undefined,
    }));
    client.current?.train({ ...settings, backend: requestedBackend() }, resume);
  }, []);

  const cancel = useCallback(() => {
    setState((s) => ({ ...s, phase: 'cancelling' }));
    client.current?.cancel();
  }, []);

  const evaluate = useCallback((modelId: string) => {
    setEvaluation({ status: 'running', modelId });
    client.current?.evaluate(modelId);
  }, []);

  /** Pixels (784 bytes each) of the given test images. */
  const testImages = useCallback(
    (indices: number[]) =>
      new Promise<Uint8Array>((resolve) => {
        const id = nextRequest.current++;
        imageRequests.current.set(id, resolve);
        client.current?.testImages(id, indices);
      }),
    [],
  );

  return { state, start, cancel, evaluation, evaluate, testImages };
}
