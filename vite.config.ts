import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const port = Number(process.env.PORT ?? 8080);
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
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
        globPatterns: ['**/*.{html,js,css,wasm,svg,png,webmanifest}', 'models/pretrained/*.{json,bin}'],
        globIgnores: ['bench.html', 'assets/bench-*.js', '**/*.map', 'data/**'],
        // The pre-trained model's 4 MiB shard must be precached, or offline prediction would silently fail.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
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
    outDir: fromRoot('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // tfjs is large by nature and lives only in the worker chunks; the main bundle stays small.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // bench.html measures the backends for `npm run bench`; the app never links to it.
      input: { main: fromRoot('./src/index.html'), bench: fromRoot('./src/bench.html') },
    },
  },
  worker: {
    format: 'es',
  },
  server: { port, host: '127.0.0.1' },
  preview: { port, host: '127.0.0.1', strictPort: true },
});
