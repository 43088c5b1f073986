/** Page object: drives Digit Lab only through the names in the UI contract (shared/notes/ui-contract.md). */
import { type Locator, type Page, expect } from '@playwright/test';
import { HAND_DRAWN_DIGITS, type Stroke } from '../../scripts/handDrawnDigits';
import { replayStrokes } from '../../scripts/replayStrokes';

export type { Stroke };

export class DigitLabPage {
  readonly pad: Locator;
  readonly prediction: Locator;
  readonly probabilities: Locator;
  readonly preview: Locator;
  readonly modelStatus: Locator;
  readonly backend: Locator;
  readonly testAccuracy: Locator;
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.pad = page.getByRole('img', { name: 'Drawing pad' });
    this.prediction = page.getByTestId('prediction');
    this.probabilities = page.getByTestId('probabilities');
    this.preview = page.getByRole('img', { name: 'Model input preview' });
    this.modelStatus = page.getByTestId('model-status');
    this.backend = page.getByTestId('backend');
    this.testAccuracy = page.getByTestId('test-accuracy');
    this.progress = page.getByRole('progressbar');
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.page.getByRole('heading', { name: 'Digit Lab', level: 1 })).toBeVisible();
  }

  async waitForModel(source: 'pretrained' | 'trained' | 'imported', timeout = 60_000): Promise<void> {
    await expect(this.modelStatus).toHaveAttribute('data-source', source, { timeout });
    await expect(this.modelStatus).toHaveAttribute('data-ready', 'true', { timeout });
  }

  /** Waits for a training run to finish (it includes evaluating all 10,000 test images) and its model to load. */
  async waitForTrainedModel(): Promise<void> {
    await expect(this.page.getByText('Training finished; the new model is saved and in use.')).toBeVisible({ timeout: 240_000 });
    await this.waitForModel('trained');
  }

  /** Draws strokes with the mouse, in CSS pixels inside the pad's box; `steps` mouse moves per segment. */
  async draw(strokes: Stroke[], steps = 6): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    const box = (await this.pad.boundingBox())!;
    await replayStrokes(this.page, strokes, ([x, y]) => [box.x + x * box.width, box.y + y * box.height], steps);
  }

  /**
   * Replays pen strokes (e.g. UCI pen digits, in a box of `box` units, y down) with the mouse, mapped into the
   * pad's region from (left, top) of the given size (all in pad units 0..1), one mouse move per pen sample.
   */
  async drawPen(strokes: Array<Array<[number, number]>>, box: number, region: { left: number; top: number; size: number }): Promise<void> {
    await this.draw(
      strokes.map((s) => s.map(([x, y]): [number, number] => [region.left + (x / box) * region.size, region.top + (y / box) * region.size])),
      1,
    );
  }

  /** The 28x28 image the model was given, as shown by the preview (0..255 per pixel). */
  async modelInput(): Promise<number[]> {
    return this.preview.evaluate((canvas) => {
      const data = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => data[i * 4]!);
    });
  }

  /** The digit shown once the prediction belongs to the current drawing. */
  async predictedDigit(): Promise<string> {
    await expect(this.prediction).toHaveAttribute('aria-busy', 'false');
    await expect(this.prediction).toHaveText(/^[0-9]$/);
    return (await this.prediction.textContent())!;
  }

  /** The ten probabilities as shown (data-probability of each digit), 0 to 9. */
  async probabilityValues(): Promise<string[]> {
    return this.probabilities.locator('[data-digit]').evaluateAll((items) => items.map((li) => li.getAttribute('data-probability')!));
  }

  async clear(): Promise<void> {
    await this.page.getByRole('button', { name: 'Clear' }).click();
  }

  /** Starts training; the recipe is the page's default (for drawn digits) unless one is named. */
  async train(epochs: number, images: number, recipe?: 'handwriting' | 'workshop'): Promise<void> {
    if (recipe) await this.page.getByRole('radio', { name: recipe === 'handwriting' ? /^For drawn digits/ : /^Workshop original/ }).check();
    await this.page.getByLabel('Epochs').fill(String(epochs));
    await this.page.getByLabel('Training images').fill(String(images));
    await this.page.getByRole('button', { name: 'Train', exact: true }).click();
  }
}

/** Hand-made mouse strokes for digits, in pad coordinates (scripts/handDrawnDigits.ts). */
export const DIGITS: Record<string, Stroke[]> = HAND_DRAWN_DIGITS;
