import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureRenderer, freshDataDir, removeDataDir, startHost } from './support/host';

// A damaged database is never overwritten: the app says what is wrong, and only on the user's
// word moves the file aside (renamed, kept) and starts fresh with the built-in deck.

test.beforeAll(() => ensureRenderer());

test('a corrupt database is shown, kept, and replaced only when the user asks', async ({ browser }) => {
  const dataDir = freshDataDir();
  const file = join(dataDir, 'proofdeck.sqlite');
  const garbage = 'this is not a SQLite database, just a damaged file '.repeat(200);
  writeFileSync(file, garbage);
  const host = await startHost({ dataDir });
  try {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('database-problem')).toBeVisible();
    expect(readFileSync(file, 'utf8')).toBe(garbage);
    await page.getByTestId('reset-database').click();
    await expect(page.getByTestId('due-count')).toHaveText(/\d+/);
    expect(Number(/\d+/.exec((await page.getByTestId('due-count').textContent()) ?? '')?.[0])).toBeGreaterThan(0);
    const kept = readdirSync(dataDir).find((name) => name.startsWith('proofdeck.sqlite.broken-'));
    expect(kept).toBeDefined();
    expect(readFileSync(join(dataDir, kept!), 'utf8')).toBe(garbage);
    expect(existsSync(file)).toBe(true);
  } finally {
    await host.stop('SIGTERM');
    removeDataDir(dataDir);
  }
});

// The case: 4 KiB of random bytes written into the middle of a collection the app closed
// cleanly. Before, one such file started normally and the built-in deck sync wrote into it.
for (const seed of [7, 8]) {
  test(`4 KiB of random bytes in the middle of the collection (seed ${seed}): the problem screen, the file byte for byte as it was`, async ({ browser }) => {
    const { generateCollection } = await import('../../bench/support/collection');
    const { scribble } = await import('../unit/storage/support');
    const dataDir = freshDataDir();
    const file = join(dataDir, 'proofdeck.sqlite');
    generateCollection(file, 5000, 50_000).close();
    // A clean run of the host: it adds the built-in deck and seals the file when it stops.
    const clean = await startHost({ dataDir });
    expect(await clean.stop('SIGTERM')).toBe(0);
    scribble(file, Math.floor(statSync(file).size / 2) + seed * 1000, seed);
    const damaged = readFileSync(file);
    const host = await startHost({ dataDir });
    try {
      const page = await (await browser.newContext({ locale: seed % 2 ? 'ko-KR' : 'en-US' })).newPage();
      await page.goto(host.url);
      await expect(page.getByTestId('database-problem')).toBeVisible();
      await expect(page.getByTestId('reset-database')).toBeVisible();
    } finally {
      await host.stop('SIGTERM');
    }
    expect(readFileSync(file).equals(damaged)).toBe(true);
    removeDataDir(dataDir);
  });
}

test('damage met after the start (by Browse) switches the page to the problem screen, and nothing more is written', async ({ browser }) => {
  const { generateCollection } = await import('../../bench/support/collection');
  const { scribble, forgeSeal, pageOf } = await import('../unit/storage/support');
  const dataDir = freshDataDir();
  const file = join(dataDir, 'proofdeck.sqlite');
  generateCollection(file, 5000, 20_000).close();
  const clean = await startHost({ dataDir });
  expect(await clean.stop('SIGTERM')).toBe(0);
  // Damage the cheap check at open cannot see (bits that rot in place): a page of notes that only a
  // full scan of the collection reads.
  const notes = pageOf(file, 'notes', 'leaf', 40);
  scribble(file, notes.offset, 3, notes.pageSize);
  forgeSeal(file);
  const damaged = readFileSync(file);
  const host = await startHost({ dataDir });
  try {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('due-count')).toBeVisible();
    await page.keyboard.press('g');
    await page.keyboard.press('b');
    // A two-letter term is matched by reading every note (the trigram index needs three).
    await page.getByTestId('browse-search').fill('zq');
    await expect(page.getByTestId('database-problem')).toBeVisible();
    await expect(page.getByTestId('reset-database')).toBeVisible();
  } finally {
    await host.stop('SIGTERM');
  }
  expect(readFileSync(file).equals(damaged)).toBe(true);
  removeDataDir(dataDir);
});
