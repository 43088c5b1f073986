/**
 * Notices when the WebGL context behind tfjs's webgl backend is lost (GPU reset, driver crash, the GPU process
 * restarting). tfjs does not fail when that happens: it waits for its GPU fences forever (measured here: training
 * stood still on its second batch after `Browser.crashGpuProcess`). So whatever runs on WebGL is raced against
 * `lost`, which rejects with WebglContextLost as soon as the context is gone.
 */
import * as tf from '@tensorflow/tfjs';

export class WebglContextLost extends Error {
  override name = 'WebglContextLost';
}

export interface ContextWatch {
  /** Never resolves; rejects once the context is lost. Never rejects when the backend is not webgl. */
  lost: Promise<never>;
  /** Resolves or rejects as `work` does, unless the context is lost first. */
  guard<T>(work: Promise<T>): Promise<T>;
  stop(): void;
}

const POLL_MS = 500;

export function watchWebglContext(): ContextWatch {
  const backend = tf.getBackend() === 'webgl' ? (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }) : undefined;
  const gl = backend?.gpgpu?.gl;
  let stop = () => {};
  const lost = new Promise<never>((_, reject) => {
    if (!gl) return;
    const canvas = (gl as unknown as { canvas: EventTarget }).canvas;
    const fail = () => {
      stop();
      reject(new WebglContextLost('the WebGL context was lost'));
    };
    // The event is the fast path; polling catches a loss whose event went to a listener that stopped it.
    const timer = setInterval(() => gl.isContextLost() && fail(), POLL_MS);
    canvas.addEventListener('webglcontextlost', fail);
    stop = () => {
      clearInterval(timer);
      canvas.removeEventListener('webglcontextlost', fail);
    };
    if (gl.isContextLost()) fail();
  });
  lost.catch(() => undefined); // a loss nobody is waiting on is not an unhandled rejection
  return {
    lost,
    guard: (work) => {
      work.catch(() => undefined); // work abandoned after a loss may fail later; nobody listens then
      return Promise.race([work, lost]);
    },
    stop: () => stop(),
  };
}
