import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { KERAS_ADADELTA_KERNEL, KerasAdadelta } from './kerasAdadelta';

beforeAll(startWasmBackend);

/** Keras 2.2.4's Adadelta, worked in float64 on plain numbers. */
function kerasStep(p: number[], g: number[], a: number[], d: number[], lr = 1, rho = 0.95, eps = 1e-7) {
  return p.map((_, i) => {
    const aNew = rho * a[i]! + (1 - rho) * g[i]! ** 2;
    const update = (g[i]! * Math.sqrt(d[i]! + eps)) / Math.sqrt(aNew + eps);
    const dNew = rho * d[i]! + (1 - rho) * update ** 2;
    return { p: p[i]! - lr * update, a: aNew, d: dNew };
  });
}

describe('KerasAdadelta', () => {
  it('matches the Keras 2.2.4 formula step by step (to 1e-6)', () => {
    const start = [0.5, -1.5, 2.0, 0.0];
    const coeff = [0.3, -2.0, 1e-3, 4.0];
    const p = tf.variable(tf.tensor1d(start));
    const c = tf.tensor1d(coeff);
    const optimizer = new KerasAdadelta();
    let expected = { p: start, a: [0, 0, 0, 0], d: [0, 0, 0, 0] };
    // loss = sum(c * p^2 / 2) has gradient c * p, so the gradient changes from step to step.
    for (let step = 0; step < 3; step++) {
      const g = expected.p.map((v, i) => coeff[i]! * v);
      const next = kerasStep(expected.p, g, expected.a, expected.d);
      expected = { p: next.map((n) => n.p), a: next.map((n) => n.a), d: next.map((n) => n.d) };
      optimizer.minimize(() => c.mul(p.square()).sum().div(2) as tf.Scalar);
      const got = p.dataSync();
      expected.p.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-6));
    }
    // The first step of Keras' Adadelta is about sqrt(eps / (1 - rho)) = 1.4e-3 whatever the gradient's size.
    expect(Math.abs(expected.p[0]! - start[0]!)).toBeLessThan(1e-2);
    optimizer.dispose();
    p.dispose();
    c.dispose();
  });

  it('differs from tfjs’s own Adadelta, whose first step is plain SGD (why this class exists)', () => {
    const p = tf.variable(tf.tensor1d([1]));
    tf.train.adadelta(1.0, 0.95, 1e-7).minimize(() => p.mul(3).sum() as tf.Scalar);
    // tfjs: p - lr * g * sqrt(0 + eps) / sqrt(0 + eps) = 1 - 3 = -2; Keras would move it by about 1.4e-3.
    expect(p.dataSync()[0]).toBeCloseTo(-2, 4);
    p.dispose();
  });

  it('saves and restores its accumulators and serializes under its own name', async () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const optimizer = new KerasAdadelta({ rho: 0.9 });
    optimizer.minimize(() => p.square().sum() as tf.Scalar);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${p.name}/accum_grad`, `${p.name}/accum_var`]);
    const copy = new KerasAdadelta({ rho: 0.9 });
    await copy.setWeights(weights);
    const restored = await copy.getWeights();
    expect(restored[1]!.tensor.arraySync()).toEqual(weights[1]!.tensor.arraySync());
    expect(optimizer.getClassName()).toBe('KerasAdadelta');
    expect(optimizer.getConfig()).toEqual({ learningRate: 1, rho: 0.9, epsilon: 1e-7 });
    optimizer.dispose();
    copy.dispose();
    p.dispose();
  });
});

describe('KerasAdadelta in one pass (the wasm backend’s fused kernel)', () => {
  it('is what the wasm backend runs, and gives the tfjs ops’ results on cpu, a SIMD tail included', async () => {
    expect(tf.getKernel(KERAS_ADADELTA_KERNEL, 'wasm')).toBeDefined();
    const n = 1030; // not a multiple of 4
    const start = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.1);
    const coeff = Float32Array.from({ length: n }, (_, i) => 0.5 + Math.cos(i * 7));
    const run = () => {
      const p = tf.variable(tf.tensor1d(start));
      const c = tf.tensor1d(coeff);
      const optimizer = new KerasAdadelta();
      for (let step = 0; step < 4; step++) optimizer.minimize(() => c.mul(p.square()).sum().div(2) as tf.Scalar);
      const out = Float32Array.from(p.dataSync());
      optimizer.dispose();
      tf.dispose([p, c]);
      return out;
    };
    await tf.setBackend('cpu');
    expect(tf.getKernel(KERAS_ADADELTA_KERNEL, 'cpu')).toBeUndefined();
    const reference = run();
    await startWasmBackend();
    const fused = run();
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(fused[i]! - reference[i]!));
    expect(worst).toBeLessThan(1e-7);
    // The weights moved (about 1.4e-3 per step at first), so the comparison has something to compare.
    expect(Math.abs(reference[1]! - start[1]!)).toBeGreaterThan(1e-3);
  });
});
