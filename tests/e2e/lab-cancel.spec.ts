import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from './support/host';
import { sharedHostForFile } from './support/shared-host';

// Cancel in the Lab on the browser host, as in the report that found it: a long run of
// "Flash-Attention vs standard attention" at N = 4096 is cancelled in the middle of its GPU
// passes. The host must stay up (the engine runs in a process of its own), the run must read as
// cancelled, and Try again must get a verdict at once, without reloading the page.

const host = sharedHostForFile();

test('cancel a long run in the Lab, then Try again gets a verdict; the host stays up throughout', async ({ browser, request }) => {
  test.setTimeout(5 * 60_000);
  const { url } = host();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.getByTestId('nav-lab').click({ timeout: 30_000 });
  await page.locator('[data-experiment="flash-vs-naive"]').click();
  const maxN = page.locator('input[name="maxN"]');
  await maxN.fill('4096');
  await maxN.blur();
  await page.getByTestId('prove-it').click();

  // Well into the run: its kernels compiled, passes on the GPU.
  const progress = page.getByTestId('experiment-progress').locator('progress');
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 180_000, intervals: [250] }).toBeGreaterThan(0.3);
  await page.getByTestId('experiment-cancel').click();
  const verdict = page.getByTestId('experiment-verdict');
  await expect(verdict).toHaveText('Cancelled.', { timeout: 10_000 });
  await expect(page.getByTestId('experiment-progress')).toHaveCount(0);
  // The host answers as before: the page itself, and the run in the history as cancelled.
  expect((await request.get(url)).status()).toBe(200);
  await expect(page.getByTestId('experiment-history')).toContainText(/cancelled/);
  const screenshots = join(repoRoot, 'test-results', 'screenshots');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'lab-cancelled-en.png') });

  // Try again, with a smaller size, on the same page.
  await maxN.fill('512');
  await maxN.blur();
  await page.getByTestId('experiment-retry').click();
  await expect(page.getByTestId('experiment-progress')).toBeVisible();
  await expect(verdict).toContainText(/Holds|Does not hold/, { timeout: 180_000 });
  await expect(page.getByTestId('experiment-chart').first()).toBeVisible();
  expect(pageErrors).toEqual([]);

  // Nothing of Dawn's abort reached the host; it is still the same process, serving.
  expect(host().output()).not.toMatch(/FATAL|Promise not resolved/);
  expect((await request.get(url)).status()).toBe(200);
  await context.close();
});
