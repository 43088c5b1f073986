import '../testing/browserStorage';
import { beforeEach, describe, expect, it } from 'vitest';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from '../features/editor/shared';
import { resetBrowserStorage } from '../testing/browserStorage';
import { RUNS, run as request } from './database';
import { type EditorRun, listRuns, putRun, removeRun } from './runStore';

const record = (id: string, createdAt: string): EditorRun => ({
  id,
  name: `Run ${id}`,
  createdAt,
  network: WORKSHOP_NETWORK,
  training: { ...WORKSHOP_TRAINING, epochs: 1, images: 256 },
  batchesPerEpoch: 2,
  batches: [{ step: 1, loss: 2.3, accuracy: 0.1 }],
  epochs: [{ epoch: 1, valLoss: 1.9, valAccuracy: 0.5 }],
  result: { testAccuracy: 0.5, seconds: 3, imagesPerSecond: 85, backend: 'wasm', parameters: 1_199_882, trainImages: 256 },
});

beforeEach(resetBrowserStorage);

describe('the editor’s runs in IndexedDB', () => {
  it('keeps runs, lists them oldest first, skips a damaged one, and deletes one', async () => {
    await putRun(record('b', '2026-12-07T12:00:00.000Z'));
    await putRun(record('a', '2026-12-07T11:00:00.000Z'));
    await request(RUNS, 'readwrite', (s) => s.put({ id: 'junk', name: 7 }));
    const list = await listRuns();
    expect(list.runs.map((r) => r.id)).toEqual(['a', 'b']);
    expect(list.runs[0]).toEqual(record('a', '2026-12-07T11:00:00.000Z'));
    expect(list.skipped).toBe(1);
    await removeRun('a');
    expect((await listRuns()).runs.map((r) => r.id)).toEqual(['b']);
  });
});
