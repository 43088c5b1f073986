/**
 * The active model and live predictions. On start: the saved active model; else the server's pre-trained
 * model (kept in IndexedDB for offline use); else none, and the page offers training.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { PRETRAINED_ID, getActiveModelId, setActiveModelId } from '../storage/modelStore';
import type { StoredModel } from '../worker/protocol';
import type { ModelState } from './ModelStatus';
import { PredictorClient } from './predictorClient';

export const PRETRAINED_URL = '/models/pretrained/model.json';

export function usePredictor() {
  const [modelState, setModelState] = useState<ModelState>({ loading: true });
  const [result, setResult] = useState<{ version: number; probabilities: number[] } | null>(null);
  const client = useRef<PredictorClient | undefined>(undefined);
  const latest = useRef<{ version: number; input: Float32Array | null }>({ version: 0, input: null });
  const ready = useRef(false);
  /** What we asked the worker to load, so a failure knows what to try next. */
  const loading = useRef<'stored' | 'pretrained' | null>(null);

  useEffect(() => {
    const predictor = new PredictorClient({
      onLoaded(model) {
        ready.current = true;
        if (model.id === PRETRAINED_ID) void setActiveModelId(PRETRAINED_ID).catch(() => undefined);
        setModelState({ model, loading: false });
        const { version, input } = latest.current;
        if (input) predictor.predict(version, input);
      },
      onLoadFailed(message, missing) {
        if (loading.current === 'stored') {
          loading.current = 'pretrained';
          setModelState((s) => ({ ...s, message: { kind: 'error', text: `Your saved model could not be loaded (${message}).` } }));
          predictor.loadPretrained(PRETRAINED_URL);
          return;
        }
        setModelState((s) => ({
          model: s.model,
          loading: false,
          message: missing
            ? { kind: 'info', text: 'This server offers no pre-trained model. Train one below.' }
            : { kind: 'error', text: `The pre-trained model could not be loaded: ${message}` },
        }));
      },
      onPrediction(version, probabilities) {
        setResult({ version, probabilities });
      },
      onError(message) {
        setModelState((s) => ({ ...s, message: { kind: 'error', text: message } }));
      },
    });
    client.current = predictor;
    void (async () => {
      const id = await getActiveModelId().catch(() => undefined);
      loading.current = id ? 'stored' : 'pretrained';
      if (id) predictor.load(id);
      else predictor.loadPretrained(PRETRAINED_URL);
    })();
    return () => predictor.terminate();
  }, []);

  /** A new drawing: predict it (or clear the prediction when it is empty). */
  const predict = useCallback((version: number, input: Float32Array | null) => {
    latest.current = { version, input };
    if (!input) setResult(null);
    else if (ready.current) client.current?.predict(version, input);
  }, []);

  /** Switch to a saved model (e.g. one just trained). */
  const useModel = useCallback((model: StoredModel) => {
    loading.current = 'stored';
    setModelState((s) => ({ ...s, loading: true }));
    client.current?.load(model.id);
  }, []);

  return { modelState, result, predict, useModel, latest };
}
