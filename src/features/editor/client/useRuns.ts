/**
 * The network editor's kept runs as the page shows them: read from the training worker (which writes them,
 * storage/runStore.ts) once it is running and again each time a run ends; deleted through it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { EditorRun } from '../../../storage/runStore';
import type { TrainPhase } from '../../../ui/useTrainer';
import type { Trainer } from '../../../ui/workers';

export interface RunsState {
  runs: EditorRun[];
  /** Kept runs whose records could not be read. */
  skipped: number;
  message?: string;
}

export function useRuns(trainer: Trainer | undefined, phase: TrainPhase) {
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

  const remove = useCallback(
    async (id: string) => {
      if (!trainer) return;
      try {
        await trainer.removeRun(id);
      } catch (error) {
        setState((s) => ({ ...s, message: `The run could not be deleted: ${(error as Error).message}` }));
        return;
      }
      await refresh();
    },
    [trainer, refresh],
  );

  return { ...state, remove };
}
