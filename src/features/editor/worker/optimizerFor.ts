/**
 * The network editor's optimizer settings (shared/networkDefinition.ts) as a TensorFlow.js optimizer, each as
 * Keras computes it:
 *  - adadelta: Keras's Adadelta, the project's own (model/kerasAdadelta.ts; tfjs's differs on its first step);
 *  - adam: tf.train.adam with Keras's beta_1 0.9, beta_2 0.999 and epsilon 1e-7 (tfjs's default epsilon is the
 *    backend's, 1e-4 on a WebGL device without float32 textures: stated here so every backend uses Keras's);
 *  - sgd: tf.train.momentum (accum = m accum + g; p -= lr accum), which for a constant learning rate is Keras's
 *    SGD with momentum (v = m v - lr g; p += v) step for step; tf.train.sgd when the momentum is 0. No Nesterov.
 * A new optimizer each call (its state belongs to one model's training run).
 */
import * as tf from '@tensorflow/tfjs';
import { KerasAdadelta } from '../../../model/kerasAdadelta';
import type { OptimizerSettings } from '../shared/networkDefinition';

/** Keras's Adam defaults, those the editor does not offer to change. */
export const KERAS_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

export function optimizerFor(settings: OptimizerSettings): tf.Optimizer {
  switch (settings.name) {
    case 'adadelta':
      return new KerasAdadelta({ learningRate: settings.learningRate, rho: settings.rho, epsilon: settings.epsilon });
    case 'adam':
      return tf.train.adam(settings.learningRate, KERAS_ADAM.beta1, KERAS_ADAM.beta2, KERAS_ADAM.epsilon);
    case 'sgd':
      return settings.momentum === 0 ? tf.train.sgd(settings.learningRate) : tf.train.momentum(settings.learningRate, settings.momentum, false);
    default:
      throw new Error(`no optimizer named ${String((settings as { name?: unknown }).name)}`);
  }
}
