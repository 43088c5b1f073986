/**
 * The container's own end-to-end run: Chromium against the real image, started as OpenShift starts it, by
 * scripts/container/test-container.ts (npm run test:container), which sets CONTAINER_URL and runs these specs
 * stage by stage (the image with the repository's model, then with a model the app exported, then with none).
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../scripts/chromiumArgs';

const url = process.env.CONTAINER_URL;
if (!url) throw new Error('e2e/container runs under npm run test:container, which starts the container and sets CONTAINER_URL');

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results-container',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: url,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});
