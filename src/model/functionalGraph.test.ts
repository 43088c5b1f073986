import { describe, expect, it } from 'vitest';
import { functionalGraphProblem } from './functionalGraph';

const input = { class_name: 'InputLayer', name: 'input', config: { batch_input_shape: [null, 784], name: 'input' }, inbound_nodes: [] };
const layer = (name: string, ...nodes: Array<Array<[string, number, number]>>) => ({
  class_name: 'Dense',
  name,
  config: { name, units: 10 },
  inbound_nodes: nodes.map((n) => n.map(([l, k, t]) => [l, k, t, {}])),
});
const model = (layers: unknown[], outputs: Array<[string, number, number]> = [['out', 0, 0]], inputs: Array<[string, number, number]> = [['input', 0, 0]]) => ({
  class_name: 'Model',
  config: { name: 'm', layers, input_layers: inputs, output_layers: outputs },
});

describe('a functional graph checked before tfjs builds it', () => {
  it('passes a chain, a layer shared and applied twice in a row, a nested model, and a Keras wrapper', () => {
    expect(functionalGraphProblem(model([input, layer('a', [['input', 0, 0]]), layer('out', [['a', 0, 0]])]))).toBeUndefined();
    // The same layer applied twice: node 1 of "shared" reads node 0 of it. Not a cycle.
    const shared = layer('shared', [['input', 0, 0]], [['shared', 0, 0]]);
    expect(functionalGraphProblem(model([input, shared, layer('out', [['shared', 1, 0]])]))).toBeUndefined();
    const inner = { ...model([input, layer('out', [['input', 0, 0]])]), name: 'inner', inbound_nodes: [[['input', 0, 0, {}]]] };
    expect(functionalGraphProblem({ model_config: model([input, inner, layer('out', [['inner', 0, 0]])]) })).toBeUndefined();
    // Sequential models have no graph to check.
    expect(functionalGraphProblem({ class_name: 'Sequential', config: { layers: [layer('a')] } })).toBeUndefined();
  });

  it('refuses, with the reason, what made tfjs loop forever or answer in its own words', () => {
    const cases: Array<[unknown, RegExp]> = [
      [model([input, layer('out', [['nowhere', 0, 0]])]), /reads from a layer "nowhere" the model does not have/],
      [model([input, layer('a', [['a', 0, 0]]), layer('out', [['a', 0, 0]])]), /cycle/],
      [model([input, layer('a', [['out', 0, 0]]), layer('out', [['a', 0, 0]])]), /cycle/],
      [model([input, layer('a', [['input', 0, 0]]), layer('out', [['a', 99, 0]])]), /node 99 of layer "a", which has 1/],
      [model([input, layer('out', [['input', 0, 99]])]), /output 99/],
      [model([input, layer('out', [['constructor', 0, 0]])]), /"constructor" the model does not have/],
      [model([input, layer('constructor', [['input', 0, 0]]), layer('out', [['constructor', 0, 0]])]), /named "constructor"/],
      [model([input, layer('out', [['input', 0, 0]])], [['nowhere', 0, 0]]), /output is a layer "nowhere"/],
      [model([input, layer('out', [['input', 0, 0]])], [['out', 0, 0]], [['nowhere', 0, 0]]), /input is a layer "nowhere"/],
      [model([input, layer('out', [['input', 0, 0]]), layer('out', [['input', 0, 0]])]), /two layers are named "out"/],
      [model([input, layer('out', [['input', -1, 0]])]), /node -1/],
    ];
    for (const [topology, reason] of cases) expect(functionalGraphProblem(topology)).toMatch(reason);
  });
});
