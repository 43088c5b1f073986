/// <reference lib="webworker" />
/**
 * A gradient helper of the training worker (GradientApi, api.ts): one per further core, started by the
 * training worker for a run. It keeps no weights or optimizer state between steps: every call brings the
 * weights to compute at, so all workers always compute at the same point (training/parallelSteps.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { transfer } from 'comlink';
import { startWasm } from '../backend/wasmBackend';
import { floatValues, partGradients, trainableVariables } from '../training/gradients';
import type { GradientApi } from './api';
import { WorkerError, serve } from './bridge';

let model: tf.LayersModel | undefined;

const helper: GradientApi = {
  async start(topology, backend) {
    const started = backend === 'wasm' ? await startWasm() : await tf.setBackend(backend).catch(() => false);
    if (!started) throw new WorkerError('failed', `the ${backend} backend did not start in a gradient worker`);
    model?.dispose();
    model = await tf.models.modelFromJSON(JSON.parse(topology) as tf.io.ModelJSON);
    return tf.getBackend() as typeof backend;
  },

  async gradients(weights, part) {
    const started = performance.now();
    if (!model) throw new WorkerError('failed', 'the gradient worker has no model yet');
    const variables = trainableVariables(model);
    if (weights.length !== variables.length) throw new WorkerError('failed', `expected ${variables.length} weight arrays, got ${weights.length}`);
    tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(weights[i]!, v.shape))));
    const { loss, correct, grads } = await partGradients(model, part);
    const arrays = grads.map(floatValues);
    tf.dispose(grads);
    return transfer({ count: part.count, loss, correct, grads: arrays, ms: performance.now() - started, startedAt: performance.timeOrigin + started }, arrays.map((a) => a.buffer));
  },
};

serve(helper);
