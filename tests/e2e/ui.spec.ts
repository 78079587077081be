import { expect, test, type Browser, type Page } from '@playwright/test';
import { ensureRenderer, removeDataDir, startHost, type RunningHost } from './support/host';

// The shell and the review screen from the keyboard, on the browser host in Chromium: `g` chords,
// the `?` help, language and theme saved through the API and kept across a reload, and suspend /
// undo / bury / the session summary.

let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  ensureRenderer();
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (host) removeDataDir(host.dataDir);
});

async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function callApi(page: Page, method: string, args: object): Promise<unknown> {
  const token = await page.locator('meta[name="proofdeck-token"]').getAttribute('content');
  const reply = await page.request.post(`${host.url}api/call/${method}`, { headers: { 'x-proofdeck-token': token ?? '' }, data: args });
  const envelope = (await reply.json()) as { ok: boolean; value?: unknown };
  expect(envelope.ok).toBe(true);
  return envelope.value;
}

test('g chords navigate, ? shows the shortcuts, language and theme are kept across a reload', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host.url);
  await expect(page.getByTestId('due-count')).toBeVisible();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog');
  await expect(help).toContainText('Again / Hard / Good / Easy');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('g');
  await page.keyboard.press(',');
  const language = page.getByTestId('settings-language');
  await expect(language).toBeVisible();
  await language.selectOption('ko');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByTestId('nav-today')).toHaveText(/오늘/);
  await page.getByRole('radio', { name: '어둡게' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('settings-language')).toHaveValue('ko');

  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(page.getByTestId('start-review')).toHaveText('복습 시작');

  // Back to the system language and theme for the next test.
  const settings = (await callApi(page, 'settings.set', { locale: null, theme: 'system' })) as { locale: string | null };
  expect(settings.locale).toBeNull();
  await page.context().close();
});

test('suspend, undo of the suspend, bury, then the summary, all from the keyboard', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host.url);
  await callApi(page, 'settings.set', { newPerDay: 4 });
  await page.reload();
  await expect(page.getByTestId('due-count')).toHaveText('4');
  await page.keyboard.press('Enter');

  const front = page.getByTestId('card-front');
  await expect(front).toBeVisible();
  const first = (await front.innerText()).trim();
  await page.keyboard.press('s');
  await expect(front).not.toHaveText(first);
  await page.keyboard.press('u');
  await expect(front).toHaveText(first);
  await page.keyboard.press('b');
  await expect(front).not.toHaveText(first);

  // Grade the rest Easy until the queue is empty; each grade button shows its interval.
  let answered = 0;
  const summary = page.getByTestId('session-summary');
  while (!(await summary.isVisible())) {
    await expect(front.or(summary)).toBeVisible();
    if (await summary.isVisible()) break;
    await page.keyboard.press('Space');
    await expect(page.getByTestId('grade-4')).toContainText(/\d+(m|h|d|mo|y)/);
    await page.keyboard.press('4');
    await expect(page.getByTestId('card-back')).toBeHidden();
    answered++;
  }
  expect(answered).toBeGreaterThan(0);
  await expect(page.getByTestId('summary-reviewed')).toHaveText(String(answered));
  await expect(page.getByTestId('summary-again')).toHaveText('0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('due-count')).toHaveText('0');
  await page.context().close();
});
