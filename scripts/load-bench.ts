/**
 * `npm run bench:load`: requests per second and latency of the production nginx configuration on loopback,
 * for index.html and for a model shard, with the same fixture the end-to-end tests use (non-root nginx on dist/).
 * Bounded: 10 s per target, 50 connections, 127.0.0.1 only. Prints JSON; exits non-zero on any error or non-2xx.
 */
import autocannon from 'autocannon';
import { resolve } from 'node:path';
import { startNginx } from './nginxServer';

const port = 4183;
const targets = ['/index.html', '/models/pretrained/group1-shard1of1.bin'];

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nginx did not start');
}

const server = startNginx(port, resolve('dist'));
try {
  await waitForServer();
  const results = [];
  for (const path of targets) {
    const r = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 50, duration: 10, headers: { 'accept-encoding': 'br, gzip' } });
    results.push({
      path,
      requestsPerSecond: r.requests.average,
      latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
      throughputMBps: r.throughput.average / 1e6,
      requests: r.requests.total,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
    });
  }
  console.log(JSON.stringify({ server: 'nginx (nginx/nginx.conf, non-root)', connections: 50, seconds: 10, results }, null, 2));
  if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
} finally {
  await server.stop();
}
