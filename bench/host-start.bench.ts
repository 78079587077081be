/**
 * `npm run bench:host [-- --json] [--cards N] [--revlog N] [--runs N] [--data DIR | --keep DIR]`: host start to
 * first card, as a user sees it. Spawns the browser host (`node out/hosts/web.mjs`, as `npm run web`)
 * and measures from the spawn until Chromium shows the first card (page loaded, Today rendered,
 * Enter pressed, card-front visible).
 *
 * - hostStartMs: on a heavy user's collection (default 100,000 cards, 1,000,000 review-log rows).
 * - freshHostStartMs: on an empty data directory (migrations and the built-in deck load included).
 * - readyMs: spawn until the host printed its ready line (heavy collection).
 * Medians of --runs (default 5). The browser is launched once, outside the timings. --data DIR
 * uses an existing data directory; --keep DIR generates the collection there once and reuses it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { ensureRenderer, freshDataDir, removeDataDir, startHost } from '../tests/e2e/support/host';
import { generateCollection } from './support/collection';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    cards: { type: 'string', default: '100000' },
    revlog: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'string' },
    data: { type: 'string' },
  },
});

/** How long a new tab is left to settle before the host is spawned. */
const settleMs = 2_000;

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const log = (line: string): void => void (values.json ? console.error(line) : console.log(line));

async function startToFirstCard(browser: Browser, dataDir: string): Promise<{ firstCardMs: number; readyMs: number }> {
  // The user's browser tab exists before the host starts: opening it is not the host's time.
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  // A new tab's renderer process keeps working for about a second after newPage() returns (host
  // spawn → ready measured 0.9–1.1 s after 0.5 s, 0.44–0.51 s after 2 s); a user's tab was open
  // long before, so its start-up must not be counted, or compete, as the host's.
  await page.waitForTimeout(settleMs);
  const host = await startHost({ dataDir });
  try {
    await page.goto(host.url);
    try {
      await page.getByTestId('start-review').waitFor({ state: 'visible', timeout: 60_000 });
    } catch (error) {
      throw new Error(`no start-review on ${dataDir}: the page shows '${(await page.locator('body').innerText()).slice(0, 300)}'\n${host.output()}`, { cause: error });
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('card-front').waitFor({ state: 'visible', timeout: 60_000 });
    return { firstCardMs: performance.now() - host.spawnedAt, readyMs: host.readyAt - host.spawnedAt };
  } finally {
    await context.close();
    await host.stop('SIGTERM');
  }
}

async function main(): Promise<void> {
  ensureRenderer();
  const runs = Math.max(1, Number(values.runs));
  const cards = Number(values.cards);
  const revlog = Number(values.revlog);
  const scratch = mkdtempSync(join(tmpdir(), 'proofdeck-bench-host-'));
  const heavyDir = values.data ?? values.keep ?? join(scratch, 'heavy');
  if (!values.data && !(values.keep && existsSync(join(values.keep, 'proofdeck.sqlite')))) {
    const started = performance.now();
    mkdirSync(heavyDir, { recursive: true });
    generateCollection(join(heavyDir, 'proofdeck.sqlite'), cards, revlog).close();
    log(`generated ${cards} cards, ${revlog} review-log rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const heavy: number[] = [];
    const ready: number[] = [];
    const fresh: number[] = [];
    // One unmeasured start warms the OS file cache (and tsx's, for the engine worker), as any second launch has.
    await startToFirstCard(browser, heavyDir);
    for (let i = 0; i < runs; i++) {
      const run = await startToFirstCard(browser, heavyDir);
      heavy.push(run.firstCardMs);
      ready.push(run.readyMs);
      const empty = freshDataDir();
      try {
        fresh.push((await startToFirstCard(browser, empty)).firstCardMs);
      } finally {
        removeDataDir(empty);
      }
    }
    const result = { cards, revlog, hostStartMs: Math.round(median(heavy)), freshHostStartMs: Math.round(median(fresh)), readyMs: Math.round(median(ready)) };
    if (values.json) console.log(JSON.stringify(result));
    else {
      log(`host start → first card, ${cards} cards / ${revlog} revlog: ${result.hostStartMs} ms (runs: ${heavy.map(Math.round).join(', ')})`);
      log(`  of which spawn → host ready: ${result.readyMs} ms`);
      log(`host start → first card, fresh data dir: ${result.freshHostStartMs} ms (runs: ${fresh.map(Math.round).join(', ')})`);
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
