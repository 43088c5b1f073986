/**
 * The MNIST asset the app serves, as written by scripts/prepare-data.ts into public/data/mnist/.
 * Each split is two headerless uint8 files (pixels row-major 28x28, 0 = black background; labels 0-9),
 * each gzip-compressed on disk so that every server sends it compressed, and named by content hash so that
 * it can be cached forever.
 */
import type { Split } from './mnistFacts';

export const MNIST_MANIFEST_VERSION = 1;
export const MNIST_BASE_PATH = 'data/mnist/';

export interface AssetFile {
  /** File name relative to the manifest. */
  file: string;
  /** Length of the uncompressed content in bytes. */
  bytes: number;
  /** Length of the gzip file as served. */
  gzipBytes: number;
  /** SHA-256 of the uncompressed content, lowercase hex. */
  sha256: string;
}

export interface SplitAsset {
  count: number;
  images: AssetFile;
  labels: AssetFile;
  labelCounts: number[];
}

export interface MnistManifest {
  version: typeof MNIST_MANIFEST_VERSION;
  source: string;
  imageSize: number;
  splits: Record<Split, SplitAsset>;
}

/** Checks the shape of a parsed manifest, so that a stale or hand-edited one fails with a clear message. */
export function assertManifest(value: unknown): asserts value is MnistManifest {
  const m = value as Partial<MnistManifest> | null;
  if (!m || typeof m !== 'object' || m.version !== MNIST_MANIFEST_VERSION || !m.splits?.train || !m.splits?.test) {
    throw new Error(`MNIST manifest is missing or of another version (expected version ${MNIST_MANIFEST_VERSION})`);
  }
}
