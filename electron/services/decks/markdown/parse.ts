import { createHash } from 'node:crypto';
import { AppError } from '../../../../src/shared/errors';
import type { NoteKind } from '../../../../src/shared/cloze';
import { findQuestionBlocks, type QuestionBlock } from './questions';
import { contextFinder } from './sections';
import { maxMarkdownNotes, normalizeTags, scanMarkdown, where, headingOf, type SourceLine } from './syntax';

/**
 * Markdown decks: the seed's own shape (`**Q. …**` / `**A.** …` bullets under a heading) and the
 * cleaner DESIGN.md form (`## Q. … {#id}`, `A. …`, an optional ```prove id``` block), both with
 * YAML front matter. Pure: text in, notes out; the file system lives in markdown-folder.ts.
 */

export interface ExperimentLink {
  id: string;
  params: Record<string, unknown>;
}

export interface NoteFields {
  front: string;
  back: string;
  context: string;
}

export interface ParsedNote extends NoteFields {
  /** Stable id inside the deck: the explicit `{#id}`, or `q-<hash of the question>`. */
  id: string;
  /** Globally stable: `${deckKey}:${id}` unless the file gives one (`guid="…"`). */
  guid: string;
  tags: string[];
  language: string;
  experiment: ExperimentLink | null;
  /** The same card in other languages, keyed by language code. */
  translations: Record<string, NoteFields>;
  /** Absent: basic. */
  kind?: NoteKind;
}

export interface DeckMeta {
  title: string;
  key: string;
  version: number | null;
  tags: string[];
  language: string;
  /** Set on a translation file: the language of the primary file it translates (`translation_of: ko`). */
  translationOf: string | null;
  description: string;
}

export interface ParseWarning {
  file?: string;
  line: number;
  message: string;
}

export interface ParsedDeck {
  meta: DeckMeta;
  notes: ParsedNote[];
  warnings: ParseWarning[];
}

export interface ParseOptions {
  /** Shown in errors and warnings; its stem is the last-resort deck key. */
  fileName?: string;
  /** Overrides the deck key of the front matter (guids are built from it). */
  deckKey?: string;
}

/**
 * Parses a Markdown deck. Throws `AppError('import-invalid')` for broken front matter, bad ids,
 * duplicate ids or bad ```prove``` JSON, and `AppError('import-too-large')` past 10 MB or 10,000 notes.
 */
export function parseMarkdownDeck(text: string, options: ParseOptions = {}): ParsedDeck {
  const { fileName } = options;
  const { data, lines } = scanMarkdown(text, fileName);
  const warnings: ParseWarning[] = [];
  const warn = (line: number, message: string): void => {
    warnings.push(fileName ? { file: fileName, line, message } : { line, message });
  };
  const blocks = findQuestionBlocks(lines, fileName, warn);
  if (blocks.length > maxMarkdownNotes) {
    throw new AppError('import-too-large', `${fileName ?? 'Markdown file'} has ${blocks.length} questions; the limit is ${maxMarkdownNotes}`, {
      reason: 'too-many-notes',
      count: blocks.length,
      limit: maxMarkdownNotes,
    });
  }
  const meta = readMeta(data, lines, blocks, options);
  if (blocks.length === 0) warn(1, 'no questions found (expected "## Q. …" headings or "**Q. …**" bullets)');

  const contextOf = contextFinder(lines, blocks);
  const notes: ParsedNote[] = [];
  const seen = new Map<string, number>();
  for (const block of blocks) {
    const id = block.id ?? `q-${questionHash(meta.key, block.front)}`;
    const guid = block.guid ?? `${meta.key}:${id}`;
    const earlier = seen.get(guid);
    if (earlier !== undefined) {
      if (block.id !== null) {
        throw new AppError('import-invalid', `${where(fileName, block.line)}id "${id}" is used twice (first on line ${earlier})`, { line: block.line });
      }
      warn(block.line, `the same question appears on line ${earlier}; this copy is skipped`);
      continue;
    }
    seen.set(guid, block.line);
    notes.push({
      id,
      guid,
      front: block.front,
      back: block.back,
      context: block.context ?? contextOf(block),
      tags: [...new Set([...meta.tags, ...block.tags])],
      language: block.language ?? meta.language,
      experiment: block.experiment,
      translations: {},
      ...(block.noteKind !== 'basic' ? { kind: block.noteKind } : {}),
    });
  }
  return { meta, notes, warnings };
}

/**
 * True when a text file is a Markdown deck rather than CSV: it opens with front matter or holds a
 * question in either shape. The seed note itself is a `.txt` file.
 */
export function looksLikeMarkdownDeck(text: string): boolean {
  const head = text.slice(0, 1_000_000).replace(/^\uFEFF/, '');
  return /^---\r?\n/.test(head) || /^ {0,3}#{1,6}[ \t]+(\*\*)?Q[.:]/m.test(head) || /^\s*(?:[-*+]|\d+[.)])\s+\*\*Q[.:]/m.test(head);
}

/** A deck key for a deck that has none (a user's deck being exported): its name, slugged. */
export function deckKeyFromName(name: string): string {
  return slug(name) || 'deck';
}

/** Hash of the deck key and the question as a reader sees it (spacing and Unicode form ignored). */
export function questionHash(deckKey: string, question: string): string {
  const normalized = question.normalize('NFC').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${deckKey}\u0000${normalized}`).digest('hex').slice(0, 16);
}

const keyPattern = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u;
const languagePattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function readMeta(data: Record<string, unknown>, lines: SourceLine[], blocks: QuestionBlock[], options: ParseOptions): DeckMeta {
  const file = options.fileName;
  const fail = (message: string): never => {
    throw new AppError('import-invalid', `${where(file, 1)}front matter: ${message}`, { line: 1 });
  };
  const stringField = (name: string, value: unknown): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
    return fail(`"${name}" must be text`);
  };

  const stem = file ? file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') : '';
  const title = stringField('title', data.title) || firstHeading(lines, blocks) || stem || 'Untitled';

  const explicitKey = options.deckKey ?? stringField('deck', data.deck) ?? stringField('key', data.key);
  if (explicitKey !== null && !keyPattern.test(explicitKey)) fail(`deck key "${explicitKey}" may hold only letters, digits, . _ -`);
  const key = explicitKey ?? (slug(title) || slug(stem) || 'markdown');

  let version: number | null = null;
  if (data.version !== undefined && data.version !== null) {
    if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) fail('"version" must be a whole number from 1');
    version = data.version as number;
  }

  const language = stringField('language', data.language ?? data.lang) ?? detectLanguage(lines);
  if (!languagePattern.test(language)) fail(`"language" must be a language code such as ko or en, not "${language}"`);
  const translationOf = stringField('translation_of', data.translation_of);
  if (translationOf !== null && !languagePattern.test(translationOf)) fail(`"translation_of" must be a language code, not "${translationOf}"`);
  if (data.tags !== undefined && data.tags !== null && typeof data.tags !== 'string' && !Array.isArray(data.tags)) fail('"tags" must be a list or text');

  return {
    title,
    key,
    version,
    tags: normalizeTags(data.tags),
    language,
    translationOf,
    description: stringField('description', data.description) ?? '',
  };
}

function firstHeading(lines: SourceLine[], blocks: QuestionBlock[]): string | null {
  const firstQuestion = blocks[0]?.startIndex ?? lines.length;
  for (let index = 0; index < firstQuestion; index++) {
    const heading = headingOf(lines[index]);
    if (heading?.level === 1 && heading.text) return heading.text;
  }
  return null;
}

function slug(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

function detectLanguage(lines: SourceLine[]): string {
  return lines.some((line) => /[\uAC00-\uD7A3]/.test(line.text)) ? 'ko' : 'en';
}
