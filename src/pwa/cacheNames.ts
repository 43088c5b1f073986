/** Cache names shared by the service worker and the page. */
export const MNIST_CACHE = 'digit-lab-mnist';
/** wasm binaries this device's service worker did not precache, kept once a worker loaded one. */
export const WASM_CACHE = 'digit-lab-wasm';
/** The Keras reader and writer (h5wasm), never precached: kept once a Keras file was first imported or exported. */
export const KERAS_CACHE = 'digit-lab-keras';
/** tfjs's WebGPU backend, cached when a device with a WebGPU adapter first loads it. */
export const WEBGPU_CACHE = 'digit-lab-webgpu';
