import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { sharedHostForFile } from './support/shared-host';
import { repoRoot } from './support/host';

// The vocabulary deck of the shared fixtures, imported in the real UI on the browser host, drawn
// by its own note type wherever a card shows: the import preview, review (front, then back) and
// the editor, which edits the fields and keeps the note type. What the template says the back
// shows ("7年级 2学期 1单元" for Africa) is what the page shows, in the note type's CSS, in the
// light and the dark theme. Screenshots: test-results/screenshots/anki-notetype-*.png.

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/anki', import.meta.url));
const screenshots = join(repoRoot, 'test-results', 'screenshots');
const host = sharedHostForFile();
const deck = '英语词汇学习';

test.beforeAll(() => mkdirSync(screenshots, { recursive: true }));

async function open(page: Page, screen: string): Promise<void> {
  await page.goto(host().url);
  await page.getByTestId(`nav-${screen}`).click();
}

// Evaluated in the page (the test files are typed without the DOM).
const style = (page: Page, selector: string, property: string) =>
  page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`);

test('the import preview draws the first card with its template and CSS', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page, 'decks');
  await page.getByTestId('import-file').setInputFiles(join(fixtures, 'mujing-basic_word.apkg'));
  await expect(page.getByTestId('import-preview')).toBeVisible();
  const front = page.getByTestId('import-sample-anki-front').first();
  const back = page.getByTestId('import-sample-anki-back').first();
  await expect(front.locator('.word')).toHaveText('Africa');
  await expect(back.locator('.source-tag')).toHaveText('7年级 2学期 1单元');
  expect(await style(page, '[data-testid="import-sample-anki-front"] .front-container', 'background-image')).toContain('linear-gradient');
  await page.getByTestId('import-samples').screenshot({ path: join(screenshots, 'anki-notetype-import-preview.png') });
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
});

test('Study on the deck’s row asks that deck’s cards, though the built-in decks’ come first on Today', async ({ page }) => {
  await open(page, 'today');
  await page.getByTestId('start-review').click();
  await expect(page.getByTestId('card-front')).toBeVisible();
  await expect(page.getByTestId('card-front').locator('.word')).toHaveCount(0);
  await open(page, 'decks');
  await page.locator(`[data-testid="deck-row"][data-deck="${deck}"]`).getByTestId('deck-study').click();
  await expect(page.getByTestId('card-front').locator('.word')).toHaveText('Africa');
  await expect(page.getByTestId('queue-counts')).toContainText('20');
  await page.keyboard.press('Escape');
});

test('review shows the front, then the back, as the template lays them out', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 1000 });
  // Only the vocabulary deck's cards: the built-in decks' new cards come first otherwise.
  await open(page, 'browse');
  await page.getByTestId('browse-search').fill(`-deck:"${deck}"`);
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  await page.getByTestId('browse-body').focus();
  await page.keyboard.press('Control+a');
  await page.getByTestId('bulk-suspend').click();
  await open(page, 'today');
  await page.getByTestId('start-review').click();

  const front = page.getByTestId('card-front');
  await expect(front.locator('.word')).toHaveText('Africa');
  await expect(front.locator('.word-badge')).toHaveText('单词');
  await expect(front).not.toContainText('7年级');
  // The note type's CSS reached the card, and only the card.
  expect(await style(page, '[data-testid="card-front"] .word', 'font-size')).toBe('48px');
  expect(await style(page, '[data-testid="card-front"] .front-container', 'background-image')).toContain('linear-gradient');
  await front.screenshot({ path: join(screenshots, 'anki-notetype-front.png') });

  await page.keyboard.press('Space');
  const back = page.getByTestId('anki-answer');
  await expect(back.locator('.source-tag')).toHaveText('7年级 2学期 1单元');
  await expect(back.locator('.header .word')).toHaveText('Africa');
  await expect(back.locator('.pronunciation')).toHaveText('/ˈæfrɪkə/');
  await expect(back.locator('.chinese')).toHaveText('非洲');
  await expect(back.locator('.example')).toHaveText('Lions live in Africa.');
  expect(await style(page, '[data-testid="anki-answer"] .source-tag', 'color')).toBe('rgb(25, 118, 210)');
  await back.screenshot({ path: join(screenshots, 'anki-notetype-back.png') });
  // Grades still work on such a card.
  await page.keyboard.press('3');
  await expect(page.getByTestId('card-front')).toBeVisible();
  await expect(page.getByTestId('card-front').locator('.word')).not.toHaveText('Africa');
  // The Decks screen counts the deck as Today counts it (every other card is suspended).
  await open(page, 'today');
  const today = { new: await page.getByTestId('due-new').innerText(), learning: await page.getByTestId('due-learning').innerText(), review: await page.getByTestId('due-review').innerText() };
  expect(today).toEqual({ new: '19', learning: '1', review: '0' });
  await open(page, 'decks');
  const row = page.locator(`[data-testid="deck-row"][data-deck="${deck}"]`);
  await expect(row.getByTestId('deck-new')).toHaveText(today.new);
  await expect(row.getByTestId('deck-learning')).toHaveText(today.learning);
  await expect(row.getByTestId('deck-due')).toHaveText(today.review);
});

/** The fixture with a night-mode rule added to its note type's CSS, as a deck's next version might bring. */
function withNightRule(path: string): string {
  const files: Record<string, Uint8Array> = unzipSync(new Uint8Array(readFileSync(join(fixtures, 'mujing-basic_word.apkg'))));
  const db = new Database(Buffer.from(files['collection.anki21']));
  const models = JSON.parse(db.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, { css: string }>;
  for (const model of Object.values(models)) model.css += '\n.nightMode .front-container .word { color: rgb(255, 200, 0); }\n';
  db.prepare('UPDATE col SET models = ?').run(JSON.stringify(models));
  files['collection.anki21'] = new Uint8Array(db.serialize());
  db.close();
  writeFileSync(path, zipSync(files));
  return path;
}

test('night mode: the deck’s .nightMode rules follow the app’s dark theme', async ({ page }, info) => {
  await open(page, 'decks');
  await page.getByTestId('import-file').setInputFiles(withNightRule(info.outputPath('night.apkg')));
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await open(page, 'today');
  await page.getByTestId('start-review').click();
  const word = '[data-testid="card-front"] .front-container .word';
  await expect(page.locator(word)).toBeVisible();
  expect(await style(page, word, 'color')).toBe('rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
  expect(await style(page, word, 'color')).toBe('rgb(255, 200, 0)');
  await page.getByTestId('card-front').screenshot({ path: join(screenshots, 'anki-notetype-front-dark.png') });
});

/** The card of the word Africa in the browser (another word's example sentence mentions it too). */
async function openAfrica(page: Page): Promise<void> {
  await page.getByTestId('browse-search').fill(`deck:"${deck}" Africa`);
  await page.getByTestId('browse-row').filter({ has: page.locator('.cell-front', { hasText: /^Africa$/ }) }).dblclick();
}

test('the editor edits the fields, previews the card through the template, and keeps the note type', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await open(page, 'browse');
  await openAfrica(page);
  await expect(page.getByTestId('editor-anki')).toBeVisible();
  await expect(page.getByTestId('editor-anki-answer').locator('.source-tag')).toHaveText('7年级 2学期 1单元');
  // The unit field (the ninth): the preview follows the edit.
  const unit = page.getByTestId('editor-anki-field-8');
  await expect(unit).toHaveValue('1');
  await unit.fill('3');
  await expect(page.getByTestId('editor-anki-answer').locator('.source-tag')).toHaveText('7年级 2学期 3单元');
  await page.getByTestId('editor-anki').screenshot({ path: join(screenshots, 'anki-notetype-editor.png') });
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('browse-search')).toBeVisible();
  await openAfrica(page);
  await expect(page.getByTestId('editor-anki-field-8')).toHaveValue('3');
  await expect(page.getByTestId('editor-anki-question').locator('.word')).toHaveText('Africa');
});
