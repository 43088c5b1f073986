/**
 * The network editor: the workshop's network as rows with their shapes and parameters, edits and what they do to
 * the figures, a network that cannot work (an alert), Keras text in, and small runs of an edited network kept
 * with their test accuracy and compared; the edit kept over a reload and in another tab; a run deleted with its
 * model, never the model in use; a prepared experiment loaded with one click; an edited network trained,
 * exported as .keras and read the same in a fresh profile.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, freshProfileImporting, panelsFor, test } from './fixtures';

const WORKSHOP_SHAPES = ['26x26x32', '24x24x64', '12x12x64', '12x12x64', '9216', '128', '128', '10'];

/** A small network as Keras code: 80 + 0 + 0 + 13,530 = 13,610 parameters. */
const SMALL_NETWORK = [
  'model = Sequential()',
  "model.add(Conv2D(8, kernel_size=(3, 3), activation='relu', input_shape=(28, 28, 1)))",
  'model.add(MaxPooling2D(pool_size=(2, 2)))',
  'model.add(Flatten())',
  "model.add(Dense(10, activation='softmax'))",
  "model.compile(loss='categorical_crossentropy', optimizer=Adam(learning_rate=0.002), metrics=['accuracy'])",
].join('\n');

test.describe('the network editor', () => {
  test.setTimeout(300_000);

  test('edits the workshop network, reads Keras text, trains two small runs, compares them, keeps the edit over a reload and in another tab, deletes runs with their models', async ({
    app,
    editor,
    modelStatus,
    library,
    context,
  }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');

    // The workshop's network, layer by layer.
    await expect(editor.layers).toHaveCount(8);
    expect(await editor.outputShapes()).toEqual(WORKSHOP_SHAPES);
    await expect(editor.totalParams).toHaveText('1199882');
    await expect(editor.problems).toHaveCount(0);
    expect(await editor.accessibilityViolations(), 'axe violations in the editor').toEqual([]);

    // Dropout has no parameters and keeps its input's shape.
    await editor.removeAll('Dropout');
    await expect(editor.layers).toHaveCount(6);
    await expect(editor.totalParams).toHaveText('1199882');
    expect(await editor.outputShapes()).toEqual(['26x26x32', '24x24x64', '12x12x64', '9216', '128', '10']);

    // 8 filters in the first convolution: (3*3*1+1)*8 = 80, and the second one reads 8 channels: (3*3*8+1)*64 = 4,672.
    await editor.setLayerSetting('Conv2D', 0, 'Filters', 8);
    await expect(editor.layersOf('Conv2D').first()).toHaveAttribute('data-params', '80');
    await expect(editor.layersOf('Conv2D').nth(1)).toHaveAttribute('data-params', '4672');
    await expect(editor.layersOf('Conv2D').first()).toHaveAttribute('data-output-shape', '26x26x8');
    await expect(editor.totalParams).toHaveText('1185818');

    // Without its Flatten the Dense layers read an image: the editor says why it cannot train it.
    await editor.removeAll('Flatten');
    await expect(editor.problems).toBeVisible();
    await expect(editor.problems).toContainText('Flatten');
    await expect(editor.trainButton).toBeDisabled();

    // Keras text that cannot be read says where; text that can replaces the network.
    await editor.applyKeras("model = Sequential()\nmodel.add(Conv2D(8, kernel_size=(3, 3)");
    await expect(editor.kerasError).toBeVisible();
    await expect(editor.kerasError).toContainText('Line 2');
    // Strided convolutions are not offered: the WebAssembly backend's training kernels refuse them.
    await editor.applyKeras(SMALL_NETWORK.replace('kernel_size=(3, 3),', 'kernel_size=(3, 3), strides=(2, 2),'));
    await expect(editor.kerasError).toHaveCount(0);
    await expect(editor.problems).toContainText('strides');
    await expect(editor.trainButton).toBeDisabled();
    await editor.applyKeras(SMALL_NETWORK);
    await expect(editor.kerasError).toHaveCount(0);
    await expect(editor.layers).toHaveCount(4);
    expect(await editor.kinds()).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    expect(await editor.outputShapes()).toEqual(['26x26x8', '13x13x8', '1352', '10']);
    await expect(editor.totalParams).toHaveText('13610');
    await expect(editor.problems).toHaveCount(0);

    // A tiny run: one pass over 256 images.
    await editor.setTraining({ epochs: 1, images: 256 });
    await editor.trainAndWaitForRun(1);
    await expect(modelStatus.card).toHaveAttribute('data-source', 'trained');

    // A second one, with another optimizer.
    await editor.setTraining({ optimizer: 'SGD with momentum', learningRate: 0.05 });
    await editor.trainAndWaitForRun(2);

    await editor.compare(0, 1);
    await expect(editor.comparison).toBeVisible();
    await expect(editor.comparisonCharts).toHaveCount(2);
    expect(await editor.linesPerChart()).toEqual([2, 2]);
    await expect(editor.differences).toContainText('Optimizer');
    await expect(editor.differences).toContainText('Adam');
    await expect(editor.differences).toContainText('SGD with momentum');
    expect(await editor.accessibilityViolations(), 'axe violations with runs compared').toEqual([]);

    // Kept over a reload: the runs, and the edited network with its training.
    await app.reload();
    await expect(editor.runs).toHaveCount(2, { timeout: 60_000 });
    expect(await editor.kinds()).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    await expect(editor.totalParams).toHaveText('13610');
    expect(await editor.training()).toEqual({ optimizer: 'SGD with momentum', learningRate: '0.05', epochs: '1', images: '256' });

    // Deleting the first run deletes its model too (not in use: the second run's is); the model in use stays.
    // By id: two tiny runs can finish within the same second and so carry the same name.
    const [first, second] = [await editor.runId(0), await editor.runId(1)];
    await expect(library.modelWithId(first)).toHaveCount(1);
    await editor.deleteRun(0, 'Delete run and model');
    await expect(editor.runs).toHaveCount(1);
    await expect(library.modelWithId(first)).toHaveCount(0);
    await expect(library.modelWithId(second)).toHaveAttribute('aria-current', 'true');
    // The second run's model is the one in use: the question says it stays, and it does.
    await editor.runs.first().getByRole('button', { name: /^Delete run/ }).click();
    await expect(editor.deleteQuestion(0)).toContainText('is the one in use, so it stays in your models');
    expect(await editor.accessibilityViolations(), 'axe violations with the question open').toEqual([]);
    await editor.deleteQuestion(0).getByRole('button', { name: 'Delete run', exact: true }).click();
    await expect(editor.runs).toHaveCount(0);
    await expect(library.modelWithId(second)).toHaveAttribute('aria-current', 'true');
    await expect(modelStatus.card).toHaveAttribute('data-source', 'trained');

    // Another tab opens on the same edit, and follows this one's: back to the workshop's network, kept too.
    const other = panelsFor(await context.newPage());
    await other.app.goto();
    await expect(other.editor.layers).toHaveCount(4);
    await editor.resetToWorkshop();
    await expect(editor.layers).toHaveCount(8);
    await expect(other.editor.layers).toHaveCount(8);
    await other.editor.page.close();
    await app.reload();
    await expect(editor.layers).toHaveCount(8);
    await expect(editor.totalParams).toHaveText('1199882');
  });

  test('loads a prepared experiment with one click; an edited network trained here exports as .keras and reads the same in a fresh profile', async ({
    app,
    editor,
    modelStatus,
    library,
    drawing,
    browser,
  }) => {
    await app.goto();
    await modelStatus.waitForModel('pretrained');

    // One click: the one-layer network, (784+1)*10 = 7,850 parameters, and what to look for.
    await editor.tryExperiment('One Dense layer');
    expect(await editor.kinds()).toEqual(['Flatten', 'Dense']);
    await expect(editor.totalParams).toHaveText('7850');
    await expect(editor.experimentLoaded).toHaveAttribute('data-experiment', 'one-dense-layer');
    await expect(editor.experimentLoaded).toContainText('What to look for');
    // Its other side is the workshop's network.
    await editor.loadBaseline('One Dense layer');
    await expect(editor.layers).toHaveCount(8);
    await expect(editor.totalParams).toHaveText('1199882');

    // Without dropout, 16 filters in each convolution: 160 + 2,320 + (12*12*16+1)*128 = 295,040 + 1,290.
    await editor.removeAll('Dropout');
    await editor.setLayerSetting('Conv2D', 0, 'Filters', 16);
    await editor.setLayerSetting('Conv2D', 1, 'Filters', 16);
    await expect(editor.totalParams).toHaveText('298810');
    await editor.setTraining({ epochs: 1, images: 256 });
    await editor.trainAndWaitForRun(1);
    await expect(modelStatus.card).toHaveAttribute('data-source', 'trained');

    await drawing.draw('3');
    await drawing.reading();
    const before = await drawing.probabilityNumbers();
    await library.chooseExportFormat('keras');
    const [path, ...others] = await library.exportFiles(mkdtempSync(join(tmpdir(), 'digit-lab-editor-')), 1);
    expect(others).toEqual([]);
    expect(path!.split('/').pop()).toBe('model.keras');

    const second = await freshProfileImporting(browser, [path!]);
    await second.drawing.draw('3');
    await second.drawing.reading();
    const after = await second.drawing.probabilityNumbers();
    expect(Math.max(...after.map((p, d) => Math.abs(p - before[d]!)))).toBeLessThan(1e-4);
    await second.close();
  });
});
