/**
 * The core journey in WebKitGTK (Safari's engine, as on every iPhone and iPad), driven by Debian's WebKitWebDriver
 * (package webkit2gtk-driver) through selenium-webdriver, with WebKitGTK's MiniBrowser under Xvfb. Run by
 * `npm run test:engines`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { test } from 'node:test';
import { Builder, By, Origin, type WebDriver } from 'selenium-webdriver';
import { type EngineDriver, coreJourney } from './engineJourney';
import { engineServer, modelFilesOnDisk } from './engineServer';

const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Starts WebKitWebDriver on `port` inside a virtual display; resolves once it answers. */
async function startWebDriver(port: number): Promise<ChildProcess> {
  const child = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('WebKitWebDriver did not start');
}

test('WebKitGTK: load, read, train 1 epoch on 2,048 images, reload, correct, import, export, offline reload', { timeout: 600_000 }, async () => {
  const server = await engineServer(Number(process.env.E2E_WEBKIT_PORT ?? 4282));
  const driverPort = Number(process.env.WEBKIT_DRIVER_PORT ?? 4283);
  const webdriver = await startWebDriver(driverPort);
  let browser: WebDriver | undefined;
  try {
    browser = await new Builder()
      .usingServer(`http://127.0.0.1:${driverPort}`)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
    const b = browser;
    await b.manage().window().setRect({ width: 1280, height: 900 });
    const driver: EngineDriver = {
      goto: (url) => b.get(url),
      reload: () => b.navigate().refresh(),
      evaluate: <T,>(fn: string) => b.executeScript(`return ${fn};`) as Promise<T>,
      async drawStrokes(strokes) {
        for (const stroke of strokes) {
          let actions = b.actions({ async: true }).move({ x: Math.round(stroke[0]![0]), y: Math.round(stroke[0]![1]), origin: Origin.VIEWPORT }).press();
          for (const [x, y] of stroke.slice(1)) actions = actions.move({ x: Math.round(x), y: Math.round(y), origin: Origin.VIEWPORT, duration: 20 });
          await actions.release().perform();
        }
      },
      async upload(selector, paths) {
        await b.findElement(By.css(selector)).sendKeys(paths.join('\n'));
      },
    };
    const result = await coreJourney(driver, server.base, { importFiles: await modelFilesOnDisk(), goOffline: server.goOffline, goOnline: server.goOnline });
    console.log(`WebKitGTK journey: ${JSON.stringify(result)}`);
  } finally {
    await browser?.quit().catch(() => undefined);
    if (webdriver.pid) process.kill(-webdriver.pid);
    await server.stop();
  }
});
