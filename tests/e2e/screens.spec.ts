import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { repoRoot } from './support/host';
import { sharedHostForFile } from './support/shared-host';
import { callHostApi } from './support/api';

// Every screen of the app, walked in Korean and English, light and dark, a screenshot of each
// (test-results/screenshots/screens/<lang>-<theme>/). In Korean, a screen fails when it shows UI
// text in Latin letters only that is not a name, a unit or code: each such text is listed.

const host = sharedHostForFile();
const screenshots = join(repoRoot, 'test-results', 'screenshots', 'screens');

/**
 * Words a Korean screen may show in Latin letters: names (of the app, of algorithms, of devices
 * and file formats), units, and the keys of the keyboard. Everything else is untranslated UI.
 */
const allowedWords = [
  'ProofDeck', 'GPU', 'CPU', 'WebGPU', 'SwiftShader', 'FSRS', 'RMSE', 'JSON', 'CSV', 'TSV', 'Markdown', 'Anki', 'KaTeX', 'Mermaid',
  'Flash-Attention', 'Flash', 'FlashAttention', 'KV-Cache', 'KV', 'GEMM', 'FMA', 'HBM', 'SRAM', 'LLM', 'float32', 'float64', 'Dawn', 'Vulkan',
  'Ctrl', 'Shift', 'Alt', 'Esc', 'Enter', 'Space', 'Tab', 'PageUp', 'PageDown', 'Home', 'End', 'Cmd', 'ID',
  'ms', 's', 'B', 'KiB', 'MiB', 'GiB', 'GB', 'GFLOP', 'FLOP', 'p', 'N', 'd', 'T', 'x', 'e', 'English',
  'proofdeck', 'apkg', 'md', 'colpkg', 'txt', 'csv', 'tsv', 'log', 'L2',
];
const allowed = new Set(allowedWords.map((word) => word.toLowerCase()));

/**
 * The visible UI text of the page that has Latin letters and no Hangul, outside what is content
 * (a card's Markdown, a deck's name, a device's name: marked translate="no"), code or keys. A
 * string evaluated in the page: this file is type-checked without the DOM library.
 */
const latinOnlyTexts = `(() => {
  const skip = '[translate="no"], code, kbd, pre, .katex, .markdown, svg, script, style, [aria-hidden="true"]';
  const visible = (element) => {
    if (!element || element.closest(skip)) return false;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    if (element.closest('details:not([open]) > :not(summary)')) return false;
    return element.getClientRects().length > 0;
  };
  const found = [];
  const consider = (text, element, where) => {
    const trimmed = text.replace(/\\s+/g, ' ').trim();
    if (!trimmed || /[가-힣]/.test(trimmed) || !/[A-Za-z]/.test(trimmed)) return;
    found.push({ text: trimmed, where: where + ' ' + (element.getAttribute('data-testid') || element.className || element.tagName) });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (visible(node.parentElement)) consider(node.textContent || '', node.parentElement, 'text');
  }
  for (const element of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    if (!visible(element)) continue;
    for (const attribute of ['placeholder', 'aria-label', 'title']) {
      const value = element.getAttribute(attribute);
      if (value) consider(value, element, attribute);
    }
  }
  return found;
})()`;

function untranslated(found: { text: string; where: string }[]): string[] {
  return found
    .filter(({ text }) => {
      // Numbers in scientific notation (2.1e-7) are numbers, not words.
      const words = text.replace(/\d(?:\.\d+)?e[-+]?\d+/gi, '').match(/[A-Za-z][A-Za-z0-9+\-/]*/g) ?? [];
      return words.some((word) => !allowed.has(word.toLowerCase()) && !allowed.has(word.replace(/[-/+]+$/, '').toLowerCase()));
    })
    .map(({ text, where }) => `${text}  (${where})`);
}

interface Pass {
  locale: 'ko-KR' | 'en-US';
  scheme: 'light' | 'dark';
}

async function openPage(browser: Browser, pass: Pass): Promise<Page> {
  const context = await browser.newContext({ locale: pass.locale, colorScheme: pass.scheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return page;
}

async function callApi(page: Page, method: string, args: object): Promise<unknown> {
  return callHostApi<unknown>(page, host().url, method, args);
}

/** One finished run of each fast experiment, so the Lab and Prove it show results. */
async function runOnce(page: Page, experimentId: string): Promise<void> {
  const { runId } = (await callApi(page, 'experiments.run', { experimentId })) as { runId: number };
  await expect
    .poll(async () => ((await callApi(page, 'experiments.get', { runId })) as { status: string }).status, { timeout: 240_000, intervals: [1000] })
    .toBe('done');
}

const csv = join(tmpdir(), `proofdeck-screens-${process.pid}.csv`);

test.beforeAll(() => {
  writeFileSync(csv, 'question,answer\n"What does $QK^T$ cost?","$O(N^2 d)$ **operations**"\n"Second?","Two"\n');
});

const passes: Pass[] = [
  { locale: 'ko-KR', scheme: 'light' },
  { locale: 'ko-KR', scheme: 'dark' },
  { locale: 'en-US', scheme: 'light' },
  { locale: 'en-US', scheme: 'dark' },
];

for (const pass of passes) {
  const tag = `${pass.locale.slice(0, 2)}-${pass.scheme}`;
  test(`every screen (${tag})${pass.locale === 'ko-KR' ? ', no untranslated UI text' : ''}`, async ({ browser }) => {
    test.setTimeout(10 * 60_000);
    const dir = join(screenshots, tag);
    mkdirSync(dir, { recursive: true });
    const page = await openPage(browser, pass);
    await page.goto(host().url);
    await expect(page.getByTestId('due-count')).toBeVisible();
    const runs = (await callApi(page, 'experiments.history', { experimentId: 'flash-exact' })) as { status: string }[];
    if (!runs.some((run) => run.status === 'done')) await runOnce(page, 'flash-exact');
    const problems: string[] = [];
    const look = async (name: string, options: { fullPage?: boolean } = {}) => {
      await page.waitForTimeout(400);
      // The screens scroll inside their own panes: a whole screen needs a window as tall as its content.
      const tall = options.fullPage
        ? ((await page.evaluate(`Math.min(6000, Math.max(900, ...[...document.querySelectorAll('main, main *')]
            .filter((e) => e.scrollHeight > e.clientHeight + 4 && getComputedStyle(e).overflowY !== 'visible')
            .map((e) => e.scrollHeight - e.clientHeight + window.innerHeight)))`)) as number)
        : 900;
      if (tall !== 900) {
        await page.setViewportSize({ width: 1280, height: tall });
        await page.waitForTimeout(500);
      }
      await page.screenshot({ path: join(dir, `${name}.png`) });
      if (tall !== 900) await page.setViewportSize({ width: 1280, height: 900 });
      if (pass.locale === 'ko-KR') problems.push(...untranslated(await page.evaluate(latinOnlyTexts)).map((text) => `${name}: ${text}`));
    };
    const go = async (key: string) => {
      await page.keyboard.press('Escape');
      // Out of any text field the screen focused, so the keys reach the shell.
      await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
      await page.keyboard.press('g');
      await page.keyboard.press(key);
    };

    await look('today');
    await page.getByTestId('start-review').click();
    await expect(page.getByTestId('card-front')).toBeVisible();
    await look('review-question');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('card-back')).toBeVisible();
    await expect(page.getByTestId('prove-it')).toBeVisible();
    await look('review-answer', { fullPage: true });

    await go('l');
    await page.locator('[data-experiment="flash-exact"]').click();
    await page.getByTestId('experiment-history').locator('li button').first().click();
    await expect(page.getByTestId('experiment-verdict')).toBeVisible();
    await expect(page.getByTestId('experiment-chart').first().locator('svg path').first()).toBeAttached();
    await look('lab', { fullPage: true });

    await go('b');
    await expect(page.getByTestId('browse-row').first()).toBeVisible();
    await look('browse');
    await page.getByTestId('browse-body').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('editor-front')).toBeVisible();
    await look('editor', { fullPage: true });
    await page.keyboard.press('Escape');
    await page.getByTestId('browse-add').click();
    await expect(page.getByTestId('editor-front')).toBeVisible();
    await look('editor-new');

    // A diagram with nodes the deck coloured: their labels stay readable in either theme.
    await go('b');
    await page.getByTestId('browse-search').fill('HBM_S');
    // The one note whose diagram colours its nodes (the search answers after a short pause).
    await expect(page.getByTestId('browse-row')).toHaveCount(1);
    await page.getByTestId('browse-search').press('Enter');
    await page.keyboard.press('Enter');
    const diagram = page.locator('.mermaid-diagram[data-state="rendered"]').first();
    await expect(diagram).toBeVisible({ timeout: 30_000 });
    const contrasts = (await page.evaluate(`((root) => {
      const lum = (rgb) => {
        const [r, g, b] = rgb.map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const parse = (color) => {
        const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
        if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
        const rgb = /rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)/.exec(color);
        return rgb ? rgb.slice(1, 4).map(Number) : null;
      };
      const out = [];
      for (const node of root.querySelectorAll('g.node')) {
        const shape = node.querySelector('rect, polygon, path');
        const fill = /fill:\\s*(#[0-9a-f]{6})/i.exec(shape?.getAttribute('style') || '')?.[1];
        const label = node.querySelector('.nodeLabel, text');
        if (!fill || !label) continue;
        const ink = parse(getComputedStyle(label).color);
        const back = parse(fill);
        if (!ink || !back) continue;
        const [a, b] = [lum(ink), lum(back)].sort((x, y) => y - x);
        out.push((a + 0.05) / (b + 0.05));
      }
      return out;
    })(document.querySelector('.mermaid-diagram[data-state="rendered"]'))`)) as number[];
    expect(contrasts.length).toBeGreaterThan(0);
    expect(Math.min(...contrasts)).toBeGreaterThanOrEqual(4.5);
    await look('editor-mermaid', { fullPage: true });
    await diagram.screenshot({ path: join(dir, 'mermaid-diagram.png') });

    await go('i');
    await expect(page.getByTestId('stats-heatmap').locator('svg').first()).toBeAttached();
    await look('stats', { fullPage: true });

    await go('d');
    await expect(page.getByTestId('decks-screen')).toBeVisible();
    await page.getByTestId('import-file').setInputFiles(csv);
    await expect(page.getByTestId('import-preview')).toBeVisible();
    await look('decks-import-preview', { fullPage: true });

    await go(',');
    await expect(page.getByTestId('settings-language')).toBeVisible();
    await look('settings', { fullPage: true });

    await page.keyboard.press('?');
    await expect(page.getByRole('dialog')).toBeVisible();
    await look('keyboard-help');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('command-palette')).toBeVisible();
    await look('command-palette');
    await page.keyboard.press('Escape');

    expect(problems, `untranslated text in the Korean UI:\n${problems.join('\n')}`).toEqual([]);
    await page.context().close();
  });
}
