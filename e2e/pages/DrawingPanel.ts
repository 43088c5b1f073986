/** "Draw a digit": the drawing pad with Undo and Clear, the prediction, all ten probabilities, what the model sees. */
import { type Locator, type Page, expect } from '@playwright/test';
import { HAND_DRAWN_DIGITS, type HandDrawnDigit, type Stroke } from '../../scripts/handDrawnDigits';
import { replayStrokes } from '../../scripts/replayStrokes';

export type { HandDrawnDigit, Stroke };

export class DrawingPanel {
  readonly pad: Locator;
  /** The predicted digit (empty while the pad is); aria-busy while it does not yet belong to the drawing. */
  readonly prediction: Locator;
  readonly probabilities: Locator;
  /** The second reading ("7, or a 1?"): present only while the two most likely digits are close; a button that
   * keeps the drawing as a sample of that digit. */
  readonly alternative: Locator;
  /** What the model sees: the 28x28 image made from the drawing. */
  readonly preview: Locator;
  readonly undoButton: Locator;
  readonly clearButton: Locator;

  constructor(readonly page: Page) {
    this.pad = page.getByRole('img', { name: 'Drawing pad' });
    this.prediction = page.getByTestId('prediction');
    this.probabilities = page.getByTestId('probabilities');
    this.alternative = page.getByTestId('alternative');
    this.preview = page.getByRole('img', { name: 'Model input preview' });
    this.undoButton = page.getByRole('button', { name: 'Undo', exact: true });
    this.clearButton = page.getByRole('button', { name: 'Clear' });
  }

  /** Draws one of the hand-drawn digits (scripts/handDrawnDigits.ts) with the mouse. */
  async draw(digit: HandDrawnDigit): Promise<void> {
    await this.drawStrokes(HAND_DRAWN_DIGITS[digit]);
  }

  /** Draws strokes with the mouse, in pad coordinates (0..1) inside the pad's box; `steps` mouse moves per segment. */
  async drawStrokes(strokes: Stroke[], steps = 6): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    const box = (await this.pad.boundingBox())!;
    await replayStrokes(this.page, strokes, ([x, y]) => [box.x + x * box.width, box.y + y * box.height], steps);
  }

  /**
   * Replays pen strokes (e.g. UCI pen digits, in a box of `box` units, y down) with the mouse, mapped into the
   * pad's region from (left, top) of the given size (all in pad units 0..1), one mouse move per pen sample.
   */
  async drawPen(strokes: Array<Array<[number, number]>>, box: number, region: { left: number; top: number; size: number }): Promise<void> {
    await this.drawStrokes(
      strokes.map((s) => s.map(([x, y]): [number, number] => [region.left + (x / box) * region.size, region.top + (y / box) * region.size])),
      1,
    );
  }

  /**
   * Replays pen strokes (a box of `box` units, y down) on the whole pad as a pen would: pen pointer events, all of a
   * stroke dispatched in the page at once (drawWithPointer). The same pad code as drawPen's mouse, without a
   * DevTools round trip per pen sample: for tests that draw a hundred digits.
   */
  async drawPenEvents(strokes: Array<Array<[number, number]>>, box: number): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    for (const stroke of strokes) await this.drawWithPointer('pen', stroke.map(([x, y]): [number, number] => [x / box, y / box]));
  }

  /**
   * Draws one stroke as a pen or a finger would: pointer events of that pointer type on the pad (down at the first
   * point, a move to each next one, up at the last), in pad coordinates.
   */
  async drawWithPointer(pointerType: 'pen' | 'touch', stroke: Stroke): Promise<void> {
    await this.pad.evaluate(
      (canvas, { type, points }) => {
        const r = canvas.getBoundingClientRect();
        const at = ([x, y]: [number, number]) => ({ clientX: r.left + x * r.width, clientY: r.top + y * r.height, pointerId: 7, pointerType: type, isPrimary: true, bubbles: true, button: 0, buttons: 1 });
        canvas.dispatchEvent(new PointerEvent('pointerdown', at(points[0]!)));
        for (const point of points.slice(1)) canvas.dispatchEvent(new PointerEvent('pointermove', at(point)));
        canvas.dispatchEvent(new PointerEvent('pointerup', { ...at(points.at(-1)!), buttons: 0 }));
      },
      { type: pointerType, points: stroke },
    );
  }

  /**
   * Draws strokes with a finger: real touch input through Chromium's DevTools protocol (Input.dispatchTouchEvent:
   * touchStart, a touchMove per point, touchEnd), as a phone's touchscreen sends it; in pad coordinates. Needs a
   * context with `hasTouch`. Whether the page scrolled meanwhile: it must not, while drawing.
   */
  async drawWithTouch(strokes: Stroke[]): Promise<{ scrolled: number }> {
    await this.pad.scrollIntoViewIfNeeded();
    const before = await this.page.evaluate(() => window.scrollY);
    const box = (await this.pad.boundingBox())!;
    const cdp = await this.page.context().newCDPSession(this.page);
    const at = ([x, y]: [number, number]) => [{ x: box.x + x * box.width, y: box.y + y * box.height, id: 1, radiusX: 4, radiusY: 4, force: 0.5 }];
    for (const stroke of strokes) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(stroke[0]!) });
      for (const point of stroke.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(point) });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    }
    await cdp.detach();
    return { scrolled: (await this.page.evaluate(() => window.scrollY)) - before };
  }

  /** The digit the app reads, once the prediction belongs to the current drawing. */
  async reading(): Promise<string> {
    await expect(this.prediction).toHaveAttribute('aria-busy', 'false');
    await expect(this.prediction).toHaveText(/^[0-9]$/);
    return (await this.prediction.textContent())!;
  }

  /** The app reads `digit` in the current drawing. */
  async expectReading(digit: string, message?: string): Promise<void> {
    expect(await this.reading(), message).toBe(digit);
  }

  /** The second reading of the current drawing (its digit and data-probability), or undefined where none is shown. */
  async secondReading(): Promise<{ digit: string; probability: number } | undefined> {
    await this.reading();
    if ((await this.alternative.count()) === 0) return undefined;
    return { digit: (await this.alternative.textContent())!, probability: Number(await this.alternative.getAttribute('data-probability')) };
  }

  /** How sure the model is of the digit shown (data-confidence, 0..1). */
  async confidence(): Promise<number> {
    return Number(await this.prediction.getAttribute('data-confidence'));
  }

  /** The ten probabilities as shown (data-probability of each digit), 0 to 9. */
  async probabilityValues(): Promise<string[]> {
    return this.probabilities.locator('[data-digit]').evaluateAll((items) => items.map((li) => li.getAttribute('data-probability')!));
  }

  /** The ten probabilities as numbers, 0 to 9. */
  async probabilityNumbers(): Promise<number[]> {
    return this.probabilities.locator('[data-digit]').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-probability'))));
  }

  /** The 28x28 image the model was given, as shown by the preview (0..255 per pixel). */
  async modelInput(): Promise<number[]> {
    return this.preview.evaluate((canvas) => {
      const data = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => data[i * 4]!);
    });
  }

  async clear(): Promise<void> {
    await this.clearButton.click();
  }

  /** The pad's box on the page, in CSS pixels. */
  async padBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    return (await this.pad.boundingBox())!;
  }

  /** Backing-store pixels per CSS pixel of the pad's canvas: the device pixel ratio when it is crisp. */
  async padPixelRatio(): Promise<number> {
    return this.pad.evaluate((c: HTMLCanvasElement) => c.width / c.clientWidth);
  }

  /** Moves the keyboard focus to the pad. */
  async focusPad(): Promise<void> {
    await this.pad.focus();
  }

  /** Ctrl+Z, to whatever has the focus (the pad undoes its last stroke). */
  async pressUndoShortcut(): Promise<void> {
    await this.page.keyboard.press('Control+z');
  }

  /** Escape, to whatever has the focus (the pad clears). */
  async pressClearShortcut(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  /** Tabs-and-Enter style: focuses the Undo button and presses Enter on it. */
  async undoWithKeyboard(): Promise<void> {
    await this.undoButton.focus();
    await this.page.keyboard.press('Enter');
  }
}
