import { describe, expect, it } from 'vitest';
import { isUnusedWasmBinary, supportsWasmSimd } from './wasmBinaries';

describe('which wasm binary a device uses', () => {
  it('the SIMD probe is a valid module where SIMD is supported (Node 20 and every current browser)', () => {
    expect(supportsWasmSimd()).toBe(true);
    // A validator without SIMD refuses it; one that throws counts as no SIMD.
    expect(supportsWasmSimd(() => false)).toBe(false);
    expect(
      supportsWasmSimd(() => {
        throw new Error('no WebAssembly');
      }),
    ).toBe(false);
  });

  it('precaches the SIMD binary on SIMD devices, the plain one elsewhere, never the threaded one', () => {
    const plain = '/assets/tfjs-backend-wasm-BIA8cDLW.wasm';
    const simd = '/assets/tfjs-backend-wasm-simd-BrM3BlWr.wasm';
    const threaded = '/assets/tfjs-backend-wasm-threaded-simd-X1.wasm';
    expect([plain, simd, threaded].map((u) => isUnusedWasmBinary(u, true))).toEqual([true, false, true]);
    expect([plain, simd, threaded].map((u) => isUnusedWasmBinary(u, false))).toEqual([false, true, true]);
    expect(isUnusedWasmBinary('/assets/main-abc.js', true)).toBe(false);
  });
});
