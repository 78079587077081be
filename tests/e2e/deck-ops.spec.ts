import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ensureRenderer, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';
import { callHostApi } from './support/api';

// Decks as in Anki, in Chromium on the browser host: a deck is created and nested with `::`, a
// built-in deck moved under it from the keyboard, a deck renamed to another parent and the top
// one renamed with its subdecks; bad names are refused where they are typed. The tree's counts
// include the subdecks, a subtree is studied alone, and a delete names its cards first. Then the
// operations are undone from the keyboard, several steps deep and after a restart, and redone.
// Screenshots of the tree in English and Korean: test-results/screenshots/deck-ops/.

let host: RunningHost;
const shots = join(repoRoot, 'test-results', 'screenshots', 'deck-ops');
const kv = 'KV-cache & Flash-Attention';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  ensureRenderer();
  mkdirSync(shots, { recursive: true });
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (host) removeDataDir(host.dataDir);
});

async function openDecks(browser: Browser, locale: 'en-US' | 'ko-KR' = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(`${host.url}#/decks`);
  await expect(page.getByTestId('decks-screen')).toBeVisible();
  return page;
}

interface Deck {
  id: number;
  name: string;
  cards: number;
  new: number;
  learning: number;
  review: number;
}
async function callApi<T>(page: Page, method: string, args: object = {}): Promise<T> {
  return callHostApi<T>(page, host.url, method, args);
}
const decks = (page: Page) => callApi<Deck[]>(page, 'decks.list');
const row = (page: Page, name: string) => page.locator(`[data-testid="deck-row"][data-deck="${name}"]`);
const notice = (page: Page) => page.locator('.notice').last();

/** Types a deck name into the open form and submits it with Enter. */
async function typeName(page: Page, name: string) {
  const input = page.getByTestId('deck-name-input');
  await input.fill(name);
  await input.press('Enter');
}

test('create, nest, rename, move and delete decks; study a subtree; undo and redo from the keyboard across a restart', async ({ browser }) => {
  const page = await openDecks(browser);
  const kvCards = (await decks(page)).find((d) => d.name === kv)!.cards;
  expect(kvCards).toBeGreaterThan(0);

  // Create, then nest a second deck under it with `::`.
  await page.getByTestId('deck-create').click();
  await typeName(page, 'Interview');
  await expect(row(page, 'Interview')).toHaveAttribute('data-depth', '0');
  await page.getByTestId('deck-create').click();
  await typeName(page, ' Interview :: Drafts ');
  const drafts = row(page, 'Interview::Drafts');
  await expect(drafts).toHaveAttribute('data-depth', '1');
  await expect(drafts.getByTestId('deck-show')).toHaveText('Drafts');

  // Bad names are refused where they are typed, and nothing changes.
  const before = JSON.stringify(await decks(page));
  await page.getByTestId('deck-create').click();
  await typeName(page, 'interview');
  await expect(page.getByTestId('deck-op-error')).toHaveText(/There is already a deck named “Interview”/);
  await typeName(page, 'Interview::');
  await expect(page.getByTestId('deck-op-error')).toHaveText(/A deck name needs text/);
  await page.getByTestId('deck-name-input').press('Escape');
  await expect(page.getByTestId('deck-new-form')).toHaveCount(0);
  expect(JSON.stringify(await decks(page))).toBe(before);

  // Move the built-in deck under Interview, from the keyboard.
  await row(page, kv).getByTestId('deck-move').focus();
  await page.keyboard.press('Enter');
  const target = page.getByTestId('deck-move-target');
  await expect(target).toBeFocused();
  await expect(target.locator('option')).toContainText(['(top level)', 'Interview', 'Interview::Drafts']);
  await target.selectOption({ label: 'Interview' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const moved = row(page, `Interview::${kv}`);
  await expect(moved).toHaveAttribute('data-depth', '1');
  await expect(row(page, kv)).toHaveCount(0);

  // Moving a deck under its own subdeck is refused, with the reason.
  await row(page, 'Interview').getByTestId('deck-rename').click();
  await typeName(page, 'Interview::Drafts::Interview');
  await expect(page.getByTestId('deck-op-error')).toHaveText(/cannot go under “Interview::Drafts”/);
  await page.getByTestId('deck-name-input').press('Escape');

  // A rename that changes the parent moves the deck (and makes the parent); the top deck's rename takes its subdecks along.
  await drafts.getByTestId('deck-rename').click();
  await typeName(page, 'Prep::Drafts');
  await expect(row(page, 'Prep::Drafts')).toHaveAttribute('data-depth', '1');
  await expect(row(page, 'Prep')).toHaveAttribute('data-depth', '0');
  await row(page, 'Interview').getByTestId('deck-rename').click();
  await typeName(page, 'Interview Prep');
  await expect(row(page, `Interview Prep::${kv}`)).toBeVisible();
  await expect(row(page, 'Interview')).toHaveCount(0);

  // The parent counts its subdecks', as Today does.
  const list = await decks(page);
  const top = list.find((d) => d.name === 'Interview Prep')!;
  const child = list.find((d) => d.name === `Interview Prep::${kv}`)!;
  expect({ cards: top.cards, new: top.new, learning: top.learning, review: top.review }).toEqual({ cards: child.cards, new: child.new, learning: child.learning, review: child.review });
  await expect(row(page, 'Interview Prep').getByTestId('deck-new')).toHaveText(String(child.new));

  // The tree from the keyboard: ← folds, → unfolds, ↓ goes to the subdeck.
  const topName = row(page, 'Interview Prep').getByTestId('deck-show');
  await topName.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(row(page, `Interview Prep::${kv}`)).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(row(page, `Interview Prep::${kv}`)).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, `Interview Prep::${kv}`).getByTestId('deck-show')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(topName).toBeFocused();
  await page.screenshot({ path: join(shots, 'en-tree.png'), fullPage: true });

  // Study the subtree: its cards only, with its counts.
  await row(page, 'Interview Prep').getByTestId('deck-study').click();
  await expect(page.getByTestId('card-front')).toBeVisible();
  await expect(page.locator('.deck-name')).toHaveText(`Interview Prep::${kv}`);
  await expect(page.getByTestId('queue-counts')).toHaveText(`${top.learning}${top.review}${top.new}`);
  await page.getByRole('link', { name: 'Decks' }).click();

  // Delete: the confirmation names the cards and the subdecks first.
  await row(page, 'Interview Prep').getByTestId('deck-delete').click();
  const confirm = page.getByTestId('deck-delete-confirm');
  await expect(confirm).toContainText(`Delete “Interview Prep” with its ${kvCards} cards and their review history? Its subdeck goes with it.`);
  await page.getByTestId('deck-op-submit').press('Enter');
  await expect(row(page, 'Interview Prep')).toHaveCount(0);
  await expect(row(page, `Interview Prep::${kv}`)).toHaveCount(0);
  await expect(notice(page)).toContainText(`Deleted “Interview Prep” (${kvCards} cards).`);

  // Undo from the keyboard, several steps deep.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('u');
  await expect(notice(page)).toContainText(`Undone: delete deck Interview Prep (${kvCards} cards)`);
  await expect(row(page, `Interview Prep::${kv}`)).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(notice(page)).toContainText('Undone: rename deck to Interview Prep');
  await expect(row(page, `Interview::${kv}`)).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(notice(page)).toContainText('Undone: rename deck to Prep::Drafts');
  await expect(row(page, 'Interview::Drafts')).toBeVisible();
  await expect(row(page, 'Prep')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(notice(page)).toContainText('Redone: rename deck to Prep::Drafts');
  await expect(row(page, 'Prep::Drafts')).toBeVisible();
  await page.context().close();

  // After a restart the history is still there.
  expect(await host.stop('SIGTERM')).toBe(0);
  host = await startHost({ dataDir: host.dataDir, port: host.port });
  const after = await openDecks(browser);
  await after.locator('body').click({ position: { x: 5, y: 5 } });
  await after.keyboard.press('u');
  await expect(notice(after)).toContainText('Undone: rename deck to Prep::Drafts');
  await after.keyboard.press('u');
  await expect(notice(after)).toContainText(`Undone: move deck to Interview::${kv}`);
  await expect(row(after, kv)).toHaveAttribute('data-depth', '0');
  await after.keyboard.press('Control+y');
  await expect(notice(after)).toContainText(`Redone: move deck to Interview::${kv}`);
  await expect(row(after, `Interview::${kv}`)).toHaveAttribute('data-depth', '1');
  await after.context().close();
});

test('the tree in Korean: nested names, the operations and a refused name in Korean', async ({ browser }) => {
  const page = await openDecks(browser, 'ko-KR');
  await callApi(page, 'settings.set', { locale: 'ko' });
  await page.reload();
  await expect(page.getByRole('heading', { name: '덱', exact: true })).toBeVisible();
  await page.getByTestId('deck-create').click();
  await typeName(page, '면접::서빙');
  await expect(row(page, '면접::서빙')).toHaveAttribute('data-depth', '1');
  await expect(notice(page)).toContainText('“면접::서빙” 덱을 만들었습니다.');
  await page.getByTestId('deck-create').click();
  await typeName(page, '면접');
  await expect(page.getByTestId('deck-op-error')).toHaveText(/“면접” 덱이 이미 있습니다/);
  await page.getByTestId('deck-name-input').press('Escape');
  await row(page, '면접').getByTestId('deck-delete').click();
  await expect(page.getByTestId('deck-delete-confirm')).toContainText('“면접” 덱을 카드 0장과 복습 기록까지 삭제할까요? 하위 덱 1개도 함께 삭제됩니다.');
  await page.screenshot({ path: join(shots, 'ko-tree.png'), fullPage: true });
  await page.getByTestId('deck-op-submit').click();
  await expect(row(page, '면접')).toHaveCount(0);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('u');
  await expect(notice(page)).toContainText('되돌렸습니다: 덱 면접 삭제 (카드 0장)');
  await expect(row(page, '면접::서빙')).toBeVisible();
  await callApi(page, 'settings.set', { locale: 'en' });
  await page.context().close();
});
