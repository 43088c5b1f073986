/**
 * Which TensorFlow.js backend trains: WebGL where the device has a real GPU; wasm where WebGL is missing, fails
 * or is a software renderer (SwiftShader, llvmpipe: measured 2-4 images/s against wasm's ~110); cpu last.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import type { BackendName } from '../model/modelCard';
import type { BackendTrial } from '../model/measuredChoice';
import { startWasm } from './wasmBackend';

export type { BackendName } from '../model/modelCard';

/** The backend that trains, in plain words and with its technical reason. */
export interface BackendInfo {
  name: BackendName;
  /** Every backend as measured on this device, when the choice was measured (model/measuredChoice.ts). */
  figures?: BackendTrial[];
  /** Where training runs, in plain words for anyone. */
  summary: string;
  /** Why this backend was chosen, with the technical details (renderer, errors). */
  reason: string;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer string of tfjs's webgl backend, or why WebGL is not there. */
export async function probeWebgl(): Promise<{ renderer?: string; error?: string }> {
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

/** The WebGPU adapter of this device, in words ("google swiftshader", "nvidia ampere"), or why there is none. */
export async function probeWebgpu(): Promise<{ adapter?: string; error?: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
  if (!gpu) return { error: 'this browser offers no WebGPU' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { error: 'no WebGPU adapter' };
    const info = adapter.info ?? {};
    return { adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter' };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Registers tfjs's WebGPU backend, loaded only where the device has an adapter (its code is not in the first visit). */
async function startWebgpu(): Promise<boolean> {
  if ((await probeWebgpu()).error) return false;
  if (!tf.findBackend('webgpu')) await import('@tensorflow/tfjs-backend-webgpu');
  return tf.setBackend('webgpu');
}

/** Switches to `name`; false when it cannot start here. */
export async function setBackend(name: BackendName): Promise<boolean> {
  if (name === 'wasm') return startWasm();
  try {
    return name === 'webgpu' ? await startWebgpu() : await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** The GPU as the backends see it, for telling devices apart: WebGL's renderer and WebGPU's adapter. */
export async function gpuIdentity(): Promise<string> {
  const [webgl, webgpu] = [await probeWebgl(), await probeWebgpu()];
  return [webgl.renderer && `WebGL: ${webgl.renderer}`, webgpu.adapter && `WebGPU: ${webgpu.adapter}`].filter(Boolean).join('; ');
}

/** What `name` runs on here, in words (its renderer or adapter), for the measured figures. */
export async function backendDetail(name: BackendName): Promise<string | undefined> {
  if (name === 'webgl') return (await probeWebgl()).renderer;
  if (name === 'webgpu') return (await probeWebgpu()).adapter;
  return undefined;
}

/**
 * The backend by the rule of thumb (the page's request; a real GPU's WebGL; else wasm; else cpu). `keepOthers`
 * keeps WebGL registered even when it is not taken, for a measurement to come.
 */
export async function chooseTrainingBackend(requested?: BackendName, keepOthers = false): Promise<BackendInfo> {
  if (requested && (await setBackend(requested))) {
    return { name: requested, summary: `Training with ${requested}, as the page address asks.`, reason: `requested in the page address (?backend=${requested})` };
  }
  const webgl = await probeWebgl();
  if (webgl.renderer && !SOFTWARE_RENDERER.test(webgl.renderer)) {
    return { name: 'webgl', summary: 'Training on this device’s graphics processor.', reason: `WebGL on the GPU (${webgl.renderer})` };
  }
  if (!keepOthers && tf.findBackend('webgl')) tf.removeBackend('webgl');
  const why = webgl.renderer
    ? `WebGL here is a software renderer (${webgl.renderer}), far slower than wasm`
    : `WebGL is unavailable (${webgl.error})`;
  const plain = webgl.renderer ? 'WebGL here is a slow software renderer' : 'WebGL is not available here';
  if (await startWasm()) return { name: 'wasm', summary: `Training on this device’s processor: ${plain}.`, reason: `${why}; training on the CPU with wasm SIMD` };
  await tf.setBackend('cpu');
  return { name: 'cpu', summary: `Training in plain JavaScript, which is slow: ${plain}, and WebAssembly failed to start.`, reason: `${why}, and wasm failed to start; plain JavaScript is slow` };
}

/** Frees the GPU backends other than `chosen` (their contexts and memory); they are not used again in this worker. */
export function releaseOtherBackends(chosen: BackendName): void {
  for (const name of ['webgl', 'webgpu'] as const) {
    try {
      if (name !== chosen && tf.findBackend(name)) tf.removeBackend(name);
    } catch {
      // a backend whose context is gone may fail to dispose; it is not used again either way
    }
  }
}

/** The backend to fall back to when `current` fails mid-way, if any. */
export async function fallBackFrom(current: BackendName, cause: string): Promise<BackendInfo | undefined> {
  if (current === 'webgl' || current === 'webgpu') {
    try {
      if (tf.findBackend(current)) tf.removeBackend(current);
    } catch {
      // disposing a backend whose context is gone may fail; it is not used again either way
    }
    if (await startWasm()) return { name: 'wasm', summary: 'The graphics processor failed; training carries on with this device’s processor.', reason: `${current === 'webgl' ? 'WebGL' : 'WebGPU'} failed (${cause}); continued on wasm` };
  }
  if (current !== 'cpu' && (await setBackend('cpu'))) {
    return { name: 'cpu', summary: 'Training carries on in plain JavaScript, which is slow.', reason: `${current} failed (${cause}); continued on cpu` };
  }
  return undefined;
}
