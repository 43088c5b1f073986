/**
 * "Look inside" on the served model and a real pen digit (UCI pen digits, writer 21, made into the model's input
 * as the pad makes it): the maps shown are the layers' own outputs, the arithmetic panel gives back its output
 * pixel, and the saliency of a digit drawn in one half of the frame lies in that half and is the gradient it says.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../scripts/eval-pendigits';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { readPenDigits } from '../../scripts/pendigits';
import { TABLET_BOX, byWriters } from '../data/pendigits';
import { drawStrokes, strokesToMnistInput } from '../preprocess/mnistInput';
import { Inspector } from './inside';
import { fingerprint, mapOf, pixelArithmetic, strongest } from './insideArithmetic';

let served: tf.LayersModel;
let inspector: Inspector;
/** A real writer's 3, drawn as the app draws it. */
let drawn: Float32Array;
/** The same writer's 7, drawn small into the left half of the 28x28 frame only (columns 0-13). */
let leftHalf: Float32Array;

beforeAll(async () => {
  await startWasmBackend();
  served = await loadModelDir('public/models/pretrained');
  inspector = new Inspector(served);
  const writer = byWriters(readPenDigits(), [21]);
  drawn = strokesToMnistInput(writer.find((d) => d.label === 3)!.strokes)!;
  const seven = writer.find((d) => d.label === 7)!;
  // The writer's box (0..500) onto columns 1..13 and rows 6..20 of the frame.
  leftHalf = drawStrokes(
    seven.strokes.map((s) => s.map(([x, y]): [number, number] => [1 + (x / TABLET_BOX) * 12, 6 + (y / TABLET_BOX) * 14])),
    2,
  );
});

const layerOutput = (model: tf.LayersModel, name: string, input: Float32Array) =>
  tf.tidy(() => {
    const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(name).output as tf.SymbolicTensor });
    return (probe.predict(tf.tensor4d(input, [1, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array;
  });

describe('the layers shown', () => {
  it('are the model’s layers that change what they get, with the model’s names and shapes, each the layer’s own output for the drawing', () => {
    const view = inspector.look(drawn);
    expect(view.layers.map((l) => `${l.className} ${l.shape.join('x')}`)).toEqual(['Conv2D 26x26x32', 'Conv2D 24x24x64', 'MaxPooling2D 12x12x64', 'Dense 128', 'Dense 10']);
    expect(view.layers.map((l) => l.name)).toEqual(served.layers.filter((l) => !['Dropout', 'Flatten'].includes(l.getClassName())).map((l) => l.name));
    for (const layer of view.layers) {
      const expected = layerOutput(served, layer.name, drawn);
      expect(layer.values.length, layer.name).toBe(expected.length);
      expect(Array.from(layer.values), layer.name).toEqual(Array.from(expected));
    }
    // The maps differ from one drawing to the next.
    const other = inspector.look(leftHalf);
    expect(fingerprint(other.layers[0]!.values)).not.toBe(fingerprint(view.layers[0]!.values));
    expect(view.probabilities).toEqual(Array.from(tf.tidy(() => (served.predict(tf.tensor4d(drawn, [1, 28, 28, 1])) as tf.Tensor).dataSync())));
    expect(view.probabilities.indexOf(Math.max(...view.probabilities))).toBe(3);
    expect(tf.memory().numTensors).toBeLessThan(40);
  });

  it('of a dense-only model with a flat input are its dense layers, without filters', () => {
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 16, activation: 'relu' }), tf.layers.dropout({ rate: 0.3 }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    const view = new Inspector(dense).look(drawn);
    expect(view.layers.map((l) => `${l.className} ${l.shape.join('x')}`)).toEqual(['Dense 16', 'Dense 10']);
    expect(view.filters).toEqual([]);
    expect(view.saliency.map((s) => s.values.length)).toEqual([784, 784]);
    dense.dispose();
  });
});

describe('the arithmetic of one output pixel', () => {
  it('gives back the pixel of the map, for both convolutions, at the strongest pixel and at others', () => {
    const view = inspector.look(drawn);
    expect(view.filters.map((f) => `${f.layer} ${f.kernelShape.join('x')} from ${f.inputFrom}`)).toEqual([
      `${view.layers[0]!.name} 3x3x1x32 from input`,
      `${view.layers[1]!.name} 3x3x32x64 from ${view.layers[0]!.name}`,
    ]);
    // conv2 reads exactly what conv1's maps show.
    expect(view.filters[1]!.input).toBe(view.layers[1 - 1]!.values);
    for (const [i, filters] of view.filters.entries()) {
      const layer = view.layers[i]!;
      const [h, w, c] = layer.shape as [number, number, number];
      for (const map of [0, 5, c - 1]) {
        const values = mapOf(layer.values, layer.shape, map);
        const top = strongest(values, w);
        for (const [row, col] of [[top.row, top.col], [0, 0], [h - 1, w - 1], [Math.floor(h / 2), 3]] as const) {
          const sum = pixelArithmetic(filters, map, row, col);
          expect(sum.terms).toHaveLength(filters.kernelShape[2]);
          expect(sum.output, `${layer.name} map ${map} (${row}, ${col})`).toBeCloseTo(values[row * w + col]!, 5);
          expect(sum.output).toBe(Math.max(0, sum.total));
        }
      }
    }
  });

  it('follows "same" padding and strides as the layer does', () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', biasInitializer: 'randomNormal' }), tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    const view = new Inspector(model).look(drawn);
    const [layer] = view.layers;
    expect(layer!.shape).toEqual([14, 14, 4]);
    for (const [row, col] of [[0, 0], [13, 13], [7, 5], [0, 13]] as const) {
      for (let map = 0; map < 4; map++) expect(pixelArithmetic(view.filters[0]!, map, row, col).output).toBeCloseTo(layer!.values[(row * 14 + col) * 4 + map]!, 5);
    }
    // The wasm backend has no input gradient for strides of 2: the saliency is by occlusion, and still in the ink.
    const left = new Inspector(model).look(leftHalf);
    expect(left.saliency.map((s) => s.method)).toEqual(['occlusion', 'occlusion']);
    for (const { values } of left.saliency) values.forEach((v, i) => (i % 28 >= 14 ? expect(v).toBe(0) : undefined));
    expect(left.saliency[0]!.values.some((v) => v !== 0)).toBe(true);
    model.dispose();
  });
});

describe('why this digit (gradient x input)', () => {
  it('for a digit drawn in the left half of the frame lies in that half, for the digit read and the runner-up', () => {
    const view = inspector.look(leftHalf);
    expect(view.score).toBe('logit');
    expect(view.saliency.map((s) => s.method)).toEqual(['gradient', 'gradient']);
    expect(view.saliency[0]!.digit).toBe(view.probabilities.indexOf(Math.max(...view.probabilities)));
    expect(view.saliency[1]!.digit).not.toBe(view.saliency[0]!.digit);
    for (const { digit, values } of view.saliency) {
      let left = 0;
      let all = 0;
      values.forEach((v, i) => {
        all += Math.abs(v);
        if (i % 28 < 14) left += Math.abs(v);
      });
      expect(all, `digit ${digit}`).toBeGreaterThan(0);
      expect(left / all, `digit ${digit}`).toBeGreaterThan(0.95);
    }
  });

  it('is the score’s gradient times the input: finite differences of the logit agree where the ink is strongest', () => {
    const view = inspector.look(drawn);
    const { digit, values } = view.saliency[0]!;
    const last = served.layers.at(-1)!;
    const body = tf.model({ inputs: served.inputs, outputs: last.input as tf.SymbolicTensor });
    const [kernel, bias] = last.getWeights();
    const logit = (input: Float32Array) =>
      tf.tidy(() => (body.predict(tf.tensor4d(input, [1, 28, 28, 1])) as tf.Tensor).matMul(kernel!).add(bias!).dataSync()[digit]!);
    const base = logit(drawn);
    const inked = Array.from(drawn.keys()).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!)).slice(0, 5);
    for (const i of inked) {
      const eps = 1e-2;
      const nudged = drawn.slice();
      nudged[i]! += eps;
      const slope = (logit(nudged) - base) / eps;
      expect(slope * drawn[i]!, `pixel ${i}`).toBeCloseTo(values[i]!, 1);
    }
  });
});
