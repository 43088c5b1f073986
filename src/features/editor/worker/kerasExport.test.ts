/**
 * Networks built from the editor's definitions leave through the app's Keras writer (model/keras/writeKeras.ts)
 * and come back through its importer (model/importLayersModel.ts, with keras/readKeras.ts): the same layers and
 * identical predictions, in both formats; and the independent numpy reader (src/testing/keras/keras_reference.py)
 * predicts the same from the files. BatchNormalization's four weights (gamma, beta, moving mean and variance) are
 * set to values of their own first, so a weight lost or swapped on the way would show.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../../../scripts/nodeBackend';
import { mnistTestDigits, pickedFile, referenceProbabilities } from '../../../testing/keras/reference';
import { importModelFiles } from '../../../model/importLayersModel';
import { kerasFiles } from '../../../model/keras/writeKeras';
import { modelArtifacts } from '../../../model/modelFiles';
import { WORKSHOP_NETWORK, type LayerDefinition, type NetworkDefinition } from '../shared';
import { buildNetwork } from './buildNetwork';

beforeAll(startWasmBackend);

const COUNT = 8;
const digits = mnistTestDigits(COUNT);
const dir = mkdtempSync(join(tmpdir(), 'editor-keras-'));

const NETWORKS: Record<string, NetworkDefinition> = {
  workshop: WORKSHOP_NETWORK,
  "BatchNormalization, padding 'same', strides 2, tanh and sigmoid": {
    ...WORKSHOP_NETWORK,
    layers: [
      { kind: 'Conv2D', filters: 16, kernelSize: 5, activation: 'tanh', padding: 'same', strides: 2 },
      { kind: 'BatchNormalization' },
      { kind: 'Conv2D', filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' },
      { kind: 'MaxPooling2D', poolSize: 2 },
      { kind: 'Dropout', rate: 0.2 },
      { kind: 'Flatten' },
      { kind: 'Dense', units: 64, activation: 'sigmoid' },
      { kind: 'BatchNormalization' },
      { kind: 'Dense', units: 10, activation: 'softmax' },
    ] satisfies LayerDefinition[],
  },
};

/** Gives each BatchNormalization weights of its own: gamma near 1, beta near 0, a mean, a positive variance. */
function distinctBatchNormalization(model: tf.LayersModel): void {
  model.layers
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .forEach((layer, k) => {
      const shapes = layer.getWeights().map((w) => w.shape);
      const values = [
        tf.randomUniform(shapes[0]!, 0.5, 1.5, 'float32', 10 + k),
        tf.randomUniform(shapes[1]!, -0.5, 0.5, 'float32', 20 + k),
        tf.randomUniform(shapes[2]!, -0.3, 0.3, 'float32', 30 + k),
        tf.randomUniform(shapes[3]!, 0.2, 2, 'float32', 40 + k),
      ];
      layer.setWeights(values);
      tf.dispose(values);
    });
}

const predict = (model: tf.LayersModel) => tf.tidy(() => (model.predict(tf.tensor4d(digits.images, [COUNT, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

describe('a built network exported as Keras files and read back', () => {
  for (const [name, network] of Object.entries(NETWORKS)) {
    for (const format of ['h5', 'keras'] as const) {
      it(`${name}, .${format}: the same layers and weights, identical predictions; the numpy reader agrees`, async () => {
        const model = buildNetwork(network, { seed: 9 });
        distinctBatchNormalization(model);
        const [file, ...rest] = await kerasFiles(await modelArtifacts(model), format, 'editor');
        expect(rest).toEqual([]);
        const path = join(dir, file!.name);
        writeFileSync(path, file!.bytes);
        const { model: back, notes } = await importModelFiles([pickedFile(path)]);
        expect(notes).toEqual([]);
        const layers = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() !== 'InputLayer');
        expect(layers(back).map((l) => l.getClassName())).toEqual(network.layers.map((l) => l.kind));
        expect(layers(back).map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
        expect(back.countParams()).toBe(model.countParams());
        const values = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
        expect(values(back)).toEqual(values(model));
        const ours = predict(model);
        expect(predict(back)).toEqual(ours);
        expect(maxDifference(ours, referenceProbabilities(path, digits.images, COUNT))).toBeLessThan(1e-4);
        back.dispose();
        model.dispose();
      });
    }
  }
});
