import type { Sql } from './sql';

/** A card template of an Anki note type. */
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

/** A row of `note_types` (migration 007), as stored. */
export interface NoteTypeRow {
  id: number;
  key: string;
  anki_id: number;
  name: string;
  anki_kind: number;
  fields: string;
  templates: string;
  css: string;
  extra: string | null;
  created: number;
}

/** The columns of `note_types`, in table order. */
export const noteTypeColumns = ['id', 'key', 'anki_id', 'name', 'anki_kind', 'fields', 'templates', 'css', 'extra', 'created'] as const satisfies readonly (keyof NoteTypeRow)[];

function parse<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const fromRow = (row: NoteTypeRow): StoredNoteType => ({
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

const byId = `SELECT ${noteTypeColumns.join(', ')} FROM note_types WHERE id = ?`;

/** The `note_types` table: Anki note types kept for their look. A note links to one by `notes.note_type_id` (store/notes.ts). */
export function noteTypesStore(sql: Sql) {
  return {
    /** The note type with this key, stored once: its id (an existing row's when the key is known). */
    save(noteType: NewNoteType, now: number): number {
      const existing = sql.value<number>(`SELECT id FROM note_types WHERE key = ?`, noteType.key);
      if (existing !== undefined) return existing;
      return Number(
        sql.run(
          `INSERT INTO note_types (key, anki_id, name, anki_kind, fields, templates, css, extra, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          noteType.key,
          noteType.ankiId,
          noteType.name,
          noteType.ankiKind,
          JSON.stringify(noteType.fields),
          JSON.stringify(noteType.templates),
          noteType.css,
          noteType.extra ? JSON.stringify(noteType.extra) : null,
          now,
        ).lastInsertRowid,
      );
    },
    byId(id: number): StoredNoteType | undefined {
      const row = sql.get<NoteTypeRow>(byId, id);
      return row && fromRow(row);
    },
    /** Removes note types no note uses any more (after an import replaced them, or their notes were deleted). */
    deleteUnused(): number {
      return sql.run(`DELETE FROM note_types WHERE id NOT IN (SELECT note_type_id FROM notes WHERE note_type_id IS NOT NULL)`).changes;
    },
  };
}
