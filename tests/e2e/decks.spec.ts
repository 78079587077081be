import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { sharedHostForFile } from './support/shared-host';
import { unzipSync } from 'fflate';
import { ankiPackage } from '../unit/decks/build';
import { hostileCases } from '../unit/decks/hostile/cases';

// Decks from other people, in the real UI on the browser host: imported HTML cannot run script or
// fetch anything (canaries: a global the script/handlers would set, and requests to a host the test
// watches), and the image of the apkgexport fixture shows.

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/anki', import.meta.url));
const host = sharedHostForFile();


async function openDecks(page: Page): Promise<void> {
  await page.goto(host().url);
  await page.getByRole('button', { name: /Decks/ }).or(page.getByRole('link', { name: /Decks/ })).first().click();
  await expect(page.getByTestId('decks-screen')).toBeVisible();
  // The list has arrived (a count taken before it would be 0).
  await expect(page.getByTestId('decks-screen').locator('[aria-busy="true"]')).toHaveCount(0);
}

async function importFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles(path);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
}

test('imported HTML cannot run script or fetch anything', async ({ page }, info) => {
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(host().url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const hostile = ankiPackage([
    'Hostile front <script>window.__canary = "script"</script><img src="missing.png" onerror="window.__canary = \'onerror\'"><a href="javascript:window.__canary=\'link\'" id="bad-link">link</a>',
    'Back <img src="https://canary.invalid/ping.png"><img src="//canary.invalid/p.png"><svg onload="window.__canary=\'svg\'"></svg><b style="background:url(https://canary.invalid/css)">bold</b><iframe src="https://canary.invalid/frame"></iframe>',
  ]);
  const file = info.outputPath('hostile.apkg');
  writeFileSync(file, hostile);
  await openDecks(page);
  await importFile(page, file);
  await expect(page.getByTestId('import-warnings').locator('[data-code="html-sanitized"]')).toBeVisible();
  const row = page.getByTestId('deck-row').filter({ hasText: 'Hostile' });
  await row.getByTestId('deck-show').click();
  await expect(row.getByTestId('deck-note')).toHaveCount(1);
  await expect(row.getByTestId('deck-note')).toContainText('Hostile front');
  await expect(row.getByTestId('deck-note')).toContainText('bold');
  const link = page.locator('#bad-link, a:has-text("link")').first();
  if (await link.count()) await link.click({ trial: false }).catch(() => undefined);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (globalThis as { __canary?: string }).__canary)).toBeUndefined();
  expect(outside.filter((u) => u.includes('canary'))).toEqual([]);
  const html = await row.getByTestId('deck-note').innerHTML();
  expect(html).not.toMatch(/<script|onerror|onload|javascript:|canary\.invalid|<iframe/i);
});

test('the image of an Anki deck shows', async ({ page }) => {
  await openDecks(page);
  await importFile(page, join(fixtures, 'apkgexport-output.apkg'));
  await expect(page.getByTestId('import-result')).toContainText('3');
  const row = page.getByTestId('deck-row').filter({ hasText: 'deck-name' });
  await expect(row.getByTestId('deck-notes-count')).toHaveText('3');
  await row.getByTestId('deck-show').click();
  const image = row.locator('img').first();
  await expect(image).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect.poll(() => image.evaluate((element) => {
    const img = element as unknown as { complete: boolean; naturalWidth: number };
    return img.complete && img.naturalWidth > 0;
  })).toBe(true);
});

test('a dropped update previews one updated note, then updates it without duplicating', async ({ page }) => {
  await openDecks(page);
  await importFile(page, join(fixtures, 'anki-update1.apkg'));
  const bytes = [...readFileSync(join(fixtures, 'anki-update2.apkg'))];
  const dataTransfer = await page.evaluateHandle((data) => {
    // (the e2e tsconfig has no DOM types; these are the page's own constructors)
    const page = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: Uint8Array[], name: string) => unknown;
    };
    const transfer = new page.DataTransfer();
    transfer.items.add(new page.File([new Uint8Array(data)], 'anki-update2.apkg'));
    return transfer;
  }, bytes);
  await page.getByTestId('deck-dropzone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.getByTestId('preview-added')).toHaveText('0');
  await expect(page.getByTestId('preview-updated')).toHaveText('1');
  await expect(page.getByTestId('preview-conflicts')).toHaveText('0');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  // By the deck's name (every row's preset picker offers the Default preset too).
  const row = page.getByTestId('deck-row').filter({ has: page.getByTestId('deck-show').filter({ hasText: 'Default' }) });
  await expect(row.getByTestId('deck-notes-count')).toHaveText('1');
  await row.getByTestId('deck-show').click();
  await expect(row.getByTestId('deck-note')).toContainText('goodbye');
});

test('hostile files are refused in the preview with the limit they hit, and nothing is imported', async ({ page }, info) => {
  await openDecks(page);
  const decksBefore = await page.getByTestId('deck-row').count();
  const refusals: [string, RegExp][] = [
    ['generated column in notes (the 1 KB .apkg of the report)', /column notes\.flds of its Anki collection is computed as it is read \(a generated column\)/],
    ['cloze explosion: 300 rows × c1…c999 (CSV)', /would make 999 cards \(cloze numbers or card templates\); one note may make up to 100\./],
    ['zstd media: entries each declaring 200 MiB (the report)', /larger than 64 MiB, the most for one media file/],
  ];
  for (const [name, message] of refusals) {
    const hostile = hostileCases.find((c) => c.name === name)!;
    const path = info.outputPath(hostile.fileName);
    writeFileSync(path, hostile.make() as Uint8Array);
    await page.getByTestId('import-file').setInputFiles(path);
    await expect(page.getByTestId('import-error')).toContainText(message);
    await expect(page.getByTestId('import-preview')).toHaveCount(0);
  }
  await expect(page.getByTestId('deck-row')).toHaveCount(decksBefore);
  await page.screenshot({ path: info.outputPath('hostile-refused.png'), fullPage: true });
  // A good file right after: its preview counts the cards its notes make, not only the notes.
  const cloze = info.outputPath('two-clozes.csv');
  writeFileSync(cloze, '"{{c1::Seoul}} is the capital of {{c2::Korea}}",x\n"plain",y\n');
  await page.getByTestId('import-file').setInputFiles(cloze);
  await expect(page.getByTestId('preview-added')).toHaveText('2');
  await expect(page.getByTestId('preview-cards')).toHaveText('3');
});

test('an .apkg export from the deck list carries Mermaid diagrams as SVG images drawn in Chromium', async ({ page }) => {
  await openDecks(page);
  const row = page.getByTestId('deck-row').filter({ hasText: 'KV-Cache' });
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-apkg').click()]);
  expect(download.suggestedFilename()).toMatch(/\.apkg$/);
  const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const media = JSON.parse(new TextDecoder().decode(files.media)) as Record<string, string>;
  const svgs = Object.entries(media).filter(([, name]) => name.endsWith('.svg'));
  expect(svgs.length).toBeGreaterThan(0);
  for (const [index] of svgs) expect(new TextDecoder().decode(files[index])).toMatch(/^<svg[\s\S]*<\/svg>$/);
});

test('a CSV import previews its first cards as they will look and which column goes where; an export says where it went', async ({ page }, info) => {
  await openDecks(page);
  const file = info.outputPath('samples.csv');
  writeFileSync(file, 'question,answer,tags\n"What is $O(N^2)$ here?","The **score** matrix",mem\n"Second?","Two",x\n');
  await page.getByTestId('import-file').setInputFiles(file);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await page.getByLabel('The first row is a header').check();
  const mapping = page.getByTestId('import-field-mapping');
  await expect(mapping).toContainText('question');
  await expect(mapping).toContainText('Front');
  const samples = page.getByTestId('import-sample');
  await expect(samples).toHaveCount(2);
  // Rendered as a card: the math typeset, the Markdown bold, not the raw source.
  await expect(samples.first().locator('.katex')).toBeVisible();
  await expect(samples.first().locator('strong')).toHaveText('score');
  await page.getByRole('button', { name: 'Cancel' }).click();

  const row = page.getByTestId('deck-row').filter({ hasText: 'KV-Cache' });
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-md').click()]);
  await expect(page.getByTestId('export-result')).toContainText(download.suggestedFilename());
});
