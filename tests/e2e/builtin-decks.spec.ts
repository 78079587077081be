import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { syncBuiltinDecks } from '../../electron/services/decks/builtin';
import { openDatabase } from '../../electron/services/store/database';
import { freshDataDir, repoRoot, startHost, type RunningHost } from './support/host';
import { hostsForFile } from './support/shared-host';

// The second built-in deck in review, in Chromium, in each language: every card of it is walked
// with the answer shown; every formula renders (no KaTeX error, no stray $), every diagram is
// drawn by Mermaid as SVG (Korean labels included), and every answer shows its source line.
// A screenshot of the block-table card in each language under test-results/screenshots.

const { hosts, screenshots } = hostsForFile();

/** A host whose review queue holds only the llm-serving deck, every card of it new today. */
async function servingDeckHost(): Promise<{ host: RunningHost; cards: number }> {
  const dataDir = freshDataDir();
  const file = join(dataDir, 'proofdeck.sqlite');
  const store = openDatabase(file);
  syncBuiltinDecks(store, join(repoRoot, 'resources'));
  store.close();
  const db = new Database(file);
  db.prepare(`UPDATE cards SET suspended = 1 WHERE note_id IN (SELECT id FROM notes WHERE guid NOT LIKE 'llm-serving:%')`).run();
  const cards = db.prepare(`SELECT COUNT(*) FROM cards WHERE suspended = 0`).pluck().get() as number;
  db.close();
  const host = await startHost({ dataDir });
  hosts.push(host);
  return { host, cards };
}

async function walkDeck(browser: Browser, locale: 'ko-KR' | 'en-US', sourcePrefix: string, diagramLabel: string): Promise<void> {
  const { host, cards } = await servingDeckHost();
  expect(cards).toBeGreaterThanOrEqual(35);
  // The review screen scrolls inside its own pane: a viewport this tall shows a whole answer.
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 2000 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(host.url);
  // Lift today's new-card limit so the whole deck can be walked.
  const token = await page.locator('meta[name="proofdeck-token"]').getAttribute('content');
  const reply = await page.request.post(`${host.url}api/call/settings.set`, { headers: { 'x-proofdeck-token': token ?? '' }, data: { newPerDay: 9999 } });
  expect(((await reply.json()) as { ok: boolean }).ok).toBe(true);
  await page.reload();
  await page.getByTestId('start-review').click();

  let walked = 0;
  let diagrams = 0;
  const labels: string[] = [];
  for (;;) {
    const front = page.getByTestId('card-front');
    const summary = page.getByTestId('session-summary');
    await expect(front.or(summary)).toBeVisible();
    if (await summary.isVisible()) break;
    walked++;
    await page.keyboard.press('Space');
    const back = page.getByTestId('card-back');
    await expect(back).toBeVisible();
    const question = (await front.innerText()).split('\n')[0];
    await expect(back, question).toContainText(sourcePrefix);
    const card = page.locator('.screen-review');
    await expect(card.locator('.katex-error'), question).toHaveCount(0);
    expect(await card.innerText(), question).not.toMatch(/\$/);
    const placeholders = card.locator('.mermaid-diagram');
    for (let index = 0; index < (await placeholders.count()); index++) {
      const diagram = placeholders.nth(index);
      await expect(diagram, question).toHaveAttribute('data-state', 'rendered');
      await expect(diagram.locator('.mermaid-rendered svg'), question).toBeVisible();
      const label = await diagram.locator('.mermaid-rendered').innerText();
      labels.push(label);
      diagrams++;
      if (label.includes(diagramLabel)) await page.screenshot({ path: join(screenshots, `llm-serving-block-table-${locale.slice(0, 2)}.png`) });
    }
    // Easy: the card leaves today's queue, so the walk visits each card once.
    await page.keyboard.press('4');
    await expect(back).toBeHidden();
  }
  expect(walked).toBe(cards);
  expect(diagrams).toBe(3);
  expect(labels.join('\n')).toContain(diagramLabel);
  await context.close();
}

test('the llm-serving deck in Korean: every formula and diagram renders, every answer shows its source', async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  await walkDeck(browser, 'ko-KR', '출처:', '블록 테이블');
});

test('the llm-serving deck in English: every formula and diagram renders, every answer shows its source', async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  await walkDeck(browser, 'en-US', 'Source:', 'Block table');
});
