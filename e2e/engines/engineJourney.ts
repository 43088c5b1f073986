/**
 * The core journey for browser engines Playwright cannot drive here (Debian's Firefox ESR, WebKitGTK), written
 * once against a small driver interface (EngineDriver) that each engine's test implements with its own protocol:
 * load, the served model reads a drawn digit, Train 1 epoch on 2,048 images, reload and find the model, a
 * correction, import, export, an offline reload. Returns what the closing note reports: backend, kernels, images/s.
 */
import assert from 'node:assert/strict';
import { HAND_DRAWN_DIGITS } from '../../scripts/handDrawnDigits';

export interface EngineDriver {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs a function in the page and returns its (JSON) result. */
  evaluate<T>(fn: string): Promise<T>;
  /** Mouse strokes in CSS pixels of the viewport. */
  drawStrokes(strokes: Array<Array<[number, number]>>): Promise<void>;
  /** Chooses files in the file input matching `selector`. */
  upload(selector: string, paths: string[]): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `expression` (evaluated in the page) until it is truthy; its value. */
export async function waitFor<T>(driver: EngineDriver, expression: string, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      last = await driver.evaluate<T>(`(() => ${expression})()`);
      if (last) return last as T;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
}

const attr = (testId: string, name: string) => `document.querySelector('[data-testid="${testId}"]')?.getAttribute('${name}')`;
/** Clicks the button whose accessible name (aria-label, else text) is `name`. */
const clickButton = (name: string) =>
  `(() => { const b = [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent.trim()) === ${JSON.stringify(name)} && !b.disabled); if (!b) return false; b.click(); return true; })()`;
/** Sets the number input of the label whose text starts with `label`, as typing would (React sees an input event). */
const fillNumber = (label: string, value: number) => `(() => {
  const l = [...document.querySelectorAll('label')].find((l) => l.textContent.trim().startsWith(${JSON.stringify(label)}));
  const input = l?.querySelector('input'); if (!input) return false;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(String(value))});
  input.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`;

export interface JourneyResult {
  backend: string;
  backendText: string;
  figures: string;
  imagesPerSecond?: number;
  reading: string;
}

async function drawThree(driver: EngineDriver): Promise<string> {
  const box = await driver.evaluate<{ x: number; y: number; width: number; height: number }>(
    `(() => { const c = document.querySelector('canvas[aria-label="Drawing pad"]'); c.scrollIntoView({ block: 'center' }); const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })()`,
  );
  await driver.drawStrokes(HAND_DRAWN_DIGITS['3'].map((s) => s.map(([x, y]): [number, number] => [box.x + x * box.width, box.y + y * box.height])));
  return waitFor<string>(driver, `${attr('prediction', 'aria-busy')} === 'false' && /^[0-9]$/.test(document.querySelector('[data-testid="prediction"]').textContent) && document.querySelector('[data-testid="prediction"]').textContent`, 'a reading');
}

/** The journey; `importFiles` are a model's files on disk, `goOffline`/`goOnline` stop and start the server. */
export async function coreJourney(driver: EngineDriver, base: string, options: { importFiles: string[]; goOffline(): Promise<void>; goOnline(): Promise<void> }): Promise<JourneyResult> {
  await driver.goto(base);
  await waitFor(driver, `${attr('model-status', 'data-ready')} === 'true' && ${attr('model-status', 'data-source')} === 'pretrained'`, 'the served model');
  // No install prompt in this engine: the About panel says how to install instead.
  assert.ok(await waitFor<string>(driver, `document.querySelector('[data-testid="install-instructions"]')?.textContent`, 'install instructions'));
  const reading = await drawThree(driver);
  assert.equal(reading, '3', 'the served model reads a drawn 3');

  assert.ok(await driver.evaluate(fillNumber('Epochs', 1)));
  assert.ok(await driver.evaluate(fillNumber('Training images', 2048)));
  assert.ok(await waitFor(driver, clickButton('Train'), 'the Train button'));
  await waitFor(driver, `document.body.textContent.includes('Training finished; the new model is saved and in use.')`, 'training to finish', 360_000);
  const backend = (await driver.evaluate<string>(attr('backend', 'data-backend')))!;
  const backendText = await driver.evaluate<string>(`document.querySelector('[data-testid="backend"]').textContent`);
  const figures = await driver.evaluate<string>(`document.querySelector('[data-testid="backend-figures"]')?.innerText ?? ''`);
  const ips = await driver.evaluate<string | null>(`document.querySelector('[data-testid="backend-figures"] [data-backend="${backend}"]')?.getAttribute('data-images-per-second') ?? null`);
  assert.equal(await driver.evaluate(attr('model-status', 'data-source')), 'trained');

  await driver.reload();
  await waitFor(driver, `${attr('model-status', 'data-ready')} === 'true' && ${attr('model-status', 'data-source')} === 'trained'`, 'the trained model after a reload');

  await drawThree(driver);
  assert.ok(await waitFor(driver, clickButton("It's a 3"), 'the correction buttons'));
  await waitFor(driver, `${attr('handwriting', 'data-samples')} === '1'`, 'the correction kept as a sample');

  await driver.upload('input[type=file][aria-label="Import model"]', options.importFiles);
  await waitFor(driver, `${attr('model-status', 'data-ready')} === 'true' && ${attr('model-status', 'data-source')} === 'imported'`, 'the imported model');

  // Export: the files the page hands the browser to download. Each blob is kept as its URL is made and read when
  // its link is clicked; the browser's own download (a save dialog in some engines) is not started.
  await driver.evaluate(`(() => {
    window.__blobs = new Map();
    window.__exported = [];
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = (blob) => { const url = createObjectURL.call(URL, blob); window.__blobs.set(url, blob); return url; };
    HTMLAnchorElement.prototype.click = function () {
      const blob = window.__blobs.get(this.href);
      if (this.download && blob) {
        const file = { name: this.download, size: blob.size };
        window.__exported.push(file);
        if (this.download.endsWith('.json')) blob.text().then((text) => { file.text = text; }, (error) => { file.text = 'unreadable: ' + error; });
        return;
      }
      return HTMLElement.prototype.click.call(this);
    };
    return true; })()`);
  assert.ok(await driver.evaluate(clickButton('Export model')));
  const exported = await waitFor<Array<{ name: string; size: number; text?: string }>>(
    driver,
    `window.__exported.length >= 3 && window.__exported.every((f) => !f.name.endsWith('.json') || f.text !== undefined) && window.__exported`,
    'the exported files',
  );
  const modelJson = exported.find((f) => f.name === 'model.json');
  assert.ok(modelJson, `model.json among ${exported.map((f) => f.name).join(', ')}`);
  const manifest = JSON.parse(modelJson.text!) as { format: string; weightsManifest: Array<{ paths: string[]; weights: Array<{ shape: number[] }> }> };
  assert.equal(manifest.format, 'layers-model');
  // The model's card comes along (a folder of exported files is servable as the pre-trained model).
  const card = exported.find((f) => f.name === 'model-card.json');
  assert.equal((JSON.parse(card?.text ?? '{}') as { source?: string }).source, 'imported', 'the exported card');
  const shards = exported.filter((f) => f.name.endsWith('.bin'));
  assert.deepEqual(shards.map((f) => f.name).sort(), manifest.weightsManifest.flatMap((g) => g.paths).sort(), 'every shard model.json names is exported');
  const floats = manifest.weightsManifest.flatMap((g) => g.weights).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  assert.equal(shards.reduce((sum, f) => sum + f.size, 0), floats * 4, 'the shards hold every weight model.json lists, as float32');

  // Offline: the service worker serves the app, IndexedDB the model.
  await waitFor(driver, `navigator.serviceWorker.controller !== null`, 'the service worker in control', 30_000);
  await options.goOffline();
  try {
    await driver.reload();
    await waitFor(driver, `${attr('model-status', 'data-ready')} === 'true' && ${attr('model-status', 'data-source')} === 'imported'`, 'the imported model, offline');
    assert.match(await drawThree(driver), /^[0-9]$/);
  } finally {
    await options.goOnline();
  }
  return { backend, backendText, figures, imagesPerSecond: ips === null ? undefined : Number(ips), reading };
}
