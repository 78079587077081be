import type Database from 'better-sqlite3';
import type { AppError } from '../../../src/shared/errors';
import type { ParsedImport } from './types';
import { decodeUtf8 } from './types';
import { DecompressionBudget, importLimits, invalid, tooLarge, unsupported } from './limits';
import { checkParsedImport, type ImportSize } from './validate';
import { readProofdeck, writeProofdeck } from './proofdeck';
import { readApkg } from './anki/read';
import { writeApkg } from './anki/write';
import { readCsv, type CsvMapping } from './csv';
import { readDeckForExport } from './deck-read';
import { importInto, planImport, type ConflictChoices, type ImportResult, type MergePlan } from './merge';
import { parseMarkdownDeck, type ParsedNote } from './markdown/parse';
import { markdownImport } from './markdown/import';
import { storesFor } from '../store/stores';
import { exportMarkdownDeck, noteIdFromGuid, type ExportDeckInfo } from './markdown/export';
import { readMarkdownFolder } from './markdown/folder';
import { mermaidSources } from './anki/html';

export type ImportFormat = ParsedImport['format'];
export type ExportFormat = 'proofdeck' | 'apkg' | 'md';

export interface ReadOptions {
  fileName: string;
  format?: ImportFormat;
  /** Overrides the deck name the file carries (always used for CSV). */
  deckName?: string;
  csv?: { mapping?: CsvMapping; delimiter?: ',' | '\t' | ';'; hasHeader?: boolean };
  now?: number;
  /** The user's time zone: Anki day numbers are read as its study days. Default: the machine's. */
  timeZone?: string;
}

/** Picks the reader by content first (zip or not), then by extension: a renamed file still imports. */
export function detectFormat(bytes: Uint8Array, fileName: string): ImportFormat {
  const lower = fileName.toLowerCase();
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (lower.endsWith('.apkg') || lower.endsWith('.colpkg')) return 'apkg';
  if (lower.endsWith('.proofdeck')) return 'proofdeck';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'md';
  if (isZip) return 'proofdeck';
  throw unsupported('unknown-format', `'${fileName}' is not a deck format ProofDeck reads (.proofdeck, .apkg, .csv, .tsv, .md)`, { file: fileName });
}

const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** The file-size refusal, as the UI words it ("it is 80 MiB; ProofDeck imports files up to 64 MiB"). */
export function fileTooLarge(size: number): AppError {
  return tooLarge(`the file is ${size} bytes`, { sizeMiB: mib(size), limitMiB: mib(importLimits.fileBytes) }, 'file-too-large');
}

/**
 * Reads any supported file into the common shape, held to every cap (validate.ts). Pure: touches
 * no database. Hosts run it in the parser worker (isolated-parse.ts); in-process it is for
 * trusted input and tests.
 */
export function readImportFile(bytes: Uint8Array, options: ReadOptions): ParsedImport {
  return readImportFileSized(bytes, options).parsed;
}

/** readImportFile, with what the import would make (notes, cards, reviews, media bytes). */
export function readImportFileSized(bytes: Uint8Array, options: ReadOptions): { parsed: ParsedImport; size: ImportSize } {
  if (bytes.length > importLimits.fileBytes) throw fileTooLarge(bytes.length);
  const format = options.format ?? detectFormat(bytes, options.fileName);
  const stem = options.fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '') || 'Imported';
  const budget = new DecompressionBudget();
  let parsed: ParsedImport;
  if (format === 'proofdeck') parsed = readProofdeck(bytes, budget, options.now);
  else if (format === 'apkg') parsed = readApkg(bytes, options.now, budget, options.timeZone);
  else if (format === 'csv') {
    const tsv = options.fileName.toLowerCase().endsWith('.tsv');
    parsed = readCsv(bytes, { ...options.csv, delimiter: options.csv?.delimiter ?? (tsv ? '\t' : undefined), deckName: options.deckName ?? stem });
  } else {
    const deck = parseMarkdownDeck(decodeUtf8(bytes, options.fileName), { fileName: options.fileName });
    parsed = markdownImport(deck, deck.meta.title || stem);
  }
  if (options.deckName) parsed.deckName = options.deckName;
  parsed.deckName = parsed.deckName.trim().slice(0, 200) || stem;
  return { parsed, size: checkParsedImport(parsed) };
}

/** A folder of Markdown notes (DESIGN.md's deck format): one ParsedImport per deck it holds. */
export function readMarkdownFolderImports(dir: string): ParsedImport[] {
  const decks = readMarkdownFolder(dir).decks.map((deck) => markdownImport(deck));
  for (const deck of decks) checkParsedImport(deck);
  return decks;
}

/** The Mermaid sources of a deck's notes, for the UI to render as SVG before an .apkg export. */
export function deckDiagramSources(db: Database.Database, deckName: string): string[] {
  const store = storesFor(db);
  const deck = store.decks.byName(deckName);
  return deck ? mermaidSources(store.notes.textsWithDiagrams(deck.id)) : [];
}

export interface ImportPreview {
  plan: MergePlan;
  parsed: ParsedImport;
}

/** What an import would do, without writing. In-process: hosts use exchange-isolated.ts. */
export function previewImport(db: Database.Database, bytes: Uint8Array, options: ReadOptions): ImportPreview {
  const parsed = readImportFile(bytes, options);
  return { parsed, plan: planImport(db, parsed) };
}

/**
 * Applies a file the user chose to import: in one transaction, as one operation of the undo
 * history ("import 120 notes into Geography"). A constraint failing means the file's data
 * contradicts itself: nothing is written, and the import is refused as inconsistent.
 */
export function importParsed(db: Database.Database, parsed: ParsedImport, choices: ConflictChoices, now = Date.now()): ImportResult {
  try {
    const store = storesFor(db);
    return store.undo.record(
      'import',
      now,
      () => importInto(store, parsed, choices, now),
      (result) => ({ count: result.added + result.updated + result.conflictsTaken, name: result.deckName }),
    );
  } catch (e) {
    if (String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
      throw invalid('inconsistent', `the file's notes contradict each other (${(e as Error).message})`);
    }
    throw e;
  }
}

/**
 * Reads and applies an import in one transaction. Throws (with nothing written) on any problem.
 * Reads in-process (tests, benchmarks); the hosts read untrusted files in the parser worker
 * (exchange-isolated.ts).
 */
export function importDeckFile(db: Database.Database, bytes: Uint8Array, options: ReadOptions, choices: ConflictChoices = { default: 'keep-mine' }): { result: ImportResult; parsed: ParsedImport } {
  const parsed = readImportFile(bytes, options);
  return { parsed, result: importParsed(db, parsed, choices, options.now) };
}

export interface ExportedFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
  notes: number;
  mermaidNotes: number;
}

function safeFileStem(name: string): string {
  return name.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '_').replace(/^\.+/, '').slice(0, 100) || 'deck';
}

/** Exports one deck in a format. Markdown keeps notes, tags, experiments and translations (no media or schedule). */
export function exportDeck(
  db: Database.Database,
  deckName: string,
  format: ExportFormat,
  options: { includeSchedule?: boolean; now?: number; diagrams?: { source: string; svg: string }[]; rolloverHour?: number; timeZone?: string } = {},
): ExportedFile {
  const stem = safeFileStem(deckName);
  if (format === 'proofdeck') {
    const bytes = writeProofdeck(db, deckName, options);
    const deck = storesFor(db).decks.byName(deckName);
    const notes = deck ? storesFor(db).notes.countInDeck(deck.id) : 0;
    return { fileName: `${stem}.proofdeck`, mime: 'application/zip', bytes, notes, mermaidNotes: 0 };
  }
  const deck = readDeckForExport(db, deckName, { schedule: options.includeSchedule ?? false, now: options.now });
  if (format === 'apkg') {
    const { bytes, mermaidNotes } = writeApkg(deck, options);
    return { fileName: `${stem}.apkg`, mime: 'application/zip', bytes, notes: deck.notes.length, mermaidNotes };
  }
  const { info, notes } = markdownExportParts(db, deckName, deck);
  const text = exportMarkdownDeck(info, notes);
  return { fileName: `${stem}.md`, mime: 'text/markdown', bytes: new TextEncoder().encode(text), notes: notes.length, mermaidNotes: 0 };
}

/** A deck as the Markdown exporter takes it (the clean DESIGN.md form; translations become sibling files in a folder). */
export function markdownExportParts(db: Database.Database, deckName: string, deck = readDeckForExport(db, deckName, { schedule: false })): { info: ExportDeckInfo; notes: ParsedNote[] } {
  const stem = safeFileStem(deckName);
  const key = storesFor(db).decks.byName(deckName)?.builtin_key ?? (stem.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'deck');
  const notes: ParsedNote[] = deck.notes.map((note) => ({
    id: noteIdFromGuid(key, note.guid),
    guid: note.guid,
    front: note.front,
    back: note.back,
    context: note.context,
    tags: note.tags,
    language: note.language ?? 'en',
    experiment: note.experimentId ? { id: note.experimentId, params: note.experimentParams ?? {} } : null,
    translations: note.translations ?? {},
    ...(note.kind && note.kind !== 'basic' ? { kind: note.kind } : {}),
  }));
  return { info: { title: deck.name, key, description: deck.description }, notes };
}
