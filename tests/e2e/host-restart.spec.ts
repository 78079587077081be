import { expect, test } from '@playwright/test';
import { ensureRenderer, freshDataDir, removeDataDir, startHost, type RunningHost } from './support/host';

// The browser host restarted on the same port and data folder (Ctrl+C, `npm run web` again): an
// open page notices the new token by itself, reloads, comes back on the screen it showed (the
// note being edited, too), and its calls work. Before, every call said "This request was refused"
// until the user reloaded by hand.

test.beforeAll(() => ensureRenderer());

const tokenMeta = 'meta[name="proofdeck-token"]';

test('a restarted host: the page reloads itself on the same screen, and a call made afterwards works', async ({ browser }) => {
  const dataDir = freshDataDir();
  let host: RunningHost = await startHost({ dataDir });
  try {
    const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 820 } })).newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('due-count')).toBeVisible();
    // Browse, then the editor of one card: a screen with a parameter (which note).
    await page.keyboard.press('g');
    await page.keyboard.press('b');
    await page.getByTestId('browse-search').fill('KV');
    await expect(page.getByTestId('browse-row').first()).toBeVisible();
    await page.getByTestId('browse-search').press('Enter');
    await page.keyboard.press('Enter');
    const front = page.getByTestId('editor-front');
    await expect(front).not.toHaveValue('');
    const editing = await front.inputValue();
    const oldToken = await page.locator(tokenMeta).getAttribute('content');
    let loads = 0;
    page.on('load', () => loads++);

    const port = host.port;
    expect(await host.stop('SIGTERM')).toBe(0);
    host = await startHost({ dataDir, port });

    // No reload by the test: the page sees the new host through its event stream.
    await expect(page.locator(tokenMeta)).not.toHaveAttribute('content', oldToken!, { timeout: 20_000 });
    expect(loads).toBe(1);
    expect(new URL(page.url()).hash).toBe('#/edit');
    await expect(front).toHaveValue(editing);

    // A call after the restart: the edit is saved, and Browse finds it.
    await front.fill(`${editing} (edited after the restart)`);
    await page.keyboard.press('Control+s');
    await expect(page.getByTestId('browse-search')).toBeVisible();
    await page.getByTestId('browse-search').fill('edited after the restart');
    await expect(page.getByTestId('browse-row')).toHaveCount(1);
    await expect(page.locator('.notice-error')).toHaveCount(0);
  } finally {
    await host.stop('SIGTERM');
    removeDataDir(dataDir);
  }
});

test('without the event stream, the first call after the restart reloads the page, which comes back on that screen', async ({ browser }) => {
  const dataDir = freshDataDir();
  let host: RunningHost = await startHost({ dataDir });
  try {
    const page = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    // A proxy that drops server-sent events: only a call can tell the page about the restart.
    await page.route('**/api/events**', (route) => route.abort());
    await page.goto(`${host.url}#/stats`);
    await expect(page.getByTestId('retention-all')).toBeVisible();
    const oldToken = await page.locator(tokenMeta).getAttribute('content');
    const port = host.port;
    await host.stop('SIGTERM');
    host = await startHost({ dataDir, port });
    await page.waitForTimeout(1500);
    expect(await page.locator(tokenMeta).getAttribute('content')).toBe(oldToken);
    // Browse: its search gets "restarted", and the page reloads on Browse, whose search then works.
    await page.keyboard.press('g');
    await page.keyboard.press('b');
    await expect(page.locator(tokenMeta)).not.toHaveAttribute('content', oldToken!, { timeout: 20_000 });
    expect(new URL(page.url()).hash).toBe('#/browse');
    await expect(page.getByTestId('browse-row').first()).toBeVisible();
  } finally {
    await host.stop('SIGTERM');
    removeDataDir(dataDir);
  }
});

test('a second host on the same data folder exits, naming the first', async () => {
  const dataDir = freshDataDir();
  const first = await startHost({ dataDir });
  try {
    const second = startHost({ dataDir });
    await expect(second).rejects.toThrow(new RegExp(`exited \\(1\\) before it was ready:[\\s\\S]*The data folder ${dataDir} is in use by another ProofDeck \\(npm run web, process \\d+`));
    // The first host still serves its page.
    expect((await fetch(first.url)).status).toBe(200);
  } finally {
    await first.stop('SIGTERM');
    removeDataDir(dataDir);
  }
});
