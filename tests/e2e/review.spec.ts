import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ensureRenderer, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';

// The daily loop on the browser host, in Chromium, from the keyboard only: a fresh data directory
// shows the built-in deck due, five cards are answered, one is undone, the host is restarted on the
// same data, and the progress is still there. Then the rendering of math and diagrams, and
// screenshots of Today, a question and an answer in Korean and in English.

const screenshots = join(repoRoot, 'test-results', 'screenshots');
let host: RunningHost;
let dataDir: string;
let dueAtStart = 0;
let hostStartToFirstCardMs = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (dataDir) removeDataDir(dataDir);
});

async function openPage(browser: Browser, locale: 'en-US' | 'ko-KR'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function dueCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('due-count').textContent()) ?? '';
  const match = /\d+/.exec(text);
  if (!match) throw new Error(`due-count shows no number: '${text}'`);
  return Number(match[0]);
}

function revlog(): { rows: number; ratings: number[] } {
  const db = new Database(join(dataDir, 'proofdeck.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const ratings = (db.prepare('SELECT rating FROM revlog ORDER BY id').all() as { rating: number }[]).map((r) => r.rating);
    return { rows: ratings.length, ratings };
  } finally {
    db.close();
  }
}

/** Reveals and grades the card on screen with the keyboard; returns its question text. */
async function answerWithKeyboard(page: Page, grade: 1 | 2 | 3 | 4): Promise<string> {
  const front = page.getByTestId('card-front');
  await expect(front).toBeVisible();
  const question = (await front.innerText()).trim();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('card-back')).toBeVisible();
  await page.keyboard.press(String(grade));
  await expect(page.getByTestId('card-back')).toBeHidden();
  return question;
}

test('a fresh data dir shows the built-in deck due; the first card appears from the keyboard', async ({ browser }) => {
  // The tab is open before the host starts (a user's browser is already running).
  const page = await openPage(browser, 'en-US');
  host = await startHost();
  dataDir = host.dataDir;
  await page.goto(host.url);
  await expect(page.getByTestId('due-count')).toHaveText(/[1-9]/);
  dueAtStart = await dueCount(page);
  expect(dueAtStart).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('card-front')).toBeVisible();
  hostStartToFirstCardMs = performance.now() - host.spawnedAt;
  console.log(
    `host start → first card: ${hostStartToFirstCardMs.toFixed(0)} ms (host ready after ${(host.readyAt - host.spawnedAt).toFixed(0)} ms, ${dueAtStart} due)`,
  );
  await page.context().close();
});

test('five cards answered with the keyboard, one undone, progress kept across a restart', async ({ browser }) => {
  const page = await openPage(browser, 'en-US');
  await page.goto(host.url);
  await expect(page.getByTestId('due-count')).toHaveText(String(dueAtStart));
  await page.keyboard.press('Enter');
  // Grades whose next step is minutes away, so no answered card is due again during the test.
  const kept: (2 | 3 | 4)[] = [3, 4, 2, 3];
  for (const grade of kept) await answerWithKeyboard(page, grade);
  const fifth = await answerWithKeyboard(page, 1);
  await expect.poll(() => revlog().rows).toBe(5);

  await page.keyboard.press('u');
  // The undone card is asked again, and its answer is gone from the log.
  await expect(page.getByTestId('card-front')).toHaveText(fifth);
  await expect.poll(() => revlog().rows).toBe(4);
  expect(revlog().ratings).toEqual(kept);

  await page.keyboard.press('Escape');
  // Cards on a learning step minutes away (Hard, Good) stay in today's count, as Anki counts
  // them; only the Easy one, graduated to days away, left it.
  const stillDue = dueAtStart - kept.filter((grade) => grade === 4).length;
  await expect(page.getByTestId('due-count')).toHaveText(String(stillDue));
  await page.context().close();

  expect(await host.stop('SIGTERM')).toBe(0);
  host = await startHost({ dataDir, port: host.port });
  const after = await openPage(browser, 'en-US');
  await after.goto(host.url);
  await expect(after.getByTestId('due-count')).toHaveText(String(stillDue));
  await expect(after.getByTestId('reviewed-today')).toContainText('4');
  expect(revlog()).toEqual({ rows: 4, ratings: kept });
  await after.context().close();
});

for (const [locale, tag] of [
  ['ko-KR', 'ko'],
  ['en-US', 'en'],
] as const) {
  test(`screenshots of Today, a question and an answer (${tag})`, async ({ browser }) => {
    const page = await openPage(browser, locale);
    await page.goto(host.url);
    await expect(page.getByTestId('due-count')).toBeVisible();
    await page.screenshot({ path: join(screenshots, `today-${tag}.png`) });
    if ((await dueCount(page)) === 0) return;
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('card-front')).toBeVisible();
    await page.screenshot({ path: join(screenshots, `question-${tag}.png`) });
    await page.keyboard.press('Space');
    await expect(page.getByTestId('card-back')).toBeVisible();
    await page.waitForTimeout(300); // KaTeX fonts and Mermaid settle
    await page.screenshot({ path: join(screenshots, `answer-${tag}.png`) });
    await page.context().close();
  });
}

test('a math card shows KaTeX and the diagram card a Mermaid SVG', async ({ browser }) => {
  const page = await openPage(browser, 'en-US');
  await page.goto(host.url);
  // Lift today's new-card limit so the whole built-in deck can be walked.
  const token = await page.locator('meta[name="proofdeck-token"]').getAttribute('content');
  const reply = await page.request.post(`${host.url}api/call/settings.set`, {
    headers: { 'x-proofdeck-token': token ?? '' },
    data: { newPerDay: 9999 },
  });
  const raised = (await reply.json()) as { ok: boolean };
  expect(raised.ok).toBe(true);
  await page.reload();
  await expect(page.getByTestId('start-review')).toBeVisible();
  await page.keyboard.press('Enter');
  let sawMath = false;
  let sawDiagram = false;
  // Walk the queue (answering Good) until both kinds of card have been seen.
  for (let i = 0; i < 200 && !(sawMath && sawDiagram); i++) {
    // The next card, or the end of the session: wait for one of them before deciding.
    const summary = page.getByTestId('session-summary');
    await expect(page.getByTestId('card-front').or(summary)).toBeVisible();
    if (await summary.isVisible()) break;
    await page.keyboard.press('Space');
    const back = page.getByTestId('card-back');
    await expect(back).toBeVisible();
    const card = page.locator('.screen-review');
    if ((await card.locator('.katex').count()) > 0) {
      await expect(card.locator('.katex').first()).toBeVisible();
      sawMath = true;
    }
    if ((await card.locator('.mermaid-diagram').count()) > 0) {
      await expect(card.locator('.mermaid-diagram .mermaid-rendered svg').first()).toBeVisible();
      sawDiagram = true;
    }
    await page.keyboard.press('3');
    await expect(back).toBeHidden();
  }
  expect(sawMath, 'a card with KaTeX math').toBe(true);
  expect(sawDiagram, 'a card with a Mermaid diagram').toBe(true);
  await page.context().close();
});
