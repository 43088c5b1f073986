/**
 * axe-core finds no accessibility violations on the first screen, during training (progress and charts) and
 * with the evaluation open, at desktop and phone sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, panelsFor, test } from './fixtures';

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe violations ${state}`).toEqual([]);
}

for (const [size, viewport] of [
  ['desktop', { width: 1366, height: 900 }],
  ['phone', { width: 360, height: 740 }],
] as const) {
  test(`no axe violations at ${size} size: first screen, during training, evaluation open`, async ({ browser }) => {
    test.setTimeout(300_000);
    const context = await browser.newContext({ viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
    const page = await context.newPage();
    const { app, modelStatus, drawing, training, evaluation } = panelsFor(page);
    await app.goto();
    await modelStatus.waitForModel('pretrained');
    await drawing.draw('3');
    await drawing.reading();
    await expectNoViolations(page, 'on the first screen');

    await training.train({ epochs: 1, images: 60_000 });
    await expect.poll(() => training.batchesDone(), { timeout: 120_000 }).toBeGreaterThan(1);
    await expect(training.accuracyChart).toBeVisible();
    await expectNoViolations(page, 'during training');
    await training.cancel();
    await expect(training.cancelledMessage).toBeVisible({ timeout: 60_000 });

    await evaluation.evaluate();
    await expect(evaluation.summary).toBeVisible({ timeout: 120_000 });
    await expectNoViolations(page, 'with the evaluation open');
    await context.close();
  });
}
