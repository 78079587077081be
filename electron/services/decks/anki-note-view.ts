import type Database from 'better-sqlite3';
import { ankiScope, type AnkiNoteView } from '../../../src/shared/contract/anki-card';
import type { NoteFields } from './types';
import { getNoteType } from '../store/note-types';

/** What the card renderer gets for a note of an Anki note type: its templates, CSS and fields in the note type's order. */
export function ankiView(notetype: { key: string; name: string; kind: 0 | 1; fields: string[]; templates: AnkiNoteView['templates']; css: string }, fields: NoteFields): AnkiNoteView {
  return {
    scope: ankiScope(notetype.key),
    name: notetype.name,
    cloze: notetype.kind === 1,
    templates: notetype.templates,
    css: notetype.css,
    fields: notetype.fields.map((name) => ({ name, value: fields.values[fields.names.indexOf(name)] ?? '' })),
  };
}

function parseFields(text: string | null): NoteFields | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as NoteFields;
    return Array.isArray(value?.names) && Array.isArray(value?.values) ? value : null;
  } catch {
    return null;
  }
}

/** A stored note's view, from its `note_type_id` and `fields` columns; null for ProofDeck's own notes. */
export function storedAnkiView(db: Database.Database, noteTypeId: number | null | undefined, fieldsJson: string | null): AnkiNoteView | null {
  if (noteTypeId == null) return null;
  const fields = parseFields(fieldsJson);
  const notetype = fields ? getNoteType(db, noteTypeId) : undefined;
  if (!notetype || !fields) return null;
  return ankiView({ ...notetype, kind: notetype.ankiKind }, fields);
}
