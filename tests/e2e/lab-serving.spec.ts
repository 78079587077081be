import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from './support/host';
import { sharedHostForFile } from './support/shared-host';

// The seven LLM-serving experiments in the Lab of the browser host, on the real engine process
// (Dawn, SwiftShader): each runs at its defaults and shows a verdict with its numbers, its charts
// and its table, with nothing thrown in the page; the Korean page too.

const host = sharedHostForFile();
const screenshots = join(repoRoot, 'test-results', 'screenshots');

/** Words of each experiment's own summary, so that a verdict shown is this run's and not the previous one's. */
const summaries: Record<string, { en: RegExp; ko: RegExp }> = {
  'online-softmax': { en: /Measured \(\d+ rows of \d+ logits/, ko: /측정\(행 \d+개/ },
  'rope-relative': { en: /Measured \(\d+ heads of dimension/, ko: /측정\(헤드 \d+개, 헤드 차원/ },
  'kv-quantization': { en: /Measured \(\d+ tokens, \d+ KV heads/, ko: /측정\(토큰 \d+개, KV 헤드/ },
  'paged-attention': { en: /Measured \(\d+ requests/, ko: /측정\(요청 \d+개/ },
  'gqa-mqa': { en: /Measured \(\d+ query heads/, ko: /측정\(쿼리 헤드/ },
  'prefill-decode-batching': { en: /Measured \(a \d+×\d+ projection/, ko: /측정\(\d+×\d+ 투영/ },
  'speculative-decoding': { en: /Measured \(a \d+-layer target/, ko: /측정\(목표 \d+레이어/ },
};
const experiments = Object.keys(summaries);

for (const [locale, tag] of [
  ['en-US', 'en'],
  ['ko-KR', 'ko'],
] as const) {
  test(`the serving experiments run in the Lab and show their verdicts, charts and tables (${tag})`, async ({ browser }) => {
    test.setTimeout(8 * 60_000);
    mkdirSync(screenshots, { recursive: true });
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host().url);
    await page.getByTestId('nav-lab').click({ timeout: 30_000 });
    // The Korean pass proves two of them again in Korean; the English pass proves all seven.
    for (const id of tag === 'en' ? experiments : ['kv-quantization', 'paged-attention']) {
      await page.locator(`[data-experiment="${id}"]`).click();
      await page.getByTestId('prove-it').click();
      const verdict = page.getByTestId('experiment-verdict');
      await expect(verdict).toContainText(summaries[id][tag], { timeout: 180_000 });
      await expect(page.getByTestId('experiment-chart').first()).toBeVisible();
      await expect(page.locator('table.measurement-table tbody tr').first()).toBeAttached();
      if (tag === 'en' && ['kv-quantization', 'prefill-decode-batching', 'speculative-decoding'].includes(id)) {
        await page.screenshot({ path: join(screenshots, `lab-${id}-${tag}.png`), fullPage: true });
      }
      if (tag === 'ko' && id === 'paged-attention') await page.screenshot({ path: join(screenshots, `lab-${id}-${tag}.png`), fullPage: true });
    }
    expect(pageErrors).toEqual([]);
    await context.close();
  });
}
