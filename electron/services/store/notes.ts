import { toNoteKind, type NoteKind } from '../../../src/shared/cloze';
import type { Sql } from './sql';
import { decodeTags, encodeTags } from './tags';

/** A row of the `notes` table, as stored (migrations 001, 003, 004, 007). Times in ms since the epoch. */
export interface NoteRow {
  id: number;
  guid: string;
  deck_id: number;
  front: string;
  back: string;
  context: string;
  language: string | null;
  /** JSON {"en": {"front","back","context"}, …} */
  translations: string | null;
  /** Space-separated (tags.ts). */
  tags: string;
  experiment_id: string | null;
  /** JSON object of the experiment's params. */
  experiment_params: string | null;
  /** JSON of an imported Anki note's extra fields (migration 003). */
  fields: string | null;
  /** 'basic' | 'reversed' | 'cloze' (migration 004): which cards the note has. */
  kind: string;
  source_hash: string | null;
  /** The Anki note type whose templates draw the note's cards (migration 007); null for ProofDeck's own notes. */
  note_type_id: number | null;
  created: number;
  modified: number;
}

/** The columns of `notes`, in table order. */
export const noteColumns = [
  'id',
  'guid',
  'deck_id',
  'front',
  'back',
  'context',
  'language',
  'translations',
  'tags',
  'experiment_id',
  'experiment_params',
  'source_hash',
  'created',
  'modified',
  'fields',
  'kind',
  'note_type_id',
] as const satisfies readonly (keyof NoteRow)[];

/** The three texts of a card's sides, in one language. */
export interface SideTexts {
  front: string;
  back: string;
  context: string;
}

/** The note in other languages, by language code. */
export type Translations = Record<string, SideTexts>;

/** The fields of an Anki note type beyond front and back, kept so an .apkg export can restore them. */
export interface AnkiFields {
  notetype: string;
  names: string[];
  values: string[];
}

/** What a note says: everything a user sees or edits in it, and what its hash covers. */
export interface NoteContent extends SideTexts {
  language: string | null;
  translations: Translations | null;
  tags: string[];
  experimentId: string | null;
  experimentParams: Record<string, unknown> | null;
  fields: AnkiFields | null;
  kind: NoteKind;
}

/** A stored note, decoded. */
export interface Note extends NoteContent {
  id: number;
  guid: string;
  deckId: number;
  /** The hash of the content as last imported (tells a local edit from a change in the file). */
  sourceHash: string | null;
  /** The Anki note type that draws its cards (store/note-types.ts); null for ProofDeck's own notes. */
  noteTypeId: number | null;
  created: number;
  modified: number;
}

function jsonObject<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as T) : null;
  } catch {
    return null;
  }
}

/** The one row mapper of `notes`. JSON this build cannot read becomes null rather than an error. */
export function noteFromRow(row: NoteRow): Note {
  const translations = jsonObject<Translations>(row.translations);
  return {
    id: row.id,
    guid: row.guid,
    deckId: row.deck_id,
    front: row.front,
    back: row.back,
    context: row.context,
    language: row.language,
    translations: translations && Object.keys(translations).length > 0 ? translations : null,
    tags: decodeTags(row.tags),
    experimentId: row.experiment_id,
    experimentParams: jsonObject<Record<string, unknown>>(row.experiment_params),
    fields: jsonObject<AnkiFields>(row.fields),
    kind: toNoteKind(row.kind),
    sourceHash: row.source_hash,
    noteTypeId: row.note_type_id ?? null,
    created: row.created,
    modified: row.modified,
  };
}

/**
 * A statement's parameters: the content's columns, encoded, and the keys the statement names.
 * Written out in one literal, not `{ ...columns, id }`: on Node 20 a spread with added keys costs
 * about 10 µs, more than the insert it binds (an import writes 10,000 notes).
 */
function noteParams(content: NoteContent, keys: { id: number | null; guid: string | null; deckId: number | null; sourceHash: string | null; now: number }) {
  return {
    id: keys.id,
    guid: keys.guid,
    deck_id: keys.deckId,
    source_hash: keys.sourceHash,
    now: keys.now,
    front: content.front,
    back: content.back,
    context: content.context,
    language: content.language,
    translations: content.translations && Object.keys(content.translations).length > 0 ? JSON.stringify(content.translations) : null,
    tags: encodeTags(content.tags),
    experiment_id: content.experimentId,
    experiment_params: content.experimentParams ? JSON.stringify(content.experimentParams) : null,
    fields: content.fields ? JSON.stringify(content.fields) : null,
    kind: content.kind,
  };
}

const selectNote = `SELECT ${noteColumns.join(', ')} FROM notes`;
const noteById = `${selectNote} WHERE id = ?`;
const noteByGuid = `${selectNote} WHERE guid = ?`;
const notesOfDeck = `${selectNote} WHERE deck_id = ? ORDER BY id`;
const insertNote = `INSERT INTO notes (guid, deck_id, front, back, context, language, translations, tags, experiment_id, experiment_params, fields, kind, source_hash, created, modified)
  VALUES (IFNULL(@guid, lower(hex(randomblob(16)))), @deck_id, @front, @back, @context, @language, @translations, @tags, @experiment_id, @experiment_params, @fields, @kind, @source_hash, @now, @now)`;
const updateSet = `front = @front, back = @back, context = @context, language = @language, translations = @translations, tags = @tags,
  experiment_id = @experiment_id, experiment_params = @experiment_params, fields = @fields, kind = @kind`;
const updateNote = `UPDATE notes SET ${updateSet}, modified = @now WHERE id = @id`;
const updateImported = `UPDATE notes SET ${updateSet}, source_hash = @source_hash, modified = @now WHERE id = @id`;

/** A few of a deck's notes as the Decks screen previews them. */
export interface NotePreview {
  guid: string;
  front: string;
  back: string;
  tags: string[];
}

/** The `notes` table. */
export function notesStore(sql: Sql) {
  return {
    byId(id: number): Note | undefined {
      const row = sql.get<NoteRow>(noteById, id);
      return row && noteFromRow(row);
    },
    byGuid(guid: string): Note | undefined {
      const row = sql.get<NoteRow>(noteByGuid, guid);
      return row && noteFromRow(row);
    },
    exists(id: number): boolean {
      return sql.value(`SELECT 1 FROM notes WHERE id = ?`, id) !== undefined;
    },
    /** A deck's notes in the order they were added. */
    inDeck(deckId: number): Note[] {
      return sql.all<NoteRow>(notesOfDeck, deckId).map(noteFromRow);
    },
    guidsInDeck(deckId: number): string[] {
      return sql.column<string>(`SELECT guid FROM notes WHERE deck_id = ?`, deckId);
    },
    countInDeck(deckId: number): number {
      return sql.value<number>(`SELECT COUNT(*) FROM notes WHERE deck_id = ?`, deckId) ?? 0;
    },
    previewsInDeck(deckId: number, limit: number): NotePreview[] {
      return sql
        .all<{ guid: string; front: string; back: string; tags: string }>(`SELECT guid, front, back, tags FROM notes WHERE deck_id = ? ORDER BY id LIMIT ?`, deckId, limit)
        .map((row) => ({ ...row, tags: decodeTags(row.tags) }));
    },
    /** The texts of a deck's notes that hold a Mermaid diagram. */
    textsWithDiagrams(deckId: number): string[] {
      return sql
        .all<SideTexts>(`SELECT front, back, context FROM notes WHERE deck_id = ? AND (front || back || context) LIKE '%mermaid%'`, deckId)
        .flatMap((row) => [row.front, row.back, row.context]);
    },
    /** Inserts a note; a guid of null gets a random one. */
    insert(note: { guid: string | null; deckId: number; content: NoteContent; sourceHash: string | null; now: number }): number {
      return Number(sql.run(insertNote, noteParams(note.content, { id: null, guid: note.guid, deckId: note.deckId, sourceHash: note.sourceHash, now: note.now })).lastInsertRowid);
    },
    /** Replaces a note's content (and its source hash, when given). @returns false when the note does not exist. */
    update(id: number, content: NoteContent, now: number, sourceHash?: string | null): boolean {
      const params = noteParams(content, { id, guid: null, deckId: null, sourceHash: sourceHash ?? null, now });
      return sql.run(sourceHash === undefined ? updateNote : updateImported, params).changes > 0;
    },
    /** Links a note to its Anki note type (null: a ProofDeck note again). */
    setNoteType(id: number, noteTypeId: number | null): void {
      sql.run(`UPDATE notes SET note_type_id = ? WHERE id = ? AND note_type_id IS NOT ?`, noteTypeId, id, noteTypeId);
    },
    setDeck(id: number, deckId: number, now: number): void {
      sql.run(`UPDATE notes SET deck_id = ?, modified = ? WHERE id = ?`, deckId, now, id);
    },
    /** Moves many notes to a deck at once. */
    moveAll(ids: readonly number[], deckId: number, now: number): void {
      sql.run(`UPDATE notes SET deck_id = ?, modified = ? WHERE id IN (SELECT value FROM json_each(?))`, deckId, now, JSON.stringify(ids));
    },
    setTags(id: number, tags: readonly string[], now: number): void {
      sql.run(`UPDATE notes SET tags = ?, modified = ? WHERE id = ?`, encodeTags(tags), now, id);
    },
    setSourceHash(id: number, hash: string): void {
      sql.run(`UPDATE notes SET source_hash = ? WHERE id = ?`, hash, id);
    },
    /** Of `ids`, deletes the notes left without a card. */
    deleteCardless(ids: readonly number[]): void {
      sql.run(
        `DELETE FROM notes WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM cards WHERE note_id = notes.id)`,
        JSON.stringify(ids),
      );
    },
    /** Built-in notes the user deleted (migration 005): a later version of their deck does not bring them back. */
    deletedBuiltinGuids(): Set<string> {
      return new Set(sql.column<string>(`SELECT guid FROM deleted_builtin_notes`));
    },
  };
}

export type NotesStore = ReturnType<typeof notesStore>;
