/**
 * The model library as the page shows it: the active model, the saved models and their messages. Every change
 * goes through the prediction worker, the library's one writer; the page keeps what the worker answers.
 * On start the worker loads the saved active model, else the server's pre-trained model, else none (the page
 * then offers training). The saved models are listed at once, so one can be picked while start-up still loads;
 * whatever the user picks, imports or trains wins over what start-up or another slow step was doing
 * (library/activeChoice.ts), and other tabs' changes show here too (PredictorApi.watch).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type LayerSummary, isAppCnn } from '../model/architecture';
import type { StoredModel } from '../model/modelCard';
import type { ModelFile } from '../model/modelFiles';
import type { ExportFormat } from '../model/exportFormat';
import type { ModelList } from '../storage/records';
import type { Activation, LoadedModel } from '../worker/api';
import type { ModelState } from './ModelStatus';
import type { Predictor } from './workers';

export const PRETRAINED_URL = '/models/pretrained/model.json';

type Message = { kind: 'error' | 'info'; text: string };

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

function skippedMessage(skipped: number): Message | undefined {
  if (!skipped) return undefined;
  const records = skipped === 1 ? '1 saved model record is' : `${skipped} saved model records are`;
  return { kind: 'info', text: `${records} damaged or from another version and not shown.` };
}

export function useModelLibrary(predictor: Predictor | undefined) {
  const [modelState, setModelState] = useState<ModelState>({ loading: true });
  /** The model the worker has loaded; a new object for every load, so a reading can follow it. */
  const [loaded, setLoaded] = useState<LoadedModel | undefined>(undefined);
  const [models, setModels] = useState<StoredModel[]>([]);
  const [libraryMessage, setLibraryMessage] = useState<Message | undefined>(undefined);
  /** A tab still on an older version keeps the database from upgrading: nothing is stored meanwhile. */
  const [storageBlocked, setStorageBlocked] = useState(false);
  /** Start-up has loaded a model or given up; stays true from then on. */
  const [settled, setSettled] = useState(false);
  /** Switches the user asked for that are still loading. */
  const [switching, setSwitching] = useState(0);

  const showList = useCallback((list: ModelList) => {
    setModels(list.models);
    // The card in use may have changed in another tab (renamed, evaluated).
    setModelState((s) => {
      const card = s.model && list.models.find((m) => m.id === s.model?.id);
      return card && card !== s.model ? { ...s, model: card } : s;
    });
    const skipped = skippedMessage(list.skipped);
    if (skipped) setLibraryMessage(skipped);
  }, []);

  /** Re-reads the library after a change; says so when it cannot be read. */
  const refreshList = useCallback(
    async (worker: Predictor) => {
      try {
        showList(await worker.list());
      } catch (error) {
        setLibraryMessage({ kind: 'error', text: `The saved models could not be read: ${(error as Error).message}` });
      }
    },
    [showList],
  );

  const showLoaded = useCallback(
    (worker: Predictor, model: LoadedModel, message?: Message) => {
      setLoaded(model);
      setModelState({ model: model.model, loading: false, ...(message ? { message } : {}) });
      void refreshList(worker);
    },
    [refreshList],
  );

  useEffect(() => {
    if (!predictor) return;
    let current = true;
    void predictor.watch((change) => {
      if (!current) return;
      if (change.kind === 'list') void refreshList(predictor);
      else if (change.kind === 'storage-blocked') setStorageBlocked(change.blocked);
      else showLoaded(predictor, change.loaded, { kind: 'info', text: `“${change.loaded.model.card.name}” was chosen in another tab; it reads here too.` });
    });
    // The library is there to pick from while start-up loads (unreadable now: start-up's own refresh says why).
    void predictor.list().then((list) => current && showList(list), () => undefined);
    const loading = (what: 'saved' | 'pretrained') => current && setModelState((s) => (s.loading && !s.model ? { ...s, loadingWhat: what } : s));
    void predictor.start(PRETRAINED_URL, loading).then(
      (outcome) => {
        if (!current) return;
        setSettled(true);
        // The user picked, imported or trained a model meanwhile: that one reads and is shown already.
        if (outcome.superseded) void refreshList(predictor);
        else if (outcome.loaded) showLoaded(predictor, outcome.loaded, outcome.message);
        else {
          setModelState({ loading: false, ...(outcome.message ? { message: outcome.message } : {}) });
          void refreshList(predictor);
        }
      },
      (error: unknown) => {
        if (!current) return;
        setSettled(true);
        setModelState({ loading: false, message: { kind: 'error', text: `No model could be loaded: ${(error as Error).message}` } });
      },
    );
    return () => {
      current = false;
    };
  }, [predictor, showLoaded, refreshList, showList]);

  /** Runs a library action; its failure is shown in the library panel. */
  const act = useCallback(
    async <T,>(action: (worker: Predictor) => Promise<T>, failure = (message: string) => message): Promise<T | undefined> => {
      if (!predictor) return undefined;
      setLibraryMessage(undefined);
      try {
        return await action(predictor);
      } catch (error) {
        setLibraryMessage({ kind: 'error', text: failure((error as Error).message) });
        return undefined;
      }
    },
    [predictor],
  );

  /**
   * Shows what a step that may change the model in use did: the model now in use, or (when the user chose
   * another one meanwhile) the library with the step's model kept in it. Whether its model is in use.
   */
  const showActivation = useCallback(
    (worker: Predictor, activation: Activation, kept: (name: string) => string): boolean => {
      if (activation.loaded) {
        showLoaded(worker, activation.loaded);
        return true;
      }
      setLibraryMessage({ kind: 'info', text: kept(activation.model.card.name) });
      void refreshList(worker);
      return false;
    },
    [showLoaded, refreshList],
  );

  /** Switch to a saved model. */
  const switchTo = useCallback(
    async (model: StoredModel) => {
      setSwitching((n) => n + 1);
      const next = await act((worker) => worker.use(model.id));
      setSwitching((n) => n - 1);
      if (next && predictor) showActivation(predictor, next, (name) => `“${name}” is not in use: you chose another model after it.`);
    },
    [act, predictor, showActivation],
  );

  const importFiles = useCallback(
    async (files: File[]) => {
      const next = await act(
        (worker) => worker.importFiles(files),
        (message) => `Import failed: ${message} Your current model is still in use.`,
      );
      if (!next || !predictor) return;
      showActivation(predictor, next, (name) => `“${name}” is imported and kept in your models; the model you chose after picking it stays in use.`);
      // How the model is read, when the user should know (a Keras model without a softmax reads through one).
      const note = next.model.card.importNotes;
      if (note) setLibraryMessage((shown) => ({ kind: 'info', text: shown ? `${shown.text} ${note}` : note }));
    },
    [act, predictor, showActivation],
  );

  /**
   * A model the training worker saved: the library records it and it becomes the one in use, unless the user
   * chose another model after `askedAt` (when Train was clicked). Whether it is in use. Throws when it cannot.
   */
  const adoptTrained = useCallback(
    async (model: StoredModel, askedAt: number) => {
      if (!predictor) throw new Error('the prediction worker is not running');
      return showActivation(predictor, await predictor.adoptTrained(model, askedAt), (name) => `“${name}” is trained and kept in your models; the model chosen while it trained stays in use.`);
    },
    [predictor, showActivation],
  );

  const exportActive = useCallback((format: ExportFormat = 'tfjs') => void act(async (worker) => download(await worker.exportActive(format))), [act]);

  const deleteModel = useCallback(
    (model: StoredModel) =>
      void act(async (worker) => {
        await worker.remove(model.id);
        await refreshList(worker);
      }),
    [act, refreshList],
  );

  /** Deletes a saved model that is not in use (a deleted run's) and shows the library without it; throws when it cannot. */
  const removeModel = useCallback(
    async (id: string) => {
      if (!predictor) throw new Error('the prediction worker is not running');
      try {
        await predictor.remove(id);
      } finally {
        await refreshList(predictor);
      }
    },
    [predictor, refreshList],
  );

  /** A card changed (renamed, or an evaluation's accuracy recorded): show the new one everywhere. */
  const showCard = useCallback((updated: StoredModel) => {
    setModels((all) => all.map((m) => (m.id === updated.id ? updated : m)));
    setModelState((s) => (s.model?.id === updated.id ? { ...s, model: updated } : s));
  }, []);

  const renameModel = useCallback(
    async (model: StoredModel, name: string) => {
      const updated = await act((worker) => worker.rename(model.id, name));
      if (updated) showCard(updated);
    },
    [act, showCard],
  );

  const recordEvaluation = useCallback(
    async (id: string, result: { accuracy: number; loss: number }) => {
      const updated = await act((worker) => worker.recordEvaluation(id, result));
      if (updated) showCard(updated);
    },
    [act, showCard],
  );

  const ready = Boolean(modelState.model) && !modelState.loading;
  const summary: LayerSummary[] = useMemo(() => loaded?.summary ?? [], [loaded]);
  const active = modelState.model;
  const canContinue = ready && active !== undefined && isAppCnn(summary);
  /** The model in use, when it is the app's own CNN and so can be trained further. */
  const continuable = useMemo(() => (canContinue && active ? { id: active.id, name: active.card.name } : undefined), [canContinue, active]);

  return {
    modelState,
    settled,
    /** A switch the user asked for is loading. */
    switching: switching > 0,
    ready,
    loaded,
    summary,
    models,
    libraryMessage,
    storageBlocked,
    continuable,
    switchTo,
    importFiles,
    exportActive,
    deleteModel,
    removeModel,
    renameModel,
    adoptTrained,
    recordEvaluation,
  };
}
