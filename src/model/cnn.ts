/**
 * The CNN of the original workshop, layer for layer Keras 2.2.4's examples/mnist_cnn.py:
 * Conv2D(32, 3x3, relu) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2x2) -> Dropout(0.25) -> Flatten
 * -> Dense(128, relu) -> Dropout(0.5) -> Dense(10, softmax); categorical cross-entropy; Adadelta(lr 1.0).
 * Initialisers are the Keras defaults (Glorot uniform kernels, zero biases), which tfjs shares.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from '../data/mnistFacts';
import { KerasAdadelta, type KerasAdadeltaConfig } from './kerasAdadelta';

export const CNN_PARAMETER_COUNT = 1_199_882;
export { DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS } from './defaults';

/** The model's name, as Keras's summary and the exported files show it. */
export const CNN_MODEL_NAME = 'mnist_cnn';

/** The kernels' initialiser: Keras's default Glorot uniform, seeded when a seed is given (the same for every layer). */
export function kernelInitializerFor(seed?: number): 'glorotUniform' | ReturnType<typeof tf.initializers.glorotUniform> {
  return seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed });
}

export function buildCnn(seed?: number): tf.Sequential {
  const kernelInitializer = kernelInitializerFor(seed);
  const model = tf.sequential({ name: CNN_MODEL_NAME });
  model.add(
    tf.layers.conv2d({
      inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1],
      filters: 32,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer,
    }),
  );
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25, seed }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer }));
  model.add(tf.layers.dropout({ rate: 0.5, seed }));
  model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer }));
  return model;
}

/** Compiles a model with the original's loss, optimizer and metric. */
export function compileForTraining(model: tf.LayersModel, optimizer?: Partial<KerasAdadeltaConfig>): void {
  compileWithOptimizer(model, new KerasAdadelta(optimizer));
}

/** Compiles a model with the original's loss and metric and the given optimizer (the network editor's choice). */
export function compileWithOptimizer(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}
