import { describe, expect, it } from 'vitest';
import type { StoredModel } from '../../../model/modelCard';
import { modelToDeleteWith, runModel } from './runModel';

const model = (id: string): StoredModel => ({ id, card: { name: `Model ${id}`, source: 'trained', createdAt: '2026-12-07T12:00:00.000Z' } });
const models = [model('pretrained'), model('run-a'), model('run-b')];

describe("what deleting a run does to its model", () => {
  it('deletes the run’s own model when it is in the library and not in use', () => {
    const library = { models, activeId: 'run-b' };
    expect(runModel('run-a', library)).toEqual({ kind: 'deletable', name: 'Model run-a' });
    expect(modelToDeleteWith('run-a', library)).toBe('run-a');
  });

  it('never deletes the model in use: it stays, named', () => {
    const library = { models, activeId: 'run-b' };
    expect(runModel('run-b', library)).toEqual({ kind: 'in-use', name: 'Model run-b' });
    expect(modelToDeleteWith('run-b', library)).toBeUndefined();
  });

  it('deletes nothing when the run’s model has left the library, and never another run’s model', () => {
    const library = { models, activeId: 'pretrained' };
    expect(runModel('run-c', library)).toEqual({ kind: 'gone' });
    expect(modelToDeleteWith('run-c', library)).toBeUndefined();
    // Each run's model is its own: deleting run-a's touches neither run-b's nor the model in use.
    expect(modelToDeleteWith('run-a', library)).toBe('run-a');
  });
});
