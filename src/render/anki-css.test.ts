import { describe, expect, it } from 'vitest';
import { ankiCardClasses, ankiCssMediaNames, cssMediaName, scopeAnkiCss } from './anki-css';

const scope = 'nt-42';
const scoped = (css: string, media?: (name: string) => string | null) => scopeAnkiCss(css, { scope, media });
/** The rules of the output without the containment guard at its end, one per line. */
const rules = (css: string, media?: (name: string) => string | null) =>
  scoped(css, media)
    .css.split('\n')
    .filter((line) => line && !line.startsWith(`.${scope}.${scope}.${scope}`));

describe('scoping a note type’s CSS to its cards', () => {
  it('maps .card, body, html and :root to the card root, everything else inside it', () => {
    expect(rules('.card { color: #333; font-size: 16px }')).toEqual([`.${scope} { color: #333; font-size: 16px }`]);
    expect(rules('html, body { color: red }')).toEqual([`.${scope}, .${scope} { color: red }`]);
    expect(rules(':root { --accent: #6a11cb }')).toEqual([`.${scope} { --accent: #6a11cb }`]);
    expect(rules('.front-container .word { font-size: 48px }')).toEqual([`.${scope} .front-container .word { font-size: 48px }`]);
    expect(rules('.重点 { color: #e53935 }')).toEqual([`.${scope} .重点 { color: #e53935 }`]);
    expect(rules('.info-item:hover { transform: translateY(-2px) }')).toEqual([`.${scope} .info-item:hover { transform: translateY(-2px) }`]);
    expect(rules('.card > div, body .a, * { margin: 0 }')).toEqual([`.${scope} > div, .${scope} .a, .${scope} * { margin: 0 }`]);
    expect(rules('div.card .x { color: red }')).toEqual([`.${scope} div.card .x { color: red }`]);
  });

  it('turns Anki’s night mode into the app’s dark theme', () => {
    const dark = ":root[data-theme='dark']";
    expect(rules('.nightMode .word { color: white }')).toEqual([`${dark} .${scope} .word { color: white }`]);
    expect(rules('.night_mode .card .word { color: white }')).toEqual([`${dark} .${scope} .word { color: white }`]);
    expect(rules('.card.nightMode { background: #222 }')).toEqual([`${dark} .${scope} { background: #222 }`]);
    expect(rules('body.nightMode > .x, .nightMode.card .y { color: #eee }')).toEqual([`${dark} .${scope} > .x, ${dark} .${scope} .y { color: #eee }`]);
    expect(scopeAnkiCss('.nightMode .x { color: red }', { scope, darkSelector: 'body.dark' }).css).toContain(`body.dark .${scope} .x`);
  });

  it('keeps per-template and platform classes on the root, and #qa as the content wrapper', () => {
    expect(rules('.card1 .front { color: blue }')).toEqual([`.${scope}.${scope}--card1 .front { color: blue }`]);
    expect(rules('.isMac.card { font-size: 18px }')).toEqual([`.${scope}.${scope}--isMac { font-size: 18px }`]);
    expect(rules('#qa .x, #qa { color: red }')).toEqual([`.${scope} .${scope}-qa .x, .${scope} .${scope}-qa { color: red }`]);
    expect(ankiCardClasses(scope, 0, 'isMac')).toEqual({ root: `${scope} ${scope}--card1 ${scope}--isMac`, qa: `${scope}-qa` });
  });

  it('drops selectors that would reach outside the card', () => {
    const result = scoped('.card ~ .app, .card + nav, body ~ * { display: none } .a ~ .b { color: red }');
    expect(rules('.card ~ .app, .card + nav, body ~ * { display: none } .a ~ .b { color: red }')).toEqual([`.${scope} .a ~ .b { color: red }`]);
    expect(result.dropped.filter((d) => d.reason === 'selector')).toHaveLength(3);
    expect(rules('> .x { color: red } .y > { color: red }')).toEqual([]);
  });

  it('keeps the root where the app puts it: no position, transform or margin on the root itself', () => {
    expect(rules('.card { position: fixed; top: 0; z-index: 9999; transform: scale(3); margin: -500px; color: red }')).toEqual([`.${scope} { color: red }`]);
    expect(rules('.card .x { position: fixed; top: 0 }')).toEqual([`.${scope} .x { position: fixed; top: 0 }`]);
    // A rule for both the root and an element inside splits, so the element keeps its layout.
    expect(rules('.card, .x { margin: 0; color: red }')).toEqual([`.${scope} .x { margin: 0; color: red }`, `.${scope} { color: red }`]);
    expect(scoped('.x { contain: none }').dropped[0].reason).toBe('property');
    expect(scoped('').css).toBe(`.${scope}.${scope}.${scope} { contain: layout paint !important; position: relative !important; }\n`);
  });
});

describe('sanitizing a note type’s CSS', () => {
  it('drops @import, remote fonts and every url() that is not a bounded data: image or font', () => {
    const css = [
      "@import url('https://fonts.googleapis.com/css2?family=Nunito:wght@400;600;700&display=swap');",
      '.a { background: url(https://tracker.example/p.gif) }',
      '.b { background: url("//evil.example/x.png") }',
      '.c { background-image: url(javascript:alert(1)) }',
      '.d { background: url("data:text/html,<script>alert(1)</script>") }',
      '.e { background: url(file:///etc/passwd) }',
      '.f { background: url("data:image/png;base64,iVBORw0KGgo=") no-repeat }',
      '.g { filter: url(#shadow) }',
      '.h { list-style-image: url(_missing.png) }',
    ].join('\n');
    const result = scoped(css);
    expect(result.css).not.toMatch(/https?:|\/\/evil|javascript|file:|text\/html|@import/);
    expect(result.css).toContain(`.${scope} .f { background: url("data:image/png;base64,iVBORw0KGgo=") no-repeat }`);
    expect(result.css).toContain(`.${scope} .g { filter: url("#shadow") }`);
    expect(result.dropped.map((d) => d.reason).sort()).toEqual(['import', 'url', 'url', 'url', 'url', 'url', 'url']);
  });

  it('sees through CSS escapes and refuses functions that load or run', () => {
    const css = [
      '.a { background: \\75 rl(https://evil.example/x.png) }',
      '.b { background: url("\\68 ttps://evil.example/x.png") }',
      '.c { background: image-set("https://evil.example/x.png" 1x) }',
      '.d { width: expression(alert(1)) }',
      '.e { behavior: url(x.htc) }',
      '.f { -moz-binding: url(x.xml#b) }',
      '.g { background: paint(evil) }',
      '.h { --bg: url(https://evil.example/y.png); --ok: #fff }',
      '.i { background: src("https://evil.example/z.png") }',
    ].join('\n');
    const result = scoped(css);
    expect(result.css).not.toContain('evil');
    expect(result.css).not.toMatch(/expression|behavior|binding|paint\(/);
    expect(result.css).toContain(`.${scope} .h { --ok: #fff }`);
  });

  it('bounds the size of data: URLs and of the whole stylesheet', () => {
    const big = `data:image/png;base64,${'A'.repeat(200 * 1024)}`;
    expect(scoped(`.a { background: url("${big}") }`).dropped[0].reason).toBe('url');
    const huge = scopeAnkiCss('.a { color: red }\n'.repeat(40_000), { scope });
    expect(huge.css).toBe('');
    expect(huge.dropped).toEqual([{ reason: 'too-large', text: '720000 characters' }]);
  });

  it('inlines a deck’s own font file and renames its family so the app’s fonts stay the app’s', () => {
    const woff = 'data:font/woff2;base64,d09GMgABAAAAA';
    const media = (name: string) => (name === '_handwriting.woff2' ? woff : null);
    const css = "@font-face { font-family: 'Pretendard'; src: url(_handwriting.woff2) format('woff2') }\n.card { font-family: 'Pretendard', sans-serif } .x { font: 12px/1.5 Pretendard }";
    const out = rules(css, media);
    expect(out).toEqual([
      `@font-face { font-family: "${scope}--Pretendard"; src: url("${woff}") format('woff2') }`,
      `.${scope} { font-family: "${scope}--Pretendard", sans-serif }`,
      `.${scope} .x { font: 12px/1.5 "${scope}--Pretendard" }`,
    ]);
    // Without the file (or with a remote one), the @font-face goes and the family stays a plain name.
    expect(rules("@font-face { font-family: X; src: url(https://cdn.example/x.woff2) }")).toEqual([]);
  });

  it('resolves the deck media a stylesheet names, and only bare file names', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const asked: string[] = [];
    const media = (name: string) => {
      asked.push(name);
      return name === 'bg.png' || name === 'my font.woff2' ? (name === 'bg.png' ? png : 'data:font/woff2;base64,d09G') : null;
    };
    const css = [
      '.a { background: url("bg.png") }',
      ".b { background-image: url('bg.png'), linear-gradient(red, blue) }",
      "@font-face { font-family: Hand; src: url(my%20font.woff2) format('woff2'), url(_gone.woff) }",
      '.c { background: url(../bg.png) }',
      '.d { background: url(/bg.png) }',
      '.e { background: url(%2e%2e%2fbg.png) }',
      '.f { background: url("..") }',
      '.g { background: url(bg.png?x=1) }',
      '.h { background: url(C:bg.png) }',
      '.i { background: url("a%5cbg.png") }',
      '.j { background: url(%E0%A4%A) }',
      '.k { background: url("sub/bg.png") }',
      '.l { background: url(%00bg.png) }',
    ].join('\n');
    const out = scoped(css, media);
    expect(out.css).toContain(`.${scope} .a { background: url("${png}") }`);
    expect(out.css).toContain(`.${scope} .b { background-image: url("${png}"), linear-gradient(red, blue) }`);
    // One file of a `src` list missing drops the declaration (and so the @font-face): nothing half-loaded.
    expect(out.css).not.toContain('@font-face');
    for (const rule of ['.c', '.d', '.e', '.f', '.g', '.h', '.i', '.j', '.k', '.l']) expect(out.css).not.toContain(`.${scope} ${rule} `);
    // The callback only ever sees single names: no separator, no parent folder, no scheme.
    expect(asked.sort()).toEqual(['_gone.woff', 'bg.png', 'bg.png', 'my font.woff2']);
    expect(ankiCssMediaNames(css).sort()).toEqual(['_gone.woff', 'bg.png', 'my font.woff2']);
    expect(['..', '.', 'a/b', 'a\\b', '%2F', 'x:y', 'a#b', 'a?b', '%', '%0a'].map(cssMediaName)).toEqual(Array(10).fill(null));
    expect(cssMediaName('_Noto%20Sans%20KR.woff2')).toBe('_Noto Sans KR.woff2');
  });

  it('refuses a media file that is not an image or a font, or too large', () => {
    const css = '.a { background: url(page.html) } .b { background: url(big.png) } .c { background: url(quote.png) }';
    const media = (name: string) =>
      ({ 'page.html': 'data:text/html;base64,PHNjcmlwdD4=', 'big.png': `data:image/png;base64,${'A'.repeat(1000)}`, 'quote.png': 'data:image/png;base64,"x' })[name] ?? null;
    expect(scopeAnkiCss(css, { scope, media, maxMediaDataUrlChars: 500 }).css).not.toContain('url(');
    // Within the media bound, a file may be larger than what the stylesheet itself may inline.
    expect(scopeAnkiCss('.b { background: url(big.png) }', { scope, media, maxDataUrlChars: 100 }).css).toContain('url("data:image/png;base64,AAAA');
  });

  it('renames keyframes, keeps @media and @supports scoped, drops global at-rules', () => {
    const css = `@keyframes spin { from { transform: rotate(0deg) } to { transform: rotate(360deg) } }
.icon { animation: spin 2s linear infinite }
@media (max-width: 600px) { .card { font-size: 14px } .word { font-size: 32px } }
@supports (display: grid) { .grid { display: grid } }
@page { margin: 0 } @charset "utf-8"; @namespace svg url(http://www.w3.org/2000/svg); @property --x { syntax: '<length>'; inherits: false; initial-value: 0px }`;
    const out = scoped(css);
    expect(out.css).toContain(`@keyframes ${scope}--spin {\nfrom { transform: rotate(0deg) }\nto { transform: rotate(360deg) }\n}`);
    expect(out.css).toContain(`.${scope} .icon { animation: ${scope}--spin 2s linear infinite }`);
    expect(out.css).toContain(`@media (max-width: 600px) {\n.${scope} { font-size: 14px }\n.${scope} .word { font-size: 32px }\n}`);
    expect(out.css).toContain(`@supports (display: grid) {\n.${scope} .grid { display: grid }\n}`);
    expect(out.css).not.toMatch(/@page|@charset|@namespace|@property/);
  });

  it('never lets the text close a <style> element', () => {
    const out = scoped('.x::after { content: "</style><script>alert(1)</script>" }').css;
    expect(out).not.toMatch(/<\/style/i);
    expect(out).toContain('content: "<\\/style><script>alert(1)<\\/script>"');
  });

  it('refuses a scope that is not a class name', () => {
    expect(() => scopeAnkiCss('', { scope: 'a b' })).toThrow(RangeError);
    expect(() => scopeAnkiCss('', { scope: '1x' })).toThrow(RangeError);
  });
});
