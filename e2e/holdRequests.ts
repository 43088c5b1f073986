/**
 * Holds back a browser context's requests to some URLs until the test lets them go: a slow network on demand,
 * for what the app does while a download is still under way. Context-wide, so it also holds the requests of the
 * app's workers.
 */
import type { BrowserContext } from '@playwright/test';

export interface HeldRequests {
  /** The URLs asked for so far (held until released, then passed on). */
  readonly urls: string[];
  /** Lets every held request, and every later one, go to the server. */
  release(): void;
}

export async function holdRequests(context: BrowserContext, pattern: string | RegExp): Promise<HeldRequests> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const urls: string[] = [];
  await context.route(pattern, async (route) => {
    urls.push(route.request().url());
    await released;
    await route.continue();
  });
  return { urls, release };
}
