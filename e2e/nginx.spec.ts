/**
 * The container's nginx configuration, run by Debian's nginx as a non-root user on the real build
 * (scripts/nginxServer.ts): headers per class of path, content types, compression, fallbacks, health.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { NGINX_TEST_UID } from '../scripts/nginxServer';

const asset = (pattern: RegExp) => {
  const name = readdirSync('dist/assets').find((f) => pattern.test(f));
  if (!name) throw new Error(`no ${pattern} in dist/assets`);
  return `/assets/${name}`;
};
const mnistFile = () => `/data/mnist/${readdirSync('dist/data/mnist').find((f) => f.startsWith('test-labels'))}`;

const IMMUTABLE = 'public, max-age=31536000, immutable';

test.describe('nginx serving the build', () => {
  test('security headers on every class of path', async ({ request }) => {
    for (const path of ['/', '/index.html', asset(/^main-.*\.js$/), '/data/mnist/manifest.json', '/models/pretrained/model.json', '/icon.svg', '/healthz']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      const headers = response.headers();
      const csp = headers['content-security-policy']!;
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("connect-src 'self'");
      expect(csp, path).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
      expect(csp, path).not.toContain('unsafe-inline');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('no-referrer');
      expect(headers['permissions-policy'], path).toContain('camera=()');
    }
  });

  test('caching: hashed assets immutable, entry points and models revalidated', async ({ request }) => {
    const cache = async (path: string) => (await request.get(path)).headers()['cache-control'];
    expect(await cache(asset(/^main-.*\.js$/))).toBe(IMMUTABLE);
    expect(await cache(asset(/^tfjs-backend-wasm-simd-.*\.wasm$/))).toBe(IMMUTABLE);
    expect(await cache(mnistFile())).toBe(IMMUTABLE);
    expect(await cache('/')).toBe('no-cache');
    expect(await cache('/index.html')).toBe('no-cache');
    expect(await cache('/data/mnist/manifest.json')).toBe('no-cache');
    expect(await cache('/models/pretrained/model.json')).toBe('no-cache');
    expect(await cache('/models/pretrained/group1-shard1of1.bin')).toBe('no-cache');
  });

  test('a 404 is never cached: during a rolling update the file may appear a moment later', async ({ request }) => {
    for (const path of ['/assets/main-notyetdeployed.js', '/assets/x.wasm', '/data/mnist/train-images.0000.u8.gz', '/missing.png', '/models/pretrained/none.bin']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(404);
      expect(response.headers()['cache-control'], path).toBe('no-store');
      // Still under the security headers.
      expect(response.headers()['content-security-policy'], path).toContain("default-src 'self'");
    }
  });

  test('the production build holds no source maps and no benchmark page', async ({ request }) => {
    const files = (readdirSync('dist', { recursive: true }) as string[]).map(String);
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => /\.map(\.gz|\.br)?$/.test(f))).toEqual([]);
    expect(files.filter((f) => /bench/.test(f))).toEqual([]);
    const js = readFileSync(join('dist', asset(/^main-.*\.js$/)), 'utf8');
    expect(js).not.toContain('sourceMappingURL');
    expect((await request.get('/bench.html')).status()).toBe(404);
  });

  test('content types', async ({ request }) => {
    const type = async (path: string) => (await request.get(path)).headers()['content-type'];
    expect(await type('/')).toMatch(/^text\/html/);
    expect(await type(asset(/^main-.*\.js$/))).toMatch(/^application\/javascript/);
    expect(await type(asset(/^main-.*\.css$/))).toMatch(/^text\/css/);
    expect(await type(asset(/^tfjs-backend-wasm-simd-.*\.wasm$/))).toBe('application/wasm');
    expect(await type('/models/pretrained/model.json')).toMatch(/^application\/json/);
    expect(await type('/models/pretrained/group1-shard1of1.bin')).toBe('application/octet-stream');
    expect(await type(mnistFile())).toBe('application/gzip');
    expect(await type('/icon.svg')).toMatch(/^image\/svg\+xml/);
  });

  test('a missing file is a 404, a page navigation falls back to the app', async ({ request }) => {
    for (const path of ['/assets/missing-abc123.js', '/assets/nope.wasm', '/models/pretrained/group9-shard1of1.bin', '/missing.js', '/data/mnist/none.u8.gz']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(404);
      expect(await response.text(), path).not.toContain('<div id="root">');
    }
    const page = await request.get('/some/deep/link', { headers: { accept: 'text/html' } });
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers()['cache-control']).toBe('no-cache');
  });

  test('precompressed brotli and gzip are negotiated', async ({ request }) => {
    const js = asset(/^train\.worker-.*\.js$/);
    const plain = await request.get(js, { headers: { 'accept-encoding': 'identity' } });
    const br = await request.fetch(js, { headers: { 'accept-encoding': 'br' } });
    const gz = await request.fetch(js, { headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers()['content-encoding']).toBeUndefined();
    expect(br.headers()['content-encoding']).toBe('br');
    expect(gz.headers()['content-encoding']).toBe('gzip');
    expect(br.headers()['vary']).toMatch(/Accept-Encoding/i);
    // Playwright decodes the bodies: all three are the same file.
    expect((await br.body()).equals(await plain.body())).toBe(true);
    expect((await gz.body()).equals(await plain.body())).toBe(true);
    const wasm = await request.fetch(asset(/^tfjs-backend-wasm-simd-.*\.wasm$/), { headers: { 'accept-encoding': 'br, gzip' } });
    expect(wasm.headers()['content-encoding']).toBe('br');
  });

  test('/healthz answers ok', async ({ request }) => {
    const response = await request.get('/healthz');
    expect(response.status()).toBe(200);
    expect(await response.text()).toBe('ok\n');
  });

  test('every nginx process of the server runs as a non-root user', () => {
    const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,uid=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols.length >= 4);
    const masters = rows.filter((cols) => cols.slice(3).join(' ').includes('digit-lab-nginx-') && cols[3]!.startsWith('nginx'));
    expect(masters.length).toBeGreaterThan(0);
    for (const master of masters) {
      const workers = rows.filter((cols) => cols[1] === master[0]);
      expect(workers.length).toBeGreaterThan(0);
      for (const proc of [master, ...workers]) {
        expect(Number(proc[2]), proc.join(' ')).not.toBe(0);
        if (process.getuid?.() === 0) expect(Number(proc[2])).toBe(NGINX_TEST_UID);
      }
    }
  });
});
