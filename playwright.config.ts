import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromiumArgs';

export { CHROMIUM_ARGS };

const port = Number(process.env.E2E_PORT ?? 4173);
/** The README's `npm start` serves the same build with `vite preview`; the core journey runs there too. */
const previewPort = port + 1;
/** The build under test: dist/, or DIGIT_LAB_DIST where a second build was made beside it (vite.config.ts). */
const dist = process.env.DIGIT_LAB_DIST ?? 'dist';


export default defineConfig({
  testDir: 'e2e',
  // A side build's run (DIGIT_LAB_DIST) keeps its results apart, as it keeps its build and ports.
  outputDir: process.env.DIGIT_LAB_DIST ? `test-results-${process.env.DIGIT_LAB_DIST}` : 'test-results',
  testMatch: '**/*.spec.ts',
  // The container's own specs run against the image, under npm run test:container (e2e/container/playwright.config.ts).
  testIgnore: 'container/**',
  // Training tests use the machine's cores; one test at a time keeps them from starving each other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  projects: [
    { name: 'nginx', use: { baseURL: `http://127.0.0.1:${port}` } },
    { name: 'npm-start', testMatch: ['journey.spec.ts', 'handwriting.spec.ts', 'conventions.spec.ts', 'orderOfEvents.spec.ts', 'inside.spec.ts', 'keras.spec.ts', 'editor.spec.ts'], use: { baseURL: `http://127.0.0.1:${previewPort}` } },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `npx tsx scripts/nginxServer.ts --port ${port} --root ${dist}`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 30_000,
    },
    {
      // Exactly what `npm start` runs once its build is done (npm test has just built the same dist/; vite.config.ts
      // reads DIGIT_LAB_DIST for preview too).
      command: `npx vite preview --port ${previewPort} --strictPort`,
      url: `http://127.0.0.1:${previewPort}/`,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 30_000,
    },
  ],
});
