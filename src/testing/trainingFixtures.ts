/** What the tests of a training run share: data that only has to train, and the backend as the run sees it. */
import type { TrainingBackend } from '../training/trainingBackend';

/** Random "images": the run only has to train, save and check, not learn. */
export function randomSplit(count: number) {
  const images = Uint8Array.from({ length: count * 784 }, (_, i) => (i * 2654435761) % 251);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { count, images, labels };
}

/** The training backend as the run sees it: wasm (as in the browser), no fallback. */
export const WASM_TRAINING_BACKEND = {
  ensure: async () => ({ name: 'wasm' as const, summary: 'wasm', reason: 'unit test' }),
  fallBack: async () => undefined,
} as unknown as TrainingBackend;
