import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const port = Number(process.env.PORT ?? 8080);
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // index.html lives in src/ so that the top level holds only the layout the design fixes.
  root: fromRoot('./src'),
  publicDir: fromRoot('./public'),
  plugins: [react()],
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
