/**
 * The page as a whole: opening and reloading it, its service worker, and what no single panel owns (an alert,
 * wherever it shows; the page's width). The panels have their own page objects next to this one.
 */
import { type Locator, type Page, expect } from '@playwright/test';
import { AppBar } from './AppBar';

export class DigitLab {
  /**
   * Any role=alert on the page, whichever panel shows it. Assertions on one element are strict: with two alerts
   * showing they fail, as they should.
   */
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.alert = page.getByRole('alert');
  }

  /** Opens the app (at `/` plus `query`, e.g. `?backend=webgl`) and waits until it has rendered. */
  async goto(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(new AppBar(this.page).heading).toBeVisible();
  }

  /** Navigates to `url` (e.g. another server's), waiting for nothing but the navigation. */
  async visit(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  /**
   * One record of the app's `settings` store in IndexedDB, read, or written as another tab or a past start-up
   * would have left it (undefined deletes it).
   */
  async setting(key: string, ...write: [] | [value: unknown]): Promise<unknown> {
    return this.page.evaluate(
      ([key, writing, value]) =>
        new Promise<unknown>((resolve, reject) => {
          const open = indexedDB.open('digit-lab');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('settings', writing ? 'readwrite' : 'readonly');
            const settings = tx.objectStore('settings');
            const request = !writing ? settings.get(key) : value === undefined ? settings.delete(key) : settings.put(value, key);
            tx.oncomplete = () => {
              open.result.close();
              resolve(writing ? undefined : request.result);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      [key, write.length > 0, write[0]] as const,
    );
  }

  /** The names of the Web Locks held now by the app's tabs and workers (e.g. `digit-lab-training` while a run trains). */
  async heldLocks(): Promise<string[]> {
    return this.page.evaluate(async () => ((await navigator.locks.query()).held ?? []).map((lock) => lock.name ?? ''));
  }

  /** Waits until the service worker is installed (its precache complete) and controls the page. */
  async waitForServiceWorker(): Promise<void> {
    await this.page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => this.page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 30_000 }).toBe(true);
  }

  /** Asks the browser to look for a new service worker now, as it does by itself on later visits. */
  async checkForUpdate(): Promise<void> {
    await this.page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  }

  /** How wide the page's content is, in CSS pixels: wider than the viewport means sideways scrolling. */
  async contentWidth(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth);
  }
}
