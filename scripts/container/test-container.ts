/**
 * npm run test:container: builds the image from the repository's Dockerfile as the README says (scripts/container/
 * build.sh: the pinned base images, or local stand-ins of the same names where no registry can be reached), runs it
 * as OpenShift runs a pod under its restricted policy (read-only root, /tmp a tmpfs, a random user id in group 0,
 * every capability dropped, no privilege gain), and checks it from outside:
 *   1. the image: runs as a non-root user in group 0, keeps a HEALTHCHECK that passes, has no curl;
 *   2. the repository's model served: headers, content types, brotli, an uncached 404 (e2e/container/headers.spec.ts)
 *      and the core journey in Chromium (served.spec.ts), which trains a model and exports it;
 *   3. that exported model served from the same image, its folder mounted as a volume (own-model.spec.ts);
 *   4. the image built with INCLUDE_PRETRAINED=false (no-model.spec.ts).
 * Prints the build times, the image's size and each check. Needs podman (scripts/ensure-system-deps.sh installs it)
 * and port 8080 free: the container uses the host's network, as containers.conf says.
 */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
process.env.CONTAINERS_CONF ??= join(root, 'scripts/container/containers.conf');

const IMAGE = 'localhost/digit-lab:test';
const IMAGE_WITHOUT_MODEL = 'localhost/digit-lab:test-no-model';
const CONTAINER = 'digit-lab-test';
const PORT = 8080;
const URL = `http://127.0.0.1:${PORT}`;
/** Where the image keeps the model it serves; a volume mounted here replaces it. */
const SERVED_MODEL_PATH = '/usr/share/nginx/html/models/pretrained';

interface Check {
  name: string;
  seconds: number;
}
const checks: Check[] = [];

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${String(result.stdout ?? '').slice(-4000)}\n${String(result.stderr ?? '').slice(-4000)}`);
  }
  return String(result.stdout ?? '').trim();
}

async function step<T>(name: string, action: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  process.stdout.write(`- ${name} ...\n`);
  const value = await action();
  const seconds = (performance.now() - start) / 1000;
  checks.push({ name, seconds });
  process.stdout.write(`  ok (${seconds.toFixed(1)} s)\n`);
  return value;
}

const podman = (...args: string[]) => run('podman', args);

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer()
      .once('error', () => done(false))
      .once('listening', () => server.close(() => done(true)))
      .listen(port, '127.0.0.1');
  });
}

async function waitForHealth(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${URL}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the container did not answer ${URL}/healthz within ${timeoutMs / 1000} s:\n${logs()}`);
    await new Promise((wake) => setTimeout(wake, 200));
  }
}

const logs = () => spawnSync('podman', ['logs', '--tail', '40', CONTAINER], { encoding: 'utf8' }).stderr;

function removeContainer(): void {
  spawnSync('podman', ['rm', '--force', '--ignore', '--time', '2', CONTAINER], { stdio: 'ignore' });
}

/** OpenShift's restricted security context: an arbitrary uid in group 0, read-only root, no capabilities. */
function startContainer(image: string, volumes: string[] = []): number {
  removeContainer();
  const uid = 1_000_000_000 + Math.floor(Math.random() * 100_000);
  podman(
    'run', '--detach', '--name', CONTAINER,
    '--read-only', '--tmpfs', '/tmp', '--user', `${uid}:0`,
    '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    ...volumes.flatMap((volume) => ['--volume', volume]),
    image,
  );
  return uid;
}

function playwright(specs: string[], env: Record<string, string>): void {
  run('npx', ['playwright', 'test', '--config', 'e2e/container/playwright.config.ts', ...specs], {
    stdio: 'inherit',
    env: { ...process.env, CONTAINER_URL: URL, CONTAINER_NAME: CONTAINER, ...env },
  });
}

function build(tag: string, args: string[] = []): void {
  run('bash', ['scripts/container/build.sh', '-t', tag, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function main(): Promise<void> {
  if (!(await portIsFree(PORT))) throw new Error(`port ${PORT} is in use: the container listens there (host network); stop what holds it`);
  const work = mkdtempSync(join(tmpdir(), 'digit-lab-container-'));
  const exported = join(work, 'exported-model');
  try {
    const buildSeconds = await step(`build ${IMAGE} (scripts/container/build.sh)`, () => {
      const start = performance.now();
      build(IMAGE);
      return (performance.now() - start) / 1000;
    });
    const bytes = Number(podman('image', 'inspect', '--format', '{{.Size}}', IMAGE));
    process.stdout.write(`  image size: ${(bytes / 1e6).toFixed(0)} MB\n`);

    await step('the image runs as a non-root user in group 0, has a HEALTHCHECK and no curl', () => {
      const user = podman('image', 'inspect', '--format', '{{.Config.User}}', IMAGE);
      if (!/^[1-9][0-9]*:0$/.test(user)) throw new Error(`the image's user is ${user}, not a non-root uid in group 0`);
      const health = podman('image', 'inspect', '--format', '{{json .Config.Healthcheck}}', IMAGE);
      if (!health.includes('/healthz')) throw new Error(`the image keeps no HEALTHCHECK of /healthz: ${health}`);
      const curl = spawnSync('podman', ['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'command -v curl wget'], { encoding: 'utf8' });
      if (curl.status === 0) throw new Error(`the runtime image holds ${curl.stdout.trim()}`);
    });

    const uid = await step('start it as OpenShift does (read-only root, tmpfs /tmp, random uid in group 0, no capabilities)', async () => {
      const started = startContainer(IMAGE);
      await waitForHealth();
      return started;
    });
    process.stdout.write(`  running as uid ${uid}, gid 0\n`);

    await step('its HEALTHCHECK passes (podman healthcheck run)', () => {
      const result = spawnSync('podman', ['healthcheck', 'run', CONTAINER], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`the health check failed: ${result.stdout}${result.stderr}`);
    });

    await step('headers, types, brotli and a 404 from the image (e2e/container/headers.spec.ts)', () => playwright(['headers.spec.ts'], {}));
    await step('core journey: draw, read, train one epoch, export, reload, offline (served.spec.ts)', () =>
      playwright(['served.spec.ts'], { CONTAINER_EXPORT_DIR: exported }),
    );

    await step('the exported model served from the image as a read-only volume (own-model.spec.ts)', async () => {
      startContainer(IMAGE, [`${exported}:${SERVED_MODEL_PATH}:ro`]);
      await waitForHealth();
      playwright(['own-model.spec.ts'], { CONTAINER_EXPORT_DIR: exported });
    });

    const withoutModelSeconds = await step(`build ${IMAGE_WITHOUT_MODEL} with --build-arg INCLUDE_PRETRAINED=false`, () => {
      const start = performance.now();
      build(IMAGE_WITHOUT_MODEL, ['--build-arg', 'INCLUDE_PRETRAINED=false']);
      return (performance.now() - start) / 1000;
    });
    await step('no model in the image: the page says so and offers training (no-model.spec.ts)', async () => {
      startContainer(IMAGE_WITHOUT_MODEL);
      await waitForHealth();
      playwright(['no-model.spec.ts'], {});
    });

    process.stdout.write(
      [
        '',
        'Container test passed.',
        `  build: ${buildSeconds.toFixed(0)} s (without the model: ${withoutModelSeconds.toFixed(0)} s, on the first build's cached layers)`,
        `  image: ${(bytes / 1e6).toFixed(0)} MB`,
        ...checks.map((check) => `  ${check.seconds.toFixed(1).padStart(6)} s  ${check.name}`),
        '',
      ].join('\n'),
    );
  } finally {
    removeContainer();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
