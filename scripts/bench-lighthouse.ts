/**
 * `npm run bench:lighthouse`: Lighthouse (npm `lighthouse`, driving Debian's Chromium) against the production
 * build behind nginx with the container's configuration: performance, accessibility and best-practices scores,
 * for Lighthouse's mobile and desktop presets. Prints JSON (also bench-results/lighthouse.json).
 * Figures, not pass/fail. Options: --root DIR (default dist), --port N.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { startNginx } from './nginxServer';
import { arg } from './cliArgs';

const port = Number(arg('port', '4184'));
const server = startNginx(port, resolve(arg('root', 'dist')));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  await server.ready();
  const results: Record<string, Record<string, number>> = {};
  for (const [preset, config] of [
    ['mobile', undefined],
    ['desktop', desktopConfig],
  ] as const) {
    const run = await lighthouse(
      `http://127.0.0.1:${port}/`,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] },
      config,
    );
    const lhr = run!.lhr;
    results[preset] = {
      ...Object.fromEntries(Object.values(lhr.categories).map((c) => [c.id, Math.round((c.score ?? 0) * 100)])),
      firstContentfulPaintMs: Math.round(lhr.audits['first-contentful-paint']?.numericValue ?? NaN),
      largestContentfulPaintMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? NaN),
      totalBlockingTimeMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? NaN),
      cumulativeLayoutShift: +(lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3),
    };
    const failing = Object.values(lhr.categories)
      .flatMap((c) => c.auditRefs.filter((r) => r.weight > 0).map((r) => lhr.audits[r.id]!))
      .filter((a) => a.score !== null && a.score < 0.9)
      .map((a) => `${a.id}: ${a.displayValue ?? a.score}`);
    if (failing.length) results[preset]!.audits_below_90 = failing.length;
    console.error(`${preset}: ${failing.join('; ') || 'no weighted audit below 90'}`);
  }
  const output = { date: new Date().toISOString(), lighthouse: (await import('lighthouse/package.json', { with: { type: 'json' } })).default.version, results };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/lighthouse.json', JSON.stringify(output, null, 2) + '\n');
  console.log(JSON.stringify(output, null, 2));
} finally {
  chrome.kill();
  await server.stop();
}
