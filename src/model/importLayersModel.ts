/**
 * Import of a Layers model from picked files, in three steps that each refuse bad input before the next one
 * costs anything: read (sizes first, then only the files model.json names), dry-build (the topology's weights
 * and shapes, and what reading a digit will cost, nothing allocated), load (for real; whatever a failure leaves
 * allocated is freed), each within importLimits.ts's limits. One Keras `.h5` or `.keras` file is read by
 * keras/readKeras.ts, loaded (with its HDF5 reader) only when one is picked.
 */
import * as tf from '@tensorflow/tfjs';
import { type IncompatibleModelError, inputLayoutFor } from './compatibility';
import { assertActivationsFit, assertWeightsMatch, dryBuild } from './dryBuild';
import { MAX_KERAS_CONFIG_BYTES, MAX_KERAS_FILE_BYTES, MAX_WEIGHT_BYTES } from './importLimits';
import { ImportError, type PickedFile, parseConfigJson, readModelFiles } from './importModel';
import { isKerasFileName } from './keras/kerasFileName';

export interface ImportedModel {
  model: tf.LayersModel;
  /** The file the model is named after: model.json, or the Keras file. */
  fileName: string;
  /** What the user should know about how the model is read (a Keras model without a softmax, say). */
  notes: string[];
}

/** Reads picked files as TensorFlow.js Layers files (model.json and its weights) or as one Keras file. */
export async function importModelFiles(files: readonly PickedFile[]): Promise<ImportedModel> {
  const keras = files.filter((f) => isKerasFileName(f.name));
  if (keras.length === 0 || files.some((f) => f.name.toLowerCase().endsWith('.json'))) {
    return { model: await importLayersModel(files), fileName: files.find((f) => f.name.toLowerCase().endsWith('.json'))?.name ?? 'model.json', notes: [] };
  }
  if (keras.length > 1) throw new ImportError('Choose one Keras file (.h5 or .keras) at a time.');
  const { readKerasFile } = await import('./keras/readKeras');
  let read: Awaited<ReturnType<typeof readKerasFile>>;
  try {
    read = await readKerasFile(keras[0]!, {
      plan: async (topology) => (await dryBuild(topology)).weights,
      parseConfig: parseConfigJson,
      maxFileBytes: MAX_KERAS_FILE_BYTES,
      maxWeightBytes: MAX_WEIGHT_BYTES,
      maxConfigBytes: MAX_KERAS_CONFIG_BYTES,
    });
  } catch (error) {
    throw error instanceof Error && (error as { code?: unknown }).code === 'invalid-model' ? new ImportError(error.message) : error;
  }
  return { model: await loadChecked(read.artifacts), fileName: keras[0]!.name, notes: read.notes };
}

export async function importLayersModel(files: readonly PickedFile[]): Promise<tf.LayersModel> {
  return loadChecked(await readModelFiles(files));
}

async function loadChecked(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  const plan = await dryBuild(artifacts.modelTopology);
  try {
    inputLayoutFor(plan.inputShapes, plan.outputShapes);
  } catch (error) {
    throw new ImportError(`This model cannot read digits here: ${(error as IncompatibleModelError).message}.`);
  }
  assertActivationsFit(plan.activations);
  assertWeightsMatch(plan.weights, artifacts.weightSpecs ?? []);
  // The app only predicts with an imported model (further training compiles it afresh), and Keras's training
  // configs (optimizer names, metric objects) vary between versions: the topology and weights are what count.
  const model = await loadFreeingOnFailure({ ...artifacts, trainingConfig: undefined });
  const problem = numbersProblem(model, plan.inputShapes[0]!);
  if (problem) {
    model.dispose();
    throw new ImportError(problem);
  }
  return model;
}

/**
 * Why the model would read nonsense, or undefined: a weight that is not a finite number, or a reading of a blank
 * and of a full input that is not finite (weights so large that the first reading overflows). Either way every
 * digit would read NaN; refused before the model is saved or made active. Costs one pass over the weights and
 * two readings.
 */
function numbersProblem(model: tf.LayersModel, inputShape: ReadonlyArray<number | null>): string | undefined {
  for (const weight of model.weights) {
    const values = weight.read().dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) return `Its weight ${weight.name} holds ${String(values[i])}, not a number a model can read with.`;
    }
  }
  const shape = [2, ...inputShape.slice(1).map((d) => d ?? 1)];
  const out = tf.tidy(() => {
    const x = tf.concat([tf.zeros([1, ...shape.slice(1)]), tf.ones([1, ...shape.slice(1)])]);
    return (model.predict(x) as tf.Tensor).dataSync();
  });
  if (out.some((v) => !Number.isFinite(v))) return 'Its first reading gives no numbers (its weights overflow the arithmetic): it would read every digit as nothing.';
  return undefined;
}

/** tfjs.loadLayersModel, but a failure part-way leaves no variable or tensor behind. */
async function loadFreeingOnFailure(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  const engine = tf.engine();
  const variablesBefore = new Set(Object.keys(engine.state.registeredVariables));
  // Tensors tfjs makes on the way (decoded weights) and does not dispose when it throws. fromMemory's load
  // yields only to microtasks, so no other work of this worker runs inside the scope.
  engine.startScope();
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    for (const [name, variable] of Object.entries(engine.state.registeredVariables)) {
      if (!variablesBefore.has(name)) variable.dispose();
    }
    throw new ImportError(`The model could not be read: ${(error as Error).message}`);
  } finally {
    engine.endScope();
  }
}
