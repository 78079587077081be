import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { AppError } from '../../../../src/shared/errors';
import { parseMarkdownDeck, type ParseOptions, type ParsedDeck, type ParsedNote, type ParseWarning } from './parse';
import { exportMarkdownFiles, type ExportDeckInfo } from './export';
import { maxMarkdownBytes, maxMarkdownNotes } from './syntax';
import { formatBytes } from '../limits';

/**
 * Markdown folders of notes: every `.md` (and seed-style `.txt`) file under a folder, parsed and
 * grouped by deck key, translation files (`translation_of: ko`) merged into their primary notes
 * by id. Reading never leaves the folder: entries with `..`, absolute paths and symlinks that
 * point outside are refused.
 */

export interface MarkdownFolder {
  decks: ParsedDeck[];
  /** Files read, relative to the folder, in the order read. */
  files: string[];
  warnings: ParseWarning[];
}

const markdownFile = /\.(md|markdown|txt)$/i;
const maxFiles = 10_000;
const maxFolderBytes = 100 * 1024 * 1024;
const maxDepth = 16;

/** Resolves `relativePath` under `root`, refusing `..`, absolute paths and symlinks that leave `root`. */
export function resolveInside(root: string, relativePath: string): string {
  if (relativePath === '' || isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath) || relativePath.split(/[\\/]/).includes('..')) {
    throw new AppError('import-invalid', `"${relativePath}" is not a plain path inside the folder`, { reason: 'folder-path', path: relativePath });
  }
  const realRoot = realpathSync(root);
  const target = resolve(realRoot, relativePath);
  if (existsSync(target)) {
    const real = realpathSync(target);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new AppError('import-invalid', `"${relativePath}" is a link that points outside the folder`, { reason: 'folder-path', path: relativePath });
    }
  }
  return target;
}

/** Reads one Markdown deck file: size-checked, UTF-8-checked, and it must hold at least one question. */
export function readMarkdownFile(path: string, options: ParseOptions = {}): ParsedDeck {
  const fileName = options.fileName ?? path.replace(/^.*[\\/]/, '');
  const deck = parseMarkdownDeck(readUtf8(path, fileName), { ...options, fileName });
  if (deck.notes.length === 0) {
    throw new AppError('import-invalid', `${fileName} holds no questions (expected "## Q. …" headings or "**Q. …**" bullets)`, { file: fileName });
  }
  return deck;
}

function readUtf8(path: string, fileName: string): string {
  const size = statSync(path).size;
  if (size > maxMarkdownBytes) {
    throw new AppError('import-too-large', `${fileName} is larger than 10 MB`, { reason: 'markdown-too-large', file: fileName, limit: formatBytes(maxMarkdownBytes) });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    throw new AppError('import-invalid', `${fileName} is not valid UTF-8 text`, { file: fileName });
  }
}

/** Reads every Markdown file under `dir` (sorted, recursive) and merges them into decks. */
export function readMarkdownFolder(dir: string, options: { deckKey?: string } = {}): MarkdownFolder {
  const root = realpathSync(dir);
  const files = listFiles(root);
  const parsed: ParsedDeck[] = [];
  let bytes = 0;
  let notes = 0;
  for (const file of files) {
    const path = resolveInside(root, file);
    bytes += statSync(path).size;
    if (bytes > maxFolderBytes) {
      throw new AppError('import-too-large', `the folder holds more than 100 MB of Markdown`, { reason: 'folder-too-large', limit: formatBytes(maxFolderBytes) });
    }
    const deck = parseMarkdownDeck(readUtf8(path, file), { fileName: file, deckKey: options.deckKey });
    notes += deck.notes.length;
    if (notes > maxMarkdownNotes) {
      throw new AppError('import-too-large', `the folder holds more than ${maxMarkdownNotes} questions`, { reason: 'too-many-notes', count: notes, limit: maxMarkdownNotes });
    }
    parsed.push(deck);
  }
  const merged = mergeDeckFiles(parsed);
  if (merged.decks.length === 0) {
    throw new AppError('import-invalid', `no Markdown file in the folder holds questions`, { files: files.length });
  }
  return { decks: merged.decks, files, warnings: merged.warnings };
}

function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (relativeDir: string, depth: number): void => {
    if (depth > maxDepth) throw new AppError('import-invalid', `the folder is nested more than ${maxDepth} levels deep`, { reason: 'folder-too-deep', limit: maxDepth });
    const entries = readdirSync(join(root, relativeDir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // .git, .obsidian, editor swap files
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        const target = resolveInside(root, relativePath); // throws when the link leaves the folder
        if (statSync(target).isFile() && markdownFile.test(entry.name)) found.push(relativePath);
        continue; // links to folders are not followed: they could loop
      }
      if (entry.isDirectory()) walk(relativePath, depth + 1);
      else if (entry.isFile() && markdownFile.test(entry.name)) found.push(relativePath);
      if (found.length > maxFiles) {
        throw new AppError('import-too-large', `the folder holds more than ${maxFiles} Markdown files`, { reason: 'folder-too-many-files', limit: maxFiles });
      }
    }
  };
  walk('', 0);
  return found;
}

/**
 * Groups parsed files by deck key: primary files' notes are concatenated, translation files
 * fill `translations[language]` of the primary note with the same id.
 */
export function mergeDeckFiles(files: ParsedDeck[]): { decks: ParsedDeck[]; warnings: ParseWarning[] } {
  const warnings: ParseWarning[] = files.flatMap((file) => file.warnings);
  const decks = new Map<string, ParsedDeck>();
  const byGuid = new Map<string, ParsedNote>();
  for (const file of files.filter((entry) => entry.meta.translationOf === null && entry.notes.length > 0)) {
    let deck = decks.get(file.meta.key);
    if (!deck) {
      deck = { meta: { ...file.meta }, notes: [], warnings: [] };
      decks.set(file.meta.key, deck);
    } else if ((file.meta.version ?? 0) > (deck.meta.version ?? 0)) {
      deck.meta.version = file.meta.version;
    }
    for (const note of file.notes) {
      if (byGuid.has(note.guid)) {
        warnings.push({ line: 1, message: `question "${note.front}" (${note.id}) appears in more than one file; the first is kept` });
        continue;
      }
      const copy = { ...note, translations: { ...note.translations } };
      byGuid.set(note.guid, copy);
      deck.notes.push(copy);
    }
  }
  for (const file of files.filter((entry) => entry.meta.translationOf !== null)) {
    const deck = decks.get(file.meta.key);
    const language = file.meta.language;
    if (!deck || deck.meta.language !== file.meta.translationOf) {
      warnings.push({ line: 1, message: `translation "${file.meta.title}" (${language}) has no ${file.meta.translationOf} deck "${file.meta.key}" to translate; ignored` });
      continue;
    }
    const byId = new Map(deck.notes.map((note) => [note.id, note]));
    for (const note of file.notes) {
      const target = byId.get(note.id);
      if (!target) {
        warnings.push({ line: 1, message: `translated question "${note.front}" (${note.id}) has no ${file.meta.translationOf} original; ignored` });
        continue;
      }
      target.translations[language] = { front: note.front, back: note.back, context: note.context };
    }
  }
  return { decks: [...decks.values()], warnings };
}

/**
 * Writes a deck as a Markdown folder: `<language>.md` for the primary language and one file per
 * translation. Refuses to write through symlinks; each file is written whole, then renamed.
 * Returns the paths written.
 */
export function writeMarkdownFolder(dir: string, deck: ExportDeckInfo, notes: readonly ParsedNote[]): string[] {
  mkdirSync(dir, { recursive: true });
  const files = exportMarkdownFiles(deck, notes);
  const written: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    if (existsSync(path) && lstatSync(path).isSymbolicLink()) {
      throw new AppError('forbidden', `${path} is a link; refusing to write through it`, { path });
    }
    const temporary = `${path}.tmp-${process.pid}`;
    writeFileSync(temporary, file.text, 'utf8');
    renameSync(temporary, path);
    written.push(path);
  }
  return written;
}
