/**
 * The benchmark page: for each backend asked for, a fresh training worker measures itself (training/benchmark.ts).
 * The JSON result lands in #bench-result with data-done="true".
 */
import type { BackendName } from './backend/backendChoice';
import type { BenchResult } from './training/benchmark';
import { openTrainer } from './ui/workers';

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'wasm,webgl,cpu').split(',') as BackendName[];
const log = document.getElementById('bench-log')!;
const out = document.getElementById('bench-result')!;

async function measure(backend: BackendName): Promise<BenchResult> {
  const slow = backend !== 'wasm';
  const trainer = openTrainer();
  try {
    return await trainer.benchmark({
      backend,
      warmupBatches: 1,
      batches: Number(params.get(slow ? 'slowBatches' : 'batches') ?? (slow ? 1 : 10)),
      predictions: Number(params.get('predictions') ?? 100),
      fullEpochs: backend === 'wasm' ? Number(params.get('fullEpochs') ?? 0) : 0,
      profileSteps: Number(params.get('profileSteps') ?? 0),
    });
  } catch (error) {
    return { backend, unavailable: (error as Error).message };
  } finally {
    trainer.close();
  }
}

const results: BenchResult[] = [];
for (const backend of backends) {
  log.textContent += `measuring ${backend}…\n`;
  const t0 = performance.now();
  results.push(await measure(backend));
  log.textContent += `${backend} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`;
}
out.textContent = JSON.stringify(results, null, 2);
out.dataset.done = 'true';
