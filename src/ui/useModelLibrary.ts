/**
 * The active model, the saved models, and live predictions. On start: the saved active model; else the
 * server's pre-trained model (kept in IndexedDB for offline use); else none, and the page offers training.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { getActiveModelId, listModels, putModel, setActiveModelId } from '../storage/modelStore';
import type { LayerSummary, ModelFile, StoredModel } from '../worker/protocol';
import type { ModelState } from './ModelStatus';
import { PredictorClient } from './predictorClient';

export const PRETRAINED_URL = '/models/pretrained/model.json';

function download(files: ModelFile[]): void {
  for (const file of files) {
    const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: file.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

export function usePredictor() {
  const [modelState, setModelState] = useState<ModelState>({ loading: true });
  const [summary, setSummary] = useState<LayerSummary[]>([]);
  const [models, setModels] = useState<StoredModel[]>([]);
  const [libraryMessage, setLibraryMessage] = useState<{ kind: 'error' | 'info'; text: string } | undefined>();
  const [result, setResult] = useState<{ version: number; probabilities: number[] } | null>(null);
  const client = useRef<PredictorClient | undefined>(undefined);
  const latest = useRef<{ version: number; input: Float32Array | null }>({ version: 0, input: null });
  const ready = useRef(false);
  /** What we asked the worker to load, so a failure knows what to try next. */
  const loading = useRef<'stored' | 'pretrained' | null>(null);

  /** Re-reads the model library; says so when some records could not be read. */
  const readModels = useCallback(async (): Promise<StoredModel[]> => {
    const { models: all, skipped } = await listModels().catch((error: Error) => {
      setLibraryMessage({ kind: 'error', text: `The saved models could not be read: ${error.message}` });
      return { models: [] as StoredModel[], skipped: 0 };
    });
    setModels(all);
    if (skipped) {
      const records = skipped === 1 ? '1 saved model record is' : `${skipped} saved model records are`;
      setLibraryMessage({ kind: 'info', text: `${records} damaged or from another version and not shown.` });
    }
    return all;
  }, []);
  const refreshModels = useCallback(() => void readModels(), [readModels]);

  useEffect(() => {
    const predictor = new PredictorClient({
      onLoaded(model, _backend, layers) {
        ready.current = true;
        void setActiveModelId(model.id).catch(() => undefined);
        setModelState({ model, loading: false });
        setSummary(layers);
        refreshModels();
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
      onImportFailed(message) {
        setLibraryMessage({ kind: 'error', text: `Import failed: ${message} Your current model is still in use.` });
      },
      onExported: download,
      onDeleted() {
        refreshModels();
      },
      onPrediction(version, probabilities) {
        setResult({ version, probabilities });
      },
      onError(message) {
        setLibraryMessage({ kind: 'error', text: message });
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
  }, [refreshModels]);

  /** A new drawing: predict it (or clear the prediction when it is empty). */
  const predict = useCallback((version: number, input: Float32Array | null) => {
    latest.current = { version, input };
    if (!input) setResult(null);
    else if (ready.current) client.current?.predict(version, input);
  }, []);

  /** Switch to a saved model (e.g. one just trained). */
  const useModel = useCallback((model: StoredModel) => {
    loading.current = 'stored';
    setLibraryMessage(undefined);
    setModelState((s) => ({ ...s, loading: true }));
    client.current?.load(model.id);
  }, []);

  const importFiles = useCallback((files: File[]) => {
    setLibraryMessage(undefined);
    client.current?.import(files);
  }, []);

  const exportActive = useCallback(() => client.current?.export(), []);
  const deleteModel = useCallback((model: StoredModel) => client.current?.delete(model.id), []);
  const renameModel = useCallback(
    async (model: StoredModel, name: string) => {
      const updated = { ...model, card: { ...model.card, name } };
      await putModel(updated);
      if (modelState.model?.id === model.id) setModelState((s) => ({ ...s, model: updated }));
      refreshModels();
    },
    [modelState.model?.id, refreshModels],
  );
  /** A card changed elsewhere (e.g. its accuracy after an evaluation): show the new one. */
  const cardChanged = useCallback(async () => {
    const all = await readModels();
    setModelState((s) => ({ ...s, model: all.find((m) => m.id === s.model?.id) ?? s.model }));
  }, [readModels]);

  return {
    modelState,
    summary,
    models,
    libraryMessage,
    result,
    predict,
    useModel,
    importFiles,
    exportActive,
    deleteModel,
    renameModel,
    cardChanged,
  };
}
