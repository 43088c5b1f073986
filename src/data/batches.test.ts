import { describe, expect, it } from 'vitest';
import { fillImages, fillOneHot, shuffledIndices } from './batches';

describe('batch helpers', () => {
  it('scales chosen images to [0, 1]', () => {
    const images = new Uint8Array(784 * 3);
    images[784 * 2 + 5] = 255;
    images[784 * 1 + 7] = 51;
    const out = new Float32Array(784 * 2);
    fillImages(images, [2, 1], out);
    expect(out[5]).toBe(1);
    expect(out[784 + 7]).toBeCloseTo(0.2, 6);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1.2, 5);
  });

  it('writes one-hot rows', () => {
    const out = new Float32Array(20).fill(7);
    fillOneHot(new Uint8Array([3, 9, 0]), [1, 2], out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('shuffles into a permutation', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const order = shuffledIndices(1000, random);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(order.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
