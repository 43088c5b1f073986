import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const port = Number(process.env.PORT ?? 8080);
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `vite build --mode bench` (npm run bench) adds the benchmark page and source maps, into dist-bench/.
// The production build (dist/, what nginx and the container serve) has neither: a benchmark page trains for as
// long as its query string says, and source maps publish the whole source.
export default defineConfig(({ mode }) => {
  const bench = mode === 'bench';
  return {
    // index.html lives in src/ so that the top level holds only the layout the design fixes.
    root: fromRoot('./src'),
    publicDir: fromRoot('./public'),
    define: {
      // Shown in the About panel; the update test builds a second version with another id.
      __BUILD_ID__: JSON.stringify(process.env.DIGIT_LAB_BUILD_ID ?? new Date().toISOString()),
    },
    plugins: [
      react(),
      VitePWA({
        strategies: 'injectManifest',
        srcDir: 'pwa',
        filename: 'sw.ts',
        registerType: 'prompt',
        injectRegister: false,
        manifestFilename: 'manifest.webmanifest',
        injectManifest: {
          // Not the pre-trained model: the prediction worker downloads it once and keeps it in IndexedDB, which is
          // where it loads from offline. Precaching it too would download it twice on a first visit.
          globPatterns: ['**/*.{html,js,css,wasm,svg,png,webmanifest}'],
          // Nor the Keras reader and writer (h5wasm is 4.8 MB): they load when a Keras file is first imported or
          // exported, and the service worker keeps them from then on (pwa/sw.ts).
          globIgnores: ['bench.html', 'assets/bench-*.js', '**/*.map', 'data/**', 'models/**', 'assets/keras-*.js', 'assets/webgpu-*.js'],
        },
        manifest: {
          name: 'Digit Lab',
          short_name: 'Digit Lab',
          description: 'Draw a digit and a neural network reads it. Train the MNIST CNN in your browser; nothing leaves your device.',
          id: '/',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          orientation: 'any',
          theme_color: '#111827',
          background_color: '#111827',
          categories: ['education', 'utilities'],
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
        devOptions: { enabled: false },
      }),
    ],
    build: {
      // DIGIT_LAB_DIST builds elsewhere (two builds side by side on one machine: a test run and a change being made).
      outDir: fromRoot(bench ? './dist-bench' : `./${process.env.DIGIT_LAB_DIST ?? 'dist'}`),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: bench,
      // tfjs is large by nature and lives only in the worker chunks; the main bundle stays small.
      chunkSizeWarningLimit: 2000,
      rollupOptions: {
        // bench.html measures the backends for `npm run bench`; the app never links to it.
        input: { main: fromRoot('./src/index.html'), ...(bench ? { bench: fromRoot('./src/bench.html') } : {}) } as Record<string, string>,
      },
    },
    worker: {
      format: 'es',
      rollupOptions: {
        output: {
          // The chunks only a Keras file needs (src/model/keras/, h5wasm, fflate) are named keras-*, which the
          // precache leaves out (above).
          chunkFileNames: (chunk: { name: string; moduleIds: readonly string[] }) =>
            chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => /[\\/](src[\\/]model[\\/]keras|node_modules[\\/](h5wasm|fflate))[\\/]/.test(id))
              ? 'assets/keras-[name]-[hash].js'
              : // tfjs's WebGPU backend, loaded by the training worker only where the device has an adapter: out of
                // the precache too (it is cached once used, src/pwa/sw.ts).
                chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => /[\\/]node_modules[\\/]@tensorflow[\\/]tfjs-backend-webgpu[\\/]/.test(id))
                ? 'assets/webgpu-[name]-[hash].js'
                : 'assets/[name]-[hash].js',
        },
      },
    },
    server: { port, host: '127.0.0.1' },
    preview: { port, host: '127.0.0.1', strictPort: true },
  };
});
