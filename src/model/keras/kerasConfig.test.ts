/**
 * The translation of Keras configs into the topology TensorFlow.js deserialises, on the shapes Keras writes that
 * tfjs does not read as they are (each found in a real file: see README, "Keras files").
 */
import { describe, expect, it } from 'vitest';
import { kerasWeightKeys, snakeCase, translateKerasConfig } from './kerasConfig';
import { KerasFileError } from './kerasError';

const dense = (name: string, units: number, activation: string, extra: Record<string, unknown> = {}) => ({ class_name: 'Dense', config: { name, units, activation, ...extra } });

describe('translateKerasConfig', () => {
  it("Keras 2.1's bare list of layers becomes {name, layers}, untouched otherwise", () => {
    const { topology, notes } = translateKerasConfig({ class_name: 'Sequential', config: [dense('d1', 10, 'softmax', { batch_input_shape: [null, 784] })] });
    expect(topology).toEqual({ class_name: 'Sequential', config: { name: 'sequential', layers: [dense('d1', 10, 'softmax', { batch_input_shape: [null, 784] })] } });
    expect(notes).toEqual([]);
  });

  it("Keras 3's wrappers, dtype policies, batch_shape and a fixed batch size", () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const { topology } = translateKerasConfig({
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [32, 784], dtype: policy, name: 'in' }, registered_name: null },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: { name: 'd', units: 10, activation: 'softmax', dtype: policy, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null } },
            registered_name: null,
            build_config: { input_shape: [null, 784] },
          },
        ],
      },
    });
    expect(topology.config.layers).toEqual([
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 784], dtype: 'float32', name: 'in' } },
      { class_name: 'Dense', config: { name: 'd', units: 10, activation: 'softmax', dtype: 'float32', kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } } } },
    ]);
  });

  it("Keras 3's functional connections become Keras 2's, a lone output name a list", () => {
    const tensor = (from: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 16], dtype: 'float32', keras_history: [from, 0, 0] } });
    const { topology } = translateKerasConfig({
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          { class_name: 'InputLayer', name: 'x', config: { batch_shape: [null, 784], name: 'x' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'a', config: { name: 'a', units: 16 }, inbound_nodes: [{ args: [tensor('x')], kwargs: {} }] },
          { class_name: 'Add', name: 'sum', config: { name: 'sum' }, inbound_nodes: [{ args: [[tensor('a'), tensor('a')]], kwargs: {} }] },
          { class_name: 'Dense', name: 'out', config: { name: 'out', units: 10, activation: 'softmax' }, inbound_nodes: [{ args: [tensor('sum')], kwargs: { training: false } }] },
        ],
        input_layers: ['x', 0, 0],
        output_layers: ['out', 0, 0],
      },
    });
    expect(topology.class_name).toBe('Model');
    expect(topology.config.layers.map((l) => l.inbound_nodes)).toEqual([[], [[['x', 0, 0, {}]]], [[['a', 0, 0, {}], ['a', 0, 0, {}]]], [[['sum', 0, 0, {}]]]]);
    expect(topology.config.input_layers).toEqual([['x', 0, 0]]);
    expect(topology.config.output_layers).toEqual([['out', 0, 0]]);
  });

  it('a batch_input_shape on a later Sequential layer is dropped; a Flatten of a flat input stands in as linear', () => {
    const { topology, layers } = translateKerasConfig({
      class_name: 'Sequential',
      config: { layers: [dense('d1', 64, 'relu', { batch_input_shape: [null, 784] }), dense('d2', 32, 'relu', { batch_input_shape: [null, 64] }), { class_name: 'Flatten', config: { name: 'f' } }, dense('d3', 10, 'softmax')] },
    });
    expect(topology.config.layers[1]!.config.batch_input_shape).toBeUndefined();
    expect(topology.config.layers[2]).toEqual({ class_name: 'Activation', config: { name: 'f', trainable: true, activation: 'linear' } });
    // Weights are found by the layers as the file has them.
    expect(layers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Flatten', 'Dense']);
  });

  it('28x28 without a channel axis: a Reshape in front, and a note', () => {
    const { topology, notes, layers } = translateKerasConfig({
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 28, 28] } }, dense('d', 10, 'softmax')] },
    });
    expect(topology.config.layers[0]).toEqual({ class_name: 'Reshape', config: { name: 'digit_lab_drop_channel', trainable: true, target_shape: [28, 28], batch_input_shape: [null, 28, 28, 1] } });
    expect(topology.config.layers[1]!.config.batch_input_shape).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/28x28 images without a channel axis/)]);
    expect(layers.map((l) => l.name)).toEqual(['f', 'd']);
  });

  it('raw scores: a softmax after the last layer (Sequential and functional); Dropout after a softmax still counts as one', () => {
    const sequential = translateKerasConfig({ class_name: 'Sequential', config: { layers: [dense('d', 10, 'linear', { batch_input_shape: [null, 784] })] } });
    expect(sequential.topology.config.layers.at(-1)).toEqual({ class_name: 'Activation', config: { name: 'digit_lab_softmax', trainable: true, activation: 'softmax' } });
    expect(sequential.notes).toEqual([expect.stringMatching(/last layer \(d\) gives raw scores/)]);

    const functional = translateKerasConfig({
      class_name: 'Model',
      config: {
        layers: [
          { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, 784], name: 'x' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'logits', config: { name: 'logits', units: 10 }, inbound_nodes: [[['x', 0, 0, {}]]] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['logits', 0, 0]],
      },
    });
    expect(functional.topology.config.output_layers).toEqual([['digit_lab_softmax', 0, 0]]);
    expect(functional.topology.config.layers.at(-1)!.inbound_nodes).toEqual([[['logits', 0, 0, {}]]]);

    const dropped = translateKerasConfig({ class_name: 'Sequential', config: { layers: [dense('d', 10, 'softmax', { batch_input_shape: [null, 784] }), { class_name: 'Dropout', config: { name: 'x', rate: 0.1 } }] } });
    expect(dropped.notes).toEqual([]);
  });

  it('refuses a Lambda layer without reading its code, and grouped convolutions', () => {
    expect(() => translateKerasConfig({ class_name: 'Sequential', config: [{ class_name: 'Lambda', config: { name: 'l', function: 'gANjYnVpbHRpbnMKZXZhbApxAFgCAAAAMStxAYVxAlJxAy4=' } }] })).toThrowError(/its layer l is a Lambda layer, which holds Python code/);
    expect(() => translateKerasConfig({ class_name: 'Sequential', config: [{ class_name: 'Conv2D', config: { name: 'c', groups: 2 } }] })).toThrowError(/grouped convolution/);
    expect(() => translateKerasConfig({ class_name: 'Graph', config: {} })).toThrowError(/neither Sequential nor a functional Model/);
  });
});

describe('a Sequential config whose layers are not a list', () => {
  it('is refused with what its layers are (an object, a string, a number, null, missing, none), as an invalid model', () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 's', layers: { d: dense('d', 10, 'softmax') } }, 'its Sequential config lists no layers (its layers are an object, not a list).'],
      [{ name: 's', layers: 'dense' }, 'its Sequential config lists no layers (its layers are a string, not a list).'],
      [{ name: 's', layers: 7 }, 'its Sequential config lists no layers (its layers are the number 7, not a list).'],
      [{ name: 's', layers: null }, 'its Sequential config lists no layers (its layers are null, not a list).'],
      [{ name: 's' }, 'its Sequential config lists no layers (its layers are missing, not a list).'],
      ['layers', 'its Sequential config lists no layers (the config is a string, not a list of layers).'],
      [{ name: 's', layers: [] }, 'its Sequential config lists no layers.'],
      [[], 'its Sequential config lists no layers.'],
    ];
    for (const [config, message] of cases) {
      let error: unknown;
      try {
        translateKerasConfig({ class_name: 'Sequential', config });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(config)).toBeInstanceOf(KerasFileError);
      expect((error as KerasFileError).message).toBe(message);
      expect((error as KerasFileError).code).toBe('invalid-model');
    }
  });

  it('the same inside a model: a Sequential used as a layer', () => {
    const inner = { class_name: 'Sequential', config: { name: 'inner', layers: { d: dense('d', 10, 'softmax') } } };
    expect(() => translateKerasConfig({ class_name: 'Sequential', config: { layers: [dense('d0', 16, 'relu', { batch_input_shape: [null, 784] }), inner] } })).toThrowError(
      'its Sequential config lists no layers (its layers are an object, not a list).',
    );
  });
});

describe("Keras 3's weight keys", () => {
  it('snake_case as Keras makes it', () => {
    expect(['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'Dense', 'ReLU'].map(snakeCase)).toEqual(['conv2d', 'max_pooling2d', 'batch_normalization', 'dense', 're_lu']);
  });

  it('a counter per class in layer order, whatever the configured names; no key for the InputLayer', () => {
    const keys = kerasWeightKeys([
      { name: 'in', className: 'InputLayer' },
      { name: 'conv2d_2', className: 'Conv2D' },
      { name: 'conv2d_3', className: 'Conv2D' },
      { name: 'out', className: 'Dense' },
    ]);
    expect([...keys]).toEqual([
      ['conv2d_2', 'conv2d'],
      ['conv2d_3', 'conv2d_1'],
      ['out', 'dense'],
    ]);
  });
});
