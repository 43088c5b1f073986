import { expect, test } from './fixtures';

test('the production build renders in Chromium without errors', async ({ page, app }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await app.goto();
  await expect(page).toHaveTitle('Digit Lab');
  expect(problems).toEqual([]);
});
