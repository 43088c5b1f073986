import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, definitionProblems } from './definitionProblems';
import { EXPERIMENTS } from './experiments';
import { networkFigures } from './layerShapes';
import { runDifferences } from './runDifferences';

/** Each experiment's variant: its parameters, and the settings it changes from its baseline (runDifferences's words). */
const EXPECTED: Record<string, { parameters: number; differs: string[] }> = {
  'without-dropout': { parameters: 1_199_882, differs: ['Layers'] },
  // 80 + (3*3*8+1)*8 = 584 + (12*12*8+1)*128 = 147,584 + 1,290.
  'eight-filters': { parameters: 149_538, differs: ['Layers', 'Parameters'] },
  adam: { parameters: 1_199_882, differs: ['Optimizer', 'Learning rate'] },
  'one-small-epoch': { parameters: 1_199_882, differs: ['Epochs', 'Images per epoch'] },
  // (784+1)*10.
  'one-dense-layer': { parameters: 7_850, differs: ['Layers', 'Parameters'] },
};

describe('prepared experiments', () => {
  it('are the five the issue asks for, each with a question and what to look for', () => {
    expect(EXPERIMENTS.map((e) => e.id)).toEqual(Object.keys(EXPECTED));
    for (const e of EXPERIMENTS) {
      expect(e.question.length).toBeGreaterThan(20);
      expect(e.lookFor.length).toBeGreaterThan(20);
    }
  });

  it.each(EXPERIMENTS.map((e) => [e.id, e] as const))('%s: both sides can be trained', (_, experiment) => {
    for (const side of [experiment.baseline, experiment.variant]) expect(definitionProblems(side.network, IMPORT_LIMITS, side.training)).toEqual([]);
  });

  it.each(EXPERIMENTS.map((e) => [e.id, e] as const))('%s: the variant has the expected parameters and differs from its baseline only in what it asks', (id, experiment) => {
    expect(networkFigures(experiment.variant.network).parameters).toBe(EXPECTED[id]!.parameters);
    expect(networkFigures(experiment.baseline.network).parameters).toBe(1_199_882);
    expect(runDifferences([experiment.baseline, experiment.variant]).map((d) => d.setting)).toEqual(EXPECTED[id]!.differs);
  });
});
