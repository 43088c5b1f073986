/**
 * The benchmark page: for each backend asked for, a fresh training worker measures itself (training/benchmark.ts).
 * The JSON result lands in #bench-result with data-done="true".
 */
import type { BackendName } from './backend/backendChoice';
import type { BenchResult } from './training/benchmark';
import { openTrainer } from './ui/workers';

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'wasm,webgl,cpu').split(',') as BackendName[];
/** On wasm, the worker counts to measure: `app` is as many as the app trains with (one per core). */
const wasmWorkers = (params.get('workers') ?? 'app,1').split(',').map((w) => (w === 'app' ? undefined : Number(w)));
const log = document.getElementById('bench-log')!;
const out = document.getElementById('bench-result')!;

async function measure(backend: BackendName, workers?: number, first = true): Promise<BenchResult> {
  const slow = backend !== 'wasm';
  const trainer = openTrainer();
  try {
    return await trainer.benchmark({
      backend,
      warmupBatches: 1,
      batchSize: Number(params.get('batchSize') ?? 128),
      batches: Number(params.get(slow ? 'slowBatches' : 'batches') ?? (slow ? 1 : 10)),
      predictions: Number(params.get('predictions') ?? 100),
      // The full epochs and the kernel profile once per backend, with the app's worker count.
      fullEpochs: (backend === 'wasm' || params.get('fullEpochsAll') === '1') && first ? Number(params.get('fullEpochs') ?? 0) : 0,
      profileSteps: first ? Number(params.get('profileSteps') ?? 0) : 0,
      ...(workers ? { workers } : {}),
    });
  } catch (error) {
    return { backend, unavailable: (error as Error).message };
  } finally {
    trainer.close();
  }
}

const results: BenchResult[] = [];
for (const backend of backends) {
  for (const [i, workers] of (backend === 'wasm' ? wasmWorkers : [undefined]).entries()) {
    log.textContent += `measuring ${backend} (${workers ?? 'app'} workers)…\n`;
    const t0 = performance.now();
    results.push(await measure(backend, workers, i === 0));
    log.textContent += `${backend} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`;
  }
}
out.textContent = JSON.stringify(results, null, 2);
out.dataset.done = 'true';
