// @vitest-environment jsdom
// The shared Anki fixtures, rendered through their own note types: each card as its template says,
// then through the card sanitizer, and the note type's CSS scoped and sanitized.
import { describe, expect, it } from 'vitest';
import { ankiCardOrdinals, compileAnkiTemplate, type CompiledTemplate } from '../../../src/shared/anki/template';
import { readPackage, type PackageNote } from './package';

// The renderer, the CSS scoper and the sanitizer are UI code (tsconfig.web.json): loaded by path,
// typed as far as used here.
interface RenderedCard {
  question: string;
  answer: string;
  empty: boolean;
  error: boolean;
}
interface CardRequest {
  template: CompiledTemplate;
  fields: ReadonlyMap<string, string>;
  ord: number;
  cloze: boolean;
  tags?: readonly string[];
  notetype?: string;
}
const templatePath = '../../../src/render/anki-template';
const cssPath = '../../../src/render/anki-css';
const { renderAnkiCard } = (await import(/* @vite-ignore */ templatePath)) as { renderAnkiCard: (request: CardRequest) => RenderedCard };
const { scopeAnkiCss } = (await import(/* @vite-ignore */ cssPath)) as {
  scopeAnkiCss: (css: string, options: { scope: string }) => { css: string; dropped: { reason: string; text: string }[] };
};

interface DomElement {
  innerHTML: string;
  textContent: string | null;
  className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
const sanitizePath = '../../../src/render/sanitize';
const { sanitizeAnkiCardHtml } = (await import(/* @vite-ignore */ sanitizePath)) as { sanitizeAnkiCardHtml: (html: string) => string };

function dom(html: string): DomElement {
  const root = (globalThis as unknown as { document: { createElement(tag: string): DomElement } }).document.createElement('div');
  root.innerHTML = sanitizeAnkiCardHtml(html);
  return root;
}

function render(note: PackageNote, ord: number) {
  const template = note.notetype.templates[ord];
  return renderAnkiCard({
    template: compileAnkiTemplate(template),
    fields: note.fields,
    ord,
    cloze: note.notetype.kind === 1,
    tags: note.tags,
    notetype: note.notetype.name,
  });
}

const text = (root: DomElement, selector: string) => root.querySelector(selector)?.textContent?.trim() ?? null;

describe('mujing-basic_word.apkg: a 13-field vocabulary note type', () => {
  const pkg = readPackage('mujing-basic_word.apkg');
  const africa = pkg.notes.find((note) => note.fields.get('english') === 'Africa');

  it('shows the word under its badge on the front, as the template lays it out', () => {
    expect(africa).toBeDefined();
    const front = dom(render(africa!, 0).question);
    expect(front.querySelector('.card-container.front-container .front-content')).not.toBeNull();
    expect(text(front, '.word-badge')).toBe('单词');
    expect(text(front, '.word')).toBe('Africa');
    expect(front.textContent).not.toContain('7年级');
  });

  it('shows “7年级 2学期 1单元” and every section of the back', () => {
    const back = dom(render(africa!, 0).answer);
    expect(text(back, '.source-tag')).toBe('7年级 2学期 1单元');
    expect(text(back, '.header .word')).toBe('Africa');
    expect(text(back, '.pronunciation')).toBe('/ˈæfrɪkə/');
    expect(text(back, '.part-of-speech')).toBe('n.');
    expect(text(back, '.chinese')).toBe('非洲');
    // The importance field is also a class name, which the note type's CSS colours (.普通, .重点).
    expect(back.querySelector('.tag.importance-tag')?.className).toBe('tag importance-tag 普通');
    expect(text(back, '.example')).toBe('Lions live in Africa.');
    expect(text(back, '.example-translation')).toBe('狮子生活在非洲。');
    expect(text(back, '.etymology .info-label')).toBe('词形结构');
    expect(text(back, '.memory-tip .info-text')).toBe('联想非洲大草原上的狮子，Africa的"A"像金字塔形状');
  });

  it('renders all 459 notes, each back’s source tag exactly as the template writes it', () => {
    expect(pkg.notes).toHaveLength(459);
    for (const note of pkg.notes) {
      expect(ankiCardOrdinals([compileAnkiTemplate(note.notetype.templates[0])], note.fields, { cloze: false })).toEqual([0]);
      const card = render(note, 0);
      expect(card.error || card.empty).toBe(false);
      const f = (name: string) => note.fields.get(name);
      expect(text(dom(card.answer), '.source-tag')).toBe(`${f('grade')}年级 ${f('semester')}学期 ${f('unit')}单元`);
    }
  });

  it('keeps its CSS for the card, without the Google Fonts @import', () => {
    const scoped = scopeAnkiCss(africa!.notetype.css, { scope: 'nt-1221680253' });
    // The root keeps the place the app gives it: `.card { margin: 0 }` does not apply to it.
    expect(scoped.dropped).toEqual([
      { reason: 'import', text: "@import url('https://fonts.googleapis.com/css2?family=Nunito:wght@400;600;700&display=swap')" },
      { reason: 'property', text: 'margin: 0' },
    ]);
    expect(scoped.css).not.toMatch(/@import|googleapis/);
    expect(scoped.css).toContain('.nt-1221680253 { font-family: \'Nunito\', \'PingFang SC\', \'Microsoft YaHei\', sans-serif; font-size: 16px; line-height: 1.6; text-align: left; color: #333; background: #f5f7fa; padding: 0 }');
    expect(scoped.css).toContain('.nt-1221680253 .front-container { background: linear-gradient(135deg, #6a11cb 0%, #2575fc 100%);');
    expect(scoped.css).toContain('.nt-1221680253 .重点 { background-color: #fff0f0; color: #e53935; border: 1px solid #ffcdd2 }');
  });

  it('renders the same cards from the newest package layout (collection.anki21b, schema 18)', () => {
    const newer = readPackage('mujing-basic_word_new_version.apkg');
    expect(newer.collection).toBe('collection.anki21b');
    const same = newer.notes.find((note) => note.fields.get('english') === 'Africa');
    expect(same?.notetype.css).toBe(africa!.notetype.css);
    expect(render(same!, 0)).toEqual(render(africa!, 0));
  });
});

describe('the other shared fixtures', () => {
  it('mujing-alphabet-word.apkg: Basic with {{FrontSide}}, the question above the rule on the back', () => {
    const pkg = readPackage('mujing-alphabet-word.apkg');
    const apple = pkg.notes.find((note) => note.fields.get('Front')?.includes('apple'));
    const card = render(apple!, 0);
    expect(card.question).toBe('<div><pre>apple</pre></div>');
    const back = dom(card.answer);
    expect(back.querySelector('hr#answer')).not.toBeNull();
    expect(text(back, 'pre')).toBe('apple');
    expect(back.textContent).toContain('苹果');
  });

  it('anki-media.apkg: a [sound:] field becomes an audio control named by its file', () => {
    const pkg = readPackage('anki-media.apkg');
    const front = dom(render(pkg.notes[0], 0).question);
    expect(front.querySelector('audio')?.getAttribute('src')).toBe('foo.wav');
    expect(front.textContent).not.toContain('[sound:');
  });

  it('anki-update1/2, apkgexport-output: every note type of an Anki 2.0 collection parses, and each note renders', () => {
    for (const name of ['anki-update1.apkg', 'anki-update2.apkg', 'apkgexport-output.apkg']) {
      const pkg = readPackage(name);
      for (const notetype of pkg.notetypes.values()) for (const template of notetype.templates) expect(compileAnkiTemplate(template).question.ok).toBe(true);
      for (const note of pkg.notes) {
        const card = render(note, 0);
        expect(card.error).toBe(false);
        expect(dom(card.question).textContent?.trim()).toBe(note.fields.get('Front')?.replace(/<[^>]*>/g, '').trim());
      }
    }
  });
});
