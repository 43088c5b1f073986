/**
 * float16 to float32: the values that matter named one by one, then every one of the 65,536 halves against the
 * app's own float32-to-float16 writer (quantize.ts) and numpy's conversion (Debian's /usr/bin/python3 with
 * python3-numpy, as the other Keras tests use).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PYTHON } from '../../testing/keras/reference';
import { float16Bits } from '../quantize';
import { halfToFloat, halvesToFloats } from './float16';

describe('halfToFloat', () => {
  it('reads zeros with their sign, normals, the largest half and the smallest normal', () => {
    expect(Object.is(halfToFloat(0x0000), 0)).toBe(true);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBe(0.333251953125);
    expect(halfToFloat(0x3bff)).toBe(1 - 2 ** -11);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0xfbff)).toBe(-65504);
    expect(halfToFloat(0x0400)).toBe(2 ** -14);
  });

  it('reads subnormals (exponent 0) as fraction x 2^-24', () => {
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x8001)).toBe(-(2 ** -24));
    expect(halfToFloat(0x0200)).toBe(2 ** -15);
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24);
  });

  it('undoes the app’s own float16 writer (quantize.ts) for every half but the NaNs', () => {
    const differ: string[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      if (!Number.isNaN(value) && float16Bits(value) !== bits) differ.push(bits.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it('reads infinities as infinities and every NaN as NaN', () => {
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    for (const bits of [0x7c01, 0x7e00, 0x7fff, 0xfc01, 0xfe00, 0xffff]) expect(halfToFloat(bits)).toBeNaN();
  });
});

describe('halvesToFloats', () => {
  it('reads little-endian bytes', () => {
    expect(Array.from(halvesToFloats(Uint8Array.of(0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x7c)))).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(halvesToFloats(new Uint8Array(0))).toHaveLength(0);
  });

  it('refuses an odd number of bytes', () => {
    expect(() => halvesToFloats(new Uint8Array(3))).toThrow(RangeError);
  });

  it('gives every half exactly the float32 numpy gives it', () => {
    const script = 'import sys, numpy as np; sys.stdout.buffer.write(np.arange(65536, dtype="<u2").view("<f2").astype("<f4").tobytes())';
    const numpy = new Float32Array(new Uint8Array(execFileSync(PYTHON, ['-c', script], { maxBuffer: 1024 * 1024 })).buffer);
    // Every 16-bit pattern in order, little-endian: low byte, then high byte.
    const all = Uint8Array.from({ length: 0x20000 }, (_, i) => (i % 2 ? i >> 9 : (i >> 1) & 0xff));
    const ours = halvesToFloats(all);
    expect(ours).toHaveLength(0x10000);
    const differ: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const [a, b] = [ours[bits]!, numpy[bits]!];
      if (Number.isNaN(a) ? !Number.isNaN(b) : !Object.is(a, b)) differ.push(bits);
    }
    expect(differ.map((b) => b.toString(16))).toEqual([]);
  });
});
