/**
 * The core journey in Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (Playwright's own
 * Firefox build cannot be downloaded here; the stock browser speaks BiDi itself). Run by `npm run test:engines`.
 */
import { test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { type EngineDriver, coreJourney } from './engineJourney';
import { engineServer, modelFilesOnDisk } from './engineServer';

test('Firefox ESR: load, read, train 1 epoch on 2,048 images, reload, correct, import, export, offline reload', { timeout: 600_000 }, async () => {
  const server = await engineServer(Number(process.env.E2E_FIREFOX_PORT ?? 4281));
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: true });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const driver: EngineDriver = {
      goto: async (url) => void (await page.goto(url)),
      reload: async () => void (await page.reload()),
      evaluate: <T,>(fn: string) => page.evaluate(fn) as Promise<T>,
      async drawStrokes(strokes) {
        for (const stroke of strokes) {
          await page.mouse.move(...stroke[0]!);
          await page.mouse.down();
          for (const point of stroke.slice(1)) await page.mouse.move(...point, { steps: 4 });
          await page.mouse.up();
        }
      },
      async upload(selector, paths) {
        const input = await page.$(selector);
        if (!input) throw new Error(`no ${selector}`);
        await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...paths);
      },
    };
    const result = await coreJourney(driver, server.base, { importFiles: await modelFilesOnDisk(), goOffline: server.goOffline, goOnline: server.goOnline });
    console.log(`Firefox ESR journey: ${JSON.stringify(result)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
});
