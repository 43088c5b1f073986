import { expect, test } from '@playwright/test';

test('the production build renders in Chromium without errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Digit Lab', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Digit Lab');
  expect(problems).toEqual([]);
});
