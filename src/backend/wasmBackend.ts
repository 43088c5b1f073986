/** Starts tfjs's wasm backend in a worker, with its binaries served by the app itself (hashed by Vite). */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { registerWasmTrainingKernels } from './wasmTrainingKernels';

let configured = false;

/** Switches to wasm (SIMD where the browser has it). Returns false when wasm cannot start here. */
export async function startWasm(): Promise<boolean> {
  if (!configured) {
    configured = true;
    registerWasmTrainingKernels();
    // Threads would need a cross-origin-isolated page and stay at one thread anyway (tfjs issue 8513).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': plainWasmUrl,
      'tfjs-backend-wasm-simd.wasm': simdWasmUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': simdWasmUrl,
    });
  }
  try {
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}
