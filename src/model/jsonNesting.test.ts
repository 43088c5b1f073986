/**
 * Deep structures end in an import error with a message, never in a stack overflow: configs nested deeper than the
 * limit (jsonNesting.ts, checked on the text) and graphs that chain more layers than tfjs can walk.
 */
import { describe, expect, it } from 'vitest';
import { importModelFiles } from './importLayersModel';
import { nestsDeeperThan } from './jsonNesting';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects alike, up to the limit and past it', () => {
    expect(nestsDeeperThan('{"a": [[{}]]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a": [[{}]]}', 3)).toBe(true);
    expect(nestsDeeperThan('[1, [2], [3, [4]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[1, [2], [3, [4]]]', 2)).toBe(true);
    expect(nestsDeeperThan('7', 0)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ name: '[[[[{{{{', other: 'a "quoted [[[" b', slash: 'x\\' }), 1)).toBe(false);
  });

  it('answers for 200,000 levels in a moment, without recursion', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const started = performance.now();
    expect(nestsDeeperThan(deep, 100)).toBe(true);
    expect(nestsDeeperThan(deep, 200_000)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('a graph that chains more layers than TensorFlow.js can walk', () => {
  it('10,000 ReLU layers in a row (1 MB of model.json): refused with a message', async () => {
    const count = 10_000;
    const layers: unknown[] = [{ class_name: 'InputLayer', name: 'r0', config: { name: 'r0', batch_input_shape: [null, 784] }, inbound_nodes: [] }];
    for (let i = 1; i < count; i++) layers.push({ class_name: 'ReLU', name: `r${i}`, config: { name: `r${i}` }, inbound_nodes: [[[`r${i - 1}`, 0, 0, {}]]] });
    layers.push({ class_name: 'Dense', name: 'out', config: { name: 'out', units: 10, activation: 'softmax' }, inbound_nodes: [[[`r${count - 1}`, 0, 0, {}]]] });
    const weights = [
      { name: 'out/kernel', shape: [784, 10], dtype: 'float32' },
      { name: 'out/bias', shape: [10], dtype: 'float32' },
    ];
    const topology = { class_name: 'Model', config: { name: 'chain', layers, input_layers: [['r0', 0, 0]], output_layers: [['out', 0, 0]] } };
    const json = JSON.stringify({ format: 'layers-model', modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights }] });
    const files = [new File([json], 'model.json'), new File([new Uint8Array(7850 * 4)], 'w.bin')];
    await expect(importModelFiles(files)).rejects.toThrowError(/The model's layers are chained too deep for TensorFlow\.js to build/);
  });
});
