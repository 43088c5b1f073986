/**
 * axe-core finds no accessibility violations on the first screen, during training (progress and charts) and
 * with the evaluation open, at desktop and phone sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';
import { DIGITS, DigitLabPage } from './pages/DigitLabPage';

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
    const app = new DigitLabPage(page);
    await app.goto();
    await app.waitForModel('pretrained');
    await app.draw(DIGITS['3']!);
    await app.predictedDigit();
    await expectNoViolations(page, 'on the first screen');

    await app.train(1, 60_000);
    await expect.poll(async () => Number(await app.progress.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThan(1);
    await expect(page.getByRole('img', { name: /^Accuracy/ })).toBeVisible();
    await expectNoViolations(page, 'during training');
    await page.getByRole('button', { name: 'Cancel training' }).click();
    await expect(page.getByText('Training cancelled. Your previous model is unchanged.')).toBeVisible({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Evaluate the model in use' }).click();
    await expect(page.getByTestId('evaluation-summary')).toBeVisible({ timeout: 120_000 });
    await expectNoViolations(page, 'with the evaluation open');
    await context.close();
  });
}
