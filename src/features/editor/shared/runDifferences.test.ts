import { describe, expect, it } from 'vitest';
import { OPTIMIZER_DEFAULTS } from './networkDefinition';
import { describeLayer, describeSettings, runDifferences } from './runDifferences';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from './workshopNetwork';

const workshop = { network: WORKSHOP_NETWORK, training: WORKSHOP_TRAINING };

describe('what differs between runs', () => {
  it('describes every setting of a run in words', () => {
    expect(Object.fromEntries(describeSettings(workshop))).toEqual({
      Layers: 'Conv2D(32, 3x3, relu) → Conv2D(64, 3x3, relu) → MaxPooling2D(2x2) → Dropout(0.25) → Flatten → Dense(128, relu) → Dropout(0.5) → Dense(10, softmax)',
      Parameters: '1,199,882',
      Optimizer: 'Adadelta',
      'Learning rate': '1',
      Momentum: 'none',
      'Batch size': '128',
      Epochs: '4',
      'Images per epoch': '60,000',
      Recipe: 'for drawn digits',
    });
    expect(describeLayer({ kind: 'Conv2D', filters: 8, kernelSize: 5, activation: 'elu', padding: 'same', strides: 2 })).toBe('Conv2D(8, 5x5, elu, same, strides 2)');
  });

  it('lists only the settings that are not the same in every run, each run’s value in order', () => {
    const small = {
      network: { ...WORKSHOP_NETWORK, layers: WORKSHOP_NETWORK.layers.map((l, i) => (i === 0 ? { ...l, filters: 8 } : l)) },
      training: { ...WORKSHOP_TRAINING, optimizer: OPTIMIZER_DEFAULTS.adam, epochs: 1, images: 256 },
    } as typeof workshop;
    const differences = runDifferences([workshop, small]);
    expect(differences.map((d) => d.setting)).toEqual(['Layers', 'Parameters', 'Optimizer', 'Learning rate', 'Epochs', 'Images per epoch']);
    expect(differences.find((d) => d.setting === 'Learning rate')!.values).toEqual(['1', '0.001']);
    expect(differences.find((d) => d.setting === 'Parameters')!.values).toEqual(['1,199,882', '1,185,818']);
  });

  it('finds nothing for identical runs, or for fewer than two', () => {
    expect(runDifferences([workshop, workshop])).toEqual([]);
    expect(runDifferences([workshop])).toEqual([]);
  });
});
