import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { contentSecurityPolicy } from '../../electron/security';
import { compileAnkiTemplate, type CompiledTemplate } from '../../src/shared/anki/template';
import { readPackage } from '../unit/anki/package';
import { repoRoot } from './support/host';

// The vocabulary fixture's cards as Chromium draws them: the note type's templates rendered,
// sanitized, its CSS scoped, on a page with the app's Content-Security-Policy. Computed styles say
// the CSS reached the card and nothing else; the page makes no request (the deck's CSS imports
// Google Fonts). Screenshots under test-results/screenshots (anki-mujing-*.png).

// The renderer is UI code (tsconfig.web.json): loaded by path, typed as far as used here. The
// sanitizer needs a DOM: jsdom's, as in the unit tests.
interface RenderedCard {
  question: string;
  answer: string;
}
type RenderCard = (request: { template: CompiledTemplate; fields: ReadonlyMap<string, string>; ord: number; cloze: boolean }) => RenderedCard;
type ScopeCss = (css: string, options: { scope: string }) => { css: string };
type CardClasses = (scope: string, ord: number) => { root: string; qa: string };
const paths = { template: '../../src/render/anki-template', css: '../../src/render/anki-css', sanitize: '../../src/render/sanitize', jsdom: 'jsdom' };

const screenshots = join(repoRoot, 'test-results', 'screenshots');
const scope = 'nt-1221680253';
const pkg = readPackage('mujing-basic_word.apkg');
const africa = pkg.notes.find((note) => note.fields.get('english') === 'Africa')!;
let render: RenderCard;
let scopeCss: ScopeCss;
let classes: CardClasses;
let sanitize: (html: string) => string;

test.beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  const { JSDOM } = (await import(/* @vite-ignore */ paths.jsdom)) as { JSDOM: new (html: string) => { window: unknown } };
  (globalThis as unknown as { window: unknown }).window = new JSDOM('').window;
  ({ renderAnkiCard: render } = (await import(/* @vite-ignore */ paths.template)) as { renderAnkiCard: RenderCard });
  ({ scopeAnkiCss: scopeCss, ankiCardClasses: classes } = (await import(/* @vite-ignore */ paths.css)) as { scopeAnkiCss: ScopeCss; ankiCardClasses: CardClasses });
  ({ sanitizeAnkiCardHtml: sanitize } = (await import(/* @vite-ignore */ paths.sanitize)) as { sanitizeAnkiCardHtml: (html: string) => string });
});

/** A page holding one card side, as the app would: its own <style> for the scoped CSS, the card root and Anki's #qa wrapper. */
async function showCard(page: Page, html: string, css: string, theme: 'light' | 'dark'): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const { root, qa } = classes(scope, 0);
  await page.setContent(
    `<!doctype html><html data-theme="${theme}"><head><meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}"></head>` +
      `<body style="margin:0;background:#888"><main style="padding:24px"><div class="${root}"><div class="${qa}">${sanitize(html)}</div></div></main></body></html>`,
  );
  // textContent, never HTML: the CSS cannot close its element or add markup.
  await page.evaluate(`(() => { const style = document.createElement('style'); style.textContent = ${JSON.stringify(css)}; document.head.append(style); })()`);
  return requests;
}

const style = (page: Page, selector: string, property: string) =>
  page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`);

test('the front: the word on the note type’s gradient, no request for its web font', async ({ page }) => {
  const card = render({ template: compileAnkiTemplate(africa.notetype.templates[0]), fields: africa.fields, ord: 0, cloze: false });
  const requests = await showCard(page, card.question, scopeCss(africa.notetype.css, { scope }).css, 'light');
  await expect(page.locator('.word')).toHaveText('Africa');
  await expect(page.locator('.word-badge')).toHaveText('单词');
  expect(await style(page, '.word', 'font-size')).toBe('48px');
  expect(await style(page, '.word', 'color')).toBe('rgb(255, 255, 255)');
  expect(await style(page, '.front-container', 'background-image')).toContain('linear-gradient');
  expect(await style(page, '.word-badge', 'text-transform')).toBe('uppercase');
  expect(await style(page, `.${scope}`, 'color')).toBe('rgb(51, 51, 51)');
  expect(await style(page, `.${scope}`, 'line-height')).toBe('25.6px');
  // The CSS stays on the card: the page around it keeps its own look.
  expect(await style(page, 'main', 'color')).toBe('rgb(0, 0, 0)');
  expect(await style(page, 'main', 'line-height')).toBe('normal');
  expect(await style(page, 'body', 'background-color')).toBe('rgb(136, 136, 136)');
  expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
  await page.locator(`.${scope}`).screenshot({ path: join(screenshots, 'anki-mujing-front.png') });
});

test('the back: “7年级 2学期 1单元” in its tag, the importance coloured by its class', async ({ page }) => {
  const card = render({ template: compileAnkiTemplate(africa.notetype.templates[0]), fields: africa.fields, ord: 0, cloze: false });
  await showCard(page, card.answer, scopeCss(africa.notetype.css, { scope }).css, 'light');
  await expect(page.locator('.source-tag')).toHaveText('7年级 2学期 1单元');
  expect(await style(page, '.source-tag', 'color')).toBe('rgb(25, 118, 210)');
  expect(await style(page, '.importance-tag', 'color')).toBe('rgb(124, 179, 66)');
  expect(await style(page, '.header', 'background-image')).toContain('linear-gradient');
  expect(await style(page, '.meaning-section', 'display')).toBe('flex');
  await page.locator(`.${scope}`).screenshot({ path: join(screenshots, 'anki-mujing-back.png') });
});

test('night mode follows the app’s dark theme; nothing the deck positions leaves the card', async ({ page }) => {
  const css = `${africa.notetype.css}\n.nightMode .front-container .word { color: rgb(255, 200, 0) }\n.card .word-badge { position: fixed; top: 0; left: 0; width: 100vw; height: 100vh }`;
  const card = render({ template: compileAnkiTemplate(africa.notetype.templates[0]), fields: africa.fields, ord: 0, cloze: false });
  await showCard(page, card.question, scopeCss(css, { scope }).css, 'light');
  expect(await style(page, '.word', 'color')).toBe('rgb(255, 255, 255)');
  await showCard(page, card.question, scopeCss(css, { scope }).css, 'dark');
  expect(await style(page, '.word', 'color')).toBe('rgb(255, 200, 0)');
  const root = await page.locator(`.${scope}`).boundingBox();
  const badge = await page.locator('.word-badge').boundingBox();
  expect(root && badge).toBeTruthy();
  // contain: layout makes the root the badge's containing block (its "fixed" is at the card's
  // corner, not the window's), and paint containment clips it there: outside the card, clicks and
  // pixels belong to the page.
  expect(badge!.x).toBe(root!.x);
  expect(badge!.y).toBe(root!.y);
  expect(await page.evaluate(`document.elementFromPoint(${root!.x + root!.width + 8}, ${root!.y + 8})?.tagName`)).toBe('MAIN');
  expect(await page.evaluate(`document.elementFromPoint(${root!.x + 8}, ${root!.y + root!.height + 8})?.tagName`)).toBe('MAIN');
  await page.locator(`.${scope}`).screenshot({ path: join(screenshots, 'anki-mujing-front-dark.png') });
});
