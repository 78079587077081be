import { expect, test, type Browser, type Page } from '@playwright/test';
import { sharedHostForFile } from './support/shared-host';
import { callHostApi } from './support/api';

// The shell and the review screen from the keyboard, on the browser host in Chromium: `g` chords,
// the `?` help, language and theme saved through the API and kept across a reload, and suspend /
// undo / bury / the session summary.

const host = sharedHostForFile();


async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function callApi(page: Page, method: string, args: object): Promise<unknown> {
  return callHostApi<unknown>(page, host().url, method, args);
}

test('g chords navigate, ? shows the shortcuts, language and theme are kept across a reload', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host().url);
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
  await page.goto(host().url);
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

// A deck from someone else: a broken formula and a broken diagram show their errors inline, and
// its HTML can neither run script nor fetch anything from the network.
const hostileDeck = `---
title: "Hostile"
deck: hostile
version: 1
language: en
---

# Broken things

## Q. What does a broken diagram look like? {#broken-diagram}

A. A bad formula $\\frac{1}{$ inline, a good one $x^2$, and:

\`\`\`mermaid
graph TD
  A[Start --> ((
\`\`\`

<img src=x onerror="window.__canary=1"> [link](javascript:window.__canary=2) ![remote](https://example.com/x.png) <script>window.__canary=3</script>
`;

test('a hostile card shows its errors inline and runs nothing', async ({ browser }) => {
  const page = await openPage(browser);
  const remote: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(host().url) && !request.url().startsWith('data:')) remote.push(request.url());
  });
  await page.goto(host().url);
  await callApi(page, 'settings.set', { newPerDay: 9999 });
  const uploadId = 'ui-spec-hostile';
  const bytes = Buffer.from(hostileDeck, 'utf8');
  await callApi(page, 'decks.upload', { uploadId, offset: 0, total: bytes.length, data: bytes.toString('base64') });
  await callApi(page, 'decks.importApply', { uploadId, fileName: 'hostile.md', choices: { default: 'take-theirs' } });
  // Only the hostile card is left to study: every other card of the shared host is suspended, so
  // the test does not depend on how many built-in cards come first.
  const { rows } = (await callApi(page, 'cards.search', { query: '', limit: 1000 })) as { rows: { cardId: number; front: string }[] };
  const others = rows.filter((row) => !row.front.includes('broken diagram')).map((row) => row.cardId);
  expect(others.length).toBeLessThan(rows.length);
  await callApi(page, 'cards.bulk', { cardIds: others, change: { action: 'suspend' } });
  await page.reload();
  await expect(page.getByTestId('start-review')).toBeVisible();
  await page.keyboard.press('Enter');

  const front = page.getByTestId('card-front');
  for (let step = 0; step < 40; step++) {
    await expect(front).toBeVisible();
    if ((await front.innerText()).includes('broken diagram')) break;
    await page.keyboard.press('Space');
    await page.keyboard.press('4');
    await expect(page.getByTestId('card-back')).toBeHidden();
  }
  await expect(front).toContainText('broken diagram');
  await page.keyboard.press('Space');
  const back = page.getByTestId('card-back');
  await expect(back.locator('.katex-error')).toContainText('ParseError');
  await expect(back.locator('.katex')).toHaveCount(1);
  await expect(back.locator('.mermaid-diagram')).toHaveAttribute('data-state', 'error');
  await expect(back.locator('.mermaid-diagram .render-error')).toContainText('Parse error');
  // html: false shows the tags as text; the image keeps its alt text but loses the remote source.
  await expect(back).toContainText('<img src=x onerror=');
  await expect(back.locator('img')).toHaveCount(1);
  await expect(back.locator('img')).not.toHaveAttribute('src', /.+/);
  await expect(back.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expect(back.locator('script')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as { __canary?: number }).__canary)).toBeUndefined();
  expect(remote).toEqual([]);
  await callApi(page, 'cards.bulk', { cardIds: others, change: { action: 'unsuspend' } });
  await page.context().close();
});

test('? lists every key, Prove it and editing included', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host().url);
  await expect(page.getByTestId('due-count')).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog');
  for (const text of ['Ctrl+K', 'Prove it', 'Ctrl+S', 'Ctrl+Shift+C', 'Ctrl+A', 'Select every card the search matches', 'Again / Hard / Good / Easy']) {
    await expect(help).toContainText(text);
  }
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.context().close();
});

test('Ctrl+K finds every screen, action, deck and experiment by a fuzzy name, from the keyboard alone', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host().url);
  await expect(page.getByTestId('due-count')).toBeVisible();
  const palette = page.getByTestId('command-palette');
  const choose = async (query: string, expected: RegExp) => {
    await page.keyboard.press('Control+k');
    await expect(palette).toBeVisible();
    await page.keyboard.type(query);
    await expect(palette.locator('[role="option"][aria-selected="true"]')).toHaveText(expected);
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
  };
  // Letters in order, not together.
  await choose('stngs', /Go to Settings/);
  await expect(page.getByTestId('settings-language')).toBeVisible();
  // A deck by its name: Browse opens on it.
  await choose('kv flash', /KV-cache/i);
  await expect(page.getByTestId('browse-search')).toHaveValue(/^deck:"KV-cache/i);
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  // An experiment: the Lab opens on it.
  await choose('exact', /Flash-Attention is exact/);
  await expect(page.locator('[data-experiment="flash-exact"]')).toHaveAttribute('aria-current', 'true');
  // An action; Escape closes without running anything; the arrows choose.
  await choose('dark', /dark theme/);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('go to');
  await page.keyboard.press('ArrowDown');
  await expect(palette.locator('[role="option"]').nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await callApi(page, 'settings.set', { theme: 'system' });
  await page.context().close();
});

const threeCards = `---
title: "Learning count"
deck: learning-count
version: 1
language: en
---

# Three new cards

## Q. First new card? {#first}

A. One.

## Q. Second new card? {#second}

A. Two.

## Q. Third new card? {#third}

A. Three.
`;

test('the learning count is live: an Again or a Good on a learning step counts at once', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host().url);
  // Three new cards of their own; every other card is put out of the way (suspended) first.
  const all = (await callApi(page, 'cards.search', { query: '-is:suspended', limit: 1000 })) as { rows: { cardId: number }[] };
  if (all.rows.length) await callApi(page, 'cards.bulk', { cardIds: all.rows.map((r) => r.cardId), change: { action: 'suspend' } });
  const bytes = Buffer.from(threeCards, 'utf8');
  await callApi(page, 'decks.upload', { uploadId: 'ui-spec-learning', offset: 0, total: bytes.length, data: bytes.toString('base64') });
  await callApi(page, 'decks.importApply', { uploadId: 'ui-spec-learning', fileName: 'learning.md', choices: { default: 'take-theirs' } });
  await page.reload();
  await expect(page.getByTestId('start-review')).toBeVisible();
  await page.keyboard.press('Enter');
  const learning = page.getByTestId('queue-counts').locator('.kind-learning');
  await expect(page.getByTestId('card-front')).toBeVisible();
  await expect(learning).toHaveText('0');
  // Again: due again in a minute, counted now.
  await page.keyboard.press('Space');
  await page.keyboard.press('1');
  await expect(page.getByTestId('card-back')).toBeHidden();
  await expect(learning).toHaveText('1');
  // Good on a new card: its next step is 10 minutes away, counted now too.
  await page.keyboard.press('Space');
  await page.keyboard.press('3');
  await expect(page.getByTestId('card-back')).toBeHidden();
  await expect(learning).toHaveText('2');
  await page.context().close();
});
