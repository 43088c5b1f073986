/**
 * Writes .gz and .br next to every compressible file of the build (dist/), so that nginx's gzip_static and
 * brotli_static send them at maximum compression without compressing on every request.
 * Skipped: already-compressed data (.u8.gz MNIST files, images) and model weights (float32 noise compresses ~7%).
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|wasm|txt)$/;
const dist = process.argv[2] ?? 'dist';

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let count = 0;
let before = 0;
let after = 0;
for (const path of files(dist)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const data = readFileSync(path);
  if (data.byteLength < 512) continue;
  const gz = gzipSync(data, { level: 9 });
  const br = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength },
  });
  if (gz.byteLength < data.byteLength * 0.9) writeFileSync(`${path}.gz`, gz);
  if (br.byteLength < data.byteLength * 0.9) writeFileSync(`${path}.br`, br);
  count++;
  before += data.byteLength;
  after += br.byteLength;
}
console.log(`precompress: ${count} files, ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB brotli`);
