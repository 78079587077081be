import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { ensureRenderer, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';
import { callHostApi } from './support/api';

// Anki's review extras, in Chromium on the browser host, from the keyboard: a one-card deck is
// studied (Again, then Good: the card comes back within the learn-ahead limit with two reviews);
// Ctrl+1 flags it red, Ctrl+1 again clears it, Ctrl+4 flags it blue, and u / Ctrl+Z take the flags
// back; * marks the note; i shows the card info with both reviews and the recall chart; e edits
// the note and comes back to the same card, and the edit is undone. Then Browse shows the flag,
// finds it with flag:1 and flags it green in bulk; and the card info in Korean. Screenshots in
// English and Korean. Last, `e` on a card of a kept Anki note type (the vocabulary fixture) edits
// its fields, and the answer shows the edit at once.

const screenshots = join(repoRoot, 'test-results', 'screenshots');
const fixtures = fileURLToPath(new URL('../../../shared/fixtures/anki', import.meta.url));
let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (host) removeDataDir(host.dataDir);
});

async function openPage(browser: Browser, locale: 'en-US' | 'ko-KR'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function callApi<T>(page: Page, method: string, args: object = {}): Promise<T> {
  return callHostApi<T>(page, host.url, method, args);
}

const search = (page: Page, query: string) => callApi<{ total: number; rows: { cardId: number; flag: number; tags: string; front: string }[] }>(page, 'cards.search', { query, limit: 100 });

/** The recall chart drawn: its SVG with the legend's series and the lines (a curve, the stability points, the axes). */
async function expectChart(chart: Locator, legend: string[]): Promise<void> {
  await expect(chart.locator('svg')).toBeVisible();
  for (const name of legend) await expect(chart.locator('svg text', { hasText: name })).toHaveCount(1);
  await expect.poll(() => chart.locator('svg path').count()).toBeGreaterThan(10);
}

/** Opens the one-card deck's study session from the Decks screen. */
async function studyDeck(page: Page): Promise<void> {
  await page.goto(`${host.url}#/decks`);
  const row = page.locator('[data-testid="deck-row"][data-deck="Extras"]');
  await expect(row).toBeVisible();
  await row.getByTestId('deck-study').click();
  await expect(page.getByTestId('card-front')).toBeVisible();
}

test('flag, mark, card info and edit from the keyboard in review, each undone', async ({ browser }) => {
  const page = await openPage(browser, 'en-US');
  await page.goto(`${host.url}#/decks`);
  await expect(page.getByTestId('decks-screen')).toBeVisible();
  const file = join(mkdtempSync(join(tmpdir(), 'proofdeck-extras-e2e-')), 'extras.md');
  writeFileSync(file, '---\ntitle: Extras\n---\n\n## Q. Where does the KV cache live during decoding? {#kv-home}\n\nA. In GPU memory (HBM), read once per generated token.\n');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await studyDeck(page);

  const card = page.locator('article.card');
  const cardId = Number(await card.getAttribute('data-card-id'));
  // Again, then Good: with nothing else left, the learning card comes back (Anki's learn-ahead).
  for (const grade of ['1', '3']) {
    await page.keyboard.press('Space');
    await expect(page.getByTestId('card-back')).toBeVisible();
    await page.keyboard.press(grade);
    await expect(page.getByTestId('card-back')).toBeHidden();
    await expect(page.getByTestId('card-front')).toBeVisible();
  }
  await expect(card).toHaveAttribute('data-card-id', String(cardId));

  // Flags: Ctrl+1 red, the same key clears, Ctrl+4 blue.
  const flag = page.getByTestId('card-flag');
  await page.keyboard.press('Control+1');
  await expect(flag).toHaveAttribute('data-flag', '1');
  await expect(flag).toHaveText('Flag: Red');
  expect((await search(page, 'flag:1')).rows.map((r) => r.cardId)).toEqual([cardId]);
  await page.keyboard.press('Control+1');
  await expect(flag).toBeHidden();
  await page.keyboard.press('Control+4');
  await expect(flag).toHaveAttribute('data-flag', '4');
  expect((await callApi<{ undo: { kind: string } }>(page, 'undo.state')).undo).toMatchObject({ kind: 'flag', count: 1, cardId });
  // u takes back the blue flag (none, as the clear left it), Ctrl+Z the clear (red again).
  await page.keyboard.press('u');
  await expect(page.locator('.notice').last()).toContainText('Undone: flag');
  await expect(flag).toBeHidden();
  await page.keyboard.press('Control+z');
  await expect(flag).toHaveAttribute('data-flag', '1');
  expect((await search(page, 'flag:1')).total).toBe(1);
  await expect(card).toHaveAttribute('data-card-id', String(cardId));

  // * marks the note as Anki does: the tag "marked".
  await page.keyboard.press('*');
  await expect(page.getByTestId('card-marked')).toBeVisible();
  expect((await search(page, 'tag:marked')).rows.map((r) => r.cardId)).toEqual([cardId]);

  // i: the card info, with both reviews and the recall chart.
  await page.keyboard.press('i');
  const info = page.getByTestId('card-info');
  await expect(info).toBeVisible();
  await expect(info.getByTestId('card-info-review')).toHaveCount(2);
  await expect(info.getByTestId('card-info-review').first()).toContainText('Good');
  await expect(info.getByTestId('card-info-review').last()).toContainText('Again');
  await expectChart(info.getByTestId('card-info-chart'), ['Recall', 'Stability (days)']);
  await expect(info.getByTestId('card-info-facts')).toContainText('Stability');
  await expect(info.getByTestId('card-info-flag')).toContainText('Red');
  await page.screenshot({ path: join(screenshots, 'review-extras-card-info-en.png') });
  // Escape closes the dialog only: the session stays on the card.
  await page.keyboard.press('Escape');
  await expect(info).toBeHidden();
  await expect(card).toHaveAttribute('data-card-id', String(cardId));
  await page.screenshot({ path: join(screenshots, 'review-extras-card-en.png') });

  // e: the note editor; saving comes back to the same card, edited, on the same side.
  await page.keyboard.press('e');
  const editor = page.getByTestId('editor-front');
  await expect(editor).toBeVisible();
  await editor.fill('Where does the KV cache live while a model decodes?');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('card-front')).toContainText('while a model decodes');
  await expect(card).toHaveAttribute('data-card-id', String(cardId));
  await expect(flag).toHaveAttribute('data-flag', '1');
  expect((await callApi<{ undo: { kind: string } }>(page, 'undo.state')).undo).toMatchObject({ kind: 'edit-note' });
  // The edit is one operation of the history: u brings the old question back, on screen.
  await page.keyboard.press('u');
  await expect(page.locator('.notice').last()).toContainText('Undone: edit note');
  await expect(page.getByTestId('card-front')).toContainText('during decoding');
  await page.context().close();
});

test('Browse shows the flag, finds it with flag:1, flags in bulk and opens the card info', async ({ browser }) => {
  const page = await openPage(browser, 'en-US');
  await page.goto(`${host.url}#/browse`);
  await page.getByTestId('browse-search').fill('flag:1');
  const row = page.getByTestId('browse-row');
  await expect(row).toHaveCount(1);
  // The flag column: a dot of the flag's colour, named in its tooltip.
  await expect(row.locator('.cell-flag')).toHaveAttribute('title', 'Red');
  await expect(row.locator('.cell-flag [data-testid="browse-flag"]')).toBeVisible();
  await row.click();
  await page.getByTestId('bulk-flag').selectOption({ label: 'Green' });
  await expect.poll(async () => (await search(page, 'flag:3')).total).toBe(1);
  expect((await search(page, 'flag:1')).total).toBe(0);
  await page.getByTestId('browse-search').fill('flag:3');
  await expect(page.getByTestId('browse-row')).toHaveCount(1);
  await page.getByTestId('browse-row').click();
  await page.getByTestId('bulk-info').click();
  await expect(page.getByTestId('card-info')).toBeVisible();
  await expect(page.getByTestId('card-info-review')).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('card-info')).toBeHidden();
  await page.context().close();
});

test('the card info and the marks in Korean', async ({ browser }) => {
  const page = await openPage(browser, 'ko-KR');
  await studyDeck(page);
  await expect(page.getByTestId('card-flag')).toHaveText('플래그: 초록');
  await expect(page.getByTestId('card-marked')).toHaveText('★표시됨');
  await page.screenshot({ path: join(screenshots, 'review-extras-card-ko.png') });
  await page.keyboard.press('i');
  const info = page.getByTestId('card-info');
  await expect(info.getByRole('heading', { name: /카드 정보/ })).toBeVisible();
  await expect(info.getByTestId('card-info-review')).toHaveCount(2);
  await expect(info.getByTestId('card-info-review').first()).toContainText('알맞음');
  await expectChart(info.getByTestId('card-info-chart'), ['기억률', '안정성 (일)']);
  await page.screenshot({ path: join(screenshots, 'review-extras-card-info-ko.png') });
  await page.keyboard.press('Escape');
  await expect(info).toBeHidden();
  // The keyboard help lists the new keys.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog');
  for (const text of ['Ctrl+1', 'Ctrl+4', '노트 표시 켜기/끄기', '카드 정보: 모든 복습', '이 카드의 노트를 편집']) await expect(help).toContainText(text);
  await page.screenshot({ path: join(screenshots, 'review-extras-keys-ko.png') });
  await page.context().close();
});

test('e on a card of a kept Anki note type edits its fields and shows the edited answer', async ({ browser }) => {
  const page = await openPage(browser, 'en-US');
  await page.goto(`${host.url}#/decks`);
  await page.getByTestId('import-file').setInputFiles(join(fixtures, 'mujing-basic_word.apkg'));
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await page.locator('[data-testid="deck-row"][data-deck="英语词汇学习"]').getByTestId('deck-study').click();
  const word = page.getByTestId('card-front').locator('.word');
  await expect(word).toHaveText('Africa');
  const cardId = await page.locator('article.card').getAttribute('data-card-id');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('anki-answer')).toBeVisible();

  await page.keyboard.press('e');
  await expect(page.getByTestId('editor-anki')).toBeVisible();
  const fields = page.locator('[data-testid^="editor-anki-field-"]');
  let wordField = -1;
  for (let i = 0; i < (await fields.count()) && wordField < 0; i++) if ((await fields.nth(i).inputValue()) === 'Africa') wordField = i;
  expect(wordField).toBeGreaterThanOrEqual(0);
  await fields.nth(wordField).fill('Africa (edited)');
  await page.keyboard.press('Control+s');
  // Back on the same card, on its answer, drawn by its template with the edited field.
  await expect(page.locator('article.card')).toHaveAttribute('data-card-id', cardId ?? '');
  await expect(page.getByTestId('anki-answer')).toBeVisible();
  const answerWord = page.getByTestId('anki-answer').locator('.word');
  await expect(answerWord).toHaveText('Africa (edited)');
  await page.screenshot({ path: join(screenshots, 'review-extras-anki-edited-en.png') });
  // The edit undone from the keyboard: the answer shows the word as it was.
  await page.keyboard.press('u');
  await expect(answerWord).toHaveText('Africa');
  await page.context().close();
});
