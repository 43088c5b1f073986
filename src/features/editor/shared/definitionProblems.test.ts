import { describe, expect, it } from 'vitest';
import { MAX_ACTIVATION_BYTES, MAX_WEIGHT_BYTES } from '../../../model/importLimits';
import { definitionProblems, IMPORT_LIMITS, type EditorLimits } from './definitionProblems';
import { MNIST_INPUT, OPTIMIZER_DEFAULTS, type LayerDefinition, type NetworkDefinition, type TrainingDefinition } from './networkDefinition';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from './workshopNetwork';

const network = (...layers: LayerDefinition[]): NetworkDefinition => ({ input: MNIST_INPUT, layers });
const conv = (filters: number, kernelSize = 3, more: object = {}): LayerDefinition => ({ kind: 'Conv2D', filters, kernelSize, activation: 'relu', padding: 'valid', ...more });
const flatten: LayerDefinition = { kind: 'Flatten' };
const output: LayerDefinition = { kind: 'Dense', units: 10, activation: 'softmax' };
const NO_LIMITS: EditorLimits = {};

/** The problems' messages, for a network and, when given, training. */
const messages = (net: NetworkDefinition, limits = NO_LIMITS, training?: TrainingDefinition) => definitionProblems(net, limits, training).map((p) => p.message);

describe('definitionProblems', () => {
  it('finds none in the workshop network and its training, within the import limits', () => {
    expect(definitionProblems(WORKSHOP_NETWORK, IMPORT_LIMITS, WORKSHOP_TRAINING)).toEqual([]);
    expect(IMPORT_LIMITS).toEqual({ parameters: MAX_WEIGHT_BYTES / 4, activationBytes: MAX_ACTIVATION_BYTES });
  });

  it('requires MNIST input', () => {
    expect(messages({ input: [32, 32, 3], layers: [flatten, output] })).toEqual([
      "The input must be MNIST's images, input_shape=(28, 28, 1): 28x28 pixels, one channel; it is (32, 32, 3).",
    ]);
  });

  it('says a network without layers needs some', () => {
    expect(definitionProblems(network(), NO_LIMITS)).toEqual([
      { code: 'no-layers', message: "The network has no layers: it needs at least a Flatten and a Dense(10, activation='softmax')." },
    ]);
  });

  it('names a setting out of range, its layer, the values it may take and the one it has', () => {
    const bad = network(
      conv(0),
      conv(600, 9, { strides: 5, padding: 'full', activation: 'gelu' }),
      { kind: 'MaxPooling2D', poolSize: 1.5 },
      { kind: 'Dropout', rate: 1 },
      flatten,
      { kind: 'Dense', units: Number.NaN, activation: 'relu' },
      output,
    );
    const problems = definitionProblems(bad, NO_LIMITS);
    expect(problems.map((p) => [p.code, p.layer, p.field])).toEqual([
      ['layer-setting', 0, 'filters'],
      ['layer-setting', 1, 'filters'],
      ['layer-setting', 1, 'kernelSize'],
      ['layer-setting', 1, 'strides'],
      ['layer-setting', 1, 'padding'],
      ['layer-setting', 1, 'activation'],
      ['layer-setting', 2, 'poolSize'],
      ['layer-setting', 3, 'rate'],
      ['layer-setting', 5, 'units'],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'Layer 1 (Conv2D): filters must be a whole number from 1 to 512; it is 0.',
      'Layer 2 (Conv2D): filters must be a whole number from 1 to 512; it is 600.',
      'Layer 2 (Conv2D): kernel_size must be a whole number from 1 to 7; it is 9.',
      'Layer 2 (Conv2D): strides must be a whole number from 1 to 4; it is 5.',
      "Layer 2 (Conv2D): padding must be one of valid, same; it is 'full'.",
      "Layer 2 (Conv2D): activation must be one of relu, elu, selu, tanh, sigmoid, softplus, softsign, softmax, linear; it is 'gelu'.",
      'Layer 3 (MaxPooling2D): pool_size must be a whole number from 1 to 7; it is 1.5.',
      'Layer 4 (Dropout): rate must be a number from 0 up to, not including, 1; it is 1.',
      'Layer 6 (Dense): units must be a whole number from 1 to 4096; it is empty.',
    ]);
    expect(messages(network(flatten, { kind: 'Dense', units: 4097, activation: 'relu' }, output))).toEqual([
      'Layer 2 (Dense): units must be a whole number from 1 to 4096; it is 4097.',
    ]);
    expect(messages(network({ kind: 'Dropout', rate: -0.1 }, flatten, output))).toEqual(['Layer 1 (Dropout): rate must be a number from 0 up to, not including, 1; it is -0.1.']);
    expect(messages(network({ kind: 'Dropout', rate: 0 }, flatten, output))).toEqual([]);
  });

  it('says where a convolution or a pooling would shrink the image below 1x1, and what to do', () => {
    expect(messages(network(conv(8, 7, { strides: 4 }), conv(8, 7), flatten, output))).toEqual([
      "Layer 2 (Conv2D): its 7x7 kernel does not fit the 6x6 image it reads: the output would be 0x0. Use padding='same', a smaller kernel, or shrink the image less before it.",
    ]);
    const pools = Array<LayerDefinition>(5).fill({ kind: 'MaxPooling2D', poolSize: 2 });
    expect(messages(network(...pools, flatten, output))).toEqual([
      'Layer 5 (MaxPooling2D): its 2x2 pool does not fit the 1x1 image it reads: the output would be 0x0. Remove it, or shrink the image less before it.',
    ]);
    // 'same' padding keeps it at 1x1 at least.
    expect(messages(network(...Array<LayerDefinition>(6).fill(conv(8, 7, { strides: 4, padding: 'same' })), flatten, output))).toEqual([]);
  });

  it('requires a Flatten before Dense, saying what Keras would do instead', () => {
    expect(definitionProblems(network(conv(8), { kind: 'Dense', units: 16, activation: 'relu' }, flatten, output), NO_LIMITS)).toEqual([
      {
        code: 'dense-needs-flatten',
        layer: 1,
        message:
          'Layer 2 (Dense) reads a 26x26x8 image: add a Flatten before it. ' +
          "(Keras would apply the Dense to each pixel's 8 values on its own; this app needs the image flattened into one vector first.)",
      },
    ]);
    expect(messages(network(output))[0]).toMatch(/^Layer 1 \(Dense\) reads a 28x28x1 image: add a Flatten before it\./);
  });

  it('refuses a Conv2D or MaxPooling2D after the Flatten, and a second Flatten', () => {
    expect(messages(network(flatten, conv(8), { kind: 'MaxPooling2D', poolSize: 2 }, flatten, output))).toEqual([
      "Layer 2 (Conv2D) comes after the Flatten (layer 1): it needs the image's rows and columns. Move it before the Flatten.",
      "Layer 3 (MaxPooling2D) comes after the Flatten (layer 1): it needs the image's rows and columns. Move it before the Flatten.",
      'Layer 4 (Flatten): its input is flat already (the Flatten at layer 1). Remove one of them.',
    ]);
  });

  it("requires the last layer to be Dense(10, activation='softmax')", () => {
    expect(definitionProblems(network(flatten, output, { kind: 'Dropout', rate: 0.5 }), NO_LIMITS)).toEqual([
      { code: 'last-layer', layer: 2, message: "The last layer must be Dense(10, activation='softmax'), the ten digits' probabilities; it is Dropout." },
    ]);
    expect(messages(network(flatten, { kind: 'Dense', units: 12, activation: 'relu' }))).toEqual([
      'The last layer must have 10 units, one per digit; it has 12.',
      "The last layer's activation must be 'softmax', to give the digits' probabilities; it is 'relu'.",
    ]);
    expect(messages(network(flatten))).toEqual(["The last layer must be Dense(10, activation='softmax'), the ten digits' probabilities; it is Flatten."]);
  });

  it('says when the network has more parameters than the limit', () => {
    const big = network(flatten, { kind: 'Dense', units: 4096, activation: 'relu' }, { kind: 'Dense', units: 4096, activation: 'relu' }, output);
    expect(definitionProblems(big, IMPORT_LIMITS)).toEqual([
      {
        code: 'too-many-parameters',
        message:
          'The network has 20,037,642 parameters (76.4 MB); this device can hold at most 16,777,216 (64.0 MB). ' +
          'Use fewer filters or units, or pool the image smaller before the Flatten.',
      },
    ]);
    expect(definitionProblems(WORKSHOP_NETWORK, { parameters: 1_199_881 })[0]!.code).toBe('too-many-parameters');
    expect(definitionProblems(WORKSHOP_NETWORK, { parameters: 1_199_882 })).toEqual([]);
  });

  it('says when reading an image, or training a batch, takes more activations than the limit', () => {
    // Two 28x28x512 outputs, and the second convolution's im2col buffer: 784 positions x 7x7x512 taps.
    const wide = network(conv(512, 3, { padding: 'same' }), conv(512, 7, { padding: 'same' }), { kind: 'MaxPooling2D', poolSize: 7 }, flatten, output);
    expect(messages(wide, IMPORT_LIMITS)).toEqual([
      'Reading one image takes 78.2 MB of activations; this device can hold at most 64.0 MB. Use fewer filters, or pool the image smaller sooner.',
    ]);
    const limits = { batchActivationBytes: 200 * 1024 * 1024 };
    expect(definitionProblems(WORKSHOP_NETWORK, limits, WORKSHOP_TRAINING)).toEqual([]);
    expect(definitionProblems(WORKSHOP_NETWORK, limits, { ...WORKSHOP_TRAINING, batchSize: 1024 })).toEqual([
      {
        code: 'too-much-memory',
        field: 'batchSize',
        message: 'Training a batch of 1,024 images takes about 985.5 MB of activations; this device can hold at most 200.0 MB. Use a smaller batch, or a smaller network.',
      },
    ]);
  });

  it('names each training setting out of range', () => {
    const training: TrainingDefinition = { optimizer: { name: 'sgd', learningRate: 0, momentum: 1 }, batchSize: 2048, epochs: 0, images: 70_000, recipe: 'fancy' as never };
    expect(definitionProblems(WORKSHOP_NETWORK, NO_LIMITS, training).map((p) => [p.code, p.field, p.message])).toEqual([
      ['training-setting', 'optimizer.learningRate', 'The learning rate must be a number above 0, at most 10; it is 0.'],
      ['training-setting', 'optimizer.momentum', 'The momentum must be a number from 0 up to, not including, 1; it is 1.'],
      ['training-setting', 'batchSize', 'The batch size must be a whole number from 1 to 1024; it is 2048.'],
      ['training-setting', 'epochs', 'The number of epochs must be a whole number from 1 to 50; it is 0.'],
      ['training-setting', 'images', 'The number of images must be a whole number from 1 to 60000; it is 70000.'],
      ['training-setting', 'recipe', "The recipe must be one of handwriting, workshop; it is 'fancy'."],
    ]);
    const adadelta = { ...WORKSHOP_TRAINING, optimizer: { ...OPTIMIZER_DEFAULTS.adadelta, rho: 1, epsilon: 0 }, epochs: 51, images: 100 };
    expect(messages(WORKSHOP_NETWORK, NO_LIMITS, adadelta)).toEqual([
      "Adadelta's rho must be a number between 0 and 1; it is 1.",
      "Adadelta's epsilon must be a number above 0, at most 1; it is 0.",
      'The number of epochs must be a whole number from 1 to 50; it is 51.',
      // At least one full batch.
      'The number of images must be a whole number from 128 to 60000; it is 100.',
    ]);
    expect(messages(WORKSHOP_NETWORK, NO_LIMITS, { ...WORKSHOP_TRAINING, optimizer: { name: 'rmsprop', learningRate: 0.001 } as never })).toEqual([
      "The optimizer must be one of adadelta, adam, sgd; it is 'rmsprop'.",
    ]);
    for (const optimizer of Object.values(OPTIMIZER_DEFAULTS)) expect(messages(WORKSHOP_NETWORK, NO_LIMITS, { ...WORKSHOP_TRAINING, optimizer })).toEqual([]);
  });
});
