/**
 * The network editor's kept runs as the page shows them: read from the training worker (which writes them,
 * storage/runStore.ts) once it is running and again each time a run ends; deleted through it, with their model
 * when the user asks (through the model library's writer, the prediction worker, which never deletes the model in
 * use).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EditorRun } from '../../../storage/runStore';
import type { TrainPhase } from '../../../ui/useTrainer';
import type { Trainer } from '../../../ui/workers';

export interface RunsState {
  runs: EditorRun[];
  /** Kept runs whose records could not be read. */
  skipped: number;
  message?: string;
}

/** `removeModel` deletes a model from the library (and shows the library without it); it throws when it cannot. */
export function useRuns(trainer: Trainer | undefined, phase: TrainPhase, removeModel: (id: string) => Promise<void>) {
  const [state, setState] = useState<RunsState>({ runs: [], skipped: 0 });

  const refresh = useCallback(async () => {
    if (!trainer) return;
    try {
      const { runs, skipped } = await trainer.runs();
      setState({ runs, skipped });
    } catch (error) {
      setState((s) => ({ ...s, message: `Your runs could not be read: ${(error as Error).message}` }));
    }
  }, [trainer]);

  // When the worker starts, and whenever a run ends (its record is written before it ends).
  useEffect(() => {
    if (phase === 'idle') void refresh();
  }, [phase, refresh]);

  /** Deletes run `id`, then model `modelId` if given (the run's own: runModel.ts decides). */
  const remove = useCallback(
    async (id: string, modelId?: string) => {
      if (!trainer) return;
      try {
        await trainer.removeRun(id);
      } catch (error) {
        setState((s) => ({ ...s, message: `The run could not be deleted: ${(error as Error).message}` }));
        return;
      }
      await refresh();
      if (modelId === undefined) return;
      try {
        await removeModel(modelId);
      } catch (error) {
        setState((s) => ({ ...s, message: `The run is deleted, but its model could not be (${(error as Error).message}); it stays in your models.` }));
      }
    },
    [trainer, refresh, removeModel],
  );

  // One object while nothing changes: the editor re-renders only when its own props do.
  return useMemo(() => ({ ...state, remove }), [state, remove]);
}
