/** Node scripts and unit tests train on the same wasm backend (with the same added kernels) as the browser. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/backend/wasmTrainingKernels';

export async function startWasmBackend(): Promise<void> {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to start in Node');
  await tf.ready();
}
