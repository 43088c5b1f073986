// The training run's modules import the wasm backend's binaries as Vite `?url` assets: Vite's types declare them.
/// <reference types="vite/client" />
import '../testing/browserStorage';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { WORKSHOP_TRAINING, type NetworkDefinition, MNIST_INPUT } from '../features/editor/shared';
import { runNetworks } from '../features/editor/worker';
import type { EditorRunSettings } from '../model/trainSettings';
import { getCheckpoint, modelUrl } from '../storage/modelStore';
import { listRuns } from '../storage/runStore';
import { resetBrowserStorage } from '../testing/browserStorage';
import { type TrainProgress, runTraining } from './trainingRun';
import { WASM_TRAINING_BACKEND, randomSplit } from '../testing/trainingFixtures';

const split = randomSplit;
const wasm = WASM_TRAINING_BACKEND;

const SMALL: NetworkDefinition = {
  input: MNIST_INPUT,
  layers: [
    { kind: 'Conv2D', filters: 4, kernelSize: 3, activation: 'relu', padding: 'valid' },
    { kind: 'MaxPooling2D', poolSize: 2 },
    { kind: 'Flatten' },
    { kind: 'Dense', units: 10, activation: 'softmax' },
  ],
};
const editor: EditorRunSettings = { network: SMALL, training: { ...WORKSHOP_TRAINING, optimizer: { name: 'adam', learningRate: 0.002 }, batchSize: 4, epochs: 2, images: 8, recipe: 'workshop' } };
const settings = { epochs: 2, trainImages: 8, batchSize: 4, recipe: 'workshop' as const, editor };

beforeAll(startWasmBackend);
beforeEach(resetBrowserStorage);

describe('a run of a network from the editor', () => {
  it('trains the edited network with its optimizer, keeps its checkpoint’s network, and records the run with its curves and results', async () => {
    const progress: TrainProgress[] = [];
    let checkpointed: EditorRunSettings | undefined;
    const outcome = await runTraining(settings, false, {
      backend: wasm,
      data: { train: split(8), test: split(16) },
      onProgress: (p) => {
        progress.push(p);
        // After the first epoch its checkpoint holds the network, so that a resumed run is still the editor's.
        if (p.type === 'batch' && p.epoch === 2 && p.batch === 1) void getCheckpoint().then((c) => (checkpointed = c?.settings.editor));
      },
      signal: new AbortController().signal,
      networks: runNetworks,
    });
    if (outcome.status !== 'done') throw new Error('the run did not finish');
    await expect.poll(() => checkpointed).toEqual(editor);
    expect(outcome.model.card.name).toMatch(/^Your network, /);
    expect(outcome.model.card.parameters).toBe(13 * 13 * 4 * 10 + 10 + 40);

    const model = await tf.loadLayersModel(modelUrl(outcome.model.id));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    model.dispose();

    const { runs, skipped } = await listRuns();
    expect(skipped).toBe(0);
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ id: outcome.model.id, name: outcome.model.card.name, network: SMALL, training: editor.training, batchesPerEpoch: 2 });
    expect(run!.batches.map((b) => b.step)).toEqual([1, 2, 3, 4]);
    expect(run!.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(run!.result).toMatchObject({ backend: 'wasm', parameters: outcome.model.card.parameters, trainImages: 8, testAccuracy: outcome.model.card.testAccuracy });
    expect(run!.result.imagesPerSecond).toBeGreaterThan(0);
    expect(progress.filter((p) => p.type === 'batch')).toHaveLength(4);
  });

  it('a run without a network is the workshop’s as always, and records no editor run', async () => {
    const outcome = await runTraining({ epochs: 1, trainImages: 8, batchSize: 8, recipe: 'workshop' }, false, {
      backend: wasm,
      data: { train: split(8), test: split(16) },
      onProgress: () => undefined,
      signal: new AbortController().signal,
      networks: runNetworks,
    });
    if (outcome.status !== 'done') throw new Error('the run did not finish');
    expect(outcome.model.card.parameters).toBe(1_199_882);
    expect(outcome.model.card.name).toMatch(/^Trained /);
    expect((await listRuns()).runs).toEqual([]);
  });

  it('a worker that cannot build editor networks refuses their runs', async () => {
    await expect(
      runTraining(settings, false, { backend: wasm, data: { train: split(8), test: split(16) }, onProgress: () => undefined, signal: new AbortController().signal }),
    ).rejects.toThrow('network editor');
  });
});
