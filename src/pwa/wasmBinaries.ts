/**
 * Which of TensorFlow.js's wasm binaries this device runs, so the service worker precaches only that one: the
 * SIMD build where WebAssembly SIMD validates (every current browser), the plain build elsewhere. The threaded
 * build needs cross-origin isolation, which this app does not ask for, so it is never used. Pure.
 */

/** The smallest module that uses SIMD: one function returning i8x16.splat(i32.const 0). */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // body: i32.const 0; i8x16.splat; end
]);

export function supportsWasmSimd(validate: (bytes: Uint8Array<ArrayBuffer>) => boolean = (b) => WebAssembly.validate(b)): boolean {
  try {
    return validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Whether a build file is one of tfjs's wasm binaries that this device will not load. */
export function isUnusedWasmBinary(url: string, simd: boolean): boolean {
  const name = url.split('/').pop() ?? '';
  if (!/^tfjs-backend-wasm.*\.wasm$/.test(name)) return false;
  if (name.includes('threaded')) return true;
  return name.includes('-simd') !== simd;
}
