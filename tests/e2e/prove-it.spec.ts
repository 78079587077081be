import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startHost } from './support/host';
import { hostsForFile } from './support/shared-host';

// Prove it on the browser host (experiments on Dawn + SwiftShader in the host's worker thread):
// every question card of the built-in deck is revealed, its experiment run from the answer, with
// progress beside the button, then one of three outcomes, the control arm and a chart; after a
// reload the runs are in the history, the card's as in the Lab. Then screenshots of an answer
// with its evidence in Korean and English, light and dark.

const { hosts, screenshots } = hostsForFile();

async function openPage(browser: Browser, locale: 'en-US' | 'ko-KR', colorScheme: 'light' | 'dark' = 'light', height = 900): Promise<Page> {
  // The review screen scrolls inside its own pane, so a screenshot shows the whole answer and its
  // evidence only with a viewport that tall.
  const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1280, height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

const outcomes = ['holds', 'does-not-hold', 'not-shown'];

/** The progress is where the user clicked: on screen, above the grade bar, without scrolling. */
async function expectProgressInView(page: Page): Promise<void> {
  const progress = page.getByTestId('experiment-progress');
  await expect(progress).toBeVisible({ timeout: 5_000 });
  await expect(progress).toBeInViewport({ ratio: 1, timeout: 5_000 });
  // Clear of the sticky grade bar once the (smooth) scroll has settled.
  await expect
    .poll(async () => {
      const box = await progress.boundingBox();
      const bar = await page.locator('.answer-bar').boundingBox();
      return Boolean(box && bar && box.y + box.height <= bar.y);
    }, { timeout: 5_000 })
    .toBe(true);
}

/** Runs the experiment of the answer on screen and waits for its outcome, control and chart. */
async function proveIt(page: Page): Promise<{ text: string; outcome: string; control: string }> {
  const button = page.getByTestId('prove-it');
  await expect(button).toBeVisible();
  // Some experiments finish in half a second: note that the progress appeared at all, whenever.
  // (A string: this file is typechecked without the DOM's types.)
  await page.evaluate(`(() => {
    globalThis.progressSeen = false;
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="experiment-progress"]')) {
        globalThis.progressSeen = true;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true });
  })()`);
  await button.click();
  await expect.poll(() => page.evaluate('globalThis.progressSeen')).toBe(true);
  const progress = page.getByTestId('experiment-progress');
  try {
    await expectProgressInView(page);
  } catch (error) {
    // Only a progress still on screen can be out of view; one already gone was a quick run.
    if (await progress.isVisible()) throw error;
  }
  await expect(progress).toBeHidden({ timeout: 240_000 });
  const verdict = page.getByTestId('experiment-verdict');
  await expect(verdict).toBeVisible({ timeout: 240_000 });
  const outcome = (await verdict.getAttribute('data-outcome')) ?? '';
  expect(outcomes).toContain(outcome);
  const control = page.getByTestId('experiment-control');
  await expect(control).toBeVisible();
  await expect(page.getByTestId('experiment-evidence')).toBeVisible();
  await expect(page.getByTestId('experiment-chart').first()).toBeVisible();
  // The chart is drawn (ECharts SVG with paths), not an empty box.
  await expect(page.getByTestId('experiment-chart').first().locator('svg path').first()).toBeAttached();
  return { text: (await verdict.innerText()).trim(), outcome, control: (await control.getAttribute('data-outcome')) ?? '' };
}

/** Every experiment a built-in card links to (the catalog's thirteen). */
const allExperiments = [
  'flash-backward', 'flash-exact', 'flash-vs-naive', 'gqa-mqa', 'kv-cache-memory', 'kv-cache-speed', 'kv-flash-synergy',
  'kv-quantization', 'online-softmax', 'paged-attention', 'prefill-decode-batching', 'rope-relative', 'speculative-decoding',
];

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

test('every question card of the built-in decks proves its answer; the runs are kept', async ({ browser }) => {
  test.setTimeout(45 * 60_000);
  const host = await startHost();
  hosts.push(host);
  const page = await openPage(browser, 'en-US');
  await page.goto(host.url);
  // Lift today's new-card limit so that every question card of both decks comes up.
  const token = await page.locator('meta[name="proofdeck-token"]').getAttribute('content');
  const reply = await page.request.post(`${host.url}api/call/settings.set`, { headers: { 'x-proofdeck-token': token ?? '' }, data: { newPerDay: 9999 } });
  expect(((await reply.json()) as { ok: boolean }).ok).toBe(true);
  await page.reload();
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
    const experiment = (await page.locator('[data-experiment-id]').getAttribute('data-experiment-id')) ?? '';
    const { text, outcome, control } = await proveIt(page);
    expect(text.length).toBeGreaterThan(20);
    // The control arm measured beside the verdict; a verdict that holds has a control that fails
    // the same test. Evidence is marked by source, and no model decides.
    expect(allExperiments).toContain(experiment);
    expect(outcomes).toContain(control);
    if (outcome === 'holds') expect(control).toBe('does-not-hold');
    const evidence = page.getByTestId('experiment-evidence');
    await expect(evidence.locator('tr[data-source="measured"]').first()).toBeVisible();
    await expect(evidence.locator('tr[data-source="model"][data-decisive="true"]')).toHaveCount(0);
    proven.push({ question, verdict: text });
    console.log(`[${cards}] ${experiment}: ${question.slice(0, 60)} → ${outcome} (control ${control})`);
    // Easy: the card leaves today's queue, so the loop visits each card once.
    await page.getByTestId('grade-4').click();
    await expect(page.getByTestId('card-back')).toBeHidden();
  }
  // kv-flash's 18 question cards and llm-serving's 42.
  expect(cards).toBeGreaterThanOrEqual(60);
  expect(proven).toHaveLength(cards);

  const runs = runsIn(host.dataDir);
  expect(runs).toHaveLength(cards);
  expect(runs.every((run) => run.status === 'done' && run.note_id !== null)).toBe(true);
  const experiments = new Set(runs.map((run) => run.experiment_id));
  expect([...experiments].sort()).toEqual(allExperiments);
  console.log(`verdicts: ${runs.map((run) => `${run.experiment_id}=${run.holds ? 'holds' : 'not holds'}`).join(', ')}`);

  // After a reload the runs are in the history: the Lab lists them per experiment.
  await page.reload();
  await page.getByTestId('nav-lab').click({ timeout: 20_000 });
  await page.locator('[data-experiment="flash-exact"]').click({ timeout: 20_000 });
  const history = page.getByTestId('experiment-history');
  const flashExactRuns = runs.filter((run) => run.experiment_id === 'flash-exact').length;
  await expect(history.locator('li')).toHaveCount(flashExactRuns);
  await expect(history).toContainText(/SwiftShader/);
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
    const { text } = await proveIt(page);
    if (locale === 'ko-KR') expect(text).toMatch(/[가-힣]/);
    await page.screenshot({ path: join(screenshots, `prove-it-answer-${tag}.png`), fullPage: true });
    // The card keeps its last result: reload, reveal again, and the evidence is there without a run.
    await page.reload();
    await page.getByTestId('start-review').click({ timeout: 20_000 });
    await page.getByTestId('show-answer').click({ timeout: 20_000 });
    const meaning = text.split('\n').pop()!.slice(0, 40);
    await expect(page.getByTestId('experiment-verdict')).toContainText(meaning);
    // The card's history is the experiment's, as the Lab lists it: this run, from this card.
    const history = page.getByTestId('experiment-history');
    await expect(history.locator('li')).toHaveCount(1);
    await expect(history).toContainText(locale === 'ko-KR' ? '이 카드' : 'this card');
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.locator(`[data-experiment="${runsIn(host.dataDir)[0].experiment_id}"]`).click();
    await expect(page.getByTestId('experiment-history').locator('li')).toHaveCount(1);
    await page.context().close();
  });
}
