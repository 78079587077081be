import type Database from 'better-sqlite3';
import type { ImportPreview } from '../../../src/shared/contract';
import type { ParsedImport } from './types';
import { planImport, type ConflictChoices, type ImportResult } from './merge';
import { importParsed, type ReadOptions } from './exchange';
import { parseIsolated, type ParserBudget } from './isolated-parse';
import { ankiView } from './anki/note-view';

/**
 * Imports as the hosts run them (the browser host, Electron's main process, the CLI): the file is
 * read in the parser worker (isolated-parse.ts), and only the validated rows it returns reach
 * the database, in one transaction, here.
 */

/** The preview the UI shows before anything is written, cards included. */
export async function previewImportIsolated(db: Database.Database, bytes: Uint8Array, options: ReadOptions, budget?: ParserBudget): Promise<ImportPreview> {
  const { imports, csvSample } = await parseIsolated({ kind: 'file', bytes, options, csvSample: true }, budget);
  const [{ parsed, size }] = imports;
  const plan = planImport(db, parsed);
  return {
    format: parsed.format,
    deckName: parsed.deckName,
    deckExists: plan.deckExists,
    notes: parsed.notes.length,
    cards: size.cards,
    ...plan.counts,
    conflictNotes: plan.conflicts,
    media: plan.media,
    hasSchedule: parsed.hasSchedule,
    warnings: parsed.warnings,
    ...(csvSample ? { csvSample } : {}),
    samples: importSamples(parsed),
  };
}

/** The first notes as the preview draws them: Markdown sides, or the note type's templates for a note that keeps one. */
function importSamples(parsed: ParsedImport): NonNullable<ImportPreview['samples']> {
  const notetypes = new Map((parsed.notetypes ?? []).map((notetype) => [notetype.key, notetype]));
  return parsed.notes.slice(0, 3).map((note) => {
    const notetype = note.notetypeKey !== undefined ? notetypes.get(note.notetypeKey) : undefined;
    return { front: note.front, back: note.back, kind: note.kind ?? 'basic', ...(notetype && note.fields ? { anki: ankiView(notetype, note.fields) } : {}) };
  });
}

/** Reads a file in the worker and applies it in one transaction; nothing is written on any refusal. */
export async function importDeckFileIsolated(
  db: Database.Database,
  bytes: Uint8Array,
  options: ReadOptions,
  choices: ConflictChoices = { default: 'keep-mine' },
  budget?: ParserBudget,
): Promise<{ result: ImportResult; parsed: ParsedImport }> {
  const { imports } = await parseIsolated({ kind: 'file', bytes, options }, budget);
  const [{ parsed }] = imports;
  return { parsed, result: importParsed(db, parsed, choices, options.now) };
}

/** A Markdown folder: read in the worker, then each deck it holds applied in its own transaction. */
export async function importFolderIsolated(db: Database.Database, path: string, choices: ConflictChoices, budget?: ParserBudget): Promise<ImportResult[]> {
  const { imports } = await parseIsolated({ kind: 'folder', path }, budget);
  return imports.map(({ parsed }) => importParsed(db, parsed, choices));
}

/** The same folder, previewed: what each deck would do. */
export async function previewFolderIsolated(db: Database.Database, path: string, budget?: ParserBudget): Promise<{ parsed: ParsedImport; plan: ReturnType<typeof planImport>; cards: number }[]> {
  const { imports } = await parseIsolated({ kind: 'folder', path }, budget);
  return imports.map(({ parsed, size }) => ({ parsed, plan: planImport(db, parsed), cards: size.cards }));
}
