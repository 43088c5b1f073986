/**
 * Loads the MNIST asset in the browser (the training worker): fetches the gzip files with byte progress,
 * decompresses them with DecompressionStream straight into one Uint8Array per file, and checks length and
 * SHA-256 against the manifest. Pixels stay uint8; see batches.ts for the per-batch float tensors.
 */
import type { MnistSplit } from './batches';
import { type AssetFile, MNIST_BASE_PATH, type MnistManifest, assertManifest } from './manifest';
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
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array<ArrayBuffer>, BufferSource>({
      transform(chunk, controller) {
        report(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
  const out = new Uint8Array(asset.bytes);
  let offset = 0;
  try {
    const reader = counted.pipeThrough(new DecompressionStream('gzip')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (offset + value.byteLength > out.byteLength) throw new DataLoadError(`${url.pathname}: longer than its manifest says`);
      out.set(value, offset);
      offset += value.byteLength;
    }
  } catch (error) {
    if (error instanceof DataLoadError || (error as Error).name === 'AbortError') throw error;
    throw new DataLoadError(`${url.pathname}: download broke off or is corrupt (${(error as Error).message})`);
  }
  if (offset !== asset.bytes) throw new DataLoadError(`${url.pathname}: ${offset} bytes, the manifest says ${asset.bytes}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', out));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== asset.sha256) throw new DataLoadError(`${url.pathname}: checksum mismatch (corrupt download)`);
  return out;
}
