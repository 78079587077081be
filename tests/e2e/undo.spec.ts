import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ensureRenderer, removeDataDir, startHost, type RunningHost } from './support/host';
import { callHostApi } from './support/api';

// One undo for the whole app, in Chromium on the browser host, from the keyboard: in Review a
// bury, a suspend and an answer are taken back three levels deep (each card shows again) and
// done again (Ctrl+Shift+Z, Ctrl+Y); in Browse a bulk delete is undone from its notice and redone,
// an edit made in the editor; then the host is restarted and the history is still there: the
// edit, the delete, the suspend and the bury are undone after the restart, and redone. Deck
// operations too: an import into a new deck and a move of a card into it, undone after a restart
// on the Decks screen (the deck goes, then comes back) and redone.

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
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function callApi<T>(page: Page, method: string, args: object = {}): Promise<T> {
  return callHostApi<T>(page, host.url, method, args);
}

type Step = { kind: string; count: number } | null;
const undoState = (page: Page) => callApi<{ undo: Step; redo: Step }>(page, 'undo.state');
// In English, as Browse shows it: the editor edits a note's English translation where it has one.
const search = (page: Page, query: string) =>
  callApi<{ total: number; rows: { cardId: number; front: string; suspended: boolean; buried: boolean }[] }>(page, 'cards.search', { query, limit: 1000, locale: 'en' });

test('bury, suspend and an answer undone three levels deep and redone, from the keyboard in Review', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(host.url);
  await expect(page.getByTestId('due-count')).toHaveText(/[1-9]/);
  await page.keyboard.press('Enter');
  const front = page.getByTestId('card-front');
  await expect(front).toBeVisible();

  const buried = (await front.innerText()).trim();
  await page.keyboard.press('b');
  await expect(front).not.toHaveText(buried);
  const suspended = (await front.innerText()).trim();
  await page.keyboard.press('s');
  await expect(front).not.toHaveText(suspended);
  const answered = (await front.innerText()).trim();
  await page.keyboard.press('Space');
  await page.keyboard.press('3');
  await expect(page.getByTestId('card-back')).toBeHidden();
  await expect(front).not.toHaveText(answered);
  expect((await search(page, 'is:buried')).total).toBe(1);
  expect((await search(page, 'is:suspended')).total).toBe(1);

  // Three levels deep: each undo names itself and shows its card again.
  await page.keyboard.press('u');
  await expect(front).toHaveText(answered);
  await expect(page.locator('.notice').last()).toContainText('Undone: answer');
  await page.keyboard.press('Control+z');
  await expect(front).toHaveText(suspended);
  await expect(page.locator('.notice').last()).toContainText('Undone: suspend 1 card');
  await page.keyboard.press('u');
  await expect(front).toHaveText(buried);
  await expect(page.locator('.notice').last()).toContainText('Undone: bury 1 card');
  expect((await search(page, 'is:buried')).total).toBe(0);
  expect((await search(page, 'is:suspended')).total).toBe(0);
  expect(await undoState(page)).toEqual({ undo: null, redo: expect.objectContaining({ kind: 'bury' }) });

  // Done again: the bury (Ctrl+Shift+Z), then the suspend (Ctrl+Y).
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.notice').last()).toContainText('Redone: bury 1 card');
  await expect(front).not.toHaveText(buried);
  await page.keyboard.press('Control+y');
  await expect(page.locator('.notice').last()).toContainText('Redone: suspend 1 card');
  expect((await search(page, 'is:buried')).total).toBe(1);
  expect((await search(page, 'is:suspended')).total).toBe(1);
  expect((await undoState(page)).redo).toMatchObject({ kind: 'answer' });

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('due-count')).toBeVisible();
  await page.context().close();
});

test('a bulk delete undone from its notice and redone, an edit; then undone after a restart, and redone', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(`${host.url}#/browse`);
  const total = page.getByTestId('browse-total');
  await expect(total).toHaveText(/\d+ cards/);
  const all = (await search(page, '')).total;

  // A bulk delete of two cards, taken back by the notice's Undo, then done again from the keyboard.
  await page.getByTestId('browse-search').fill('KV');
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  const rows = page.getByTestId('browse-row');
  await rows.nth(0).click();
  await rows.nth(1).click({ modifiers: ['Control'] });
  await page.getByTestId('bulk-delete').click();
  await expect.poll(async () => (await search(page, '')).total).toBe(all - 2);
  await page.getByTestId('notice-action').last().click();
  await expect.poll(async () => (await search(page, '')).total).toBe(all);
  await expect(page.locator('.notice').last()).toContainText('Undone: delete 2 cards');
  await page.getByTestId('browse-body').focus();
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(async () => (await search(page, '')).total).toBe(all - 2);

  // An edit in the editor, saved with Ctrl+S.
  await page.getByTestId('browse-search').fill('');
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  const edited = await page.getByTestId('browse-row').first().getAttribute('data-card-id');
  await page.getByTestId('browse-body').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  const editorFront = page.getByTestId('editor-front');
  await expect(editorFront).toBeVisible();
  const original = await editorFront.inputValue();
  await editorFront.fill(`${original} (edited before the restart)`);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('browse-total')).toBeVisible();
  expect((await search(page, 'edited before the restart')).total).toBe(1);
  expect((await undoState(page)).undo).toMatchObject({ kind: 'edit-note' });
  await page.context().close();

  // The history is in the database: a restarted host still undoes and redoes it.
  expect(await host.stop('SIGTERM')).toBe(0);
  host = await startHost({ dataDir: host.dataDir, port: host.port });
  const after = await openPage(browser);
  await after.goto(`${host.url}#/browse`);
  await expect(after.getByTestId('browse-total')).toHaveText(/\d+ cards/);
  await after.getByTestId('browse-body').focus();
  await after.keyboard.press('u');
  await expect(after.locator('.notice').last()).toContainText('Undone: edit note');
  await expect.poll(async () => (await search(after, 'edited before the restart')).total).toBe(0);
  expect((await search(after, '')).rows.some((row) => String(row.cardId) === edited && row.front.startsWith(original.slice(0, 20)))).toBe(true);
  await after.keyboard.press('Control+z');
  await expect(after.locator('.notice').last()).toContainText('Undone: delete 2 cards');
  await expect.poll(async () => (await search(after, '')).total).toBe(all);
  await expect(after.getByTestId('browse-total')).toContainText(String(all));
  // Further back: the suspend and the bury of the first test.
  await after.keyboard.press('u');
  await expect(after.locator('.notice').last()).toContainText('Undone: suspend 1 card');
  await after.keyboard.press('u');
  await expect(after.locator('.notice').last()).toContainText('Undone: bury 1 card');
  expect((await search(after, 'is:suspended')).total).toBe(0);
  expect((await search(after, 'is:buried')).total).toBe(0);
  // And forward again, several steps.
  await after.keyboard.press('Control+y');
  await after.keyboard.press('Control+y');
  await expect(after.locator('.notice').last()).toContainText('Redone: suspend 1 card');
  expect((await search(after, 'is:suspended')).total).toBe(1);
  expect((await search(after, 'is:buried')).total).toBe(1);
  await after.context().close();
});

test('an import into a new deck and a move into it, undone from the keyboard after a restart, and redone', async ({ browser }) => {
  const page = await openPage(browser);
  await page.goto(`${host.url}#/decks`);
  await expect(page.getByTestId('decks-screen')).toBeVisible();
  const file = join(mkdtempSync(join(tmpdir(), 'proofdeck-undo-e2e-')), 'undo-deck.md');
  writeFileSync(file, '---\ntitle: Undo deck\n---\n\n## Q. First undo question? {#one}\n\nA. One.\n\n## Q. Second undo question? {#two}\n\nA. Two.\n');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  const deckRow = page.locator('[data-testid="deck-row"][data-deck="Undo deck"]');
  await expect(deckRow).toBeVisible();
  expect((await undoState(page)).undo).toMatchObject({ kind: 'import', count: 2 });

  // A card of another deck moved into it from Browse.
  await page.getByRole('link', { name: 'Browse' }).click();
  await page.getByTestId('browse-search').fill('KV');
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  await page.getByTestId('browse-row').first().click();
  const move = page.getByTestId('bulk-move');
  await move.focus();
  await expect(move.locator('option', { hasText: 'Undo deck' })).toHaveCount(1);
  await move.selectOption({ label: 'Undo deck' });
  await expect.poll(async () => (await search(page, 'deck:"Undo deck"')).total).toBe(3);
  await page.context().close();

  expect(await host.stop('SIGTERM')).toBe(0);
  host = await startHost({ dataDir: host.dataDir, port: host.port });
  const after = await openPage(browser);
  await after.goto(`${host.url}#/decks`);
  const row = after.locator('[data-testid="deck-row"][data-deck="Undo deck"]');
  await expect(row).toBeVisible();
  await after.locator('body').click({ position: { x: 5, y: 5 } });
  await after.keyboard.press('u');
  await expect(after.locator('.notice').last()).toContainText('Undone: move 1 card to Undo deck');
  await expect.poll(async () => (await search(after, 'deck:"Undo deck"')).total).toBe(2);
  await after.keyboard.press('Control+z');
  await expect(after.locator('.notice').last()).toContainText('Undone: import 2 notes into Undo deck');
  await expect(row).toHaveCount(0);
  expect((await search(after, 'deck:"Undo deck"')).total).toBe(0);

  await after.keyboard.press('Control+Shift+z');
  await expect(after.locator('.notice').last()).toContainText('Redone: import 2 notes into Undo deck');
  await expect(row).toBeVisible();
  await after.keyboard.press('Control+y');
  await expect(after.locator('.notice').last()).toContainText('Redone: move 1 card to Undo deck');
  await expect.poll(async () => (await search(after, 'deck:"Undo deck"')).total).toBe(3);
  await after.context().close();
});
