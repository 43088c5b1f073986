/**
 * Every order of events: what the user does is never undone by what the app was still doing (start-up, a training
 * run, another tab). The rule is library/activeChoice.ts's: the most recent user intent wins.
 */
import type { BrowserContext } from '@playwright/test';
import { expect, panelsFor, test } from './fixtures';
import { holdRequests } from './holdRequests';
import { otherArchitecture } from './modelUploads';

const PRETRAINED_FILES = '**/models/pretrained/**';

/** Opens another tab of the app in the same browser profile. */
async function openTab(context: BrowserContext) {
  const panels = panelsFor(await context.newPage());
  await panels.app.goto();
  return panels;
}


test.describe('order of events', () => {
  test.setTimeout(300_000);

  test('a model imported while the pre-trained model is still downloading stays in use, also after a reload', async ({ page, app, modelStatus, library, about }) => {
    const pretrained = await holdRequests(page.context(), PRETRAINED_FILES);
    await app.goto();
    await expect(modelStatus.card).toContainText('Loading the pre-trained model');
    await expect.poll(() => pretrained.urls.length, { message: 'start-up asks for the pre-trained model and waits' }).toBeGreaterThan(0);

    await library.importFiles(await otherArchitecture([784], 'mine.json'));
    await modelStatus.waitForModel('imported');
    await expect(modelStatus.card).toHaveAttribute('data-startup', 'loading');

    pretrained.release();
    await modelStatus.waitForStartup();
    // Start-up kept the pre-trained model for offline use, and left the user's import in use.
    await expect(library.modelsNamed('Pre-trained')).toHaveCount(1);
    expect(await modelStatus.source()).toBe('imported');
    await expect(library.modelsNamed('Imported mine.json')).toHaveAttribute('aria-current', 'true');
    // The user now has something to lose: the app has asked the browser to keep it, and says what it answered.
    const granted = await page.evaluate(() => navigator.storage.persisted());
    await expect(about.persistence).toHaveAttribute('data-asked', 'true');
    await expect(about.persistence).toHaveAttribute('data-persisted', String(granted));

    await app.reload();
    await modelStatus.waitForStartup();
    await modelStatus.waitForModel('imported');
    await expect(library.modelsNamed('Imported mine.json')).toHaveAttribute('aria-current', 'true');
  });

  test('a saved model picked while start-up downloads the pre-trained model stays in use, also after a reload', async ({ page, app, modelStatus, library }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await library.importFiles(await otherArchitecture([784], 'picked.json'));
    await modelStatus.waitForModel('imported');
    await library.use('Pre-trained');
    await modelStatus.waitForModel('pretrained');

    // Forgets which model was active (as a lost or damaged record would), so that start-up downloads the pre-trained model.
    await app.setting('activeModelId', undefined);
    const pretrained = await holdRequests(page.context(), PRETRAINED_FILES);
    await app.reload();
    await expect(modelStatus.card).toContainText('Loading the pre-trained model');
    await expect.poll(() => pretrained.urls.length).toBeGreaterThan(0);
    // The library is there to pick from while start-up waits for the network.
    await library.use('Imported picked.json');
    await modelStatus.waitForModel('imported');

    pretrained.release();
    await modelStatus.waitForStartup();
    expect(await modelStatus.source()).toBe('imported');

    await page.unrouteAll();
    await app.reload();
    await modelStatus.waitForStartup();
    await modelStatus.waitForModel('imported');
  });

  test('two tabs: an import in one shows in the other within a second, and the other reads with it', async ({ page, app, modelStatus, library }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    const second = await openTab(page.context());
    await second.modelStatus.waitForModel('pretrained');

    await library.importFiles(await otherArchitecture([784], 'shared.json'));
    await modelStatus.waitForModel('imported');
    await expect(second.library.modelsNamed('Imported shared.json')).toHaveCount(1, { timeout: 1_000 });
    await second.modelStatus.waitForModel('imported', 5_000);
    await expect(second.library.modelsNamed('Imported shared.json')).toHaveAttribute('aria-current', 'true');

    // A rename in the second tab shows in the first.
    await second.library.rename('Imported shared.json', 'Renamed elsewhere');
    await expect(library.modelsNamed('Renamed elsewhere')).toHaveCount(1, { timeout: 1_000 });
    await expect(modelStatus.card).toContainText('Renamed elsewhere');
  });

  test('a model trained while another tab imports is kept, and the import stays in use; Train in a second tab meanwhile is refused', async ({ page, app, modelStatus, library, training }) => {
    await app.goto('?backend=wasm');
    await modelStatus.waitForModel('pretrained');
    const second = await openTab(page.context());
    await second.modelStatus.waitForModel('pretrained');

    await training.train({ epochs: 1, images: 2048 });
    await expect(training.progress).toBeVisible({ timeout: 60_000 });
    // One run at a time across tabs: the second tab says so instead of starting another.
    await second.training.train({ epochs: 1, images: 256 });
    await expect(second.training.otherTabTrainsMessage).toBeVisible();
    await expect(training.progress).toBeVisible();

    await second.library.importFiles(await otherArchitecture([784], 'meanwhile.json'));
    await second.modelStatus.waitForModel('imported');
    await modelStatus.waitForModel('imported', 5_000);

    await expect(training.keptNotInUseMessage).toBeVisible({ timeout: 240_000 });
    expect(await modelStatus.source()).toBe('imported');
    await expect(library.modelsNamed(/^Trained /)).toHaveCount(1);
    await expect(second.library.modelsNamed(/^Trained /)).toHaveCount(1, { timeout: 5_000 });
    expect(await second.modelStatus.source()).toBe('imported');

    await app.reload();
    await modelStatus.waitForModel('imported');
  });
});
