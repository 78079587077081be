import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openDatabase } from '../../electron/services/store/database';
import { importDeckFile } from '../../electron/services/decks/exchange';
import { clozeAnkiPackage } from '../unit/decks/cloze-anki';
import { ensureRenderer, freshDataDir, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';

// An Anki cloze note in review on the browser host, in Chromium: the question shows the active
// deletion as […] and the other as text, the answer highlights it (math inside rendered); the
// browser names each card's cloze; the editor's Ctrl+Shift+C wraps a selection in the next number.
// Screenshots under test-results/screenshots.

const screenshots = join(repoRoot, 'test-results', 'screenshots');
let host: RunningHost;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
  dataDir = freshDataDir();
  const file = join(dataDir, 'proofdeck.sqlite');
  const store = openDatabase(file);
  importDeckFile(store, clozeAnkiPackage(), { fileName: 'geography.apkg' });
  store.close();
  // c1 of the cloze note is due now in learning, so review shows it before any new card; the
  // deck's other cards wait (suspended) so the session is about this one.
  const db = new Database(file);
  db.prepare(`UPDATE cards SET suspended = 1 WHERE note_id IN (SELECT id FROM notes WHERE guid != 'cloze-guid-1') OR ord != 0`).run();
  db.prepare(`UPDATE cards SET state = 1, due = ? WHERE ord = 0 AND note_id = (SELECT id FROM notes WHERE guid = 'cloze-guid-1')`).run(Date.now() - 60_000);
  db.close();
  host = await startHost({ dataDir });
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (dataDir) removeDataDir(dataDir);
});

test('a cloze card asks its deletion as […] and shows it highlighted with the answer', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('start-review')).toBeVisible();
  await page.keyboard.press('Enter');
  const front = page.getByTestId('card-front');
  await expect(front).toContainText('is the capital of');
  // c1 asks both of its deletions; c2's deletion (France) shows as text.
  await expect(front.locator('.cloze-blank')).toHaveText(['[…]', '[…]']);
  await expect(front).toContainText('France');
  await expect(front).not.toContainText('Paris');
  await page.screenshot({ path: join(screenshots, 'cloze-question.png') });

  await page.keyboard.press('Space');
  await expect(page.getByTestId('card-back')).toBeVisible();
  await expect(front.locator('.cloze-blank')).toHaveCount(0);
  await expect(front.locator('mark.cloze').first()).toHaveText('Paris');
  await expect(front.locator('mark.cloze .katex')).toBeVisible();
  await expect(page.getByTestId('card-back')).toContainText('Both Paris facts');
  await page.screenshot({ path: join(screenshots, 'cloze-answer.png') });
  await context.close();
});

test('the browser lists the cloze cards by number; Ctrl+Shift+C wraps a selection in the next one', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('due-count')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('b');
  await page.getByTestId('browse-search').fill('deck:Geography capital');
  await expect(page.getByTestId('browse-row')).toHaveCount(2);
  await expect(page.getByTestId('browse-row').filter({ hasText: '[c1]' })).toHaveCount(1);
  await expect(page.getByTestId('browse-row').filter({ hasText: '[c2]' })).toHaveCount(1);
  await page.getByTestId('browse-search').press('Enter');
  await page.keyboard.press('Enter');
  const editor = page.getByTestId('editor-front');
  await expect(page.getByTestId('editor-kind')).toHaveValue('cloze');
  await expect(page.getByTestId('editor-cloze-hint')).toContainText('c1, c2');
  const text = await editor.inputValue();
  const start = text.indexOf('capital');
  await editor.focus();
  await editor.evaluate((area, [from, to]) => (area as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(from, to), [start, start + 'capital'.length]);
  await page.keyboard.press('Control+Shift+C');
  await expect(editor).toHaveValue(text.replace('capital', '{{c3::capital}}'));
  await expect(page.getByTestId('editor-cloze-hint')).toContainText('c1, c2, c3');
  // With Alt, the same number again: one card asks both.
  const wrapped = await editor.inputValue();
  const at = wrapped.indexOf('area');
  await editor.evaluate((area, [from, to]) => (area as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(from, to), [at, at + 'area'.length]);
  await page.keyboard.press('Control+Alt+Shift+C');
  await expect(editor).toHaveValue(wrapped.replace('its area', 'its {{c3::area}}'));
  await expect(page.getByTestId('editor-cloze-hint')).not.toContainText('c4');
  // Dropping c2 is announced before saving.
  await editor.fill('{{c1::Paris}} is the {{c3::capital}} of France.');
  await expect(page.getByTestId('editor-removes')).toContainText('c2');
  await page.screenshot({ path: join(screenshots, 'cloze-editor.png') });
  await context.close();
});

test('importing a newer version that drops a cloze number says the card went with its history', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const newer = join(dataDir, 'geography-v2.apkg');
  writeFileSync(newer, clozeAnkiPackage({ clozeText: '{{c1::Paris}} is the capital of France.' }));
  await page.goto(`${host.url}#/decks`);
  await page.getByTestId('import-file').setInputFiles(newer);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.getByTestId('preview-cards-removed')).toContainText('removes 1 card, with its review history');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toContainText('gained 0 cards and lost 1');
  const db = new Database(join(dataDir, 'proofdeck.sqlite'), { readonly: true });
  const ords = db.prepare("SELECT c.ord FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'cloze-guid-1' ORDER BY c.ord").pluck().all();
  db.close();
  expect(ords).toEqual([0]);
  await context.close();
});
