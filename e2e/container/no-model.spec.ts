/** The image built with INCLUDE_PRETRAINED=false: the page says no model is served and offers training. */
import { expect, test } from '../fixtures';

test('with no model in the image the page says so and offers training', async ({ app, modelStatus, training, request }) => {
  expect((await request.get('/models/pretrained/model-card.json')).status()).toBe(404);
  await app.goto();
  await modelStatus.waitForStartup();
  await expect(modelStatus.card).toHaveAttribute('data-source', 'none');
  await expect(modelStatus.notice).toHaveText('This server offers no pre-trained model. Train one below.');
  await expect(training.trainButton).toBeEnabled();
});
