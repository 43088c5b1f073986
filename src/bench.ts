/**
 * The benchmark page: for each backend asked for, a fresh training worker measures itself (benchmark.ts).
 * The JSON result lands in #bench-result with data-done="true".
 */
import type { BackendName, BenchResult, TrainEvent, TrainRequest } from './worker/protocol';

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'wasm,webgl,cpu').split(',') as BackendName[];
const log = document.getElementById('bench-log')!;
const out = document.getElementById('bench-result')!;

function measure(backend: BackendName): Promise<BenchResult> {
  const slow = backend !== 'wasm';
  const request: TrainRequest = {
    type: 'bench',
    backend,
    warmupBatches: 1,
    batches: Number(params.get(slow ? 'slowBatches' : 'batches') ?? (slow ? 1 : 10)),
    predictions: Number(params.get('predictions') ?? 100),
    fullEpochs: backend === 'wasm' ? Number(params.get('fullEpochs') ?? 0) : 0,
  };
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker/train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<TrainEvent>) => {
      const e = event.data;
      if (e.type === 'bench-result' || e.type === 'error') {
        worker.terminate();
        resolve(e.type === 'bench-result' ? e.result : { backend, unavailable: e.message });
      }
    };
    worker.postMessage(request);
  });
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
