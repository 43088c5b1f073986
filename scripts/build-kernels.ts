/**
 * `npm run build:kernels`: compiles Digit Lab's WebAssembly training kernels (src/backend/kernels/trainingKernelsWat.ts)
 * with wabt into src/backend/kernels/trainingKernels.wasm.ts, both builds (relaxed-SIMD FMA and plain SIMD128) as
 * base64. The output is committed, so that a checkout builds and tests without this step;
 * scripts/build-kernels.test.ts fails when it is out of date with its source.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KERNELS_MODULE_PATH, compileKernels, kernelsModule } from './compileKernels';

const { fma, simd } = await compileKernels();
writeFileSync(KERNELS_MODULE_PATH, kernelsModule(fma, simd));
console.log(`build-kernels: ${fileURLToPath(KERNELS_MODULE_PATH)} (fma ${fma.length} bytes, simd ${simd.length} bytes)`);
