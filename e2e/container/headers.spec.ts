/**
 * What nginx sends from inside the image (nginx.spec.ts checks the same configuration run by the machine's nginx;
 * this is the image's own nginx, modules and files): health, security and caching headers, content types of the
 * files the app fetches, brotli from the precompressed files, and a 404 that no cache keeps.
 */
import { expect, test } from '@playwright/test';
import { servedAsset } from './containerStage';

test.describe('the image serving the app', () => {
  test('health, security headers, caching, content types, brotli and an uncached 404', async ({ request }) => {
    const health = await request.get('/healthz');
    expect(health.status()).toBe(200);
    expect(await health.text()).toBe('ok\n');

    const script = servedAsset(/^main-.*\.js$/);
    const wasm = servedAsset(/^tfjs-backend-wasm-simd-.*\.wasm$/);
    const expectations: Array<[path: string, type: RegExp, cache: string]> = [
      ['/', /^text\/html/, 'no-cache'],
      [script, /^application\/javascript/, 'public, max-age=31536000, immutable'],
      [wasm, /^application\/wasm$/, 'public, max-age=31536000, immutable'],
      ['/models/pretrained/model.json', /^application\/json/, 'no-cache'],
      ['/models/pretrained/model-card.json', /^application\/json/, 'no-cache'],
      ['/models/pretrained/group1-shard1of1.bin', /^application\/octet-stream$/, 'no-cache'],
      ['/manifest.webmanifest', /^application\/manifest\+json/, 'no-cache'],
    ];
    for (const [path, type, cache] of expectations) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      const headers = response.headers();
      expect(headers['content-type'], path).toMatch(type);
      expect(headers['cache-control'], path).toBe(cache);
      expect(headers['content-security-policy'], path).toMatch(/default-src 'self'.*script-src 'self' 'wasm-unsafe-eval';/);
      expect(headers['content-security-policy'], path).not.toContain('unsafe-inline');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
    }

    // The build's .br files, sent to a browser that accepts brotli; gzip to one that does not.
    const brotli = await request.get(script, { headers: { 'Accept-Encoding': 'br' } });
    expect(brotli.headers()['content-encoding']).toBe('br');
    const gzip = await request.get(script, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers()['content-encoding']).toBe('gzip');
    expect(await brotli.text()).toBe(await gzip.text());

    for (const path of ['/assets/main-notyetdeployed.js', '/models/pretrained/none.bin']) {
      const missing = await request.get(path);
      expect(missing.status(), path).toBe(404);
      expect(missing.headers()['cache-control'], path).toBe('no-store');
    }
  });
});
