/** "My handwriting" and the correction buttons under the reading: teach the app your digits, see and forget them. */
import { type Locator, type Page, expect } from '@playwright/test';

export type HandwritingState = 'base' | 'learning' | 'personal';

export class HandwritingPanel {
  /** The UI contract's handwriting status: data-samples, data-state. */
  readonly status: Locator;
  readonly undoButton: Locator;
  readonly forgetButton: Locator;
  readonly personalSwitch: Locator;
  readonly samples: Locator;
  /** What went wrong, in words (learning failed, a change was refused). */
  readonly alert: Locator;
  /** The guided round: its button, and the prompt (data-digit: the digit asked for) while it runs. */
  readonly teachButton: Locator;
  readonly enrollment: Locator;
  readonly keepButton: Locator;
  readonly skipButton: Locator;
  readonly stopButton: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('handwriting');
    this.undoButton = page.getByRole('button', { name: 'Undo correction' });
    this.forgetButton = page.getByRole('button', { name: 'Forget my handwriting' });
    this.personalSwitch = page.getByRole('checkbox', { name: /Use my personal model/ });
    this.samples = page.getByRole('list', { name: 'Your samples' }).getByRole('listitem');
    this.alert = page.getByRole('region', { name: 'My handwriting' }).getByRole('alert');
    this.teachButton = page.getByRole('button', { name: 'Teach it my handwriting', exact: true });
    this.enrollment = page.getByTestId('enrollment');
    this.keepButton = page.getByRole('button', { name: 'Keep this drawing', exact: true });
    this.skipButton = page.getByRole('button', { name: 'Skip this digit', exact: true });
    this.stopButton = page.getByRole('button', { name: 'Stop teaching', exact: true });
  }

  /** The digit the guided round asks for now, or undefined once it is over. */
  async askedDigit(): Promise<number | undefined> {
    if (!(await this.enrollment.isVisible())) return undefined;
    return Number(await this.enrollment.getAttribute('data-digit'));
  }

  /** Keeps the drawing on the pad as the asked digit: one more sample, and the pad is empty for the next. */
  async keepDrawing(): Promise<void> {
    const before = await this.sampleCount();
    await this.keepButton.click();
    await expect(this.status).toHaveAttribute('data-samples', String(before + 1));
  }

  correctionButton(digit: number): Locator {
    return this.page.getByRole('button', { name: `It's a ${digit}`, exact: true });
  }

  /** Tells the app the drawing on the pad is a `digit` (a correction, or a confirmation of a right reading). */
  async correct(digit: number): Promise<void> {
    const before = await this.sampleCount();
    await this.correctionButton(digit).click();
    await expect(this.status).toHaveAttribute('data-samples', String(before + 1));
  }

  async undoCorrection(): Promise<void> {
    await this.undoButton.click();
  }

  async sampleCount(): Promise<number> {
    return Number(await this.status.getAttribute('data-samples'));
  }

  async expectState(state: HandwritingState, timeout = 60_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', state, { timeout });
  }

  /** Waits until learning from the latest correction is done (the state is no longer `learning`). */
  async waitUntilLearnt(timeout = 120_000): Promise<HandwritingState> {
    await expect(this.status).not.toHaveAttribute('data-state', 'learning', { timeout });
    return (await this.status.getAttribute('data-state')) as HandwritingState;
  }

  async forget(): Promise<void> {
    await this.forgetButton.click();
    await expect(this.status).toHaveAttribute('data-samples', '0');
  }

  async deleteSample(digit: number): Promise<void> {
    await this.page.getByRole('button', { name: `Delete this sample of a ${digit}` }).first().click();
  }
}
