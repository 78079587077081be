import type Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import { noteTypeOfNote } from '../store/note-types';
import { sanitizeImportedHtml } from '../decks/sanitize';
import { markdownSides } from '../decks/anki-note-sides';

/** What saving a note of an Anki note type writes: its fields (sanitized HTML) and the front/back they read as. */
export interface AnkiEdit {
  front: string;
  back: string;
  /** JSON for `notes.fields`. */
  fields: string;
}

/**
 * An edit of a note drawn by its Anki note type: the fields change, the note type stays. Every
 * field named must be one of the note type's; fields left out keep their value. The HTML goes
 * through the importer's sanitizer, as a field from a package does.
 */
export function ankiEdit(db: Database.Database, noteId: number, edited: readonly { name: string; value: string }[], current: string | null): AnkiEdit {
  const notetype = noteTypeOfNote(db, noteId);
  if (!notetype) throw new AppError('invalid-args', `note ${noteId} has no Anki note type, so it has no Anki fields`, { detail: 'ankiFields' });
  const stored = current ? (JSON.parse(current) as { names?: string[]; values?: string[] }) : {};
  const values = notetype.fields.map((name) => stored.values?.[stored.names?.indexOf(name) ?? -1] ?? '');
  for (const field of edited) {
    const index = notetype.fields.indexOf(field.name);
    if (index < 0) throw new AppError('invalid-args', `the note type '${notetype.name}' has no field '${field.name}'`, { detail: `ankiFields: ${field.name}` });
    values[index] = sanitizeImportedHtml(field.value).html;
  }
  const sides = markdownSides(notetype.templates, notetype.fields, values);
  if (sides.front.trim() === '') throw new AppError('invalid-args', 'the fields the question shows are empty', { detail: 'front: empty' });
  return { ...sides, fields: JSON.stringify({ notetype: notetype.name, names: notetype.fields, values }) };
}
