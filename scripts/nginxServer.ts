/**
 * Serves the production build (dist/) with Debian's nginx and the project's own nginx/nginx.conf, as a
 * non-root user, the way the container does. Playwright's webServer runs this file and stops it afterwards.
 *
 * Only three things of the configuration change for a test run: the port, the document root, and the /tmp
 * prefix of pid and temp files (so several runs never collide). Everything else is the shipped file.
 *
 * Usage: tsx scripts/nginxServer.ts [--port 4173] [--root dist]
 */
import { type StdioOptions, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { arg } from './cliArgs';

/** The unprivileged user the server runs as when the tests run as root: an arbitrary id in group 0, like OpenShift. */
export const NGINX_TEST_UID = 100_123;

export function nginxConfigFor(port: number, root: string, runDir: string): string {
  const source = readFileSync(resolve('nginx/nginx.conf'), 'utf8');
  const replaced = source
    .replaceAll('/tmp/', `${runDir}/`)
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replace('root /usr/share/nginx/html;', `root ${root};`);
  for (const needle of [`listen 127.0.0.1:${port};`, `root ${root};`, `pid ${runDir}/nginx.pid;`]) {
    if (!replaced.includes(needle)) throw new Error(`nginx/nginx.conf changed shape: could not set "${needle}"`);
  }
  return replaced;
}

export interface NginxServer {
  port: number;
  /** The access log (nginx's stdout). */
  accessLog: string;
  stop(): Promise<void>;
  exited: Promise<number>;
  /** Resolves once /healthz answers (nginx takes a moment to start). */
  ready(): Promise<void>;
}

/** Starts nginx with the project's configuration on `port`, serving `root`, as a non-root user. */
export function startNginx(port: number, root: string): NginxServer {
  if (!existsSync(join(root, 'index.html'))) throw new Error(`${root}/index.html is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'digit-lab-nginx-'));
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  writeFileSync(join(dir, 'nginx.conf'), nginxConfigFor(port, root, runDir));
  copyFileSync(resolve('nginx/security-headers.conf'), join(dir, 'security-headers.conf'));
  chmodSync(dir, 0o755);

  const args = ['-e', 'stderr', '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'];
  const asRoot = process.getuid?.() === 0;
  // The access log goes to nginx's stdout (as in the container); here that is a file the tests can read.
  const accessLog = join(dir, 'access.log');
  const logFd = openSync(accessLog, 'w');
  if (asRoot) {
    chownSync(runDir, NGINX_TEST_UID, 0);
    // nginx reopens /dev/stdout by path, so the unprivileged user must own the file behind it.
    chownSync(accessLog, NGINX_TEST_UID, 0);
  }
  const stdio: StdioOptions = ['ignore', logFd, 'inherit'];
  const child = asRoot
    ? spawn('setpriv', ['--reuid', String(NGINX_TEST_UID), '--regid', '0', '--clear-groups', '--', 'nginx', ...args], { stdio })
    : spawn('nginx', args, { stdio });
  const exited = new Promise<number>((resolveExit) =>
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolveExit(code ?? 0);
    }),
  );
  return {
    port,
    accessLog,
    exited,
    ready: () => waitForHealth(port),
    stop: async () => {
      child.kill('SIGQUIT');
      await exited;
    },
  };
}

export async function waitForHealth(port: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx on port ${port} did not answer /healthz within ${timeoutMs} ms`);
}

function main(): void {
  const port = Number(arg('port', process.env.E2E_PORT ?? '4173'));
  const root = resolve(arg('root', 'dist'));
  const server = startNginx(port, root);
  console.log(`nginx (uid ${process.getuid?.() === 0 ? NGINX_TEST_UID : process.getuid?.()}) serving ${root} on http://127.0.0.1:${port}`);
  const stop = () => void server.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void server.exited.then((code) => process.exit(code));
}

if (process.argv[1]?.endsWith('nginxServer.ts')) main();
