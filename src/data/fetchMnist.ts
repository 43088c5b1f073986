/**
 * Loads the MNIST asset in the browser (the training worker): fetches the gzip files with byte progress,
 * inflates them (unless the server's Content-Encoding already had the browser do it) into one Uint8Array per file, and checks length and
 * SHA-256 against the manifest. Pixels stay uint8; see batches.ts for the per-batch float tensors.
 */
import type { MnistSplit } from './batches';
import { type AssetFile, MNIST_BASE_PATH, type MnistManifest, assertManifest } from './manifest';
import { ContentLengthError, isGzip, readGzipOrPlain } from './gzipOrPlain';
import type { Split } from './mnistFacts';

export interface LoadProgress {
  /** Compressed bytes received so far, over all files of the request. */
  loadedBytes: number;
  totalBytes: number;
}

export class DataLoadError extends Error {
  override name = 'DataLoadError';
}

export async function fetchManifest(baseUrl: string, signal?: AbortSignal): Promise<MnistManifest> {
  const url = new URL(`${MNIST_BASE_PATH}manifest.json`, baseUrl);
  const response = await fetchOk(url, signal);
  const manifest: unknown = await response.json();
  assertManifest(manifest);
  return manifest;
}

/** Fetches the given splits; `onProgress` sees compressed bytes as they arrive. */
export async function fetchSplits(
  baseUrl: string,
  splits: readonly Split[],
  onProgress: (p: LoadProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<Record<Split, MnistSplit | undefined>> {
  const manifest = await fetchManifest(baseUrl, signal);
  const files = splits.flatMap((s) => [manifest.splits[s].images, manifest.splits[s].labels]);
  const totalBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  let loadedBytes = 0;
  const report = (n: number) => {
    loadedBytes += n;
    onProgress({ loadedBytes, totalBytes });
  };
  const base = new URL(MNIST_BASE_PATH, baseUrl);
  const contents = await Promise.all(files.map((f) => fetchAsset(new URL(f.file, base), f, report, signal)));
  const result: Record<Split, MnistSplit | undefined> = { train: undefined, test: undefined };
  splits.forEach((split, i) => {
    result[split] = { count: manifest.splits[split].count, images: contents[2 * i]!, labels: contents[2 * i + 1]! };
  });
  return result;
}

async function fetchOk(url: URL, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new DataLoadError(`Could not download ${url.pathname}: the network is unreachable (offline?)`);
  }
  if (!response.ok) throw new DataLoadError(`Could not download ${url.pathname}: HTTP ${response.status}`);
  return response;
}

async function fetchAsset(url: URL, asset: AssetFile, report: (n: number) => void, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetchOk(url, signal);
  if (!response.body) throw new DataLoadError(`${url.pathname}: empty response`);
  // Progress is in compressed bytes; a server that sent the file with Content-Encoding has had the browser
  // inflate it already, so its bytes count for gzipBytes / bytes each.
  let scale: number | undefined;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        scale ??= isGzip(chunk) ? 1 : asset.gzipBytes / asset.bytes;
        report(chunk.byteLength * scale);
        controller.enqueue(chunk);
      },
    }),
  );
  let out: Uint8Array;
  try {
    out = await readGzipOrPlain(counted, asset.bytes);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    if (error instanceof ContentLengthError) throw new DataLoadError(`${url.pathname}: ${error.message} (corrupt download?)`);
    throw new DataLoadError(`${url.pathname}: download broke off or is corrupt (${(error as Error).message})`);
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', out as Uint8Array<ArrayBuffer>));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== asset.sha256) throw new DataLoadError(`${url.pathname}: checksum mismatch (corrupt download)`);
  return out;
}
