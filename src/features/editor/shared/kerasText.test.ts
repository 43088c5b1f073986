import { describe, expect, it } from 'vitest';
import { formatKeras, parseKeras, type KerasParse, type KerasTextError } from './kerasText';
import { MNIST_INPUT, OPTIMIZER_DEFAULTS, type LayerDefinition, type NetworkDefinition, type TrainingDefinition } from './networkDefinition';
import { WORKSHOP_NETWORK, WORKSHOP_TRAINING } from './workshopNetwork';

const network = (...layers: LayerDefinition[]): NetworkDefinition => ({ input: MNIST_INPUT, layers });
const workshop = WORKSHOP_NETWORK.layers;
const flatten: LayerDefinition = { kind: 'Flatten' };
const output: LayerDefinition = { kind: 'Dense', units: 10, activation: 'softmax' };

function parsed(text: string): Extract<KerasParse, { ok: true }> {
  const result = parseKeras(text);
  if (!result.ok) throw new Error(`expected the text to parse: ${result.error.message}`);
  return result;
}

function failure(text: string): KerasTextError {
  const result = parseKeras(text);
  if (result.ok) throw new Error('expected a parse error');
  expect(result.error.message).toBe(`Line ${result.error.line}, column ${result.error.column}: ${result.error.detail}`);
  return result.error;
}

describe('formatKeras', () => {
  it("writes the workshop network as Keras's mnist_cnn.py does, with its imports, compile and fit", () => {
    expect(formatKeras(WORKSHOP_NETWORK, WORKSHOP_TRAINING)).toBe(
      [
        'from keras.models import Sequential',
        'from keras.layers import Conv2D, MaxPooling2D, Dropout, Flatten, Dense',
        'from keras.optimizers import Adadelta',
        '',
        'model = Sequential()',
        "model.add(Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=(28, 28, 1)))",
        "model.add(Conv2D(64, kernel_size=(3, 3), activation='relu'))",
        'model.add(MaxPooling2D(pool_size=(2, 2)))',
        'model.add(Dropout(0.25))',
        'model.add(Flatten())',
        "model.add(Dense(128, activation='relu'))",
        'model.add(Dropout(0.5))',
        "model.add(Dense(10, activation='softmax'))",
        "model.compile(loss='categorical_crossentropy', optimizer=Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-07), metrics=['accuracy'])",
        'model.fit(x_train, y_train, batch_size=128, epochs=4)',
        '',
      ].join('\n'),
    );
  });

  it('writes padding, strides, BatchNormalization, a linear activation and a part of the images', () => {
    const text = formatKeras(
      network({ kind: 'Conv2D', filters: 8, kernelSize: 5, activation: 'linear', padding: 'same', strides: 2 }, { kind: 'BatchNormalization' }, flatten, output),
      { optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9 }, batchSize: 64, epochs: 2, images: 1000 },
    );
    expect(text).toContain("from keras.layers import Conv2D, Flatten, Dense, BatchNormalization\nfrom keras.optimizers import SGD\n");
    expect(text).toContain("model.add(Conv2D(8, kernel_size=(5, 5), strides=(2, 2), padding='same', input_shape=(28, 28, 1)))\nmodel.add(BatchNormalization())\n");
    expect(text).toContain('optimizer=SGD(learning_rate=0.05, momentum=0.9)');
    expect(text).toContain('model.fit(x_train[:1000], y_train[:1000], batch_size=64, epochs=2)');
  });

  it('writes a network without layers as its input alone', () => {
    expect(formatKeras(network())).toBe('from keras.models import Sequential\nfrom keras.layers import InputLayer\n\nmodel = Sequential()\nmodel.add(InputLayer(input_shape=(28, 28, 1)))\n');
  });
});

describe('parseKeras reads back what formatKeras writes', () => {
  const variants: Record<string, NetworkDefinition> = {
    'the workshop network': WORKSHOP_NETWORK,
    'without dropout': network(...workshop.filter((l) => l.kind !== 'Dropout')),
    '8 filters': network({ kind: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu', padding: 'valid' }, ...workshop.slice(1)),
    "padding 'same'": network(...workshop.map((l) => (l.kind === 'Conv2D' ? { ...l, padding: 'same' as const } : l))),
    BatchNormalization: network(workshop[0]!, { kind: 'BatchNormalization' }, workshop[1]!, { kind: 'BatchNormalization' }, ...workshop.slice(2)),
    strides: network({ kind: 'Conv2D', filters: 16, kernelSize: 5, activation: 'elu', padding: 'same', strides: 2 }, { kind: 'Conv2D', filters: 16, kernelSize: 3, activation: 'tanh', padding: 'valid', strides: 1 }, flatten, output),
    'linear activations and odd rates': network(flatten, { kind: 'Dense', units: 7, activation: 'linear' }, { kind: 'Dropout', rate: 0.125 }, { kind: 'Dropout', rate: 0 }, output),
    'BatchNormalization first': network({ kind: 'BatchNormalization' }, flatten, output),
    'no layers': network(),
    'an input the app cannot train': { input: [32, 32, 3], layers: [flatten, output] },
    'a network with problems': network(output, { kind: 'Conv2D', filters: 0, kernelSize: 9, activation: 'sigmoid', padding: 'valid' }, flatten, flatten),
  };
  for (const [name, definition] of Object.entries(variants)) {
    it(name, () => {
      const result = parsed(formatKeras(definition));
      expect(result.network).toEqual(definition);
      expect(result.training).toEqual({});
    });
  }

  const trainings: Record<string, Omit<TrainingDefinition, 'recipe'>> = {
    "the workshop's training": WORKSHOP_TRAINING,
    adam: { optimizer: { name: 'adam', learningRate: 0.0005 }, batchSize: 32, epochs: 12, images: 600 },
    sgd: { optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 }, batchSize: 1024, epochs: 50, images: 60_000 },
    'adadelta of its own': { optimizer: { name: 'adadelta', learningRate: 0.5, rho: 0.9, epsilon: 1e-6 }, batchSize: 1, epochs: 1, images: 1 },
  };
  for (const [name, training] of Object.entries(trainings)) {
    it(`${name}, with its compile and fit lines`, () => {
      const { optimizer, batchSize, epochs, images } = training;
      expect(parsed(formatKeras(WORKSHOP_NETWORK, training))).toEqual({ ok: true, network: WORKSHOP_NETWORK, training: { optimizer, batchSize, epochs, images } });
    });
  }
});

describe('parseKeras takes Keras as people write it', () => {
  it("reads mnist_cnn.py's settings and model as the example has them", () => {
    const text = `'''Trains a simple convnet on the MNIST dataset.
Gets to 99.25% test accuracy after 12 epochs
'''
from __future__ import print_function
import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten
from keras.layers import Conv2D, MaxPooling2D
from keras import backend as K

batch_size = 128
num_classes = 10
epochs = 12

# input image dimensions
img_rows, img_cols = 28, 28
input_shape = (img_rows, img_cols, 1)

model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3),
                 activation='relu',
                 input_shape=input_shape))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(num_classes, activation='softmax'))

model.compile(loss=keras.losses.categorical_crossentropy,
              optimizer=keras.optimizers.Adadelta(),
              metrics=['accuracy'])

model.fit(x_train, y_train,
          batch_size=batch_size,
          epochs=epochs,
          verbose=1,
          validation_data=(x_test, y_test))
score = model.evaluate(x_test, y_test, verbose=0)
print('Test loss:', score[0])
`;
    expect(parsed(text)).toEqual({
      ok: true,
      network: WORKSHOP_NETWORK,
      training: { optimizer: OPTIMIZER_DEFAULTS.adadelta, batchSize: 128, epochs: 12, images: 60_000 },
    });
  });

  it('takes Sequential([...]), dotted names, double quotes, positional arguments, comments and Keras defaults', () => {
    const text = `
      from tensorflow.keras.layers import (
          Conv2D,
          Dense,
      )
      net = keras.Sequential([
          keras.Input(shape=(28, 28, 1)),       # the images
          layers.Conv2D(16, 3, 2, "SAME", activation="relu"),
          layers.MaxPool2D(),
          layers.BatchNormalization(axis=-1),
          layers.Flatten(),
          layers.Dense(10, "softmax", name="digits"),
      ])
      net.summary(); net.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
      net.fit(x_train[:6_000], y_train[:6_000])
    `;
    expect(parsed(text)).toEqual({
      ok: true,
      network: network(
        { kind: 'Conv2D', filters: 16, kernelSize: 3, activation: 'relu', padding: 'same', strides: 2 },
        { kind: 'MaxPooling2D', poolSize: 2 },
        { kind: 'BatchNormalization' },
        flatten,
        output,
      ),
      // Keras's fit() defaults: batches of 32, one epoch.
      training: { optimizer: OPTIMIZER_DEFAULTS.adam, batchSize: 32, epochs: 1, images: 6000 },
    });
  });

  it("takes model.add(...) lines alone, Keras 2's lr=, activation=None, a line continued with a backslash", () => {
    const text = [
      "model.add(Conv2D(filters=4, kernel_size=5, activation=None, padding='valid', input_shape=(28, 28, 1)))",
      'model.add(Flatten(data_format="channels_last"))',
      "model.add(Dense(units=10, activation=keras.activations.softmax))",
      'model.compile(optimizer=SGD(lr=0.01, momentum=0.5, nesterov=False), \\',
      "  loss='categorical_crossentropy')",
    ].join('\r\n');
    expect(parsed(text)).toEqual({
      ok: true,
      network: network({ kind: 'Conv2D', filters: 4, kernelSize: 5, activation: 'linear', padding: 'valid' }, flatten, output),
      training: { optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0.5 } },
    });
  });
});

describe('parseKeras says on which line what was expected', () => {
  const lines = (...body: string[]) => ['from keras.layers import Dense', '', 'model = Sequential()', ...body].join('\n');

  it.each([
    [lines('model.add(Conv3D(8, 3))'), 4, 11, 'expected one of the layers the editor offers (Conv2D, MaxPooling2D, Dropout, Flatten, Dense, BatchNormalization), found Conv3D'],
    [lines("model.add(Activation('relu'))"), 4, 11, "expected one of the layers the editor offers (Conv2D, MaxPooling2D, Dropout, Flatten, Dense, BatchNormalization), found Activation: give the layer before it activation='...' instead"],
    [lines('model.add(Conv2D(8, (3, 5)))'), 4, 21, 'expected the same size both ways for kernel_size, as (3, 3): the editor has square ones only'],
    [lines('model.add(Conv2D(8, 3, dilation_rate=2))'), 4, 24, 'found dilation_rate=, which the editor cannot set on Conv2D; expected filters, kernel_size, strides, padding, activation, input_shape'],
    [lines("model.add(Dense(10, activation='gelu'))"), 4, 32, "expected an activation: one of 'relu', 'elu', 'selu', 'tanh', 'sigmoid', 'softplus', 'softsign', 'softmax', 'linear'"],
    [lines('model.add(Dense(num_classes))'), 4, 17, "found the name 'num_classes', which the text does not give a value first (as num_classes = 10)"],
    [lines("model.add(Dense(units=10, 'softmax'))"), 4, 27, 'expected a keyword argument (name=value): Dense(...) has one before this'],
    [lines('model.add(Dense(10, 12, 14))'), 4, 25, 'expected at most 2 arguments without names in Dense(...): units, activation'],
    [lines('model.add(Dropout())'), 4, 11, 'expected the rate in Dropout(...), as Dropout(0.25)'],
    [lines('model.add(Flatten())', 'model.add(Dense(10, input_shape=(784,)))'), 5, 33, 'expected input_shape on the first layer only'],
    [lines('model.add(Flatten(input_shape=(28, 28)))'), 4, 31, "expected the input's shape as (height, width, channels), as (28, 28, 1)"],
    [lines("model.add(MaxPooling2D(2, strides=1))"), 4, 35, 'expected strides=None or the pool size: the editor pools with strides equal to the pool_size'],
    [lines('model.add Dense(10)'), 4, 11, "expected '=' or '(' after model.add, found 'Dense'"],
    [lines('model.add(Dense(10)) model.add(Flatten())'), 4, 22, "expected the end of the line after model.add(...), found 'model'"],
    [lines('other.add(Dense(10))'), 4, 1, 'expected model.add(...), model.compile(...) or model.fit(...), found other.add(...)'],
    [lines('model.add(Dense(10, $))'), 4, 21, "found '$', which Keras text does not use here"],
    [lines('model.add(Dense(10]))'), 4, 19, "expected ')' to close the '(' of line 4, column 16, found ']'"],
    [lines('model.add(Dense(10, activation="relu)'), 4, 32, 'expected a closing " for the text that starts here, on the same line'],
    [lines("model.compile(loss='mse', optimizer='adam')"), 4, 20, "expected loss='categorical_crossentropy': the app trains with it"],
    [lines("model.compile(optimizer=RMSprop())"), 4, 25, 'expected an optimizer the editor offers (Adadelta, Adam, SGD), found RMSprop'],
    [lines("model.compile(optimizer=Adam(beta_1=0.8))"), 4, 30, 'found beta_1=, which the editor cannot set on Adam; expected learning_rate'],
    [lines('model.fit(x_train[100:], y_train[100:])'), 4, 11, 'expected x as x_train or x_train[:n], the first n images'],
    [lines('model.fit(x_train[:100], y_train[:200])'), 4, 26, 'expected as many labels as images (100)'],
    [lines('model2 = Sequential()'), 4, 10, 'expected one model: model = Sequential() came first'],
    [lines('x = load()'), 4, 5, 'expected x = Sequential(), or a number, a text or a tuple to give x'],
    ['', 1, 1, 'expected model = Sequential() and model.add(...) lines, found none'],
    ['# nothing but a comment\n\n', 3, 1, 'expected model = Sequential() and model.add(...) lines, found none'],
  ])('case %#', (text, line, column, detail) => {
    expect(failure(text)).toEqual({ line, column, detail, message: `Line ${line}, column ${column}: ${detail}` });
  });

  it('points an unclosed bracket at where it opened, lines before the end', () => {
    const error = failure(lines("model.add(Conv2D(32, kernel_size=(3, 3),", "                 activation='relu')", 'model.add(Flatten())'));
    expect(error).toMatchObject({ line: 4, column: 10, detail: "expected ')' to close this '(', found the end of the text" });
  });

  it('counts the lines of a docstring', () => {
    expect(failure('"""A\nnetwork\n"""\nmodel.add(Conv3D())')).toMatchObject({ line: 4, column: 11 });
  });
});
