import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { sharedHostForFile } from './support/shared-host';
import { removeDataDir, repoRoot, startHost } from './support/host';
import { unzipSync } from 'fflate';
import { typingDeck, typingPackage, typingWords } from '../unit/anki/typing-package';

// An Anki deck whose template asks the answer typed ({{type:chinese}}, Korean answers) and whose
// note type CSS names two of the deck's media files: a font (url(_hand.woff2), KaTeX's Fraktur)
// and a striped background (url("bg.svg")). Imported in the real UI on the browser host, studied
// with the keyboard as in Anki: the box has the focus, review shortcuts stay out of it, Enter
// shows the answer, and the answer compares what was typed with the field, Anki's marks and all.
// Screenshots: test-results/screenshots/type-answer-*.png.

const screenshots = join(repoRoot, 'test-results', 'screenshots');
const host = sharedHostForFile();

test.beforeAll(() => mkdirSync(screenshots, { recursive: true }));

// Evaluated in the page (the test files are typed without the DOM).
const style = (page: Page, selector: string, property: string) =>
  page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`);
const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

test('import the deck, study it: type, Enter, and the answer marks what was right and wrong', async ({ page }, info) => {
  await page.setViewportSize({ width: 1100, height: 1000 });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(host().url);
  await page.getByTestId('nav-decks').click();
  const file = info.outputPath('typing.apkg');
  writeFileSync(file, typingPackage());
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await page.locator(`[data-testid="deck-row"][data-deck="${typingDeck}"]`).getByTestId('deck-study').click();

  const front = page.getByTestId('card-front');
  await expect(front.locator('.prompt')).toHaveText(typingWords[0].english);
  const box = front.locator('input#typeans');
  await expect(box).toBeVisible();
  // As in Anki, the box has the focus: typing starts at once.
  await expect.poll(() => focusedId(page)).toBe('typeans');

  // The note type's CSS with the deck's own files: the font face loaded from _hand.woff2, the background from bg.svg.
  expect(await style(page, '[data-testid="card-front"] .prompt', 'font-family')).toMatch(/--Hand/);
  await expect.poll(() => page.evaluate('document.fonts.ready.then(() => [...document.fonts].filter((f) => f.family.includes("--Hand")).map((f) => f.status).join())')).toBe('loaded');
  expect(await style(page, '[data-testid="card-front"]', 'background-image')).toMatch(/^url\("data:image\/svg\+xml;base64,/);

  // Review shortcuts stay out of the box: s (suspend), b (bury), u (undo), g (go to), ? (help), 1–4 and Space are text here.
  const counts = await page.getByTestId('queue-counts').getAttribute('title');
  await box.pressSequentially('sub g?1 ');
  await expect(box).toHaveValue('sub g?1 ');
  await expect(front.locator('.prompt')).toHaveText(typingWords[0].english);
  await expect(page.getByTestId('queue-counts')).toHaveAttribute('title', counts!);
  await expect(page.getByTestId('show-answer')).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Partly wrong Korean: 메모리 대역쪽 for 메모리 대역폭.
  await box.fill('');
  await box.pressSequentially('메모리 대역쪽');
  await front.screenshot({ path: join(screenshots, 'type-answer-front.png') });
  await box.press('Enter');

  const answer = page.getByTestId('anki-answer');
  const comparison = answer.locator('code#typeans');
  await expect(comparison).toBeVisible();
  await expect(comparison.locator('.typeGood')).toHaveText(['메모리 대역', '메모리 대역']);
  await expect(comparison.locator('.typeBad')).toHaveText('쪽');
  await expect(comparison.locator('.typeMissed')).toHaveText('폭');
  await expect(comparison.locator('#typearrow')).toHaveText('↓');
  await expect(answer.locator('.meaning')).toHaveText(typingWords[0].korean);
  // Anki's colours for the marks (reviewer.scss), and the deck's font on the answer too.
  expect(await style(page, '[data-testid="anki-answer"] .typeBad', 'background-color')).toBe('rgb(255, 170, 170)');
  expect(await style(page, '[data-testid="anki-answer"] .typeGood', 'background-color')).toBe('rgb(170, 255, 170)');
  expect(await style(page, '[data-testid="anki-answer"] .typeMissed', 'background-color')).toBe('rgb(204, 204, 204)');
  expect(await style(page, '[data-testid="anki-answer"] .meaning', 'font-family')).toMatch(/--Hand/);
  await page.getByTestId('card-back').screenshot({ path: join(screenshots, 'type-answer-back.png') });

  // Graded with the keyboard, then undone with the button (u would type into the next card's box):
  // the question is back with an empty box, and Enter with nothing typed shows the expected answer alone.
  await page.keyboard.press('3');
  await expect(front.locator('.prompt')).not.toHaveText(typingWords[0].english);
  if ((await box.count()) > 0) await expect.poll(() => focusedId(page)).toBe('typeans');
  await page.getByTestId('undo').click();
  await expect(front.locator('.prompt')).toHaveText(typingWords[0].english);
  await expect(box).toHaveValue('');
  await expect.poll(() => focusedId(page)).toBe('typeans');
  await page.keyboard.press('Enter');
  await expect(comparison).toHaveText(typingWords[0].korean);
  await expect(comparison.locator('span')).toHaveCount(0);
  await page.keyboard.press('3');
  await expect(front.locator('.prompt')).not.toHaveText(typingWords[0].english);
  // The next card that asks the answer typed (the Reverse template's cards have no box): typed exactly, shown with the button.
  for (let tries = 0; (await box.count()) === 0 && tries < 5; tries++) {
    await page.keyboard.press('Space');
    await page.keyboard.press('3');
  }
  // What was typed on the first card does not follow to this one; the box is empty and focused.
  await expect(box).toHaveValue('');
  await expect.poll(() => focusedId(page)).toBe('typeans');
  const prompt = await front.locator('.prompt').innerText();
  const word = typingWords.find((w) => w.english === prompt);
  expect(word).toBeDefined();
  await box.pressSequentially(word!.korean);
  await page.getByTestId('show-answer').click();
  await expect(comparison.locator('.typeGood')).toHaveText(word!.korean);
  await expect(comparison.locator('#typearrow')).toHaveCount(0);
  // Nothing left the app: the deck's font and background came from its own media.
  expect(requests.filter((url) => !url.startsWith(host().url) && !url.startsWith('data:'))).toEqual([]);
});

test('the deck travels as a .proofdeck: a fresh ProofDeck draws it with its template, font and background', async ({ page }, info) => {
  await page.goto(host().url);
  await page.getByTestId('nav-decks').click();
  const row = page.locator(`[data-testid="deck-row"][data-deck="${typingDeck}"]`);
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-proofdeck').click()]);
  const file = info.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const entries = Object.keys(unzipSync(new Uint8Array(readFileSync(file))));
  expect(entries).toEqual(expect.arrayContaining(['notetypes.json', 'media/_hand.woff2', 'media/bg.svg']));

  const other = await startHost();
  try {
    await page.goto(other.url);
    await page.getByTestId('nav-decks').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await expect(page.getByTestId('import-preview')).toBeVisible();
    await page.getByTestId('import-apply').click();
    await expect(page.getByTestId('import-result')).toBeVisible();
    await page.locator(`[data-testid="deck-row"][data-deck="${typingDeck}"]`).getByTestId('deck-study').click();
    const front = page.getByTestId('card-front');
    await expect(front.locator('.prompt')).toHaveText(typingWords[0].english);
    await expect(front.locator('input#typeans')).toBeVisible();
    expect(await style(page, '[data-testid="card-front"] .prompt', 'font-family')).toMatch(/--Hand/);
    expect(await style(page, '[data-testid="card-front"]', 'background-image')).toMatch(/^url\("data:image\/svg\+xml;base64,/);
    await front.locator('input#typeans').pressSequentially('메모리');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('anki-answer').locator('code#typeans .typeMissed')).toHaveText(['----', ' 대역폭']);
  } finally {
    await other.stop('SIGTERM');
    removeDataDir(other.dataDir);
  }
});
