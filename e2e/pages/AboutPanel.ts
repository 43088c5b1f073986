/** "About and storage": what this site keeps on the device, whether it is persistent, and which build runs. */
import type { Locator, Page } from '@playwright/test';

export class AboutPanel {
  /** "x.x MB of y.y MB". */
  readonly storageUsage: Locator;
  /** The build id of the version running. */
  readonly buildId: Locator;
  /** "Persistent": data-persisted (what the browser says now) and data-asked (the app asked it to keep the data). */
  readonly persistence: Locator;

  constructor(readonly page: Page) {
    this.persistence = page.getByTestId('storage-persisted');
    this.storageUsage = page.getByTestId('storage-usage');
    this.buildId = page.getByTestId('build-id');
  }

  /** Storage used, in MB, as the panel shows it (0 before it shows a figure). */
  async storageUsedMB(): Promise<number> {
    return Number.parseFloat((await this.storageUsage.textContent()) ?? '0');
  }

  async buildIdText(): Promise<string> {
    return (await this.buildId.textContent())!;
  }
}
