/**
 * `npm run bench:first-visit`: the bytes a first visit transfers until the app is ready offline (page, both
 * workers, the service worker's precache and the pre-trained model together), counted where they are sent: in
 * nginx's access log ($body_bytes_sent, compressed as sent), for the production build with the container's
 * configuration. Prints JSON (also bench-results/first-visit.json): the total, and per file the requests and bytes.
 * Options: --root DIR (default dist), --port N.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromiumArgs';
import { startNginx } from './nginxServer';
import { arg } from './cliArgs';

const root = resolve(arg('root', 'dist'));
const port = Number(arg('port', '4182'));
const server = startNginx(port, root);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  await server.ready();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.locator('[data-testid="model-status"][data-ready="true"]').waitFor({ timeout: 60_000 });
  // Ready offline: the service worker is installed (its precache complete) and controls the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), undefined, { timeout: 30_000 });
  await page.waitForTimeout(1000);
  const files = new Map<string, { requests: number; bytes: number }>();
  for (const line of readFileSync(server.accessLog, 'utf8').split('\n')) {
    const m = /"GET ([^\s?]+)\S* HTTP\/[\d.]+" (\d{3}) (\d+)/.exec(line);
    if (!m) continue;
    const entry = files.get(m[1]!) ?? { requests: 0, bytes: 0 };
    entry.requests++;
    entry.bytes += Number(m[3]);
    files.set(m[1]!, entry);
  }
  const total = [...files.values()].reduce((sum, f) => sum + f.bytes, 0);
  const result = {
    date: new Date().toISOString(),
    build: root,
    what: 'bytes sent by nginx (compressed as sent) from the first request until the service worker controls the page and the model is ready',
    totalBytes: total,
    totalMB: +(total / 1e6).toFixed(2),
    requests: [...files.values()].reduce((sum, f) => sum + f.requests, 0),
    files: Object.fromEntries([...files].sort((a, b) => b[1].bytes - a[1].bytes)),
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/first-visit.json', JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  await server.stop();
}
