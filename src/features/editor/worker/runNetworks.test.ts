import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../../scripts/nodeBackend';
import { buildCnn } from '../../../model/cnn';
import { KerasAdadelta } from '../../../model/kerasAdadelta';
import { OPTIMIZER_DEFAULTS, WORKSHOP_NETWORK, WORKSHOP_TRAINING } from '../shared';
import { isWorkshopRun, runNetworks } from './runNetworks';

beforeAll(startWasmBackend);

const workshop = { network: WORKSHOP_NETWORK, training: WORKSHOP_TRAINING };

describe('the networks of editor runs', () => {
  it('the workshop network with Adadelta at its defaults is the app’s own CNN and optimizer', () => {
    expect(isWorkshopRun(workshop)).toBe(true);
    // The same network written another way (its layers copied, as parsed Keras text gives them) is still the workshop's.
    expect(isWorkshopRun({ ...workshop, network: { input: [28, 28, 1], layers: WORKSHOP_NETWORK.layers.map((l) => ({ ...l })) } })).toBe(true);
    expect(isWorkshopRun({ ...workshop, training: { ...WORKSHOP_TRAINING, optimizer: { ...OPTIMIZER_DEFAULTS.adadelta, learningRate: 0.5 } } })).toBe(false);
    expect(isWorkshopRun({ ...workshop, training: { ...WORKSHOP_TRAINING, optimizer: OPTIMIZER_DEFAULTS.adam } })).toBe(false);
    expect(isWorkshopRun({ ...workshop, network: { ...WORKSHOP_NETWORK, layers: WORKSHOP_NETWORK.layers.filter((l) => l.kind !== 'Dropout') } })).toBe(false);

    const model = runNetworks.build(workshop);
    const reference = buildCnn();
    expect(model.layers.map((l) => l.getClassName())).toEqual(reference.layers.map((l) => l.getClassName()));
    expect(model.countParams()).toBe(reference.countParams());
    runNetworks.compile(model, workshop);
    expect(model.optimizer).toBeInstanceOf(KerasAdadelta);
    model.dispose();
    reference.dispose();
  });

  it('any other network is built from its definition and compiled with its optimizer', () => {
    const run = { network: { ...WORKSHOP_NETWORK, layers: WORKSHOP_NETWORK.layers.filter((l) => l.kind !== 'Dropout') }, training: { ...WORKSHOP_TRAINING, optimizer: OPTIMIZER_DEFAULTS.adam } };
    const model = runNetworks.build(run);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    runNetworks.compile(model, run);
    expect(model.optimizer.getClassName()).toBe('Adam');
    model.dispose();
  });
});
