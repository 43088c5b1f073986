/** "Evaluation on the 10,000 test images": accuracy and loss, per digit, the confusion matrix, and the image gallery. */
import type { Locator, Page } from '@playwright/test';

export class EvaluationPanel {
  readonly evaluateButton: Locator;
  /** "Accuracy xx.xx%, loss ...; n mistakes.": shown once an evaluation of the model in use is done. */
  readonly summary: Locator;
  /** The confusion matrix's 100 cells (buttons, row by row: true digit, then predicted), each showing its count. */
  readonly matrixCells: Locator;
  /** The accuracy of each digit, 0 to 9 (data-digit, data-accuracy). */
  readonly perDigitAccuracy: Locator;
  /** The test images shown: the mistakes at first, a cell's images once one is chosen. */
  readonly galleryImages: Locator;

  constructor(readonly page: Page) {
    this.evaluateButton = page.getByRole('button', { name: 'Evaluate the model in use' });
    this.summary = page.getByTestId('evaluation-summary');
    this.matrixCells = page.getByTestId('confusion-matrix').getByRole('button');
    this.perDigitAccuracy = page.getByRole('table', { name: 'Accuracy per digit' }).locator('[data-digit]');
    this.galleryImages = page.getByTestId('gallery').getByRole('listitem');
  }

  /** Presses "Evaluate the model in use". */
  async evaluate(): Promise<void> {
    await this.evaluateButton.click();
  }

  /** Opens the confusion matrix cell of test images of `truth` the model read as `predicted`. */
  async showImagesOf(truth: number, predicted: number): Promise<void> {
    await this.page.getByRole('button', { name: new RegExp(`images of ${truth} predicted as ${predicted}$`) }).click();
  }

  /** The gallery's title once a cell is open: "Test images of 7 predicted as 7". */
  galleryTitle(truth: number, predicted: number): Locator {
    return this.page.getByRole('heading', { name: `Test images of ${truth} predicted as ${predicted}` });
  }
}
