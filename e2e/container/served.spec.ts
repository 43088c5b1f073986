/**
 * The core journey against the image as OpenShift runs it: draw and read with the served model, train one short
 * epoch, find the trained model after a reload and offline. The trained model is exported (TensorFlow.js files
 * and its card) for the next stage, which serves it from the image (own-model.spec.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '../fixtures';
import { exportDir, expectedReadingFile } from './containerStage';

test('draws and reads with the served model, trains one epoch, exports it, and reads after a reload and offline', async ({
  app,
  appBar,
  drawing,
  training,
  modelStatus,
  library,
  context,
}) => {
  await app.goto();
  await modelStatus.waitForModel('pretrained');
  await drawing.draw('7');
  await drawing.expectReading('7');
  await drawing.clear();
  await app.waitForServiceWorker();

  await training.train({ epochs: 1, images: 2048 });
  await training.waitForTrainedModel();
  await drawing.draw('3');
  await drawing.reading();
  const probabilities = await drawing.probabilityValues();

  const dir = exportDir();
  mkdirSync(dir, { recursive: true });
  const files = await library.exportFiles(dir, 4);
  expect(files.map((path) => path.split('/').pop())).toContain('model-card.json');
  writeFileSync(expectedReadingFile(), JSON.stringify({ digit: '3', probabilities }));

  await app.reload();
  await modelStatus.waitForModel('trained');
  await drawing.draw('3');
  await drawing.reading();
  expect(await drawing.probabilityValues()).toEqual(probabilities);

  await context.setOffline(true);
  await app.reload();
  await expect(appBar.offlineIndicator).toBeVisible();
  await modelStatus.waitForModel('trained');
  await drawing.draw('3');
  await drawing.reading();
  expect(await drawing.probabilityValues()).toEqual(probabilities);
});
