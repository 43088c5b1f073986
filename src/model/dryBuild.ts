/**
 * Builds a Layers model's topology without allocating a single weight, to learn the weights it would create
 * and its input and output shapes. TensorFlow.js itself parses the topology (every format it reads, every layer
 * it knows, its own shape inference); only `Layer.addWeight` is swapped, for the length of the synchronous
 * build, for one that records the weight's name and shape and allocates nothing.
 *
 * Why: tfjs builds every layer, allocating and initialising its weights, before it looks at the weight data.
 * A 570-byte model.json declaring a Dense layer of 300,000 units made it allocate 0.94 GB before failing.
 * The built layers' shapes also tell what reading one image will cost (activationCost.ts), checked here too:
 * an 80-byte weight file's model once asked for 12.5 GB at its first reading.
 */
import * as tf from '@tensorflow/tfjs';
import { type ActivationCost, activationCost } from './activationCost';
import { MAX_ACTIVATION_BYTES } from './importLimits';
import { functionalGraphProblem } from './functionalGraph';
import { sequentialLayersProblem } from './sequentialLayers';
import { ImportError } from './importModel';

export interface PlannedWeight {
  name: string;
  shape: number[];
}

export interface DryBuild {
  weights: PlannedWeight[];
  inputShapes: Array<Array<number | null>>;
  outputShapes: Array<Array<number | null>>;
  /** What reading one image takes in activations. */
  activations: ActivationCost;
}

type AddWeight = (this: tf.layers.Layer, name: string, shape: number[], ...rest: unknown[]) => unknown;

/** A stand-in for LayerVariable that holds no tensor. Building a layer only keeps the reference. */
function plannedVariable(name: string, shape: number[], dtype: unknown) {
  const unavailable = () => {
    throw new Error('a dry-built model has no weights');
  };
  return { name, originalName: name, shape, dtype: dtype ?? 'float32', trainable: true, read: unavailable, write: unavailable, dispose() {} };
}

export async function dryBuild(modelTopology: unknown): Promise<DryBuild> {
  // tfjs loops forever on a functional graph that reads from a layer or node that never exists: checked first.
  const graph = functionalGraphProblem(modelTopology);
  if (graph) throw new ImportError(`The model's layers cannot be connected as its file says: ${graph}.`);
  // tfjs iterates a Sequential model's layers as they come (a number: "Object is not iterable"): checked first too.
  const sequential = sequentialLayersProblem(modelTopology);
  if (sequential) throw new ImportError(`The model's topology could not be read: ${sequential}.`);
  const proto = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = proto.addWeight;
  const weights: PlannedWeight[] = [];
  proto.addWeight = function (this: tf.layers.Layer, name: string, shape: number[], dtype?: unknown) {
    weights.push({ name: `${this.name}/${name}`, shape: [...shape] });
    return plannedVariable(name, shape, dtype);
  };
  let built: Promise<tf.LayersModel>;
  try {
    // modelFromJSON deserialises and builds synchronously before its first await; with no weightsManifest it
    // loads nothing. The swap is undone before anything else can run.
    built = tf.models.modelFromJSON({ modelTopology: modelTopology as tf.io.ModelJSON['modelTopology'] } as tf.io.ModelJSON);
  } finally {
    proto.addWeight = original;
  }
  let model: tf.LayersModel;
  try {
    model = await built;
  } catch (error) {
    const message = (error as Error).message;
    // tfjs walks a functional model's graph recursively, a level per layer: a chain of 10,000 layers overflows.
    if (/call stack|too much recursion/i.test(message)) {
      throw new ImportError(`The model's layers are chained too deep for TensorFlow.js to build (it follows the chain one call per layer, and ran out of stack); it is refused.`);
    }
    const unknown = /Unknown (layer|activation|initializer|regularizer|constraint)[^.]*/i.exec(message);
    throw new ImportError(unknown ? `The model uses something this app does not know: ${unknown[0]}.` : `The model's topology could not be read: ${message}`);
  }
  return {
    weights,
    inputShapes: model.inputs.map((t) => t.shape),
    outputShapes: model.outputs.map((t) => t.shape),
    activations: activationCost(model),
  };
}

const MiB = 1024 * 1024;
function bytesText(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more memory than any device has';
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} GB`;
}

/**
 * Refuses a model that would need more than `maxBytes` of activations to read one digit, naming the layer that
 * needs the most, before a reading ever runs. Its input must already be known to be a digit's (compatibility.ts):
 * from there every layer's shape is known, so an unknown one is refused too.
 */
export function assertActivationsFit(cost: ActivationCost, maxBytes = MAX_ACTIVATION_BYTES): void {
  const cap = `models that need over ${maxBytes / MiB} MB of activations to read one digit are refused`;
  if (cost.unknown) {
    throw new ImportError(`The size of layer ${cost.unknown.layer}'s output (${cost.unknown.shape}) cannot be worked out before running it, so neither can what reading a digit would cost; ${cap}.`);
  }
  if (cost.bytes <= maxBytes) return;
  const largest = cost.largest ? ` (layer ${cost.largest.layer}'s ${cost.largest.what} alone takes ${bytesText(cost.largest.bytes)})` : '';
  throw new ImportError(`Reading one digit with this model would need ${bytesText(cost.bytes)} for its layers' activations${largest}; ${cap}.`);
}

const shapeKey = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Checks that the manifest holds exactly the weights the topology creates, shape for shape, before any layer
 * is built for real: a topology that would allocate more than its weight files hold is refused here.
 */
export function assertWeightsMatch(planned: readonly PlannedWeight[], specs: readonly tf.io.WeightsManifestEntry[]): void {
  const given = specs.filter((s) => s.group !== 'optimizer');
  const count = (shapes: string[]) => shapes.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const want = count(planned.map((w) => shapeKey(w.shape)));
  const have = count(given.map((s) => shapeKey(s.shape)));
  for (const weight of planned) {
    const key = shapeKey(weight.shape);
    if ((have.get(key) ?? 0) < want.get(key)!) {
      throw new ImportError(
        `The model's layers need a weight ${weight.name} of shape ${key}, which its weight files do not hold (they hold ${given.length} weights for the ${planned.length} its layers need).`,
      );
    }
  }
  if (given.length !== planned.length) {
    throw new ImportError(`The weight files hold ${given.length} weights but the model's layers need ${planned.length}.`);
  }
}
