/**
 * A network definition (shared/networkDefinition.ts) as the TensorFlow.js model the training worker trains: one
 * tfjs layer per `model.add(...)` line of its Keras text (shared/kerasText.ts), with the configs Keras and tfjs
 * give those lines (tfjs's layer configs are Keras's: kernel_size 3 is [3, 3], strides 1 is [1, 1], activation
 * None is 'linear'), named and initialised as the app's CNN (model/cnn.ts: the model named mnist_cnn, layers
 * named by tfjs, Glorot uniform kernels seeded when a seed is given, zero biases). The workshop's definition
 * (WORKSHOP_NETWORK) builds cnn.ts's model, config for config and, with the same seed, weight for weight.
 */
import * as tf from '@tensorflow/tfjs';
import { CNN_MODEL_NAME, compileWithOptimizer, kernelInitializerFor } from '../../../model/cnn';
import { type DefinitionProblem, type EditorLimits, definitionProblems } from '../shared/definitionProblems';
import { networkFigures } from '../shared/layerShapes';
import { type LayerDefinition, type NetworkDefinition, type OptimizerSettings, stridesOf } from '../shared/networkDefinition';
import { optimizerFor } from './optimizerFor';

/** A definition the app cannot train (definitionProblems.ts says why). */
export class NetworkDefinitionError extends Error {
  constructor(readonly problems: readonly DefinitionProblem[]) {
    super(`the network cannot be built: ${problems.map((p) => p.message).join(' ')}`);
    this.name = 'NetworkDefinitionError';
  }
}

export interface BuildOptions {
  /** Seeds the kernels' Glorot initialiser and the Dropout layers, as buildCnn(seed); random when left out. */
  seed?: number;
  /** The model's name: mnist_cnn (cnn.ts's) when left out. */
  name?: string;
  /** The device's limits, checked with the rest (definitionProblems.ts); none when left out. */
  limits?: EditorLimits;
}

type KernelInitializer = ReturnType<typeof kernelInitializerFor>;

/** One layer of the definition as the tfjs layer Keras's line gives; `inputShape` for the first. */
export function layerFor(layer: LayerDefinition, kernelInitializer: KernelInitializer, seed?: number, inputShape?: readonly number[]): tf.layers.Layer {
  const input = inputShape ? { inputShape: [...inputShape] } : {};
  switch (layer.kind) {
    case 'Conv2D':
      return tf.layers.conv2d({
        ...input,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: stridesOf(layer),
        padding: layer.padding,
        activation: layer.activation,
        kernelInitializer,
      });
    case 'MaxPooling2D':
      return tf.layers.maxPooling2d({ ...input, poolSize: layer.poolSize });
    case 'Dropout':
      return tf.layers.dropout({ ...input, rate: layer.rate, seed });
    case 'Flatten':
      return tf.layers.flatten(input);
    case 'Dense':
      return tf.layers.dense({ ...input, units: layer.units, activation: layer.activation, kernelInitializer });
    case 'BatchNormalization':
      // tfjs's defaults are Keras's: the last axis, momentum 0.99, epsilon 1e-3, centre and scale.
      return tf.layers.batchNormalization(input);
    default:
      throw new Error(`no layer of kind ${String((layer as { kind?: unknown }).kind)}`);
  }
}

/**
 * The model of a definition that has no problems; a NetworkDefinitionError where it has any. Its parameter count
 * is networkFigures's (checked: a difference is a bug in one or the other, and throws).
 */
export function buildNetwork(network: NetworkDefinition, options: BuildOptions = {}): tf.Sequential {
  const figures = networkFigures(network);
  const problems = definitionProblems(network, options.limits ?? {}, undefined, figures);
  if (problems.length > 0) throw new NetworkDefinitionError(problems);
  const kernelInitializer = kernelInitializerFor(options.seed);
  const model = tf.sequential({ name: options.name ?? CNN_MODEL_NAME });
  try {
    network.layers.forEach((layer, i) => model.add(layerFor(layer, kernelInitializer, options.seed, i === 0 ? network.input : undefined)));
    const parameters = model.countParams();
    if (parameters !== figures.parameters) throw new Error(`the built network has ${parameters} parameters; its figures say ${String(figures.parameters)}`);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Compiles a built network as the app's CNN is compiled (categorical cross-entropy, accuracy) with the editor's optimizer. */
export function compileNetwork(model: tf.LayersModel, optimizer: OptimizerSettings): void {
  compileWithOptimizer(model, optimizerFor(optimizer));
}
