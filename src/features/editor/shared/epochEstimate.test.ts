import { describe, expect, it } from 'vitest';
import { estimateEpoch, trainingMacsPerImage, WORKSHOP_MACS_PER_IMAGE } from './epochEstimate';
import { networkFigures } from './layerShapes';
import { MNIST_INPUT, type NetworkDefinition } from './networkDefinition';
import { WORKSHOP_NETWORK } from './workshopNetwork';

describe('estimateEpoch', () => {
  it("takes the workshop network's measured speed as it is", () => {
    expect(WORKSHOP_MACS_PER_IMAGE).toBe(11_992_448);
    expect(trainingMacsPerImage(WORKSHOP_MACS_PER_IMAGE)).toBe(3 * 11_992_448);
    expect(estimateEpoch(WORKSHOP_MACS_PER_IMAGE, 60_000, { imagesPerSecond: 800 })).toEqual({
      imagesPerSecond: 800,
      secondsPerEpoch: 75,
      trainingMacsPerImage: 35_977_344,
    });
  });

  it('scales the speed by the ratio of multiply-accumulates, and the time by the images', () => {
    const twice = estimateEpoch(2 * WORKSHOP_MACS_PER_IMAGE, 60_000, { imagesPerSecond: 800 })!;
    expect(twice.imagesPerSecond).toBeCloseTo(400, 9);
    expect(twice.secondsPerEpoch).toBeCloseTo(150, 9);
    expect(estimateEpoch(WORKSHOP_MACS_PER_IMAGE / 4, 6_000, { imagesPerSecond: 800 })!.secondsPerEpoch).toBeCloseTo(1.875, 9);
    // 8 filters instead of 32 in the first convolution: about a quarter of the second convolution's products.
    const eight: NetworkDefinition = { ...WORKSHOP_NETWORK, layers: [{ kind: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu', padding: 'valid' }, ...WORKSHOP_NETWORK.layers.slice(1)] };
    const macs = networkFigures(eight).macs!;
    expect(macs).toBe(26 * 26 * 8 * 9 + 24 * 24 * 64 * 9 * 8 + 9216 * 128 + 1280);
    expect(estimateEpoch(macs, 60_000, { imagesPerSecond: 800 })!.imagesPerSecond).toBeCloseTo((800 * WORKSHOP_MACS_PER_IMAGE) / macs, 9);
  });

  it('scales from another measured network when told its multiply-accumulates', () => {
    const small: NetworkDefinition = { input: MNIST_INPUT, layers: [{ kind: 'Flatten' }, { kind: 'Dense', units: 10, activation: 'softmax' }] };
    const macs = networkFigures(small).macs!;
    expect(macs).toBe(7840);
    expect(estimateEpoch(WORKSHOP_MACS_PER_IMAGE, 60_000, { imagesPerSecond: 100_000, macsPerImage: macs })!.imagesPerSecond).toBeCloseTo((100_000 * 7840) / 11_992_448, 9);
  });

  it('gives no estimate without a speed, images or a network', () => {
    for (const speed of [0, -1, Number.NaN, Infinity]) expect(estimateEpoch(WORKSHOP_MACS_PER_IMAGE, 60_000, { imagesPerSecond: speed })).toBeUndefined();
    expect(estimateEpoch(undefined, 60_000, { imagesPerSecond: 800 })).toBeUndefined();
    expect(estimateEpoch(0, 60_000, { imagesPerSecond: 800 })).toBeUndefined();
    expect(estimateEpoch(WORKSHOP_MACS_PER_IMAGE, 0, { imagesPerSecond: 800 })).toBeUndefined();
    expect(estimateEpoch(WORKSHOP_MACS_PER_IMAGE, 60_000, { imagesPerSecond: 800, macsPerImage: 0 })).toBeUndefined();
  });
});
