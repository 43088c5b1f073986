/** "Make training available offline": puts the MNIST asset into the cache the service worker serves it from. */
import { fetchManifest } from '../data/fetchMnist';
import { MNIST_BASE_PATH } from '../data/manifest';
import { MNIST_CACHE } from './cacheNames';

async function assetUrls(): Promise<string[]> {
  const manifest = await fetchManifest(location.origin + '/');
  const files = Object.values(manifest.splits).flatMap((s) => [s.images.file, s.labels.file]);
  return [`/${MNIST_BASE_PATH}manifest.json`, ...files.map((f) => `/${MNIST_BASE_PATH}${f}`)];
}

export async function isTrainingAvailableOffline(): Promise<boolean> {
  if (!('caches' in globalThis)) return false;
  const cache = await caches.open(MNIST_CACHE);
  const manifest = await cache.match(`/${MNIST_BASE_PATH}manifest.json`);
  if (!manifest) return false;
  const m = (await manifest.json()) as { splits: Record<string, { images: { file: string }; labels: { file: string } }> };
  const files = Object.values(m.splits).flatMap((s) => [s.images.file, s.labels.file]);
  const hits = await Promise.all(files.map((f) => cache.match(`/${MNIST_BASE_PATH}${f}`)));
  return hits.every(Boolean);
}

export async function makeTrainingAvailableOffline(): Promise<void> {
  if (!('caches' in globalThis)) throw new Error('This browser cannot keep files for offline use.');
  const cache = await caches.open(MNIST_CACHE);
  try {
    await cache.addAll(await assetUrls());
  } catch (error) {
    const e = error as DOMException;
    if (e.name === 'QuotaExceededError') throw new Error('Not enough storage space to keep the training data (11 MB).', { cause: error });
    throw new Error(`Could not download the training data: ${e.message}`, { cause: error });
  }
}
