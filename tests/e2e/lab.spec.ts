import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { openDatabase } from '../../electron/services/store/database';
import { ensureRenderer, freshDataDir, removeDataDir, repoRoot, startHost, type RunningHost } from './support/host';

// The Lab on the browser host (experiments on Dawn + SwiftShader): a run's outcome in plain words
// with its control arm and its evidence marked measured or model, two runs compared by name and
// unit with their charts overlaid, a stored run's charts with decimal ticks and nothing drawn at
// an error of 0, and screenshots of the result in both languages and themes.

const screenshots = join(repoRoot, 'test-results', 'screenshots');
const outcomes = ['holds', 'does-not-hold', 'not-shown'];
let host: RunningHost;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

/** A result stored by an older ProofDeck (no control arm, no itemised evidence) whose charts span 10,000 tokens and an error of exactly 0. */
function storedOlderRun(): object {
  const positions = Array.from({ length: 21 }, (_, i) => i * 500);
  return {
    experimentId: 'kv-cache-speed',
    params: { tokens: 10_000 },
    device: {
      name: 'Stored GPU',
      vendor: 'stored',
      architecture: 'stored',
      isFallback: false,
      backend: 'webgpu',
      timestampQuery: true,
      limits: { maxStorageBufferBindingSize: 134217728, maxBufferSize: 268435456, maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 },
    },
    metrics: { cacheMsPerToken: 0.5, noCacheMsPerTokenAtEnd: 12.5 },
    table: { columns: [{ ko: '위치', en: 'Position' }, { ko: '캐시 ms', en: 'Cache ms' }], rows: positions.map((p) => [p, 0.5]) },
    series: [
      { id: 'cache', label: { ko: '캐시 사용', en: 'With the cache' }, x: positions, y: positions.map(() => 0.5) },
      { id: 'no-cache', label: { ko: '캐시 없음', en: 'Without the cache' }, x: positions, y: positions.map((p) => 0.5 + p / 800) },
      { id: 'difference', label: { ko: '로짓 차이', en: 'Logit difference' }, x: positions, y: positions.map((p) => (p === 0 ? 0 : 1e-7)) },
    ],
    charts: [
      { id: 'speed', title: { ko: '토큰당 시간', en: 'Time per token' }, xLabel: { ko: '시퀀스 위치', en: 'Sequence position' }, yLabel: { ko: 'ms / 토큰', en: 'ms / token' }, series: ['cache', 'no-cache'] },
      { id: 'difference', title: { ko: '로짓 차이', en: 'Logit difference' }, xLabel: { ko: '시퀀스 위치', en: 'Sequence position' }, yLabel: { ko: '최대 차이 (로그)', en: 'Max difference (log)' }, yLog: true, series: ['difference'] },
    ],
    verdict: { holds: true, summary: { ko: '저장된 이전 실행입니다.', en: 'A run stored by an older version.' } },
    timings: { startedAt: Date.now() - 60_000, finishedAt: Date.now() - 50_000, wallMs: 10_000 },
  };
}

function seedStoredRun(file: string): void {
  const db = new Database(file);
  const result = storedOlderRun() as { device: object; timings: { startedAt: number; finishedAt: number; wallMs: number } };
  db.prepare(
    `INSERT INTO experiment_runs (experiment_id, note_id, params, device, status, result, started_at, finished_at, wall_ms) VALUES ('kv-cache-speed', NULL, '{}', ?, 'done', ?, ?, ?, ?)`,
  ).run(JSON.stringify(result.device), JSON.stringify(result), result.timings.startedAt, result.timings.finishedAt, result.timings.wallMs);
  db.close();
}

test.beforeAll(async () => {
  ensureRenderer();
  mkdirSync(screenshots, { recursive: true });
  dataDir = freshDataDir();
  openDatabase(join(dataDir, 'proofdeck.sqlite')).close();
  seedStoredRun(join(dataDir, 'proofdeck.sqlite'));
  host = await startHost({ dataDir });
});

test.afterAll(async () => {
  await host?.stop('SIGTERM');
  if (dataDir) removeDataDir(dataDir);
});

async function openPage(browser: Browser, locale: 'en-US' | 'ko-KR' = 'en-US', colorScheme: 'light' | 'dark' = 'light', height = 1000): Promise<Page> {
  const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1280, height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function openLab(page: Page, experiment: string): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('nav-lab').click({ timeout: 30_000 });
  await page.locator(`[data-experiment="${experiment}"]`).click();
}

/** The tick labels ECharts drew on a chart's axes. */
async function tickLabels(chart: Locator): Promise<string[]> {
  return (await chart.locator('svg text').allTextContents()).map((text) => text.trim()).filter(Boolean);
}

/** Checks what a finished result shows first: the outcome, the control beside it, the evidence by source. */
async function expectPlainResult(page: Page): Promise<void> {
  const verdict = page.getByTestId('experiment-verdict');
  await expect(verdict).toBeVisible({ timeout: 240_000 });
  expect(outcomes).toContain(await verdict.getAttribute('data-outcome'));
  await expect(verdict).toContainText('Claim');
  await expect(verdict).toContainText('What it means');
  const control = page.getByTestId('experiment-control');
  await expect(control).toBeVisible();
  expect(outcomes).toContain(await control.getAttribute('data-outcome'));
  const evidence = page.getByTestId('experiment-evidence');
  await expect(evidence.locator('tr[data-source="measured"]').first()).toBeVisible();
  await expect(evidence.locator('tr[data-source="measured"] .evidence-source').first()).toHaveText('Measured');
  // Only measured numbers decide: no model row is marked decisive.
  await expect(evidence.locator('tr[data-source="model"][data-decisive="true"]')).toHaveCount(0);
  // The jargon waits under the disclosure.
  await expect(page.getByTestId('experiment-details')).not.toHaveAttribute('open', '');
  await expect(page.getByTestId('experiment-details').locator('.raw-metrics')).toBeHidden();
}

test('a Lab run says what was claimed, measured and meant, beside its control; two runs compare by name and unit', async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  const page = await openPage(browser);
  await openLab(page, 'flash-exact');
  for (let run = 0; run < 2; run++) {
    await page.getByTestId('prove-it').click();
    await expect(page.getByTestId('experiment-progress')).toBeVisible();
    await expectPlainResult(page);
  }
  // flash-exact's control (no rescale) is an approximation: it fails the same test.
  await expect(page.getByTestId('experiment-control')).toHaveAttribute('data-outcome', 'does-not-hold');
  await expect(page.getByTestId('experiment-control')).toContainText('The counterfactual fails the same test');
  await expect(page.getByTestId('experiment-evidence')).toContainText('Worst relative L2 error vs float64');

  const history = page.getByTestId('experiment-history');
  await expect(history.locator('li')).toHaveCount(2);
  await expect(history.locator('[data-outcome]').first()).toHaveText(/Holds|Does not hold|Not shown on this device/);
  await history.locator('input[type=checkbox]').nth(0).check();
  await history.locator('input[type=checkbox]').nth(1).check();
  const compare = page.getByTestId('experiment-compare');
  await expect(compare).toContainText('Worst relative L2 error vs float64');
  await expect(compare).toContainText('Control arm');
  await expect(compare.locator('.evidence-source').first()).toHaveText('Measured');
  // Internal metric keys are not what the comparison shows; they wait under "Raw metrics".
  for (const key of await page.getByText('flashMaxRelativeError', { exact: true }).all()) await expect(key).toBeHidden();
  // The runs' charts overlaid, each series named with its run.
  const overlay = page.locator('.lab-compare [data-testid="experiment-chart"]').first();
  await expect(overlay).toBeVisible();
  const legend = page.locator('.lab-compare .chart-legend').first();
  const ids = await history.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-run-id')));
  for (const id of ids) await expect(legend).toContainText(`#${id} Flash-Attention`);
  await page.screenshot({ path: join(screenshots, 'lab-compare-en.png'), fullPage: true });
  await page.context().close();
});

test('charts of a stored run: decimal ticks for tokens, nothing drawn for an error of 0; an older run says it has no control', async ({ browser }) => {
  const page = await openPage(browser);
  await openLab(page, 'kv-cache-speed');
  await page.getByTestId('experiment-history').locator('li', { hasText: 'Stored GPU' }).locator('button').click();
  await expect(page.getByTestId('experiment-verdict')).toHaveAttribute('data-outcome', 'holds');
  await expect(page.getByTestId('experiment-control')).toContainText('older version');
  const speed = page.locator('[data-chart="speed"]');
  await expect(speed.locator('svg path').first()).toBeAttached();
  const ticks = await tickLabels(speed);
  expect(ticks).toContain('10,000');
  // Binary thousands (9.77K) for a decimal quantity is what this must never show again.
  expect(ticks.filter((tick) => /\d[KMG]\b|\dK/i.test(tick))).toEqual([]);
  const difference = await tickLabels(page.locator('[data-chart="difference"]'));
  // The one error of exactly 0 is left out, so the log axis starts near 1e-7, not at 1e-18.
  const exponents = difference.map((tick) => /^[\d.]+e-(\d+)$/.exec(tick)?.[1]).filter((e): e is string => e !== undefined).map(Number);
  expect(exponents.length).toBeGreaterThan(0);
  expect(Math.max(...exponents)).toBeLessThanOrEqual(8);
  await page.context().close();
});

for (const [locale, tag, scheme] of [
  ['en-US', 'en', 'light'],
  ['en-US', 'en-dark', 'dark'],
  ['ko-KR', 'ko', 'light'],
  ['ko-KR', 'ko-dark', 'dark'],
] as const) {
  test(`the Lab's result of flash-vs-naive with its roofline, screenshot (${tag})`, async ({ browser }) => {
    test.setTimeout(6 * 60_000);
    const page = await openPage(browser, locale, scheme, 2800);
    await openLab(page, 'flash-vs-naive');
    const history = page.getByTestId('experiment-history');
    // The first screenshot runs it; the others open that run from the history.
    if (tag === 'en') {
      await page.getByTestId('prove-it').click();
      await expect(page.getByTestId('experiment-verdict')).toBeVisible({ timeout: 240_000 });
    } else {
      await history.locator('li button').first().click();
    }
    await expect(page.getByTestId('experiment-verdict')).toBeVisible();
    const roofline = page.locator('[data-chart="roofline"]');
    await expect(roofline.locator('svg path').first()).toBeAttached();
    await expect(page.locator('.roofline-note')).toBeVisible();
    if (locale === 'ko-KR') {
      await expect(page.getByTestId('experiment-verdict')).toContainText('주장');
      await expect(page.getByTestId('experiment-control')).toContainText('대조군');
      await expect(page.getByTestId('experiment-evidence')).toContainText('측정');
    }
    await page.screenshot({ path: join(screenshots, `lab-result-${tag}.png`), fullPage: true });
    await page.context().close();
  });
}
