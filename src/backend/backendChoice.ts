/**
 * Which TensorFlow.js backend trains: WebGL where the device has a real GPU; wasm where WebGL is missing, fails
 * or is a software renderer (SwiftShader, llvmpipe: measured 2-4 images/s against wasm's ~110); cpu last.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import type { BackendName } from '../model/modelCard';
import { startWasm } from './wasmBackend';

export type { BackendName } from '../model/modelCard';

/** The backend that trains, in plain words and with its technical reason. */
export interface BackendInfo {
  name: BackendName;
  /** Where training runs, in plain words for anyone. */
  summary: string;
  /** Why this backend was chosen, with the technical details (renderer, errors). */
  reason: string;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer string of tfjs's webgl backend, or why WebGL is not there. */
async function probeWebgl(): Promise<{ renderer?: string; error?: string }> {
  try {
    if (!(await tf.setBackend('webgl'))) return { error: 'no WebGL context' };
    const backend = tf.backend() as unknown as { gpgpu?: { gl: WebGLRenderingContext } };
    const gl = backend.gpgpu?.gl;
    if (!gl) return { renderer: 'unknown' };
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return { renderer: String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function setBackend(name: BackendName): Promise<boolean> {
  if (name === 'wasm') return startWasm();
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

export async function chooseTrainingBackend(requested?: BackendName): Promise<BackendInfo> {
  if (requested && (await setBackend(requested))) {
    return { name: requested, summary: `Training with ${requested}, as the page address asks.`, reason: `requested in the page address (?backend=${requested})` };
  }
  const webgl = await probeWebgl();
  if (webgl.renderer && !SOFTWARE_RENDERER.test(webgl.renderer)) {
    return { name: 'webgl', summary: 'Training on this device’s graphics processor.', reason: `WebGL on the GPU (${webgl.renderer})` };
  }
  if (tf.findBackend('webgl')) tf.removeBackend('webgl');
  const why = webgl.renderer
    ? `WebGL here is a software renderer (${webgl.renderer}), far slower than wasm`
    : `WebGL is unavailable (${webgl.error})`;
  const plain = webgl.renderer ? 'WebGL here is a slow software renderer' : 'WebGL is not available here';
  if (await startWasm()) return { name: 'wasm', summary: `Training on this device’s processor: ${plain}.`, reason: `${why}; training on the CPU with wasm SIMD` };
  await tf.setBackend('cpu');
  return { name: 'cpu', summary: `Training in plain JavaScript, which is slow: ${plain}, and WebAssembly failed to start.`, reason: `${why}, and wasm failed to start; plain JavaScript is slow` };
}

/** The backend to fall back to when `current` fails mid-way, if any. */
export async function fallBackFrom(current: BackendName, cause: string): Promise<BackendInfo | undefined> {
  if (current === 'webgl') {
    try {
      if (tf.findBackend('webgl')) tf.removeBackend('webgl');
    } catch {
      // disposing a backend whose context is gone may fail; it is not used again either way
    }
    if (await startWasm()) return { name: 'wasm', summary: 'The graphics processor failed; training carries on with this device’s processor.', reason: `WebGL failed (${cause}); continued on wasm` };
  }
  if (current !== 'cpu' && (await setBackend('cpu'))) {
    return { name: 'cpu', summary: 'Training carries on in plain JavaScript, which is slow.', reason: `${current} failed (${cause}); continued on cpu` };
  }
  return undefined;
}
