import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ensureRenderer, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';

// Prove it on the browser host (experiments on Dawn + SwiftShader in the host's worker thread):
// every question card of the built-in deck is revealed, its experiment run from the answer, with
// progress, then a verdict and a chart; after a reload the runs are in the history. Then
// screenshots of an answer with its evidence in Korean and English (and dark).

const screenshots = join(repoRoot, 'test-results', 'screenshots');
const hosts: RunningHost[] = [];

test.describe.configure({ mode: 'serial' });
test.beforeAll(() => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
});
test.afterAll(async () => {
  for (const host of hosts) {
    await host.stop('SIGTERM');
    removeDataDir(host.dataDir);
  }
});

async function openPage(browser: Browser, locale: 'en-US' | 'ko-KR', colorScheme: 'light' | 'dark' = 'light', height = 900): Promise<Page> {
  // The review screen scrolls inside its own pane, so a screenshot shows the whole answer and its
  // evidence only with a viewport that tall.
  const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1280, height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

/** Runs the experiment of the answer on screen and waits for its evidence. */
async function proveIt(page: Page): Promise<string> {
  const button = page.getByTestId('prove-it');
  await expect(button).toBeVisible();
  await button.click();
  await expect(page.getByTestId('experiment-progress')).toBeVisible();
  const verdict = page.getByTestId('experiment-verdict');
  await expect(verdict).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('experiment-chart').first()).toBeVisible();
  // The chart is drawn (ECharts SVG with paths), not an empty box.
  await expect(page.getByTestId('experiment-chart').first().locator('svg path').first()).toBeAttached();
  return (await verdict.innerText()).trim();
}

function runsIn(dataDir: string): { experiment_id: string; status: string; note_id: number | null; holds: number | null }[] {
  const db = new Database(join(dataDir, 'proofdeck.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(`SELECT experiment_id, status, note_id, json_extract(result, '$.verdict.holds') AS holds FROM experiment_runs ORDER BY id`)
      .all() as { experiment_id: string; status: string; note_id: number | null; holds: number | null }[];
  } finally {
    db.close();
  }
}

test('every question card of the built-in deck proves its answer; the runs are kept', async ({ browser }) => {
  test.setTimeout(30 * 60_000);
  const host = await startHost();
  hosts.push(host);
  const page = await openPage(browser, 'en-US');
  await page.goto(host.url);
  await page.getByTestId('start-review').click({ timeout: 30_000 });
  const proven: { question: string; verdict: string }[] = [];
  let cards = 0;
  for (;;) {
    const front = page.getByTestId('card-front');
    const summary = page.getByTestId('session-summary');
    await expect(front.or(summary)).toBeVisible();
    if (await summary.isVisible()) break;
    cards++;
    const question = (await front.innerText()).trim().split('\n')[0];
    await page.getByTestId('show-answer').click();
    await expect(page.getByTestId('card-back')).toBeVisible();
    // Every question card is linked to the experiment that backs it.
    const verdict = await proveIt(page);
    expect(verdict.length).toBeGreaterThan(20);
    proven.push({ question, verdict });
    console.log(`[${cards}] ${question.slice(0, 70)} → ${verdict.split('\n')[0]}`);
    // Easy: the card leaves today's queue, so the loop visits each card once.
    await page.getByTestId('grade-4').click();
    await expect(page.getByTestId('card-back')).toBeHidden();
  }
  expect(cards).toBeGreaterThanOrEqual(10);
  expect(proven).toHaveLength(cards);

  const runs = runsIn(host.dataDir);
  expect(runs).toHaveLength(cards);
  expect(runs.every((run) => run.status === 'done' && run.note_id !== null)).toBe(true);
  const experiments = new Set(runs.map((run) => run.experiment_id));
  expect([...experiments].sort()).toEqual(['flash-backward', 'flash-exact', 'flash-vs-naive', 'kv-cache-memory', 'kv-cache-speed', 'kv-flash-synergy']);
  console.log(`verdicts: ${runs.map((run) => `${run.experiment_id}=${run.holds ? 'holds' : 'does not hold'}`).join(', ')}`);

  // After a reload the runs are in the history: the Lab lists them per experiment.
  await page.reload();
  await page.getByTestId('nav-lab').click({ timeout: 20_000 });
  await page.locator('[data-experiment="flash-exact"]').click({ timeout: 20_000 });
  const history = page.getByTestId('experiment-history');
  await expect(history.locator('li')).toHaveCount(runs.filter((run) => run.experiment_id === 'flash-exact').length);
  await expect(history).toContainText(/SwiftShader/);
  // Two runs compared side by side.
  await history.locator('input[type=checkbox]').nth(0).check({ timeout: 20_000 });
  await history.locator('input[type=checkbox]').nth(1).check({ timeout: 20_000 });
  await expect(page.getByTestId('experiment-compare')).toContainText('flashMaxRelativeError');
  await page.screenshot({ path: join(screenshots, 'lab-compare-en.png'), fullPage: true });
  await page.context().close();
});

for (const [locale, tag, scheme] of [
  ['ko-KR', 'ko', 'light'],
  ['en-US', 'en', 'light'],
  ['en-US', 'en-dark', 'dark'],
] as const) {
  test(`an answer with its evidence, screenshot (${tag})`, async ({ browser }) => {
    test.setTimeout(6 * 60_000);
    const host = await startHost();
    hosts.push(host);
    const page = await openPage(browser, locale, scheme, 2300);
    await page.goto(host.url);
    await page.getByTestId('start-review').click();
    await page.getByTestId('show-answer').click();
    const verdict = await proveIt(page);
    if (locale === 'ko-KR') expect(verdict).toMatch(/[가-힣]/);
    await page.screenshot({ path: join(screenshots, `prove-it-answer-${tag}.png`), fullPage: true });
    // The card keeps its last result: reload, reveal again, and the evidence is there without a run.
    await page.reload();
    await page.getByTestId('start-review').click({ timeout: 20_000 });
    await page.getByTestId('show-answer').click({ timeout: 20_000 });
    await expect(page.getByTestId('experiment-verdict')).toContainText(verdict.split('\n').pop()!.slice(0, 40));
    await expect(page.getByTestId('experiment-history')).toHaveCount(1);
    await page.context().close();
  });
}
