import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import type { NoteFields, ParsedNote } from './markdown/parse';
import type { NoteRow } from '../store/note-row';
import { toNoteKind, type NoteKind } from '../../../src/shared/cloze';
import { syncNoteCards } from '../notes/note-cards';

/**
 * Writing parsed Markdown notes into the store by guid: new notes get one new card; notes
 * already present are updated in place (cards, scheduling and review log untouched); a note the
 * user edited since it was last loaded is kept as the user left it unless they choose otherwise.
 */

/** What a note's source hash covers: everything a user sees or edits in it. */
export interface HashedFields {
  front: string;
  back: string;
  context: string;
  language: string | null;
  translations: Record<string, NoteFields> | null;
  tags: string[];
  experimentId: string | null;
  experimentParams: Record<string, unknown> | null;
  /** Absent or 'basic' hashes as before note kinds, so notes loaded earlier do not all look changed. */
  kind?: NoteKind;
}

/**
 * Hash of a note's fields as loaded from a file (`notes.source_hash`). A stored note whose
 * current fields hash differently has been edited locally since.
 */
export function noteSourceHash(fields: HashedFields): string {
  const translations = fields.translations && Object.keys(fields.translations).length > 0 ? fields.translations : null;
  const canonical = canonicalJson([
    fields.front,
    fields.back,
    fields.context,
    fields.language ?? null,
    translations,
    fields.tags,
    fields.experimentId ?? null,
    fields.experimentParams ?? null,
    ...(fields.kind && fields.kind !== 'basic' ? [fields.kind] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so equal values hash equally whatever order wrote them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

type StoredNote = Pick<NoteRow, 'id' | 'guid' | 'front' | 'back' | 'context' | 'language' | 'translations' | 'tags' | 'experiment_id' | 'experiment_params' | 'deck_id' | 'kind' | 'source_hash'>;

function parseJsonObject<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as T) : null;
  } catch {
    return null;
  }
}

/** The hash of a stored note's current fields. */
export function storedNoteHash(row: Omit<StoredNote, 'id' | 'guid' | 'deck_id' | 'source_hash'>): string {
  return noteSourceHash({
    front: row.front,
    back: row.back,
    context: row.context,
    language: row.language,
    translations: parseJsonObject<Record<string, NoteFields>>(row.translations),
    tags: row.tags.split(/\s+/).filter(Boolean),
    experimentId: row.experiment_id,
    experimentParams: parseJsonObject<Record<string, unknown>>(row.experiment_params),
    kind: toNoteKind(row.kind),
  });
}

function hashParsed(note: ParsedNote): string {
  return noteSourceHash({
    front: note.front,
    back: note.back,
    context: note.context,
    language: note.language,
    translations: note.translations,
    tags: note.tags,
    experimentId: note.experiment?.id ?? null,
    experimentParams: note.experiment?.params ?? null,
    kind: note.kind,
  });
}

export interface ApplyOptions {
  /** 'preview' computes the same counts and writes nothing (the import dialog's dry run). */
  mode?: 'apply' | 'preview';
  /** Conflicts (edited here and changed in the file) keep the local edit unless listed here. */
  takeIncoming?: 'none' | 'all' | readonly string[];
  now?: number;
}

export interface ConflictNote {
  guid: string;
  localFront: string;
  incomingFront: string;
}

export interface ApplyReport {
  /** The deck written to; null in a preview of a deck that does not exist yet. */
  deckId: number | null;
  added: number;
  updated: number;
  unchanged: number;
  /** Edited locally and changed in the file; `conflictNotes` lists them (first 500). */
  conflicts: number;
  /** Conflicts resolved in favour of the file. */
  conflictsTaken: number;
  /** Notes of the deck that the file no longer has: kept with their progress. */
  notInFile: number;
  conflictNotes: ConflictNote[];
}

/**
 * Applies Markdown notes to the deck named `deckName` (created on apply if absent). One
 * transaction (a savepoint when the caller already holds one); 'preview' writes nothing.
 */
export function applyParsedNotes(db: Database.Database, deckName: string, notes: readonly ParsedNote[], options: ApplyOptions = {}): ApplyReport {
  const now = options.now ?? Date.now();
  const run = (): ApplyReport => {
    let deckId = (db.prepare('SELECT id FROM decks WHERE name = ?').get(deckName) as { id: number } | undefined)?.id ?? null;
    if (deckId === null && options.mode !== 'preview') {
      deckId = Number(db.prepare('INSERT INTO decks (name, created, modified) VALUES (?, ?, ?)').run(deckName, now, now).lastInsertRowid);
    }
    return applyNotesToDeck(db, deckId, notes, { ...options, now });
  };
  return options.mode === 'preview' ? run() : db.transaction(run)();
}

/**
 * The merge itself, for a known deck (built-in decks find theirs by key). Call inside a
 * transaction when `mode` is 'apply'. `deckId` may be null only in a preview.
 */
export function applyNotesToDeck(db: Database.Database, deckId: number | null, notes: readonly ParsedNote[], options: ApplyOptions & { now: number }): ApplyReport {
  const preview = options.mode === 'preview';
  if (deckId === null && !preview) throw new AppError('internal', 'applyNotesToDeck needs a deck to write to');
  const guids = new Set<string>();
  for (const note of notes) {
    if (!note.guid || !note.front) throw new AppError('import-invalid', `a note without ${note.guid ? 'a question' : 'a guid'} cannot be imported`);
    if (guids.has(note.guid)) throw new AppError('import-invalid', `two notes share the id ${note.guid}`, { guid: note.guid });
    guids.add(note.guid);
  }
  const take = options.takeIncoming ?? 'none';
  const takes = (guid: string): boolean => take === 'all' || (Array.isArray(take) && take.includes(guid));

  const select = db.prepare(
    `SELECT id, guid, deck_id, front, back, context, language, translations, tags, experiment_id, experiment_params, kind, source_hash
     FROM notes WHERE guid = ?`,
  );
  const report: ApplyReport = { deckId, added: 0, updated: 0, unchanged: 0, conflicts: 0, conflictsTaken: 0, notInFile: 0, conflictNotes: [] };
  const writes: { note: ParsedNote; hash: string; existing: StoredNote | null }[] = [];
  const refresh: { id: number; hash: string }[] = [];
  for (const note of notes) {
    const hash = hashParsed(note);
    const existing = select.get(note.guid) as StoredNote | undefined;
    if (!existing) {
      report.added++;
      writes.push({ note, hash, existing: null });
      continue;
    }
    const current = storedNoteHash(existing);
    if (current === hash || existing.source_hash === hash) {
      // Identical, or the file still says what was loaded last time and any difference is the user's edit.
      report.unchanged++;
      // Edited by hand to match the file: from now on it counts as loaded from it.
      if (current === hash && existing.source_hash !== hash) refresh.push({ id: existing.id, hash });
      continue;
    }
    const editedHere = existing.source_hash !== current;
    if (editedHere) {
      report.conflicts++;
      if (report.conflictNotes.length < 500) report.conflictNotes.push({ guid: note.guid, localFront: existing.front, incomingFront: note.front });
      if (!takes(note.guid)) continue;
      report.conflictsTaken++;
    } else {
      report.updated++;
    }
    writes.push({ note, hash, existing });
  }
  if (deckId !== null) {
    const inDeck = db.prepare('SELECT guid FROM notes WHERE deck_id = ?').pluck().all(deckId) as string[];
    report.notInFile = inDeck.filter((guid) => !guids.has(guid)).length;
  }
  if (!preview) {
    write(db, deckId as number, writes, options.now);
    const setHash = db.prepare('UPDATE notes SET source_hash = ? WHERE id = ?');
    for (const { id, hash } of refresh) setHash.run(hash, id);
  }
  return report;
}

function write(db: Database.Database, deckId: number, writes: { note: ParsedNote; hash: string; existing: StoredNote | null }[], now: number): void {
  const insertNote = db.prepare(
    `INSERT INTO notes (guid, deck_id, front, back, context, language, translations, tags, experiment_id, experiment_params, kind, source_hash, created, modified)
     VALUES (@guid, @deckId, @front, @back, @context, @language, @translations, @tags, @experimentId, @experimentParams, @kind, @hash, @now, @now)`,
  );
  const updateNote = db.prepare(
    `UPDATE notes SET front = @front, back = @back, context = @context, language = @language, translations = @translations, tags = @tags,
     experiment_id = @experimentId, experiment_params = @experimentParams, kind = @kind, source_hash = @hash, modified = @now WHERE id = @id`,
  );
  const insertCard = db.prepare(`INSERT INTO cards (note_id, ord, due, state, new_position) VALUES (?, 0, ?, 0, ?)`);
  let position = ((db.prepare('SELECT MAX(new_position) FROM cards').pluck().get() as number | null) ?? -1) + 1;
  for (const { note, hash, existing } of writes) {
    const row = {
      guid: note.guid,
      deckId,
      front: note.front,
      back: note.back,
      context: note.context,
      language: note.language,
      translations: Object.keys(note.translations).length > 0 ? JSON.stringify(note.translations) : null,
      tags: note.tags.join(' '),
      experimentId: note.experiment?.id ?? null,
      experimentParams: note.experiment ? JSON.stringify(note.experiment.params) : null,
      kind: note.kind ?? 'basic',
      hash,
      now,
    };
    if (existing) {
      updateNote.run({ ...row, id: existing.id });
      syncNoteCards(db, existing.id, { kind: row.kind, front: note.front, previousKind: toNoteKind(existing.kind) }, now, () => position++);
    } else {
      const noteId = Number(insertNote.run(row).lastInsertRowid);
      // New cards are introduced in file order, after every card already waiting.
      if (row.kind === 'basic') insertCard.run(noteId, now, position++);
      else syncNoteCards(db, noteId, { kind: row.kind, front: note.front, previousKind: null }, now, () => position++);
    }
  }
}
