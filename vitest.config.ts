import { defineConfig } from 'vitest/config';

// Unit tests run in Node: pure functions, the data decoder on the real files, the model, the optimizer and the
// wasm training kernels (TensorFlow.js on its wasm backend, as in the browser worker).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'deploy/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // TensorFlow.js keeps one global engine per process: run test files one after another in one fork.
    pool: 'forks',
    fileParallelism: false,
  },
});
