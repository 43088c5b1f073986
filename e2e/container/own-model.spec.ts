/**
 * The image serving a model the app itself trained and exported (its folder mounted over the image's model, as a
 * volume on OpenShift would be): a browser that never saw the app gets it as the pre-trained model, under the
 * name on its card, and reads exactly as the app that trained it did.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { exportDir, expectedReadingFile } from './containerStage';

test('a model exported by the app, served from the image, reads as it did where it was trained', async ({ app, drawing, modelStatus }) => {
  const card = JSON.parse(readFileSync(join(exportDir(), 'model-card.json'), 'utf8')) as { name: string };
  const expected = JSON.parse(readFileSync(expectedReadingFile(), 'utf8')) as { digit: '3'; probabilities: string[] };

  await app.goto();
  await modelStatus.waitForModel('pretrained');
  await expect(modelStatus.card).toContainText(card.name);
  await drawing.draw(expected.digit);
  await drawing.reading();
  expect(await drawing.probabilityValues()).toEqual(expected.probabilities);
});
