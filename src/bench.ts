/**
 * The benchmark page: for each backend asked for, a fresh training worker measures itself (training/benchmark.ts);
 * then, with `experimentBatches` above 0, the training speed on wasm of the workshop's network and of each prepared
 * experiment's variant (features/editor/shared/experiments.ts), into #bench-experiments. The JSON result lands in
 * #bench-result, which then gets data-done="true".
 */
import type { BackendName } from './backend/backendChoice';
import { EXPERIMENTS, WORKSHOP_NETWORK, WORKSHOP_TRAINING } from './features/editor/shared';
import type { BenchResult, NetworkBenchResult } from './training/benchmark';
import { openTrainer } from './ui/workers';

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'wasm,webgl,cpu').split(',').filter(Boolean) as BackendName[];
const experimentBatches = Number(params.get('experimentBatches') ?? 0);
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

/** The workshop's network, then each experiment's variant, timed in one fresh worker; an error instead if it failed. */
async function measureExperiments(): Promise<NetworkBenchResult[] | { unavailable: string }> {
  const trainer = openTrainer();
  try {
    return await trainer.benchmarkNetworks({
      backend: 'wasm',
      // Two untimed: the engine compiles (tiers up) its code over the first steps of the first network.
      warmupBatches: 2,
      batches: experimentBatches,
      networks: [
        { name: 'The workshop’s network', editor: { network: WORKSHOP_NETWORK, training: WORKSHOP_TRAINING } },
        ...EXPERIMENTS.map(({ title, variant }) => ({ name: title, editor: variant })),
      ],
    });
  } catch (error) {
    return { unavailable: (error as Error).message };
  } finally {
    trainer.close();
  }
}

if (experimentBatches > 0) {
  log.textContent += `measuring the prepared experiments' networks on wasm…\n`;
  document.getElementById('bench-experiments')!.textContent = JSON.stringify(await measureExperiments(), null, 2);
}
out.textContent = JSON.stringify(results, null, 2);
out.dataset.done = 'true';
