/**
 * Weight quantisation in TensorFlow.js's own weights-manifest format (what `tensorflowjs_converter
 * --quantize_float16 / --quantize_uint8` writes, and what tf.loadLayersModel decodes): float16, or uint8 per
 * tensor (w ~ q * scale + min). Used to make the served model smaller. Pure.
 */
import type * as tf from '@tensorflow/tfjs';

export type Quantization = 'float16' | 'uint8';

/** IEEE 754 half-precision bits of a number, rounded to nearest even. */
export function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf, NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow: Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow: signed zero
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = (mantissa + half - 1 + ((mantissa >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return e + 1 >= 0x1f ? sign | 0x7c00 : sign | ((e + 1) << 10);
  return sign | (e << 10) | (rounded >>> 13);
}

/** Quantises float32 weights: new weight data and specs with `quantization` entries, in the same order. */
export function quantizeWeights(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  to: Quantization,
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const values = new Float32Array(data);
  const out: Uint8Array[] = [];
  const quantized: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization) throw new Error(`weight ${spec.name} is not plain float32`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const w = values.subarray(offset, offset + size);
    offset += size;
    if (to === 'float16') {
      const bits = Uint16Array.from(w, float16Bits);
      out.push(new Uint8Array(bits.buffer));
      quantized.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      let min = 0;
      let max = 0;
      for (const v of w) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const scale = (max - min) / 255 || 1;
      out.push(Uint8Array.from(w, (v) => Math.round((v - min) / scale)));
      quantized.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
    }
  }
  if (offset !== values.length) throw new Error(`the specs cover ${offset} of ${values.length} weights`);
  const bytes = new Uint8Array(out.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of out) {
    bytes.set(b, at);
    at += b.byteLength;
  }
  return { specs: quantized, data: bytes.buffer };
}
