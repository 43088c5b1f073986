/** The progressive web app: offline use, installability, offline training and the update flow. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNginx } from '../scripts/nginxServer';
import { expect, panelsFor, test } from './fixtures';
import { withPersistentContext } from './persistentContext';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test.describe('progressive web app', () => {
  test('after one online visit the app loads offline and the pre-trained model predicts', async ({ app, appBar, modelStatus, drawing, context }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await app.waitForServiceWorker();

    await context.setOffline(true);
    await app.reload();
    await expect(appBar.offlineIndicator).toBeVisible();
    await modelStatus.waitForModel('pretrained');
    await drawing.draw('4');
    await drawing.expectReading('4');
  });

  test('a first visit downloads each file of the pre-trained model once (page, workers and service worker together)', async ({ app, modelStatus, drawing }) => {
    const port = Number(process.env.E2E_FIRST_VISIT_PORT ?? 4176);
    const server = startNginx(port, resolve('dist'));
    try {
      await server.ready();
      await app.visit(`http://127.0.0.1:${port}/`);
      await modelStatus.waitForModel('pretrained');
      // The service worker has installed (its precache is complete) and controls the page.
      await app.waitForServiceWorker();
      await drawing.draw('7');
      await drawing.expectReading('7');
      const modelFiles = readdirSync('dist/models/pretrained')
        .filter((f) => !/\.(br|gz)$/.test(f))
        .map((f) => `/models/pretrained/${f}`);
      expect(modelFiles.length).toBeGreaterThanOrEqual(3);
      const requests = () =>
        readFileSync(server.accessLog, 'utf8')
          .split('\n')
          // Without the query: workbox's precache asks for `?__WB_REVISION__=...`.
          .map((line) => /"GET ([^\s?]+)\S* HTTP/.exec(line)?.[1])
          .filter((path): path is string => Boolean(path));
      const counts = () => modelFiles.map((f) => `${f} ${requests().filter((p) => p === f).length}`);
      // model.json, its card and every weight shard: exactly once each.
      await expect.poll(counts).toEqual(modelFiles.map((f) => `${f} 1`));
    } finally {
      await server.stop();
    }
  });

  test('is installable: no installability errors, manifest and icons with the right types and sizes', async ({ request, baseURL }) => {
    // Installability needs a real (non-incognito) profile.
    await withPersistentContext(baseURL, async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      const { app } = panelsFor(page);
      await app.visit('/');
      await app.waitForServiceWorker();
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    });

    const response = await request.get('/manifest.webmanifest');
    expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
    expect(response.headers()['cache-control']).toBe('no-cache');
    const manifest = await response.json();
    expect(manifest).toMatchObject({ name: 'Digit Lab', short_name: 'Digit Lab', display: 'standalone', start_url: '/', scope: '/' });
    expect(manifest.theme_color).toMatch(/^#/);
    expect(manifest.background_color).toMatch(/^#/);
    const sizes: string[] = [];
    for (const icon of manifest.icons as Array<{ src: string; sizes: string; type: string; purpose: string }>) {
      const file = await request.get(icon.src);
      expect(file.headers()['content-type']).toBe('image/png');
      const [w, h] = pngSize(await file.body());
      expect(`${w}x${h}`).toBe(icon.sizes);
      sizes.push(`${icon.sizes} ${icon.purpose}`);
    }
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    expect((await request.get('/sw.js')).headers()['cache-control']).toBe('no-cache');
  });

  test('after "Make training available offline", training works with the network off', async ({ app, appBar, modelStatus, training, context }) => {
    test.setTimeout(300_000);
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await app.waitForServiceWorker();
    await training.keepMnistOffline();
    await expect(training.offlineData).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });

    await context.setOffline(true);
    await app.reload();
    await expect(appBar.offlineIndicator).toBeVisible();
    await expect(training.offlineData).toHaveAttribute('data-status', 'ready');
    await training.train({ epochs: 1, images: 256 });
    await training.waitForTrainedModel();
    await expect(training.finishedMessage).toBeVisible();
  });
});

test.describe('updates', () => {
  test.setTimeout(240_000);
  const port = Number(process.env.E2E_UPDATE_PORT ?? 4175);
  let work = '';
  let buildB = '';
  let current = '';
  let server: ReturnType<typeof startNginx> | undefined;

  test.beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'digit-lab-update-'));
    chmodSync(work, 0o755); // nginx runs as another user
    buildB = join(work, 'b');
    current = join(work, 'current');
    // Build B: the same sources with another build id, so every precached entry point changes.
    execFileSync('npx', ['vite', 'build', '--outDir', buildB, '--emptyOutDir', '--logLevel', 'error'], {
      env: { ...process.env, DIGIT_LAB_BUILD_ID: 'update-test-build-B' },
      stdio: 'inherit',
    });
    symlinkSync(resolve('dist'), current);
    server = startNginx(port, current);
  });

  test.afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('serving build B after build A shows the update prompt; accepting it runs B', async ({ app, appBar, about }) => {
    const base = `http://127.0.0.1:${port}`;
    await app.visit(`${base}/`);
    const buildA = await about.buildIdText();
    expect(buildA).not.toBe('update-test-build-B');
    await app.waitForServiceWorker();

    // Deploy B: swap what the server serves, atomically.
    symlinkSync(buildB, `${current}.new`);
    renameSync(`${current}.new`, current);
    await app.checkForUpdate();

    await expect(appBar.updateBanner).toBeVisible({ timeout: 60_000 });
    await expect(about.buildId).toHaveText(buildA);
    await appBar.updateNow();
    await expect(about.buildId).toHaveText('update-test-build-B', { timeout: 30_000 });
    await expect(appBar.updateBanner).toBeHidden();
  });

  test('Update now waits while another tab trains, and takes over once that run has ended', async ({ app, appBar, about, context }) => {
    const base = `http://127.0.0.1:${port}`;
    // Serve A again (the test before left B), to this fresh profile.
    symlinkSync(resolve('dist'), `${current}.new`);
    renameSync(`${current}.new`, current);
    await app.visit(`${base}/`);
    const buildA = await about.buildIdText();
    await app.waitForServiceWorker();
    // Another tab of the same profile trains a short run.
    const other = panelsFor(await context.newPage());
    await other.app.visit(`${base}/`);
    await other.modelStatus.waitForModel('pretrained');
    await other.training.train({ epochs: 1, images: 2048 });
    await expect(other.training.progress).toBeVisible({ timeout: 60_000 });

    symlinkSync(buildB, `${current}.new`);
    renameSync(`${current}.new`, current);
    await app.checkForUpdate();
    await expect(appBar.updateBanner).toBeVisible({ timeout: 60_000 });
    await appBar.updateNow();
    await expect(appBar.updateBanner).toContainText('It takes over once training in another tab or window ends.');
    await expect(appBar.updateWaitingButton).toBeDisabled();
    await expect(about.buildId).toHaveText(buildA);
    // The run ends in the other tab, with its model kept; then the new version takes over.
    await other.training.waitForTrainedModel();
    await expect(about.buildId).toHaveText('update-test-build-B', { timeout: 30_000 });
  });
});
