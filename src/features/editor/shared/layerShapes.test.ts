import { describe, expect, it } from 'vitest';
import { APP_CNN_SIGNATURE } from '../../../model/architecture';
import { networkFigures } from './layerShapes';
import { MNIST_INPUT, type LayerDefinition, type NetworkDefinition } from './networkDefinition';
import { WORKSHOP_NETWORK } from './workshopNetwork';

const network = (...layers: LayerDefinition[]): NetworkDefinition => ({ input: MNIST_INPUT, layers });
const conv = (filters: number, kernelSize = 3, more: Partial<LayerDefinition & { kind: 'Conv2D' }> = {}): LayerDefinition => ({
  kind: 'Conv2D',
  filters,
  kernelSize,
  activation: 'relu',
  padding: 'valid',
  ...more,
});
const head: LayerDefinition[] = [{ kind: 'Flatten' }, { kind: 'Dense', units: 10, activation: 'softmax' }];

describe('networkFigures', () => {
  it("gives the workshop network's shapes and parameters exactly as the app's CNN summary (1,199,882)", () => {
    const figures = networkFigures(WORKSHOP_NETWORK);
    expect(figures.layers.map((l) => l.output!.join('x'))).toEqual(['26x26x32', '24x24x64', '12x12x64', '12x12x64', '9216', '128', '128', '10']);
    const summary = figures.layers.map((l) => `${l.layer.kind} [None,${l.output!.join(',')}] ${l.parameters}`);
    expect(summary).toEqual(APP_CNN_SIGNATURE);
    expect(figures.parameters).toBe(1_199_882);
    expect(figures.trainableParameters).toBe(1_199_882);
    expect(figures.output).toEqual([10]);
  });

  it("counts the workshop network's multiply-accumulates and activations (model/activationCost.ts's 1.0 MB)", () => {
    const figures = networkFigures(WORKSHOP_NETWORK);
    expect(figures.layers.map((l) => l.macs)).toEqual([26 * 26 * 32 * 9, 24 * 24 * 64 * 9 * 32, 0, 0, 0, 9216 * 128, 0, 128 * 10]);
    expect(figures.macs).toBe(11_992_448);
    // Every output and the second convolution's im2col buffer, as activationCost.test.ts has it for the built CNN.
    const outputs = 26 * 26 * 32 + 24 * 24 * 64 + 3 * 12 * 12 * 64 + 128 + 128 + 10;
    const im2col = 24 * 24 * (3 * 3 * 32);
    expect(figures.activationBytes).toBe((outputs + im2col) * 4);
  });

  it("follows Keras's padding 'same' and strides", () => {
    const figures = networkFigures(network(conv(8, 3, { padding: 'same' }), conv(8, 3, { strides: 2 }), conv(8, 3, { padding: 'same', strides: 2 }), conv(8, 5, { strides: 3 }), ...head));
    expect(figures.layers.map((l) => l.output!.join('x')).slice(0, 4)).toEqual(['28x28x8', '13x13x8', '7x7x8', '1x1x8']);
    expect(figures.layers[0]!.parameters).toBe((9 + 1) * 8);
    expect(figures.layers[1]!.macs).toBe(13 * 13 * 8 * 9 * 8);
  });

  it('counts a BatchNormalization as Keras does: 4 parameters a channel, 2 of them trained', () => {
    const figures = networkFigures(network(conv(32), { kind: 'BatchNormalization' }, ...head));
    const norm = figures.layers[1]!;
    expect(norm.output).toEqual([26, 26, 32]);
    expect(norm.parameters).toBe(128);
    expect(norm.trainableParameters).toBe(64);
    expect(norm.macs).toBe(26 * 26 * 32);
    expect(figures.parameters! - figures.trainableParameters!).toBe(64);
  });

  it('gives a Dense on an image the figures Keras would (the last axis, at every pixel)', () => {
    const figures = networkFigures(network({ kind: 'Dense', units: 16, activation: 'relu' }, ...head));
    expect(figures.layers[0]).toMatchObject({ output: [28, 28, 16], parameters: 32, macs: 28 * 28 * 16 });
    expect(figures.layers[1]!.output).toEqual([28 * 28 * 16]);
  });

  it('blocks a layer whose output would be below 1x1, and those after it', () => {
    const figures = networkFigures(network(conv(8, 7, { strides: 4 }), conv(8, 7), ...head));
    expect(figures.layers[0]!.output).toEqual([6, 6, 8]);
    expect(figures.layers[1]!.blocked).toEqual({ reason: 'too-small', size: [0, 0] });
    expect(figures.layers[2]!.blocked).toEqual({ reason: 'earlier-layer' });
    expect(figures.layers[2]!.input).toBeUndefined();
    expect(figures.parameters).toBeUndefined();
    expect(figures.macs).toBeUndefined();
    expect(figures.activationBytes).toBeUndefined();
  });

  it('blocks a pooling larger than its input, a convolution after the Flatten, and a setting out of range', () => {
    const pools = Array<LayerDefinition>(5).fill({ kind: 'MaxPooling2D', poolSize: 2 });
    expect(networkFigures(network(...pools, ...head)).layers[4]!.blocked).toEqual({ reason: 'too-small', size: [0, 0] });
    expect(networkFigures(network({ kind: 'Flatten' }, conv(8))).layers[1]!.blocked).toEqual({ reason: 'needs-image' });
    expect(networkFigures(network(conv(0))).layers[0]!.blocked).toEqual({ reason: 'invalid-setting' });
  });

  it('gives the input as the output of a network with no layers', () => {
    expect(networkFigures(network())).toMatchObject({ output: [28, 28, 1], parameters: 0, macs: 0, activationBytes: 0 });
  });
});
