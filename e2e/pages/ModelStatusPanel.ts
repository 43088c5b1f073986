/** "Model": which model is in use, where it came from (data-source), whether it is ready, its test accuracy. */
import { type Locator, type Page, expect } from '@playwright/test';

export type ModelSource = 'pretrained' | 'trained' | 'imported';

export class ModelStatusPanel {
  /** The model's card: data-source (none/pretrained/trained/imported), data-ready, and what it says about the model. */
  readonly card: Locator;
  readonly testAccuracy: Locator;
  /** What the card says when no model reads (role=status), e.g. that the server offers none. */
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.card = page.getByTestId('model-status');
    this.testAccuracy = page.getByTestId('test-accuracy');
    this.notice = page.getByRole('region', { name: 'Model', exact: true }).getByRole('status');
  }

  /** Waits until a model from `source` is in use and ready to predict. */
  async waitForModel(source: ModelSource, timeout = 60_000): Promise<void> {
    await expect(this.card).toHaveAttribute('data-source', source, { timeout });
    await expect(this.card).toHaveAttribute('data-ready', 'true', { timeout });
  }

  /** Waits until start-up has loaded the saved or pre-trained model, or given way to the user's choice (data-startup). */
  async waitForStartup(timeout = 60_000): Promise<void> {
    await expect(this.card).toHaveAttribute('data-startup', 'done', { timeout });
  }

  /** The source of the model in use now (data-source). */
  async source(): Promise<string | null> {
    return this.card.getAttribute('data-source');
  }

  /** The test accuracy as the card shows it, e.g. "98.91%". */
  async testAccuracyText(): Promise<string> {
    return (await this.testAccuracy.textContent())!;
  }
}
