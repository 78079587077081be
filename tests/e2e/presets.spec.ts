import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { repoRoot } from './support/host';
import { sharedHostForFile } from './support/shared-host';
import { callHostApi } from './support/api';

// Option presets in Chromium: a preset made in Settings, its daily limit and easy days set, given
// to a deck from the Decks screen's picker with the keyboard, its effect seen in the deck's counts
// and Today's, then answers that land off the weekend; the load-balancing simulation on Stats.
// Screenshots of Settings, Decks and Stats in English and Korean under test-results/screenshots.

const host = sharedHostForFile();
const screenshots = join(repoRoot, 'test-results', 'screenshots');

async function openPage(browser: Browser, locale: 'en-US' | 'ko-KR'): Promise<Page> {
  const context = await browser.newContext({ locale, colorScheme: 'light', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function callApi<T>(page: Page, method: string, args: object): Promise<T> {
  return callHostApi<T>(page, host().url, method, args);
}

const weekdayOf = (time: number) => new Date(time).getDay(); // 0 Sunday, 6 Saturday (the host runs in this machine's zone)

test('a preset made in Settings and given to a deck changes its counts; easy days keep answers off the weekend', async ({ browser }) => {
  mkdirSync(screenshots, { recursive: true });
  const page = await openPage(browser, 'en-US');
  await page.goto(host().url);
  await expect(page.getByTestId('due-count')).toBeVisible();
  const decks = await callApi<{ id: number; name: string; new: number }[]>(page, 'decks.list', {});
  const deck = decks.find((d) => d.new > 3)!;
  const todayBefore = (await callApi<{ counts: { new: number } }>(page, 'review.today', {})).counts.new;

  // Settings: a new preset, 3 new cards a day, Saturday and Sunday minimum.
  await page.keyboard.press('g');
  await page.keyboard.press(',');
  const presets = page.getByTestId('presets');
  await presets.getByTestId('preset-new-name').fill('Exam week');
  await presets.getByTestId('preset-add').click();
  await expect(page.getByTestId('preset-select')).toContainText('Exam week');
  await presets.getByTestId('preset-newPerDay').fill('3');
  await presets.getByTestId('easy-day-5').selectOption('0');
  await presets.getByTestId('easy-day-6').selectOption('0');
  await presets.getByTestId('preset-save').click();
  await expect(page.getByText('Preset “Exam week” saved.')).toBeVisible();
  await presets.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'presets-settings-en.png'), fullPage: true });

  // Decks: the deck's picker, reached with Tab, chosen with the keyboard.
  await page.keyboard.press('g');
  await page.keyboard.press('d');
  const row = page.getByTestId('deck-row').filter({ hasText: deck.name });
  await expect(row.getByTestId('deck-new')).toHaveText(String(Math.min(deck.new, 20)));
  const picker = row.getByTestId('deck-preset');
  await expect(picker).toHaveAccessibleName(`Options preset of ${deck.name}`);
  await row.getByTestId('deck-show').focus();
  for (let i = 0; i < 10 && !(await picker.evaluate((el) => el === el.ownerDocument.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(picker).toBeFocused();
  await picker.selectOption({ label: 'Exam week' });
  await expect(page.getByText(`“${deck.name}” now uses the preset “Exam week”.`)).toBeVisible();
  await expect(row.getByTestId('deck-new')).toHaveText('3');
  await page.screenshot({ path: join(screenshots, 'presets-decks-en.png'), fullPage: true });
  // Today counts the deck's three beside the other decks' cards, under Default's 20.
  const others = decks.filter((d) => d.id !== deck.id).reduce((n, d) => n + d.new, 0);
  expect((await callApi<{ counts: { new: number } }>(page, 'review.today', {})).counts.new).toBe(Math.min(20, others + 3));
  expect(todayBefore).toBe(Math.min(20, others + Math.min(deck.new, 20)));

  // Study that deck from the keyboard: Easy on its new cards sends them days ahead, and the
  // forecast shows none of them on a Saturday or Sunday.
  await row.getByTestId('deck-study').click();
  for (let i = 0; i < 3; i++) {
    await expect(page.getByTestId('card-front')).toBeVisible();
    const front = await page.getByTestId('card-front').innerText();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('card-back')).toBeVisible();
    await page.keyboard.press('4');
    if (i < 2) await expect(page.getByTestId('card-front')).not.toHaveText(front);
  }
  // Three new cards were the deck's day: the session ends.
  await expect(page.getByTestId('session-summary')).toBeVisible();
  const { dayStart } = await callApi<{ dayStart: number }>(page, 'review.today', {});
  const { forecast } = await callApi<{ forecast: number[] }>(page, 'stats.get', {});
  const landed = forecast.flatMap((n, day) => Array.from({ length: n }, () => day));
  console.log(`Easy answers due in ${landed.join(', ')} days, on weekdays ${landed.map((d) => weekdayOf(dayStart + d * 86_400_000 + 12 * 3_600_000)).join(', ')} (0 Sunday … 6 Saturday)`);
  expect(landed).toHaveLength(3);
  for (const day of landed) expect([0, 6]).not.toContain(weekdayOf(dayStart + day * 86_400_000 + 12 * 3_600_000));
  expect((await callApi<{ id: number; presetId: number }[]>(page, 'decks.list', {})).find((d) => d.id === deck.id)?.presetId).not.toBe(1);

  // Stats: the forecast and the load-balancing simulation, labelled a model.
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  const panel = page.getByTestId('stats-load-panel');
  await expect(panel).toContainText('Load balancing: reviews per day (model)');
  await expect(panel.getByTestId('stats-load-summary')).toContainText('largest day');
  await expect(panel.locator('svg').first()).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'presets-stats-en.png'), fullPage: true });
  await page.context().close();
});

test('the same screens in Korean', async ({ browser }) => {
  const page = await openPage(browser, 'ko-KR');
  await page.goto(host().url);
  await callApi(page, 'settings.set', { locale: 'ko' });
  await page.reload();
  await expect(page.getByTestId('due-count')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press(',');
  const presets = page.getByTestId('presets');
  await expect(presets).toContainText('쉬는 요일');
  await page.getByTestId('preset-select').selectOption({ label: 'Exam week (1)' });
  await expect(presets.getByTestId('easy-day-5')).toHaveValue('0');
  await expect(presets.getByTestId('preset-decks')).not.toHaveText('없음');
  await presets.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'presets-settings-ko.png'), fullPage: true });
  // A taken name is refused in Korean, and nothing is added.
  await presets.getByTestId('preset-new-name').fill('Exam week');
  await presets.getByTestId('preset-add').click();
  await expect(page.getByText('“Exam week” 프리셋이 이미 있습니다. 다른 이름을 고르세요.')).toBeVisible();
  expect((await callApi<unknown[]>(page, 'presets.list', {})).length).toBe(2);

  await page.keyboard.press('g');
  await page.keyboard.press('d');
  await expect(page.getByRole('columnheader', { name: '프리셋' })).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'presets-decks-ko.png'), fullPage: true });
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page.getByTestId('stats-load-panel')).toContainText('부하 분산: 일별 복습 수 (모델)');
  await page.getByTestId('stats-load-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'presets-stats-ko.png'), fullPage: true });
  await callApi(page, 'settings.set', { locale: null });
  await page.context().close();
});
