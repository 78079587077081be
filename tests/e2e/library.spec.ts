import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { openDatabase } from '../../electron/services/store/database';
import { ensureRenderer, freshDataDir, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';

// The library on the browser host, in Chromium: the card browser's search language on a seeded
// collection, an edit in the editor showing in review with the schedule kept, and the statistics
// charts in light and dark themes (screenshots under test-results/screenshots).

const DAY = 86_400_000;
const screenshots = join(repoRoot, 'test-results', 'screenshots');
let host: RunningHost;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

/** Cards with known answers to each filter, in a deck of their own beside the built-in one. */
function seed(file: string): void {
  const db = new Database(file);
  const now = Date.now();
  const deck = Number(db.prepare(`INSERT INTO decks (name, created, modified) VALUES ('Seeded::Search', ?, ?)`).run(now, now).lastInsertRowid);
  const note = db.prepare(`INSERT INTO notes (guid, deck_id, front, back, context, tags, created, modified) VALUES (?, ?, ?, ?, '', ?, ?, ?)`);
  const card = db.prepare(
    `INSERT INTO cards (note_id, due, stability, difficulty, scheduled_days, reps, lapses, state, last_review, suspended, new_position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const add = (guid: string, front: string, tags: string, c: [due: number, stability: number, ivl: number, lapses: number, state: number, lastReview: number | null, suspended: number]) => {
    const noteId = note.run(guid, deck, front, `answer of ${guid}`, tags, now, now).lastInsertRowid;
    const [due, stability, ivl, lapses, state, lastReview, suspended] = c;
    card.run(noteId, due, stability, state === 0 ? 0 : 5, ivl, state === 0 ? 0 : 4, lapses, state, lastReview, suspended);
  };
  add('seed-learning', 'Seeded learning card about prefill', 'exam', [now - 60_000, 0.4, 0, 0, 1, now - 600_000, 0]);
  add('seed-mature', 'Seeded mature card about tiling', 'exam flash', [now + 20 * DAY, 80, 30, 5, 2, now - 10 * DAY, 0]);
  add('seed-forgotten', 'Seeded forgotten card about HBM', 'flash', [now - 2 * DAY, 6, 12, 1, 2, now - 30 * DAY, 0]);
  add('seed-suspended', 'Seeded suspended card', 'misc', [now - DAY, 4, 4, 0, 2, now - 5 * DAY, 1]);
  add('seed-korean', '시드 카드: 캐시 메모리', 'ko', [now, 0, 0, 0, 0, null, 0]);
  const revlog = db.prepare(
    `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms)
     VALUES (?, (SELECT id FROM cards LIMIT 1), ?, 2, 0, 5, 5, ?, 0, 1, 0, ?)`,
  );
  for (let i = 0; i < 120; i++) revlog.run(now - (i % 60) * DAY - i * 1000, i % 7 === 0 ? 1 : 3, i % 40, 8000 + (i % 5) * 1000);
  // More than one page of the browser (200 rows): cards due in a hundred days, out of today's way.
  const bulkDeck = Number(db.prepare(`INSERT INTO decks (name, created, modified) VALUES ('Bulk::Seeded', ?, ?)`).run(now, now).lastInsertRowid);
  for (let i = 0; i < 300; i++) {
    const noteId = note.run(`seed-bulk-${i}`, bulkDeck, `Bulk card ${i}`, 'answer', 'bulk', now, now).lastInsertRowid;
    card.run(noteId, now + 100 * DAY, 50, 5, 100, 3, 0, 2, now - DAY, 0);
  }
  // A cloze note (two cards) in a deck of its own.
  const clozeDeck = Number(db.prepare(`INSERT INTO decks (name, created, modified) VALUES ('Cloze::Seeded', ?, ?)`).run(now, now).lastInsertRowid);
  const clozeNote = db
    .prepare(`INSERT INTO notes (guid, deck_id, front, back, context, tags, kind, created, modified) VALUES ('seed-cloze', ?, ?, '', '', '', 'cloze', ?, ?)`)
    .run(clozeDeck, 'Scores {{c1::$S = QK^\\top$}} then {{c2::softmax::a normaliser}}', now, now).lastInsertRowid;
  for (const ord of [0, 1]) {
    db.prepare(`INSERT INTO cards (note_id, ord, due, stability, difficulty, scheduled_days, reps, lapses, state, suspended, new_position) VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0)`).run(clozeNote, ord, now);
  }
  db.close();
}

test.beforeAll(async () => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
  dataDir = freshDataDir();
  // The app's own store creates and migrates the database; the host adds the built-in deck.
  openDatabase(join(dataDir, 'proofdeck.sqlite')).close();
  seed(join(dataDir, 'proofdeck.sqlite'));
  host = await startHost({ dataDir });
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (dataDir) removeDataDir(dataDir);
});

async function openBrowse(browser: Browser, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('due-count')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('b');
  await expect(page.getByTestId('browse-search')).toBeVisible();
  return page;
}

async function searchFor(page: Page, query: string): Promise<string[]> {
  await page.getByTestId('browse-search').fill(query);
  // The count updates once the debounced search has answered.
  await expect(async () => {
    const rows = await page.getByTestId('browse-row').count();
    const total = Number(/\d+/.exec((await page.getByTestId('browse-total').textContent()) ?? '')?.[0]);
    expect(rows).toBe(total);
  }).toPass();
  await page.waitForTimeout(300);
  return (await page.getByTestId('browse-row').locator('.cell-front').allInnerTexts()).sort();
}

test('the search language finds the right cards', async ({ browser }) => {
  const page = await openBrowse(browser);
  const all = ['Seeded forgotten card about HBM', 'Seeded learning card about prefill', 'Seeded mature card about tiling', 'Seeded suspended card', '시드 카드: 캐시 메모리'];
  expect(await searchFor(page, 'deck:Seeded::Search')).toEqual(all);
  expect(await searchFor(page, 'deck:Seeded* tag:exam')).toEqual(['Seeded learning card about prefill', 'Seeded mature card about tiling']);
  expect(await searchFor(page, 'deck:Seeded* is:learn')).toEqual(['Seeded learning card about prefill']);
  expect(await searchFor(page, 'deck:Seeded* is:new')).toEqual(['시드 카드: 캐시 메모리']);
  expect(await searchFor(page, 'deck:Seeded* is:review')).toEqual(['Seeded forgotten card about HBM', 'Seeded mature card about tiling', 'Seeded suspended card']);
  expect(await searchFor(page, 'deck:Seeded* is:due')).toEqual(['Seeded forgotten card about HBM', 'Seeded learning card about prefill']);
  expect(await searchFor(page, 'is:suspended')).toEqual(['Seeded suspended card']);
  expect(await searchFor(page, 'deck:Seeded* prop:ivl>=10')).toEqual(['Seeded forgotten card about HBM', 'Seeded mature card about tiling']);
  expect(await searchFor(page, 'prop:lapses>3')).toEqual(['Seeded mature card about tiling']);
  expect(await searchFor(page, 'deck:Seeded* prop:r<0.9')).toEqual(['Seeded forgotten card about HBM', 'Seeded suspended card']);
  expect(await searchFor(page, '캐시 deck:Seeded*')).toEqual(['시드 카드: 캐시 메모리']);
  expect(await searchFor(page, 'deck:Seeded* -tag:flash -is:new')).toEqual(['Seeded learning card about prefill', 'Seeded suspended card']);
  // The built-in deck is searchable in both of its languages.
  expect((await searchFor(page, 'tag:kv-cache')).length).toBeGreaterThan(0);
  await page.getByTestId('browse-search').fill('deck:Seeded*');
  await expect(page.getByTestId('browse-row')).toHaveCount(5);
  await page.screenshot({ path: join(screenshots, 'browse-en.png') });
});

test('at 1280 px every column shows; scrolled sideways, the header stays over its column', async ({ browser }) => {
  const page = await openBrowse(browser);
  await searchFor(page, 'deck:Seeded*');
  const body = page.getByTestId('browse-body');
  const bodyBox = (await body.boundingBox())!;
  // What is visible of the rows, without the vertical scroll bar.
  const visibleRight = bodyBox.x + (await body.evaluate((element) => element.clientWidth));
  for (const column of ['r', 'lapses']) {
    const header = (await page.getByTestId(`browse-sort-${column}`).boundingBox())!;
    expect(header.x + header.width).toBeLessThanOrEqual(visibleRight + 1);
  }
  expect(await body.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(1);
  // A narrower window: the table scrolls sideways, and the header with it.
  await page.setViewportSize({ width: 900, height: 820 });
  await body.evaluate((element) => element.scrollTo({ left: 240 }));
  await expect.poll(() => body.evaluate((element) => element.scrollLeft)).toBeGreaterThan(100);
  for (const column of ['stability', 'r', 'lapses']) {
    const header = (await page.getByTestId(`browse-sort-${column}`).boundingBox())!;
    const cell = (await page.getByTestId('browse-row').first().locator(`.cell-${column}`).boundingBox())!;
    expect(Math.abs(header.x - cell.x)).toBeLessThan(1);
    expect(Math.abs(header.width - cell.width)).toBeLessThan(1);
  }
  await page.screenshot({ path: join(screenshots, 'browse-scrolled-sideways.png') });
  await page.context().close();
});

test('Ctrl+A selects every card the search matches; a new search starts a new selection; shift-click selects cards, not text', async ({ browser }) => {
  const page = await openBrowse(browser);
  await page.getByTestId('browse-search').fill('');
  await expect(page.getByTestId('browse-total')).toHaveText(/\d+ cards/);
  await page.waitForTimeout(400);
  const total = Number(/[\d,]+/.exec((await page.getByTestId('browse-total').textContent()) ?? '')![0].replace(/,/g, ''));
  // More than one page of 200: select-all must not stop at what is loaded.
  expect(total).toBeGreaterThan(200);
  await page.getByTestId('browse-body').focus();
  await page.keyboard.press('Control+a');
  await expect(page.locator('.browse-count strong')).toHaveText(` · ${total.toLocaleString('en-US')} selected`);
  await page.getByTestId('browse-search').fill('deck:Seeded*');
  await expect(page.getByTestId('browse-row')).toHaveCount(5);
  await expect(page.locator('.browse-count strong')).toHaveCount(0);
  const rows = page.getByTestId('browse-row');
  await rows.nth(0).click();
  await rows.nth(3).click({ modifiers: ['Shift'] });
  await expect(page.locator('.browse-count strong')).toHaveText(' · 4 selected');
  expect(await page.evaluate('String(window.getSelection())')).toBe('');
  // The notice of a bulk action leaves the table alone (it sits over the navigation's foot).
  await page.getByTestId('bulk-tag-input').fill('noticed');
  await page.getByTestId('bulk-tag').click();
  const notice = page.locator('.notice').last();
  await expect(notice).toContainText('4 cards');
  const [noticeBox, tableBox] = [(await notice.boundingBox())!, (await page.locator('.browse-table').boundingBox())!];
  expect(noticeBox.x + noticeBox.width <= tableBox.x || noticeBox.y >= tableBox.y + tableBox.height).toBe(true);
  await page.context().close();
});

test('Browse shows a note in the UI language where it has a translation, and a cloze card as the review asks it', async ({ browser }) => {
  for (const [locale, hangul] of [
    ['en-US', false],
    ['ko-KR', true],
  ] as const) {
    const page = await openBrowse(browser, locale);
    const fronts = await searchFor(page, 'tag:kv-cache');
    expect(fronts.length).toBeGreaterThan(0);
    const withHangul = fronts.filter((front) => /[가-힣]/.test(front)).length;
    if (hangul) expect(withHangul).toBe(fronts.length);
    else expect(withHangul).toBe(0);
    // The editor opens the note as Browse showed it, the other language a click away.
    await page.getByTestId('browse-row').first().dblclick();
    const front = page.getByTestId('editor-front');
    await expect(front).toBeVisible();
    expect(/[가-힣]/.test(await front.inputValue())).toBe(hangul);
    if (!hangul) {
      await expect(page.getByTestId('editor-languages')).toBeVisible();
      await page.getByTestId('editor-edition-original').check();
      expect(/[가-힣]/.test(await front.inputValue())).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('browse-search')).toBeVisible();
    expect(await searchFor(page, 'deck:Cloze::Seeded')).toEqual(['[c1] Scores […] then softmax', '[c2] Scores $S = QK^\\top$ then [a normaliser]']);
    await page.context().close();
  }
});

test('an edit in the editor shows in review and keeps the due date', async ({ browser }) => {
  const page = await openBrowse(browser);
  const file = join(dataDir, 'proofdeck.sqlite');
  const schedule = () => {
    const db = new Database(file, { readonly: true });
    const row = db.prepare(`SELECT c.due, c.stability, c.state FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'seed-learning'`).get();
    db.close();
    return row;
  };
  const before = schedule();
  await searchFor(page, 'prefill deck:Seeded*');
  // Keyboard only: into the table, open the card under the cursor.
  await page.getByTestId('browse-search').press('Enter');
  await page.keyboard.press('Enter');
  const front = page.getByTestId('editor-front');
  await expect(front).toHaveValue('Seeded learning card about prefill');
  await front.fill('Edited: why does $O(N^2)$ memory vanish with tiling?');
  await expect(page.getByTestId('editor-preview-front').locator('.katex')).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'editor-en.png') });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('browse-search')).toBeVisible();
  expect(schedule()).toEqual(before);
  await page.keyboard.press('Escape');
  // The learning card is due now, so review shows it first, with the new text.
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(page.getByTestId('start-review')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('card-front')).toContainText('Edited: why does');
  await expect(page.getByTestId('card-front').locator('.katex')).toBeVisible();
});

test('saving a new card says it was added, not that it keeps a schedule', async ({ browser }) => {
  const page = await openBrowse(browser);
  await page.getByTestId('browse-add').click();
  await page.getByTestId('editor-front').fill('A card made in the editor?');
  await page.getByTestId('editor-back').fill('Yes.');
  await page.keyboard.press('Control+s');
  const notice = page.locator('.notice').last();
  await expect(notice).toContainText('Card added to');
  await expect(notice).not.toContainText('keeps its schedule');
  await page.context().close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`statistics charts render (${scheme})`, async ({ browser }) => {
    const context = await browser.newContext({ locale: scheme === 'dark' ? 'ko-KR' : 'en-US', colorScheme: scheme, viewport: { width: 1280, height: 1500 } });
    const page = await context.newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('due-count')).toBeVisible();
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    for (const id of ['stats-heatmap', 'stats-forecast', 'stats-daily', 'stats-time', 'stats-stability', 'stats-difficulty']) {
      await expect(page.getByTestId(id).locator('svg path').first()).toBeAttached();
    }
    await expect(page.getByTestId('retention-all')).toContainText('%');
    await page.screenshot({ path: join(screenshots, `stats-${scheme}.png`), fullPage: true });
  });
}

test('the browser scrolls 100,000 cards keeping only the visible rows in the page', async ({ browser }) => {
  const { generateCollection } = await import('../../bench/support/collection');
  const bigDir = freshDataDir();
  // A heavy user's collection (the app's migrations, generated rows); the host adds the built-in deck.
  generateCollection(join(bigDir, 'proofdeck.sqlite'), 100_000, 10_000).close();
  const big = await startHost({ dataDir: bigDir });
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    await page.goto(big.url);
    await expect(page.getByTestId('due-count')).toBeVisible();
    await page.keyboard.press('g');
    await page.keyboard.press('b');
    // The generated 100,000 plus the built-in deck loaded at start.
    await expect(page.getByTestId('browse-total')).toContainText(/100,0\d\d cards/);
    const body = page.getByTestId('browse-body');
    await body.focus();
    // Scroll through the whole list and measure the gaps between frames while it happens.
    // (A string, evaluated in the page: this file is type-checked without the DOM library.)
    const frames = (await page.evaluate(`(async () => {
      const element = document.querySelector('[data-testid="browse-body"]');
      const gaps = [];
      let last = performance.now();
      const step = element.scrollHeight / 60;
      for (let i = 1; i <= 60; i++) {
        element.scrollTop = step * i;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      gaps.sort((a, b) => a - b);
      return { median: gaps[30], p95: gaps[57], rows: element.querySelectorAll('[role="row"]').length };
    })()`)) as { median: number; p95: number; rows: number };
    console.log(`browse 100,000 cards: frame gap while scrolling median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms; ${frames.rows} rows in the page`);
    expect(frames.rows).toBeLessThan(120);
    await page.keyboard.press('End');
    const lastRow = page.locator('[data-testid="browse-row"]').last();
    await expect(lastRow).toBeVisible();
    expect(Number(await lastRow.getAttribute('aria-rowindex'))).toBeGreaterThan(100_000);
  } finally {
    await big.stop('SIGTERM');
    removeDataDir(bigDir);
  }
});
