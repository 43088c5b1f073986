import '../testing/browserStorage';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetBrowserStorage } from '../testing/browserStorage';
import { type CheckpointInfo, beginStartingModel, claimActiveModel, endStartingModel, getActiveChoice, getCheckpoint, getFinishedRuns, putCheckpoint, putFinishedRun, putModel } from './modelStore';

const card = { name: 'Trained 7 Dec 2026, 10:00', source: 'trained' as const, createdAt: '2026-12-07T10:00:00.000Z' };
const checkpoint = (startedAt: string): CheckpointInfo => ({
  settings: { epochs: 3, trainImages: 60_000, batchSize: 128 },
  epochsDone: 2,
  backend: 'wasm',
  history: [],
  startedAt,
  trainingSeconds: 100,
});

beforeEach(resetBrowserStorage);

describe('the active choice’s time, capped at now', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const day = 24 * 60 * 60 * 1000;

  it('a choice stored while the clock was a day ahead does not refuse the choices made after the clock was put right', async () => {
    // What an older version wrote with the clock a day ahead.
    expect(await claimActiveModel('chosen-with-clock-ahead', now + day, now + day)).toBe(true);
    // The clock is right again: a Use a second ago, and a training run asked for a minute ago, are still recorded.
    expect(await claimActiveModel('used', now - 1000, now)).toBe(true);
    expect(await getActiveChoice(now)).toEqual({ id: 'used', at: now - 1000 });
    expect(await claimActiveModel('trained', now - 60_000, now)).toBe(false);
  });

  it('a choice is never written as made later than now, and a stored time still to come is read as now', async () => {
    expect(await claimActiveModel('a', now + day, now)).toBe(true);
    expect(await getActiveChoice(now + day)).toEqual({ id: 'a', at: now });
    // Only a time past the clock of the reader is capped: a time already past stays as it was.
    expect(await getActiveChoice(now - day)).toEqual({ id: 'a', at: now - day });
  });

  it('the later choice still wins when the clock is right: compare and set on real times', async () => {
    expect(await claimActiveModel('later', now - 10, now)).toBe(true);
    expect(await claimActiveModel('earlier', now - 20, now)).toBe(false);
    expect((await getActiveChoice(now))?.id).toBe('later');
  });
});

describe('a card written for a finished run', () => {
  it('ends the run’s record and its checkpoint in the same transaction; another run’s checkpoint stays', async () => {
    await putCheckpoint(checkpoint('2026-12-07T09:00:00.000Z'));
    await putFinishedRun({ id: 'run-1', card, startedAt: '2026-12-07T09:00:00.000Z', savedAt: '2026-12-07T10:00:00.000Z' });
    await putFinishedRun({ id: 'run-0', card, startedAt: '2026-12-06T09:00:00.000Z', savedAt: '2026-12-06T10:00:00.000Z' });
    await putModel({ id: 'run-0', card });
    expect((await getFinishedRuns()).map((r) => r.id)).toEqual(['run-1']);
    expect(await getCheckpoint()).toBeDefined();
    await putModel({ id: 'run-1', card });
    expect(await getFinishedRuns()).toEqual([]);
    expect(await getCheckpoint()).toBeUndefined();
  });

  it('an imported model’s card touches no run', async () => {
    await putCheckpoint(checkpoint('2026-12-07T09:00:00.000Z'));
    await putModel({ id: 'imported', card: { ...card, source: 'imported' } });
    expect(await getCheckpoint()).toBeDefined();
  });
});

describe('start-ups that never finished loading a model', () => {
  beforeEach(resetBrowserStorage);

  it('are counted per model until one finishes', async () => {
    expect(await beginStartingModel('a')).toBe(0);
    // The tab closed, or reading the model hung: the next start-ups see it.
    expect(await beginStartingModel('a')).toBe(1);
    expect(await beginStartingModel('a')).toBe(2);
    await endStartingModel();
    expect(await beginStartingModel('a')).toBe(0);
    // Another model starts the count afresh.
    expect(await beginStartingModel('b')).toBe(0);
  });
});
