import { parse as parseYaml, YAMLError } from 'yaml';
import { AppError } from '../../../../src/shared/errors';
import { formatBytes, importLimits } from '../limits';
import { yamlNestingDepth } from './yaml-depth';
import { noteKinds, type NoteKind } from '../../../../src/shared/cloze';

/** Shared low-level Markdown scanning for the deck parser: front matter, fences, headings. */

export const maxMarkdownBytes = importLimits.markdownBytes;
export const maxMarkdownNotes = 10_000;

/** A body line with its 1-based line number in the original file. */
export interface SourceLine {
  text: string;
  number: number;
  /** Inside a fenced code block, the fence lines included: never a heading or a question there. */
  fenced: boolean;
  /** Info string of the fence this line opens (`mermaid`, `prove kv-cache-speed`); null otherwise. */
  fenceOpen: string | null;
  /** True on the line that closes a fence. */
  fenceClose: boolean;
}

export interface FrontMatter {
  data: Record<string, unknown>;
  lines: SourceLine[];
}

/** Prefix for error messages: `ko.md:12: ` or `line 12: `. */
export function where(fileName: string | undefined, line: number): string {
  return fileName ? `${fileName}:${line}: ` : `line ${line}: `;
}

/**
 * Splits YAML front matter (`---` … `---`) from the body and marks fenced lines. CRLF and a
 * byte-order mark are accepted; bad YAML is an `import-invalid` error naming the line.
 */
export function scanMarkdown(text: string, fileName?: string): FrontMatter {
  if (Buffer.byteLength(text, 'utf8') > maxMarkdownBytes) {
    throw new AppError('import-too-large', `${fileName ?? 'Markdown file'} is larger than 10 MB`, {
      reason: 'markdown-too-large',
      file: fileName ?? 'Markdown',
      limit: formatBytes(maxMarkdownBytes),
    });
  }
  const raw = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let data: Record<string, unknown> = {};
  let bodyStart = 0;
  if (raw[0]?.trimEnd() === '---') {
    const end = raw.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
    if (end < 0) {
      throw new AppError('import-invalid', `${where(fileName, 1)}front matter starts with --- but is never closed`, { line: 1 });
    }
    data = parseFrontMatter(raw.slice(1, end).join('\n'), fileName);
    bodyStart = end + 1;
  }
  return { data, lines: markFences(raw.slice(bodyStart), bodyStart + 1) };
}

function parseFrontMatter(source: string, fileName?: string): Record<string, unknown> {
  const file = fileName ?? 'Markdown';
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > importLimits.frontMatterBytes) {
    throw new AppError('import-too-large', `${where(fileName, 1)}front matter is ${bytes} bytes; the limit is ${importLimits.frontMatterBytes}`, {
      reason: 'front-matter-too-large',
      file,
      size: formatBytes(bytes),
      limit: formatBytes(importLimits.frontMatterBytes),
    });
  }
  const depth = yamlNestingDepth(source);
  if (depth > importLimits.yamlDepth) {
    throw new AppError('import-invalid', `${where(fileName, 2)}front matter nests ${depth} levels deep; the limit is ${importLimits.yamlDepth}`, {
      reason: 'yaml-depth',
      file,
      limit: importLimits.yamlDepth,
    });
  }
  let value: unknown;
  try {
    // Plain data only: the core schema has no custom tags, and aliases are capped against billion-laughs input.
    value = parseYaml(source, { schema: 'core', maxAliasCount: importLimits.yamlAliases, uniqueKeys: true, logLevel: 'error' });
  } catch (error) {
    if (error instanceof YAMLError) {
      // +1: the front matter starts on the line after the opening ---.
      const line = (error.linePos?.[0]?.line ?? 0) + 1;
      const reason = error.message.split('\n')[0];
      throw new AppError('import-invalid', `${where(fileName, line)}front matter is not valid YAML: ${reason}`, { reason: 'yaml', file, line, detail: reason });
    }
    // The yaml package stops an alias bomb with a ReferenceError, and deep nesting can overflow the stack.
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new AppError('import-invalid', `${where(fileName, 2)}front matter uses more than ${importLimits.yamlAliases} YAML aliases (an alias bomb?)`, {
        reason: 'yaml-aliases',
        file,
        limit: importLimits.yamlAliases,
      });
    }
    throw new AppError('import-invalid', `${where(fileName, 2)}front matter is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, {
      reason: 'yaml',
      file,
      line: 2,
    });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('import-invalid', `${where(fileName, 2)}front matter must be a mapping of keys to values`, { line: 2 });
  }
  return value as Record<string, unknown>;
}

const fenceStart = /^\s*(`{3,}|~{3,})\s*([^`]*?)\s*$/;

function markFences(texts: string[], firstNumber: number): SourceLine[] {
  const lines: SourceLine[] = [];
  let open: { char: string; length: number } | null = null;
  texts.forEach((text, index) => {
    const line: SourceLine = { text, number: firstNumber + index, fenced: false, fenceOpen: null, fenceClose: false };
    if (open) {
      line.fenced = true;
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1][0] === open.char && close[1].length >= open.length) {
        line.fenceClose = true;
        open = null;
      }
    } else {
      const start = fenceStart.exec(text);
      if (start) {
        open = { char: start[1][0], length: start[1].length };
        line.fenced = true;
        line.fenceOpen = start[2];
      }
    }
    lines.push(line);
  });
  return lines;
}

export interface Heading {
  level: number;
  text: string;
}

/** An ATX heading (`## Title`), or null. Fenced lines are never headings. */
export function headingOf(line: SourceLine): Heading | null {
  if (line.fenced) return null;
  const match = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line.text);
  if (!match) return null;
  return { level: match[1].length, text: (match[2] ?? '').trim() };
}

export interface QuestionAttributes {
  text: string;
  id: string | null;
  guid: string | null;
  tags: string[];
  language: string | null;
  /** `kind="reversed"` (or "cloze", "basic"); null: cloze when the question has `{{c1::…}}`, basic otherwise. */
  kind: NoteKind | null;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** True for ids usable in `{#id}` and in guids. */
export function isValidNoteId(id: string): boolean {
  return idPattern.test(id);
}

/**
 * Splits a trailing attribute block off a question: `What is X? {#x tags="a b" guid="…" lang="en"}`.
 * Values are JSON strings, so a guid may hold any character.
 */
export function splitAttributes(question: string, fileName: string | undefined, lineNumber: number): QuestionAttributes {
  const result: QuestionAttributes = { text: question.trim(), id: null, guid: null, tags: [], language: null, kind: null };
  const match = /\s*\{#(\S+?)((?:\s+[a-z]+="(?:[^"\\]|\\.)*")*)\s*\}\s*$/.exec(question);
  if (!match) return result;
  const id = match[1];
  if (!isValidNoteId(id)) {
    throw new AppError('import-invalid', `${where(fileName, lineNumber)}"{#${id}}" is not a valid id (letters, digits, . _ : -)`, { line: lineNumber });
  }
  result.text = question.slice(0, match.index).trim();
  result.id = id;
  for (const attribute of match[2].matchAll(/([a-z]+)=("(?:[^"\\]|\\.)*")/g)) {
    const value = JSON.parse(attribute[2]) as string;
    if (attribute[1] === 'guid') result.guid = value;
    else if (attribute[1] === 'tags') result.tags = normalizeTags(value);
    else if (attribute[1] === 'lang') result.language = value;
    else if (attribute[1] === 'kind') {
      if (!noteKinds.includes(value as NoteKind)) {
        throw new AppError('import-invalid', `${where(fileName, lineNumber)}kind="${value}" is not a note kind (basic, reversed, cloze)`, { line: lineNumber });
      }
      result.kind = value as NoteKind;
    }
  }
  return result;
}

/** Anki-style tags: no spaces inside a tag, no duplicates, order kept. */
export function normalizeTags(value: unknown): string[] {
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string' || typeof item === 'number') parts.push(String(item).trim().replace(/\s+/g, '_'));
  } else if (typeof value === 'string') {
    parts.push(...value.split(/[\s,]+/));
  }
  return [...new Set(parts.filter((tag) => tag.length > 0))];
}

/**
 * Tidies a block of Markdown lines: no leading or trailing blank lines or horizontal rules, no
 * runs of blank lines, no rule right after another rule (what is left when questions are cut out).
 */
export function tidyBlock(lines: string[]): string {
  const kept: string[] = [];
  let lastContentIsRule = true; // the start counts as a rule: a leading rule is dropped
  for (const text of lines) {
    const line = text.trim() === '' ? '' : text;
    if (line === '') {
      if (kept.length > 0 && kept.at(-1) !== '') kept.push('');
      continue;
    }
    const rule = isRule(line);
    if (rule && lastContentIsRule) continue;
    kept.push(line);
    lastContentIsRule = rule;
  }
  while (kept.length > 0 && (kept.at(-1) === '' || isRule(kept.at(-1) ?? ''))) kept.pop();
  return kept.join('\n');
}

function isRule(line: string): boolean {
  return /^ {0,3}(-{3,}|\*{3,}|_{3,})\s*$/.test(line);
}

/** Removes the common leading indentation (spaces; a tab counts as 4). */
export function dedent(lines: string[], columns?: number): string[] {
  const expanded = lines.map((line) => line.replace(/^[ \t]+/, (space) => space.replace(/\t/g, '    ')));
  const indents = expanded.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = columns ?? (indents.length > 0 ? Math.min(...indents) : 0);
  return expanded.map((line) => {
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    return line.slice(Math.min(indent, common));
  });
}
