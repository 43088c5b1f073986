/** Which loaded models the app can predict with: input [null, 28, 28, 1] or [null, 784], ten outputs. */
import type * as tf from '@tensorflow/tfjs';

export type InputLayout = 'image' | 'flat';

export class IncompatibleModelError extends Error {
  override name = 'IncompatibleModelError';
}

const shape = (dims: Array<number | null>) => `[${dims.map((d) => (d === null ? 'null' : d)).join(', ')}]`;

export function inputLayoutOf(model: tf.LayersModel): InputLayout {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new IncompatibleModelError(`the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; one of each is needed`);
  }
  const input = model.inputs[0]!.shape;
  const output = model.outputs[0]!.shape;
  if (output.length !== 2 || output[1] !== 10) {
    throw new IncompatibleModelError(`the model's output is ${shape(output)}; ten digit probabilities [null, 10] are needed`);
  }
  if (input.length === 4 && input[1] === 28 && input[2] === 28 && input[3] === 1) return 'image';
  if (input.length === 2 && input[1] === 784) return 'flat';
  throw new IncompatibleModelError(`the model's input is ${shape(input)}; [null, 28, 28, 1] or [null, 784] is needed`);
}
