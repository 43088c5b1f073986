import { describe, expect, it } from 'vitest';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from '../features/editor/shared';
import {
  asStoredId,
  toActiveChoice,
  toCheckpoint,
  toEditorRun,
  toEditorRunSettings,
  toEditorRuns,
  toFinishedRuns,
  toMeasurement,
  toModelList,
  toPersonalLearning,
  toStoredModel,
} from './records';

const card = { name: 'Mine', source: 'trained', createdAt: '2026-11-20T10:00:00.000Z', testAccuracy: 0.98, epochs: 1, backend: 'wasm' };

describe('records read from IndexedDB', () => {
  it('keeps a good record as it is', () => {
    expect(toStoredModel({ id: 'a', card })).toEqual({ id: 'a', card });
  });

  it('skips records that cannot name a model, and counts them', () => {
    const list = toModelList([{ id: 'a', card }, null, 'junk', { id: 7, card }, { id: 'b' }, { id: '', card }, { id: 'c', card: [] }]);
    expect(list.models.map((m) => m.id)).toEqual(['a']);
    expect(list.skipped).toBe(6);
  });

  it('a name that is not a string, an unknown source or a missing date no longer hide the model', () => {
    const odd = toStoredModel({ id: 'x', card: { name: { evil: true }, source: 'martian', testAccuracy: 'high', epochs: Number.NaN, versions: { tfjs: 4 } } })!;
    expect(odd.card).toEqual({ name: 'Unnamed model', source: 'imported', createdAt: '' });
  });

  it('sorts newest first, unknown dates last', () => {
    const list = toModelList([
      { id: 'old', card: { ...card, createdAt: '2026-01-01T00:00:00Z' } },
      { id: 'undated', card: { ...card, createdAt: undefined } },
      { id: 'new', card: { ...card, createdAt: '2026-11-24T00:00:00Z' } },
      { id: 'garbled', card: { ...card, createdAt: 'not a date' } },
    ]);
    expect(list.models.map((m) => m.id)).toEqual(['new', 'old', 'undated', 'garbled']);
    expect(list.skipped).toBe(0);
  });

  it('reads the active id only when it is one', () => {
    expect(asStoredId('abc')).toBe('abc');
    expect(asStoredId({ id: 'abc' })).toBeUndefined();
    expect(asStoredId('')).toBeUndefined();
  });

  it('reads the active model with the time it was chosen, a bare id of older versions as chosen before anything since', () => {
    expect(toActiveChoice({ id: 'abc', at: 1764000000000.5 })).toEqual({ id: 'abc', at: 1764000000000.5 });
    expect(toActiveChoice('abc')).toEqual({ id: 'abc', at: 0 });
    for (const odd of [undefined, null, '', { id: 'abc' }, { id: '', at: 1 }, { id: 'abc', at: 'yesterday' }, { id: 'abc', at: Number.NaN }, ['abc', 1]]) {
      expect(toActiveChoice(odd)).toBeUndefined();
    }
  });

  it('reads a checkpoint only when every field is right', () => {
    const good = {
      settings: { epochs: 4, trainImages: 60000, batchSize: 128 },
      epochsDone: 2,
      backend: 'wasm',
      history: [{ epoch: 1, valLoss: 0.1, valAccuracy: 0.97 }],
      startedAt: '2026-11-25T09:00:00Z',
      trainingSeconds: 1000,
    };
    expect(toCheckpoint(good)).toEqual(good);
    expect(toCheckpoint({ ...good, settings: { ...good.settings, baseModelId: 'm1' } })?.settings.baseModelId).toBe('m1');
    expect(toCheckpoint({ ...good, epochsDone: 4 })).toBeUndefined();
    expect(toCheckpoint({ ...good, settings: { ...good.settings, epochs: '4' } })).toBeUndefined();
    expect(toCheckpoint({ ...good, history: [{ epoch: 1 }] })).toBeUndefined();
    expect(toCheckpoint({ ...good, backend: 'gpu' })).toBeUndefined();
    expect(toCheckpoint('checkpoint')).toBeUndefined();
  });

  it('reads a stored personal model, with or without the whole memory\'s own reading, and refuses a damaged one', () => {
    const memory = { dim: 2, entries: new Float32Array([1, 0, 0, 1]), labels: new Uint8Array([7, 9]), radii: new Float32Array([0.1, 0.2]) };
    const checks = { samples: 2, ownPersonal: 0, ownBase: 0, ownSeen: 1, mnistPersonal: 0.99, mnistBase: 0.99 };
    const good = { baseId: 'pretrained', sampleIds: ['a', 'b'], memory, checks, accepted: true, reason: 'Reads your own digits better', seconds: 0.1 };
    expect(toPersonalLearning(good)).toEqual(good);
    const { ownSeen: _older, ...olderChecks } = checks;
    expect(toPersonalLearning({ ...good, checks: olderChecks })?.checks).toEqual(olderChecks);
    expect(toPersonalLearning({ ...good, checks: { ...checks, ownSeen: 'all' } })?.checks).toEqual(olderChecks);
    expect(toPersonalLearning({ ...good, memory: { ...memory, radii: new Float32Array(1) } })).toBeUndefined();
    expect(toPersonalLearning({ ...good, checks: { ...checks, mnistBase: undefined } })).toBeUndefined();
  });

  it('reads a stored personal model with its head, and refuses a head that does not fit its features', () => {
    const head = { dim: 2, v: Float32Array.from({ length: 20 }, (_, i) => i / 10), c: new Float32Array(10).fill(0.5) };
    const memory = { dim: 2, entries: new Float32Array([1, 0, 0, 1]), labels: new Uint8Array([7, 9]), radii: new Float32Array([0.1, 0.2]), head };
    const checks = { samples: 2, ownPersonal: 1, ownBase: 0.5, ownSeen: 1, mnistPersonal: 0.99, mnistBase: 0.99 };
    const good = { baseId: 'pretrained', sampleIds: ['a', 'b'], memory, checks, accepted: true, reason: 'Reads your own digits better', seconds: 0.1 };
    expect(toPersonalLearning(good)).toEqual(good);
    expect(toPersonalLearning({ ...good, memory: { ...memory, head: { ...head, v: new Float32Array(10) } } })).toBeUndefined();
    expect(toPersonalLearning({ ...good, memory: { ...memory, head: { ...head, c: new Float32Array(10).fill(Number.NaN) } } })).toBeUndefined();
    expect(toPersonalLearning({ ...good, memory: { ...memory, head: 'head' } })).toBeUndefined();
    // What it learnt, kept where it is what the learner writes, else left out.
    const learnt = [{ digit: 0, readAs: 8, samples: 2 }];
    expect(toPersonalLearning({ ...good, learnt })?.learnt).toEqual(learnt);
    expect(toPersonalLearning({ ...good, learnt: [{ digit: 10, readAs: 8, samples: 2 }] })).not.toHaveProperty('learnt');
  });

  it('reads a kept backend measurement only when it is one', () => {
    const good = { device: { userAgent: 'UA', gpu: '', cores: 2 }, trials: [{ backend: 'wasm', imagesPerSecond: 600, detail: '2 workers' }, { backend: 'webgpu', unavailable: 'no adapter' }], chosen: 'wasm', measuredAt: '2026-12-04T20:00:00Z' };
    expect(toMeasurement(good)).toEqual(good);
    expect(toMeasurement({ ...good, chosen: 'tpu' })).toBeUndefined();
    expect(toMeasurement({ ...good, trials: [{ backend: 'wasm', imagesPerSecond: 'fast' }] })).toBeUndefined();
    expect(toMeasurement({ ...good, device: { userAgent: 'UA', cores: 2 } })).toBeUndefined();
    expect(toMeasurement('junk')).toBeUndefined();
  });

  it('reads the finished runs waiting for their cards, leaving out what is not one', () => {
    const run = { id: 'r1', card, startedAt: '2026-12-07T09:00:00.000Z', savedAt: '2026-12-07T10:00:00.000Z' };
    expect(toFinishedRuns([run])).toEqual([run]);
    expect(toFinishedRuns([run, { ...run, id: '' }, { ...run, savedAt: 7 }, { id: 'r2', card }, 'junk'])).toEqual([run]);
    expect(toFinishedRuns(undefined)).toEqual([]);
    expect(toFinishedRuns({ r1: run })).toEqual([]);
  });
});

describe('the network editor’s records', () => {
  const editor = { network: WORKSHOP_NETWORK, training: { ...WORKSHOP_TRAINING, epochs: 1, images: 256 } };
  const run = {
    id: 'r1',
    name: 'Your network, 7 Dec 2026, 12:30:00',
    createdAt: '2026-12-07T12:30:00.000Z',
    ...editor,
    batchesPerEpoch: 2,
    batches: [
      { step: 1, loss: 2.3, accuracy: 0.1 },
      { step: 2, loss: 2.1, accuracy: 0.2 },
    ],
    epochs: [{ epoch: 1, valLoss: 1.9, valAccuracy: 0.5 }],
    result: { testAccuracy: 0.5, testLoss: 1.9, seconds: 3, imagesPerSecond: 85.3, backend: 'wasm', parameters: 1_199_882, trainImages: 256 },
  };

  it('keeps a whole run as it is, and its settings only where the editor could train them', () => {
    expect(toEditorRun(run)).toEqual(run);
    expect(toEditorRunSettings(editor)).toEqual(editor);
    const noOutput = { ...editor, network: { ...WORKSHOP_NETWORK, layers: WORKSHOP_NETWORK.layers.slice(0, -1) } };
    expect(toEditorRunSettings(noOutput)).toBeUndefined();
    expect(toEditorRunSettings({ network: { input: [28, 28, 1], layers: 'Conv2D' }, training: editor.training })).toBeUndefined();
    expect(toEditorRunSettings({ network: { input: [28, 28, 1], layers: [{ kind: 'Evil' }] }, training: editor.training })).toBeUndefined();
  });

  it('skips damaged runs and counts them, oldest first', () => {
    const older = { ...run, id: 'r0', createdAt: '2026-12-07T11:00:00.000Z' };
    const list = toEditorRuns([run, null, { ...run, batches: [{ step: 'x' }] }, { ...run, result: { ...run.result, backend: 'tpu' } }, older]);
    expect(list.runs.map((r) => r.id)).toEqual(['r0', 'r1']);
    expect(list.skipped).toBe(3);
    const { testAccuracy: _a, testLoss: _l, ...unknownAccuracy } = run.result;
    expect(toEditorRun({ ...run, result: { ...unknownAccuracy, testAccuracy: 'high' } })?.result.testAccuracy).toBeUndefined();
  });

  it('a checkpoint of an editor run keeps its network, and drops one it could not train', () => {
    const checkpoint = {
      settings: { epochs: 2, trainImages: 256, batchSize: 128, recipe: 'handwriting', editor },
      epochsDone: 1,
      backend: 'wasm',
      history: [{ epoch: 1, valLoss: 1, valAccuracy: 0.6 }],
      startedAt: '2026-12-07T12:00:00.000Z',
      trainingSeconds: 2,
    };
    expect(toCheckpoint(checkpoint)?.settings.editor).toEqual(editor);
    expect(toCheckpoint({ ...checkpoint, settings: { ...checkpoint.settings, editor: { network: {}, training: {} } } })?.settings.editor).toBeUndefined();
  });
});
