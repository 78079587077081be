import { createHash } from 'node:crypto';
import type { AnkiNotetype } from './collection';
import type { ExchangeNotetype } from '../types';
import { PROOFDECK_FIELD } from './proofdeck-field';

/**
 * Which Anki note types a deck keeps, and how they are written back. A shared deck is its note
 * type: the fields laid out by card templates and styled by CSS. Notes of such a note type keep
 * it (their cards are drawn by its templates, src/render/anki-template.ts). Anki's stock Basic,
 * Basic (and reversed card) and Cloze, two fields with Anki's plain look, become ProofDeck's own
 * Markdown notes instead (front, back; cloze), which the Markdown editor edits and review draws
 * with ProofDeck's look: nothing of their note type is lost on the way. ProofDeck's own note
 * types, exported earlier (they carry the ProofDeck field), come back as ProofDeck notes too.
 */

/** Identity of a note type's content. Its other settings (`extra`) do not change how a card looks. */
export function notetypeKey(notetype: Pick<ExchangeNotetype, 'ankiId' | 'name' | 'kind' | 'fields' | 'templates' | 'css'>): string {
  const canonical = JSON.stringify([notetype.ankiId, notetype.name, notetype.kind, notetype.fields, notetype.templates.map((t) => [t.name, t.front, t.back]), notetype.css]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Selectors and properties of Anki's stock CSS (every version since 2.1: `.card`, `.cloze`, night mode). */
const STOCK_SELECTORS = /^(\.card|\.cloze|\.cloze-inactive|\.night_?mode \.cloze|\.nightMode \.cloze|\.nightMode \.cloze-inactive|\.night_mode \.cloze-inactive)$/i;
const STOCK_PROPERTIES = /^(font-family|font-size|font-weight|text-align|color|background-color|line-height)$/i;

function stockCss(css: string): boolean {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '').trim();
  if (text === '') return true;
  const rule = /([^{}]+)\{([^{}]*)\}/g;
  let rest = text;
  for (const match of text.matchAll(rule)) {
    rest = rest.replace(match[0], '');
    const selectors = match[1].split(',').map((s) => s.trim().replace(/\s+/g, ' '));
    if (!selectors.every((s) => STOCK_SELECTORS.test(s))) return false;
    for (const declaration of match[2].split(';')) {
      const property = declaration.split(':')[0].trim();
      if (property !== '' && !STOCK_PROPERTIES.test(property)) return false;
    }
  }
  return rest.trim() === '';
}

/** A template of Anki's plain look: field replacements, `{{FrontSide}}`, Anki's answer rule and line breaks, nothing else. */
function plainTemplate(template: string): boolean {
  const rest = template
    .replace(/\{\{\s*(cloze:\s*)?[^{}#^/:]+\s*\}\}/g, '')
    .replace(/<hr\s+id\s*=\s*["']?answer["']?\s*\/?>/gi, '')
    .replace(/<br\s*\/?>/gi, '');
  return rest.trim() === '';
}

/** Whether notes of this note type keep it (see the module comment). */
export function keepsNotetype(notetype: AnkiNotetype): boolean {
  if (notetype.fields.includes(PROOFDECK_FIELD)) return false;
  const plain = notetype.fields.length === 2 && notetype.templates.length <= 2 && notetype.templates.every((t) => plainTemplate(t.front) && plainTemplate(t.back)) && stockCss(notetype.css);
  return !plain;
}

export function toExchangeNotetype(notetype: AnkiNotetype): ExchangeNotetype {
  const value = { ankiId: notetype.id, name: notetype.name, kind: notetype.kind === 1 ? (1 as const) : (0 as const), fields: notetype.fields, templates: notetype.templates, css: notetype.css };
  return { key: notetypeKey(value), ...value, extra: notetype.extra };
}

/** text.rs `UNDERSCORED_CSS_IMPORTS`: `@import "_x.css"` and `url(_x)` (quoted or not). */
const UNDERSCORED_CSS = /@import\s+(?:"(_[^"]*\.css)"|'(_[^']*\.css)')|url\(\s*(?:"(_[^"]+)"|'(_[^']+)'|(_.+?))\s*\)/gi;
/** text.rs `UNDERSCORED_REFERENCES`: `[sound:_x]`, a quoted `"_x"`, or `src=_x` / `data=_x`. */
const UNDERSCORED_REFERENCES = /\[sound:(_[^\]]+)\]|"(_[^"]+)"|'(_[^']+)'|\b(?:src|data)=(_[^ >]+)/g;
/** Any `url()` of a bare file name: ProofDeck's card renderer resolves those to deck media too (src/render/anki-css.ts). */
const CSS_URL = /url\(\s*(?:"([^"]+)"|'([^']+)'|([^"')\s]+))\s*\)/gi;

const first = (match: RegExpMatchArray) => match.slice(1).find((group) => group !== undefined) ?? '';

function bareName(value: string): string | null {
  if (!/^[^/\\:?#]+$/.test(value)) return null;
  try {
    const name = decodeURIComponent(value);
    return /^\.\.?$/.test(name) || /[/\\\0-\x1f]/.test(name) ? null : name;
  } catch {
    return null;
  }
}

/**
 * The media files a note type itself uses, which travel with its notes (notetype/mod.rs
 * `gather_media_names`: underscored files of the CSS and templates), plus every bare file name
 * the CSS names in `url()`, which ProofDeck's renderer resolves to deck media.
 */
export function notetypeMediaNames(notetype: Pick<ExchangeNotetype, 'css' | 'templates'>): Set<string> {
  const names = new Set<string>();
  for (const match of notetype.css.matchAll(UNDERSCORED_CSS)) names.add(first(match));
  for (const match of notetype.css.matchAll(CSS_URL)) {
    const name = bareName(first(match));
    if (name !== null) names.add(name);
  }
  for (const template of notetype.templates) {
    for (const side of [template.front, template.back]) for (const match of side.matchAll(UNDERSCORED_REFERENCES)) names.add(first(match));
  }
  names.delete('');
  return names;
}

const LATEX_PRE =
  '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';

type Entry = Record<string, unknown>;
const entries = (value: unknown): Entry[] => (Array.isArray(value) ? value.filter((e): e is Entry => !!e && typeof e === 'object') : []);

/**
 * The note type as Anki's legacy JSON (`col.models`), written back as it was read: its id, name,
 * fields, templates and CSS, with the other settings it came with (sort field, LaTeX, fonts…).
 */
export function ankiModelJson(notetype: ExchangeNotetype, id: number, deckId: number, nowSeconds: number): Record<string, unknown> {
  const base: Entry = { ...(notetype.extra ?? {}) };
  const oldFields = entries(base.flds);
  const oldTemplates = entries(base.tmpls);
  const flds = notetype.fields.map((name, ord) => ({
    sticky: false, rtl: false, font: 'Arial', size: 20, media: [],
    ...(oldFields.find((f) => f.name === name) ?? {}),
    name,
    ord,
  }));
  const tmpls = notetype.templates.map((template, ord) => ({
    did: null, bqfmt: '', bafmt: '',
    ...(oldTemplates.find((t) => t.name === template.name) ?? oldTemplates[ord] ?? {}),
    name: template.name,
    ord,
    qfmt: template.front,
    afmt: template.back,
  }));
  return {
    latexPre: LATEX_PRE,
    latexPost: '\\end{document}',
    tags: [],
    vers: [],
    sortf: 0,
    ...base,
    id,
    name: notetype.name,
    type: notetype.kind,
    mod: nowSeconds,
    usn: -1,
    did: deckId,
    flds,
    tmpls,
    css: notetype.css,
  };
}
