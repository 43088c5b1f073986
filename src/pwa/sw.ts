/// <reference lib="webworker" />
/**
 * The service worker (built by vite-plugin-pwa's injectManifest): precaches the app shell and the one wasm
 * binary this device runs (the prediction worker keeps the pre-trained model in IndexedDB); caches the MNIST
 * training data when it is first used (or ahead of time, from the page's "Make training available offline");
 * waits for the user's word before taking over (update prompt).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { clientsClaim } from 'workbox-core';
import { KERAS_CACHE, WEBGPU_CACHE, MNIST_CACHE, WASM_CACHE } from './cacheNames';
import { isUnusedWasmBinary, supportsWasmSimd } from './wasmBinaries';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

// Only the wasm binary this device runs (the SIMD one nearly everywhere): the other would be 0.3 MB for nothing.
// Should a worker ever ask for another, it is cached on first use.
const simd = supportsWasmSimd();
precacheAndRoute(self.__WB_MANIFEST.filter((entry) => !isUnusedWasmBinary(typeof entry === 'string' ? entry : entry.url, simd)));
registerRoute(({ url }) => url.origin === self.location.origin && /^\/assets\/[^/]+\.wasm$/.test(url.pathname), new CacheFirst({ cacheName: WASM_CACHE }));
cleanupOutdatedCaches();
// The Keras reader and writer: downloaded the first time a Keras file is imported or exported (4.8 MB, so never on
// a first visit), then kept for offline use. Named by content hash; an update starts the cache afresh (below).
registerRoute(({ url }) => url.origin === self.location.origin && /^\/assets\/keras-[^/]+\.js$/.test(url.pathname), new CacheFirst({ cacheName: KERAS_CACHE }));
registerRoute(({ url }) => url.origin === self.location.origin && /^\/assets\/webgpu-[^/]+\.js$/.test(url.pathname), new CacheFirst({ cacheName: WEBGPU_CACHE }));
self.addEventListener('activate', (event) => event.waitUntil(caches.delete(KERAS_CACHE).then(() => undefined)));

// Page navigations get the app shell, online or not.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/healthz$/, /\.[a-z0-9]+$/i] }));

// MNIST files are named by content hash: once cached they never change.
registerRoute(({ url }) => url.origin === self.location.origin && /^\/data\/mnist\/.+\.u8\.gz$/.test(url.pathname), new CacheFirst({ cacheName: MNIST_CACHE }));
// Its manifest: fresh when online, cached when offline.
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname === '/data/mnist/manifest.json', new NetworkFirst({ cacheName: MNIST_CACHE }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// On the first install, take charge of the open page at once, so that its first training run already caches
// the data. Updates still wait for the user (skipWaiting above); claiming then only follows their choice.
clientsClaim();
