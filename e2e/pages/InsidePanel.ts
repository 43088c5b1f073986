/**
 * "Look inside": the button that opens the view, the view (data-drawing: the drawing it shows; data-source: the
 * model in use or the run that trains), one element per layer (data-layer, data-units), each feature map a canvas
 * named by its layer and index; a selected map's filter (data-fingerprint of its weights) and pixel arithmetic;
 * the saliency of the digit read and the runner-up.
 */
import { type Locator, type Page, expect } from '@playwright/test';

export class InsidePanel {
  readonly openButton: Locator;
  /** The UI contract's view: data-drawing changes whenever it shows a new drawing. */
  readonly view: Locator;
  /** One per layer: data-layer (the model's layer name), data-units. */
  readonly layers: Locator;
  /** The selected map's filter: data-layer, data-index, data-weights (how many), data-fingerprint. */
  readonly filter: Locator;
  /** The arithmetic of one output pixel of the selected map: data-output. */
  readonly arithmetic: Locator;
  readonly saliency: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.openButton = page.getByRole('button', { name: 'Look inside', exact: true });
    this.view = page.getByTestId('inside');
    this.layers = this.view.getByTestId('layer-view');
    this.filter = this.view.getByTestId('filter');
    this.arithmetic = this.view.getByTestId('pixel-arithmetic');
    this.saliency = this.view.getByTestId('saliency');
    this.alert = this.view.getByRole('alert');
  }

  /** Opens the view and waits until it shows a drawing. */
  async open(): Promise<void> {
    await this.openButton.click();
    await expect(this.openButton).toHaveAttribute('aria-expanded', 'true');
    await expect(this.view).toBeVisible();
  }

  /** The drawing version the view shows ('' before it shows one). */
  async drawingShown(): Promise<string> {
    return (await this.view.getAttribute('data-drawing')) ?? '';
  }

  /** Waits until the view shows a drawing other than `before`; the new one. */
  async waitForNewDrawing(before: string): Promise<string> {
    await expect(this.view).not.toHaveAttribute('data-drawing', before);
    await expect(this.view).not.toHaveAttribute('data-drawing', '');
    return this.drawingShown();
  }

  /** Layer names and their channels or units, in the order shown. */
  async layerSummary(): Promise<Array<{ layer: string; units: number }>> {
    return this.layers.evaluateAll((els) => els.map((e) => ({ layer: e.getAttribute('data-layer') ?? '', units: Number(e.getAttribute('data-units')) })));
  }

  /** A layer's view: by its name in the model, or by its place among the layers shown (a training run names its own). */
  layer(layer: string | number): Locator {
    return typeof layer === 'number' ? this.layers.nth(layer) : this.layers.and(this.page.locator(`[data-layer="${layer}"]`));
  }

  /** The feature maps of a layer: canvases named "<layer> map <n> of <count>: ...". */
  maps(layer: string | number): Locator {
    return this.layer(layer).getByRole('img', { name: / map \d+ of \d+: / });
  }

  /** The button that selects map `index` (0-based) of `layer`. */
  mapButton(layer: string | number, index: number): Locator {
    return this.layer(layer).getByRole('button').nth(index);
  }

  /** What map `index` of `layer` shows, as its pixels (a data URL of the canvas). */
  async mapPixels(layer: string | number, index: number): Promise<string> {
    return this.maps(layer).nth(index).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
  }

  async selectMap(layer: string | number, index: number): Promise<void> {
    await this.mapButton(layer, index).click();
    await expect(this.mapButton(layer, index)).toHaveAttribute('aria-pressed', 'true');
    await expect(this.filter).toHaveAttribute('data-layer', (await this.layer(layer).getAttribute('data-layer'))!);
    await expect(this.filter).toHaveAttribute('data-index', String(index));
  }

  /** The selected filter's weights, as a fingerprint that changes when any weight does. */
  async filterFingerprint(): Promise<string> {
    return (await this.filter.getAttribute('data-fingerprint')) ?? '';
  }

  /** Whose weights the view shows: 'active' (the model in use) or 'training' (the run that trains). */
  async source(): Promise<string> {
    return (await this.view.getAttribute('data-source')) ?? '';
  }
}
