/** Which models the app can predict with: input [null, 28, 28, 1] or [null, 784], ten outputs. */
import type * as tf from '@tensorflow/tfjs';

export type InputLayout = 'image' | 'flat';
type Shape = Array<number | null>;

export class IncompatibleModelError extends Error {
  override name = 'IncompatibleModelError';
}

const shape = (dims: Shape) => `[${dims.map((d) => (d === null ? 'null' : d)).join(', ')}]`;

/** The input layout for a model with these input and output shapes (known before any weight exists). */
export function inputLayoutFor(inputs: readonly Shape[], outputs: readonly Shape[]): InputLayout {
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new IncompatibleModelError(`the model has ${inputs.length} inputs and ${outputs.length} outputs; one of each is needed`);
  }
  const input = inputs[0]!;
  const output = outputs[0]!;
  if (output.length !== 2 || output[1] !== 10) {
    throw new IncompatibleModelError(`the model's output is ${shape(output)}; ten digit probabilities [null, 10] are needed`);
  }
  if (input.length === 4 && input[1] === 28 && input[2] === 28 && input[3] === 1) return 'image';
  if (input.length === 2 && input[1] === 784) return 'flat';
  throw new IncompatibleModelError(`the model's input is ${shape(input)}; [null, 28, 28, 1] or [null, 784] is needed`);
}

export function inputLayoutOf(model: tf.LayersModel): InputLayout {
  return inputLayoutFor(
    model.inputs.map((t) => t.shape),
    model.outputs.map((t) => t.shape),
  );
}
