/**
 * The user's handwriting as the page shows it: the samples, whether the app reads with the base model, is
 * learning, or reads with a personal model. A correction keeps the current drawing as a sample (in the prediction
 * worker, the one writer) and starts learning in the training worker without being asked; while a learning run
 * is in flight, later changes wait and only the newest is learnt next (latestOnly). Predictions stay live.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { inputToPixels } from '../model/personal';
import type { HandwritingStatus, LoadedModel } from '../worker/api';
import { latestOnly } from './latestOnly';
import type { Drawing } from './useDrawing';
import type { Predictor, Trainer } from './workers';

export type HandwritingState = 'base' | 'learning' | 'personal';

/** Whether what was learnt is out of date: another model in use, or other samples than it learnt from. */
function needsLearning(status: HandwritingStatus, modelId: string): boolean {
  if (status.samples.length === 0 || status.unavailable) return false;
  const learnt = status.personal;
  if (!learnt || learnt.baseId !== modelId) return true;
  const ids = status.samples.map((s) => s.id);
  return ids.length !== learnt.sampleIds.length || ids.some((id, i) => id !== learnt.sampleIds[i]);
}

export function useHandwriting(predictor: Predictor | undefined, trainer: Trainer | undefined, loaded: LoadedModel | undefined, drawing: Drawing) {
  const [status, setStatus] = useState<HandwritingStatus | undefined>(undefined);
  const [learning, setLearning] = useState(false);
  const [message, setMessage] = useState<string | undefined>(undefined);
  /** The samples this visit added, newest last: what Undo takes back. */
  const [added, setAdded] = useState<string[]>([]);
  const modelId = loaded?.model.id;

  const learn = useMemo(() => {
    if (!predictor || !trainer) return undefined;
    // Learning is done when the newest request has been answered.
    let asked = 0;
    const run = latestOnly(
      async (ask: number) => {
        const now = await predictor.handwriting();
        if (!modelId || !needsLearning(now, modelId)) return { ask, status: now };
        const learnt = await trainer.learnHandwriting(modelId, now.samples);
        return { ask, status: await predictor.recordPersonal(learnt) };
      },
      (_ask, result) => {
        setStatus(result.status);
        setMessage(undefined);
        if (result.ask === asked) setLearning(false);
      },
      (ask, error) => {
        // The samples are already kept (the prediction worker wrote them before learning began).
        const again = navigator.onLine ? 'it tries again with your next correction' : 'it starts again when you are back online';
        setMessage(`Learning your handwriting failed: ${(error as Error).message}. Your samples are kept; ${again}.`);
        if (ask === asked) setLearning(false);
      },
    );
    return () => {
      asked += 1;
      setLearning(true);
      run(asked);
    };
  }, [predictor, trainer, modelId]);

  // On start and whenever another model reads: the stored status, and learning if it is out of date. Again when
  // the network comes back: the first learning downloads MNIST's test digits (1.6 MB), so a correction made
  // offline learns then, without another tap.
  useEffect(() => {
    if (!predictor || !modelId) return;
    let current = true;
    const refresh = () => {
      void predictor.handwriting().then((now) => {
        if (!current) return;
        setStatus(now);
        if (needsLearning(now, modelId)) learn?.();
      });
    };
    refresh();
    window.addEventListener('online', refresh);
    return () => {
      current = false;
      window.removeEventListener('online', refresh);
    };
  }, [predictor, modelId, learn]);

  const act = useCallback(
    async (change: (worker: Predictor) => Promise<HandwritingStatus>, relearn: boolean) => {
      if (!predictor) return;
      try {
        const next = await change(predictor);
        setStatus(next);
        setMessage(undefined);
        if (relearn && next.samples.length > 0) learn?.();
      } catch (error) {
        setMessage((error as Error).message);
      }
    },
    [predictor, learn],
  );

  /** "It's a 7": keeps the current drawing as a sample of that digit, and learns (unless `relearn` is false: the
   * guided round learns once it ends, not after every drawing). */
  const correct = useCallback(
    (label: number, relearn = true) => {
      const input = drawing.input;
      if (!input) return;
      void act(async (worker) => {
        const { id, status: next } = await worker.addSample(inputToPixels(input), label);
        setAdded((ids) => [...ids, id]);
        return next;
      }, relearn);
    },
    [act, drawing.input],
  );

  /** Learns now if the samples changed since the personal model was learnt (the end of a guided round). */
  const learnNow = useCallback(() => {
    if (!predictor || !modelId) return;
    void predictor.handwriting().then((now) => needsLearning(now, modelId) && learn?.());
  }, [predictor, modelId, learn]);

  const undo = useCallback(() => {
    const id = added.at(-1);
    if (!id) return;
    setAdded((ids) => ids.slice(0, -1));
    void act((worker) => worker.removeSample(id), true);
  }, [act, added]);

  const remove = useCallback(
    (id: string) => {
      setAdded((ids) => ids.filter((x) => x !== id));
      void act((worker) => worker.removeSample(id), true);
    },
    [act],
  );

  const forget = useCallback(() => {
    setAdded([]);
    void act((worker) => worker.forgetHandwriting(), false);
  }, [act]);

  const setEnabled = useCallback((enabled: boolean) => void act((worker) => worker.setPersonalEnabled(enabled), false), [act]);

  const state: HandwritingState = learning ? 'learning' : status?.reading ? 'personal' : 'base';
  return { status, state, message, canUndo: added.length > 0, correct, learnNow, undo, remove, forget, setEnabled };
}
