/**
 * Starts the training worker's gradient helpers (gradient.worker.ts), one worker each. A helper whose worker
 * dies (out of memory, say) rejects its pending call instead of leaving the step waiting for ever.
 */
import type { BackendName } from '../backend/backendChoice';
import type { GradientHelper, StartHelpers } from '../training/parallelSteps';
import type { GradientApi } from './api';
import { transfer } from 'comlink';
import { WorkerError, connect } from './bridge';

function openHelper(index: number): { helper: GradientHelper; started: (topology: string, backend: BackendName) => Promise<void> } {
  const worker = new Worker(new URL('./gradient.worker.ts', import.meta.url), { type: 'module', name: `gradients-${index}` });
  const api = connect<GradientApi>(worker);
  let failed: WorkerError | undefined;
  const listeners = new Set<(error: WorkerError) => void>();
  const fail = (message: string) => {
    failed ??= new WorkerError('failed', message);
    for (const reject of listeners) reject(failed);
    listeners.clear();
  };
  worker.addEventListener('error', (event) => fail(`a gradient worker stopped: ${event.message || 'unknown error'}`));
  worker.addEventListener('messageerror', () => fail('a gradient worker could not read a message'));
  /** The call, or its worker's death, whichever comes first. */
  const guarded = <T>(call: () => Promise<T>): Promise<T> =>
    failed
      ? Promise.reject(failed)
      : new Promise<T>((resolve, reject) => {
          listeners.add(reject);
          call().then(resolve, reject).finally(() => listeners.delete(reject));
        });
  const helper: GradientHelper = {
    // Handed over, not copied: the weights (4.8 MB) and the part belong to this helper from now on.
    gradients: (weights, part) =>
      guarded(() => api.gradients(transfer(weights, weights.map((w) => w.buffer)), transfer(part, [part.xs.buffer, part.ys.buffer]))),
    close: () => {
      fail('the gradient worker was closed');
      api.close();
    },
  };
  const started = async (topology: string, backend: BackendName) => {
    const got = await guarded(() => api.start(topology, backend));
    if (got !== backend) throw new WorkerError('failed', `a gradient worker runs ${got}, not ${backend}`);
  };
  return { helper, started };
}

/** Starts `count` helpers for the model; those that fail to start are closed and left out. */
export const startGradientHelpers: StartHelpers = async (count, topology, backend) => {
  const opened = Array.from({ length: count }, (_, i) => openHelper(i + 1));
  const outcomes = await Promise.allSettled(opened.map((o) => o.started(topology, backend)));
  return opened.flatMap((o, i) => {
    if (outcomes[i]!.status === 'fulfilled') return [o.helper];
    o.helper.close();
    return [];
  });
};
