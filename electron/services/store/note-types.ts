import type Database from 'better-sqlite3';

/**
 * The `note_types` table (migration 007) and the notes' link to it: every statement that reads or
 * writes them. Callers hold the transaction.
 */

export interface NoteTypeTemplate {
  name: string;
  front: string;
  back: string;
}

/** A note type as stored. */
export interface StoredNoteType {
  id: number;
  key: string;
  ankiId: number;
  name: string;
  /** Anki's model type: 0 standard, 1 cloze. */
  ankiKind: 0 | 1;
  fields: string[];
  templates: NoteTypeTemplate[];
  css: string;
  extra: Record<string, unknown> | null;
}

export type NewNoteType = Omit<StoredNoteType, 'id'>;

interface Row {
  id: number;
  key: string;
  anki_id: number;
  name: string;
  anki_kind: number;
  fields: string;
  templates: string;
  css: string;
  extra: string | null;
}

type Statements = Record<'byKey' | 'insert' | 'byId' | 'setNote' | 'unused', Database.Statement>;
const prepared = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let sql = prepared.get(db);
  if (!sql) {
    sql = {
      byKey: db.prepare('SELECT id FROM note_types WHERE key = ?').pluck(),
      insert: db.prepare(
        'INSERT INTO note_types (key, anki_id, name, anki_kind, fields, templates, css, extra, created) VALUES (@key, @ankiId, @name, @ankiKind, @fields, @templates, @css, @extra, @created)',
      ),
      byId: db.prepare('SELECT id, key, anki_id, name, anki_kind, fields, templates, css, extra FROM note_types WHERE id = ?'),
      setNote: db.prepare('UPDATE notes SET note_type_id = ? WHERE id = ? AND note_type_id IS NOT ?'),
      unused: db.prepare('DELETE FROM note_types WHERE id NOT IN (SELECT note_type_id FROM notes WHERE note_type_id IS NOT NULL)'),
    };
    prepared.set(db, sql);
  }
  return sql;
}

function parse<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const fromRow = (row: Row): StoredNoteType => ({
  id: row.id,
  key: row.key,
  ankiId: row.anki_id,
  name: row.name,
  ankiKind: row.anki_kind === 1 ? 1 : 0,
  fields: parse<string[]>(row.fields, []),
  templates: parse<NoteTypeTemplate[]>(row.templates, []),
  css: row.css,
  extra: parse<Record<string, unknown> | null>(row.extra, null),
});

/** The note type with this key, stored once: its id (an existing row's when the key is known). */
export function saveNoteType(db: Database.Database, noteType: NewNoteType, now: number): number {
  const sql = statements(db);
  const existing = sql.byKey.get(noteType.key) as number | undefined;
  if (existing !== undefined) return existing;
  return Number(
    sql.insert.run({
      key: noteType.key,
      ankiId: noteType.ankiId,
      name: noteType.name,
      ankiKind: noteType.ankiKind,
      fields: JSON.stringify(noteType.fields),
      templates: JSON.stringify(noteType.templates),
      css: noteType.css,
      extra: noteType.extra ? JSON.stringify(noteType.extra) : null,
      created: now,
    }).lastInsertRowid,
  );
}

export function getNoteType(db: Database.Database, id: number): StoredNoteType | undefined {
  const row = statements(db).byId.get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** Links a note to its note type (null: a ProofDeck note again). */
export function setNoteNoteType(db: Database.Database, noteId: number, noteTypeId: number | null): void {
  statements(db).setNote.run(noteTypeId, noteId, noteTypeId);
}

/** Removes note types no note uses any more (after an import replaced them, or their notes were deleted). */
export function deleteUnusedNoteTypes(db: Database.Database): number {
  return statements(db).unused.run().changes;
}

/** The note type of a note, if it has one. */
export function noteTypeOfNote(db: Database.Database, noteId: number): StoredNoteType | undefined {
  const id = db.prepare('SELECT note_type_id FROM notes WHERE id = ?').pluck().get(noteId) as number | null | undefined;
  return id == null ? undefined : getNoteType(db, id);
}
