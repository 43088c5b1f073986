/** The app bar: the title, the Offline badge, the Install button and the "new version" banner. */
import type { Locator, Page } from '@playwright/test';

export class AppBar {
  /** The page's one top-level heading, "Digit Lab": shown once the app has rendered. */
  readonly heading: Locator;
  /** The badge the app shows while the browser is offline. */
  readonly offlineIndicator: Locator;
  readonly installButton: Locator;
  /** "A new version of Digit Lab is ready.": a new service worker waits to take over. */
  readonly updateBanner: Locator;
  readonly updateNowButton: Locator;
  /** What "Update now" becomes while the switch waits for a run in another tab to end. */
  readonly updateWaitingButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Digit Lab', level: 1 });
    this.offlineIndicator = page.getByTestId('offline-indicator');
    this.installButton = page.getByRole('button', { name: 'Install', exact: true });
    this.updateBanner = page.getByText('A new version of Digit Lab is ready.');
    this.updateNowButton = page.getByRole('button', { name: 'Update now' });
    this.updateWaitingButton = page.getByRole('button', { name: 'Waiting for training' });
  }

  /** Accepts the new version: the page reloads into it. */
  async updateNow(): Promise<void> {
    await this.updateNowButton.click();
  }
}
