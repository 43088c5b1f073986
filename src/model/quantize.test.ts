import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../../scripts/nodeBackend';
import { loadModelDir } from '../../scripts/eval-pendigits';
import { modelArtifacts } from './modelFiles';
import { float16Bits, quantizeWeights } from './quantize';

beforeAll(startWasmBackend);

describe('float16Bits', () => {
  it('matches IEEE half precision, rounding to nearest even', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(1e6)).toBe(0x7c00);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(1e-9)).toBe(0);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });
});

describe('quantizeWeights', () => {
  // The served model's weights, as float32 whatever they are stored as.
  let artifacts: tf.io.ModelArtifacts;
  let float32: ArrayBuffer;
  beforeAll(async () => {
    const served = await loadModelDir('public/models/pretrained');
    artifacts = await modelArtifacts(served);
    float32 = tf.io.CompositeArrayBuffer.join(artifacts.weightData!);
    served.dispose();
  });

  for (const [to, bytes, tolerance] of [
    ['float16', 2, 1e-3],
    ['uint8', 1, 5e-2],
  ] as const) {
    it(`${to}: ${bytes} byte(s) a weight, decoded by tfjs itself to nearly the same weights`, async () => {
      const q = quantizeWeights(artifacts.weightSpecs!, float32, to);
      expect(q.data.byteLength).toBe((float32.byteLength / 4) * bytes);
      const model = await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, weightSpecs: q.specs, weightData: q.data }));
      const original = new Float32Array(float32);
      const decoded = new Float32Array(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
      let worst = 0;
      for (let i = 0; i < original.length; i++) worst = Math.max(worst, Math.abs(decoded[i]! - original[i]!));
      expect(worst).toBeLessThan(tolerance);
      model.dispose();
    });
  }
});
