import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS_MODULE_PATH, compileKernels, kernelsModule } from './compileKernels';

describe('the committed WebAssembly kernels', () => {
  it('are what their source compiles to (run `npm run build:kernels` after changing trainingKernelsWat.ts)', async () => {
    const { fma, simd } = await compileKernels();
    expect(readFileSync(KERNELS_MODULE_PATH, 'utf8')).toBe(kernelsModule(fma, simd));
  });
});
