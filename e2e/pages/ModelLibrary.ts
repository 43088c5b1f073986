/**
 * "Your models": the saved models (use, rename, delete), import and export, the architecture of the model in use,
 * and the library's messages.
 */
import { join } from 'node:path';
import { type Download, type Locator, type Page, expect } from '@playwright/test';

/** What setInputFiles takes: paths on disk, or files made in the test. */
export type ModelFiles = Parameters<Locator['setInputFiles']>[0];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class ModelLibrary {
  /** One row per saved model: the table rows with a "Use ..." button (the header row has none). */
  readonly models: Locator;
  readonly importInput: Locator;
  readonly exportButton: Locator;
  /** The select labelled "Export format": tfjs, keras or h5. */
  readonly exportFormat: Locator;
  /** The alert an import that was refused shows. */
  readonly importError: Locator;
  /** The architecture table of the model in use (behind its disclosure). */
  readonly architecture: Locator;

  constructor(readonly page: Page) {
    this.models = page.getByRole('row').filter({ has: page.getByRole('button', { name: /^Use / }) });
    this.importInput = page.getByLabel('Import model');
    this.exportButton = page.getByRole('button', { name: 'Export model' });
    this.exportFormat = page.getByLabel('Export format');
    this.importError = page.getByRole('alert').filter({ hasText: 'Import failed' });
    this.architecture = page.getByTestId('architecture');
  }

  /** The architecture table's rows: each layer's class and output shape (e.g. `Conv2D`, `[None,26,26,32]`). */
  async architectureRows(): Promise<Array<{ className: string; outputShape: string }>> {
    const rows = await this.architecture.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    return rows.map(([className, outputShape]) => ({ className: className!, outputShape: outputShape! }));
  }

  /** Imports a model from its files (model.json and weight shards), as choosing them in the file dialog does. */
  async importFiles(files: ModelFiles): Promise<void> {
    await this.importInput.setInputFiles(files);
  }

  /**
   * Presses "Export model" and saves what the browser downloads into `dir`, once `count` files have come: their
   * paths, model.json first.
   */
  async exportFiles(dir: string, count: number): Promise<string[]> {
    const paths: string[] = [];
    const save = async (download: Download) => {
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      paths.push(path);
    };
    this.page.on('download', save);
    await this.exportButton.click();
    await expect.poll(() => paths.length, { timeout: 30_000 }).toBe(count);
    this.page.off('download', save);
    return paths.sort((a, b) => Number(!a.endsWith('model.json')) - Number(!b.endsWith('model.json')) || a.localeCompare(b));
  }

  /** Chooses the format Export model downloads in. */
  async chooseExportFormat(format: 'tfjs' | 'keras' | 'h5'): Promise<void> {
    await this.exportFormat.selectOption(format);
  }

  /** The rows of saved models whose text includes `text` (case-insensitive), or matches it. */
  modelsNamed(text: string | RegExp): Locator {
    return this.models.filter({ hasText: text });
  }

  /** The saved model with this id (a run's model has its run's id): names made in the same second can repeat. */
  modelWithId(id: string): Locator {
    return this.page.locator(`tr[data-model-id="${id}"]`);
  }

  /** The Use button of the saved model whose name starts with `name`. */
  useButton(name: string): Locator {
    return this.actionButton('Use', name);
  }

  renameButton(name: string): Locator {
    return this.actionButton('Rename', name);
  }

  deleteButton(name: string): Locator {
    return this.actionButton('Delete', name);
  }

  /** Switches to the saved model whose name starts with `name`. */
  async use(name: string): Promise<void> {
    await this.useButton(name).click();
  }

  /** Renames the saved model whose name starts with `name`, answering the app's prompt with `newName`. */
  async rename(name: string, newName: string): Promise<void> {
    this.page.once('dialog', (dialog) => dialog.accept(newName));
    await this.renameButton(name).click();
  }

  /** Deletes the saved model whose name starts with `name`, confirming the app's question. */
  async delete(name: string): Promise<void> {
    this.page.once('dialog', (dialog) => dialog.accept());
    await this.deleteButton(name).click();
  }

  /** Opens "Architecture of the model in use". */
  async showArchitecture(): Promise<void> {
    await this.page.getByText(/Architecture of the model in use/).click();
  }

  /** A notice the library shows, e.g. about saved records it could not read. */
  notice(text: string): Locator {
    return this.page.getByText(text);
  }

  private actionButton(action: 'Use' | 'Rename' | 'Delete', name: string): Locator {
    return this.page.getByRole('button', { name: new RegExp(`^${action} ${escapeRegExp(name)}`) });
  }
}
