/**
 * A Sequential model's layer list checked before TensorFlow.js builds it (sequentialLayers.ts), and the import's
 * refusal of a model.json whose Sequential layers are not a list: an invalid model, with the reason, not the
 * engine's "Object is not iterable".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { importModelFiles } from './importLayersModel';
import { sequentialLayersProblem } from './sequentialLayers';

const dense = (name: string, extra: Record<string, unknown> = {}) => ({ class_name: 'Dense', config: { name, units: 10, activation: 'softmax', ...extra } });
const sequential = (config: unknown) => ({ class_name: 'Sequential', config });

describe('sequentialLayersProblem', () => {
  it('passes a list of layers, Keras 2.1’s bare list, a nested Sequential, a Keras wrapper, and functional models', () => {
    expect(sequentialLayersProblem(sequential({ name: 's', layers: [dense('d', { batch_input_shape: [null, 784] })] }))).toBeUndefined();
    expect(sequentialLayersProblem(sequential([dense('d', { batch_input_shape: [null, 784] })]))).toBeUndefined();
    expect(sequentialLayersProblem(sequential({ layers: [dense('a', { batch_input_shape: [null, 784] }), sequential({ name: 'inner', layers: [dense('b')] })] }))).toBeUndefined();
    expect(sequentialLayersProblem({ keras_version: '2.8.0', model_config: sequential({ layers: [dense('d')] }) })).toBeUndefined();
    expect(sequentialLayersProblem({ class_name: 'Model', config: { layers: [], input_layers: [], output_layers: [] } })).toBeUndefined();
  });

  it('names what the layers are when they are not a list', () => {
    const cases: Array<[unknown, string]> = [
      [sequential({ name: 's', layers: 7 }), 'its Sequential config lists no layers (its layers are the number 7, not a list)'],
      [sequential({ name: 's', layers: { d: dense('d') } }), 'its Sequential config lists no layers (its layers are an object, not a list)'],
      [sequential({ name: 's', layers: 'dense' }), 'its Sequential config lists no layers (its layers are a string, not a list)'],
      [sequential({ name: 's', layers: null }), 'its Sequential config lists no layers (its layers are null, not a list)'],
      [sequential({ name: 's', layers: true }), 'its Sequential config lists no layers (its layers are a boolean, not a list)'],
      [sequential({ name: 's' }), 'its Sequential config lists no layers (its layers are missing, not a list)'],
      [sequential('x'), 'its Sequential config lists no layers (the config is a string, not a list of layers)'],
      [sequential(7), 'its Sequential config lists no layers (the config is the number 7, not a list of layers)'],
      [sequential({ layers: [] }), 'its Sequential config lists no layers'],
      [sequential([]), 'its Sequential config lists no layers'],
      [sequential({ layers: [dense('d'), null] }), 'layer 2 of its Sequential config is null, not a layer config'],
      [sequential([7]), 'layer 1 of its Sequential config is the number 7, not a layer config'],
      // Wrapped as tensorflowjs_converter writes Keras models, and nested in a functional model.
      [{ keras_version: '2.8.0', model_config: sequential({ layers: {} }) }, 'its Sequential config lists no layers (its layers are an object, not a list)'],
      [{ class_name: 'Model', config: { layers: [{ ...sequential({ name: 'inner', layers: 'x' }), name: 'inner', inbound_nodes: [] }] } }, 'its Sequential config lists no layers (its layers are a string, not a list)'],
    ];
    for (const [topology, problem] of cases) expect(sequentialLayersProblem(topology), JSON.stringify(topology)).toBe(problem);
  });
});

describe('a model.json whose Sequential layers are not a list', () => {
  beforeAll(async () => {
    await startWasmBackend();
  });

  for (const [layers, what] of [
    [7, 'the number 7'],
    [{ d: dense('d', { batch_input_shape: [null, 784] }) }, 'an object'],
    ['dense', 'a string'],
  ] as const) {
    it(`layers ${what}: refused as an invalid model, with the reason`, async () => {
      const json = { format: 'layers-model', modelTopology: sequential({ name: 's', layers }), weightsManifest: [] };
      const error = (await importModelFiles([new File([JSON.stringify(json)], 'model.json')]).catch((e: unknown) => e)) as Error & { code?: string };
      expect(error.message).toBe(`The model's topology could not be read: its Sequential config lists no layers (its layers are ${what}, not a list).`);
      expect(error.code).toBe('invalid-model');
    });
  }
});
