/**
 * "Your own network": the network editor. Its layers (data-kind, data-output-shape, data-params), the total
 * parameters, the editor's problems (role=alert), the prepared experiments ("Try: ..." loads one), the Keras text,
 * the training settings and Train (both kept over a reload), the kept runs (data-run-id, data-test-accuracy), their
 * deletion (with their model, or the question why it stays) and their comparison.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page, expect } from '@playwright/test';

export type LayerKind = 'Conv2D' | 'MaxPooling2D' | 'Dropout' | 'Flatten' | 'Dense' | 'BatchNormalization';

export interface EditorTraining {
  epochs?: number;
  images?: number;
  batchSize?: number;
  /** The optimizer's name as the select shows it: `Adadelta`, `Adam` or `SGD with momentum`. */
  optimizer?: 'Adadelta' | 'Adam' | 'SGD with momentum';
  learningRate?: number;
}

export class EditorPanel {
  readonly root: Locator;
  /** One per layer, in order: data-kind, data-output-shape, data-params. */
  readonly layers: Locator;
  /** The total parameters, as digits. */
  readonly totalParams: Locator;
  /** What stops the network from being trained (role=alert); absent while nothing does. */
  readonly problems: Locator;
  /** The alert when Keras text cannot be read: `Line n, column m: ...`. */
  readonly kerasError: Locator;
  readonly kerasText: Locator;
  readonly trainButton: Locator;
  /** One per kept run: data-run-id, data-test-accuracy (a percentage once known), its name as text. */
  readonly runs: Locator;
  /** Shown while two or more runs are compared. */
  readonly comparison: Locator;
  /** The comparison's charts (role=img), one per measure. */
  readonly comparisonCharts: Locator;
  /** The settings that differ between the compared runs, in words. */
  readonly differences: Locator;
  /** What the last prepared experiment loaded (role=status): data-experiment, data-side, and what to look for. */
  readonly experimentLoaded: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('network-editor');
    this.layers = this.root.getByTestId('layer-row');
    this.totalParams = this.root.getByTestId('total-params');
    this.problems = this.root.getByTestId('editor-problems');
    this.kerasError = this.root.getByTestId('keras-error');
    this.kerasText = this.root.getByLabel('The network as Keras code');
    this.trainButton = this.root.getByRole('button', { name: 'Train this network', exact: true });
    this.runs = this.root.getByTestId('run');
    this.comparison = this.root.getByTestId('run-comparison');
    this.comparisonCharts = this.comparison.getByRole('img');
    this.differences = this.comparison.getByTestId('run-differences');
    this.experimentLoaded = this.root.getByTestId('experiment-loaded');
  }

  /** Loads a prepared experiment's variant with its button, "Try: <title>" (e.g. `One Dense layer`). */
  async tryExperiment(title: string): Promise<void> {
    await this.root.getByRole('button', { name: `Try: ${title}`, exact: true }).click();
  }

  /** Loads the workshop's side of a prepared experiment, to train against its variant. */
  async loadBaseline(title: string): Promise<void> {
    await this.root.getByRole('button', { name: `Baseline for: ${title}`, exact: true }).click();
  }

  /** The layers of one kind, in order. */
  layersOf(kind: LayerKind): Locator {
    return this.layers.and(this.page.locator(`[data-kind="${kind}"]`));
  }

  /** Every layer's output shape, e.g. `26x26x32`, in order. */
  async outputShapes(): Promise<string[]> {
    return this.layers.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-output-shape') ?? ''));
  }

  /** Every layer's kind, in order. */
  async kinds(): Promise<string[]> {
    return this.layers.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind') ?? ''));
  }

  /** Removes every layer of `kind` with its row's Remove button. */
  async removeAll(kind: LayerKind): Promise<void> {
    while ((await this.layersOf(kind).count()) > 0) {
      const before = await this.layers.count();
      await this.layersOf(kind).first().getByRole('button', { name: /^Remove layer/ }).click();
      await expect(this.layers).toHaveCount(before - 1);
    }
  }

  /** Sets a number setting (e.g. `Filters`) of the `nth` layer of `kind` (from 0). */
  async setLayerSetting(kind: LayerKind, nth: number, setting: string, value: number): Promise<void> {
    await this.layersOf(kind).nth(nth).getByLabel(setting, { exact: true }).fill(String(value));
  }

  /** Replaces the network with Keras text and applies it. */
  async applyKeras(text: string): Promise<void> {
    if (!(await this.kerasText.isVisible())) await this.root.getByText('Keras text', { exact: true }).click();
    await this.kerasText.fill(text);
    await this.root.getByRole('button', { name: 'Apply Keras text' }).click();
  }

  /** Sets the training settings given. */
  async setTraining({ epochs, images, batchSize, optimizer, learningRate }: EditorTraining): Promise<void> {
    if (optimizer) await this.root.getByLabel('Optimizer', { exact: true }).selectOption({ label: optimizer });
    if (learningRate !== undefined) await this.root.getByLabel('Learning rate', { exact: true }).fill(String(learningRate));
    if (batchSize !== undefined) await this.root.getByLabel('Batch size', { exact: true }).fill(String(batchSize));
    if (epochs !== undefined) await this.root.getByLabel('Passes over the data', { exact: true }).fill(String(epochs));
    if (images !== undefined) await this.root.getByLabel('Images per pass', { exact: true }).fill(String(images));
  }

  /** Trains the network as it is set now, and waits until its run is kept with its test accuracy (`runs` then counts `count`). */
  async trainAndWaitForRun(count: number): Promise<void> {
    await expect(this.trainButton).toBeEnabled({ timeout: 60_000 });
    await this.trainButton.click();
    await expect(this.runs).toHaveCount(count, { timeout: 240_000 });
    await expect(this.runs.nth(count - 1)).toHaveAttribute('data-test-accuracy', /^\d+(\.\d+)?$/);
  }

  /** Ticks the runs at these places (from 0) to compare them. */
  async compare(...indexes: number[]): Promise<void> {
    for (const i of indexes) await this.runs.nth(i).getByRole('checkbox', { name: /^Compare / }).check();
  }

  /** How many lines (one per run) each comparison chart draws, chart by chart. */
  async linesPerChart(): Promise<number[]> {
    return this.comparisonCharts.evaluateAll((charts) => charts.map((chart) => chart.querySelectorAll('g.series').length));
  }

  /** axe-core's violations within the editor, as `id (impact): targets`. */
  async accessibilityViolations(): Promise<string[]> {
    const { violations } = await new AxeBuilder({ page: this.page }).include('[data-testid="network-editor"]').analyze();
    return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  /** The id of the run at this place (from 0); its model in the library has the same id. */
  async runId(index: number): Promise<string> {
    return (await this.runs.nth(index).getAttribute('data-run-id'))!;
  }

  /** The question Delete asks of the run at this place (from 0): whether its model goes too, or why it stays. */
  deleteQuestion(index: number): Locator {
    return this.runs.nth(index).getByRole('group', { name: /^Delete run/ });
  }

  /**
   * Deletes the run at this place (from 0): Delete, then the answer to its question, `Delete run and model` (its
   * model not in use), `Delete the run, keep the model`, or `Delete run` (its model in use, or gone: it stays).
   */
  async deleteRun(index: number, answer: 'Delete run and model' | 'Delete the run, keep the model' | 'Delete run'): Promise<void> {
    await this.runs.nth(index).getByRole('button', { name: /^Delete run/ }).click();
    await this.deleteQuestion(index).getByRole('button', { name: answer, exact: true }).click();
  }

  /** Goes back to the workshop's network and training. */
  async resetToWorkshop(): Promise<void> {
    await this.root.getByRole('button', { name: 'Back to the workshop’s network', exact: true }).click();
  }

  /** The training settings as the editor's fields show them now. */
  async training(): Promise<{ optimizer: string; learningRate: string; epochs: string; images: string }> {
    const value = (label: string) => this.root.getByLabel(label, { exact: true }).inputValue();
    const optimizer = await this.root.getByLabel('Optimizer', { exact: true }).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text ?? '');
    return { optimizer, learningRate: await value('Learning rate'), epochs: await value('Passes over the data'), images: await value('Images per pass') };
  }
}
