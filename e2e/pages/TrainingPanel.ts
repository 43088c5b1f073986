/**
 * "Train in your browser": the settings, Train / Cancel / Resume, progress, the live charts, the backend it trains
 * on, keeping MNIST for offline training, and the panel's messages.
 */
import { type Locator, type Page, expect } from '@playwright/test';
import { ModelStatusPanel } from './ModelStatusPanel';

export interface TrainSettings {
  epochs: number;
  images: number;
  /** The page's default (for drawn digits) unless one is named. */
  recipe?: 'handwriting' | 'workshop';
  /** Ticks "Continue from the model in use": train the model in use further instead of a fresh one. */
  continueFromModelInUse?: boolean;
}

export class TrainingPanel {
  readonly epochs: Locator;
  readonly images: Locator;
  readonly trainButton: Locator;
  readonly cancelButton: Locator;
  /** The training progress bar: aria-valuenow batches done of aria-valuemax, aria-valuetext "Epoch e of n, ...". */
  readonly progress: Locator;
  /** Which TensorFlow.js backend trains (data-backend) and why. */
  readonly backend: Locator;
  /** How many workers share each training step: data-workers, and "on N workers" in the progress line. */
  readonly workers: Locator;
  readonly accuracyChart: Locator;
  readonly finishedMessage: Locator;
  readonly cancelledMessage: Locator;
  /** The backends as measured on this device: one item each, data-backend and data-images-per-second or data-unavailable. */
  readonly backendFigures: Locator;
  /** A run finished while the user chose another model: it is kept, the other one reads. */
  readonly keptNotInUseMessage: Locator;
  /** The alert when Train is pressed while another tab of the app trains. */
  readonly otherTabTrainsMessage: Locator;
  /** Any "Resume training (...)" button: a checkpoint of an unfinished run is offered. */
  readonly anyResumeButton: Locator;
  /** "Make training available offline": data-status (unknown/missing/saving/ready/error). */
  readonly offlineData: Locator;
  private readonly modelStatus: ModelStatusPanel;

  constructor(readonly page: Page) {
    this.epochs = page.getByLabel('Epochs');
    this.images = page.getByLabel('Training images');
    this.trainButton = page.getByRole('button', { name: 'Train', exact: true });
    this.cancelButton = page.getByRole('button', { name: 'Cancel training' });
    this.progress = page.getByRole('progressbar');
    this.backend = page.getByTestId('backend');
    this.workers = page.getByTestId('training-workers');
    this.accuracyChart = page.getByRole('img', { name: /^Accuracy/ });
    this.finishedMessage = page.getByText('Training finished; the new model is saved and in use.');
    this.cancelledMessage = page.getByText('Training cancelled. Your previous model is unchanged.');
    this.backendFigures = page.getByTestId('backend-figures');
    this.keptNotInUseMessage = page.getByText('Training finished; the new model is saved in your models. The model chosen while it trained stays in use.');
    this.otherTabTrainsMessage = page.getByRole('alert').filter({ hasText: 'already training in another tab' });
    this.anyResumeButton = page.getByRole('button', { name: /Resume training/ });
    this.offlineData = page.getByTestId('offline-data');
    this.modelStatus = new ModelStatusPanel(page);
  }

  /** Starts training with these settings. */
  async train({ epochs, images, recipe, continueFromModelInUse }: TrainSettings): Promise<void> {
    if (continueFromModelInUse) await this.page.getByLabel(/Continue from the model in use/).check();
    if (recipe) await this.page.getByRole('radio', { name: recipe === 'handwriting' ? /^For drawn digits/ : /^Workshop original/ }).check();
    await this.epochs.fill(String(epochs));
    await this.images.fill(String(images));
    await this.trainButton.click();
  }

  async cancel(): Promise<void> {
    await this.cancelButton.click();
  }

  /** The button that resumes the unfinished run, e.g. `resumeButton('epoch 2 of 2')`. */
  resumeButton(which: string): Locator {
    return this.page.getByRole('button', { name: `Resume training (${which})` });
  }

  /** Batches done so far, as the progress bar says (aria-valuenow). */
  async batchesDone(): Promise<number> {
    return Number(await this.progress.getAttribute('aria-valuenow'));
  }

  /** Waits for a training run to finish (it includes evaluating all 10,000 test images) and its model to load. */
  async waitForTrainedModel(): Promise<void> {
    await expect(this.finishedMessage).toBeVisible({ timeout: 240_000 });
    await this.modelStatus.waitForModel('trained');
  }

  /** The measured figure of one backend (an item of backendFigures). */
  backendFigure(backend: 'webgpu' | 'webgl' | 'wasm'): Locator {
    return this.backendFigures.locator(`[data-backend="${backend}"]`);
  }

  /** A measured backend's training images/s, or undefined when it could not train here. */
  async imagesPerSecond(backend: 'webgpu' | 'webgl' | 'wasm'): Promise<number | undefined> {
    const value = await this.backendFigure(backend).getAttribute('data-images-per-second');
    return value === null ? undefined : Number(value);
  }

  /** Presses "Keep MNIST on this device for offline use". */
  async keepMnistOffline(): Promise<void> {
    await this.page.getByRole('button', { name: 'Keep MNIST on this device for offline use' }).click();
  }
}
