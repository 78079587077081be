import { AppError } from '../../../src/shared/errors';
import type { AnkiFields, Note } from '../store/notes';
import type { Stores } from '../store/stores';
import { sanitizeImportedHtml } from '../decks/sanitize';
import { markdownSides } from '../decks/anki/note-sides';

/** What saving a note of an Anki note type writes: its fields (sanitized HTML) and the front/back they read as. */
export interface AnkiEdit {
  front: string;
  back: string;
  fields: AnkiFields;
}

/**
 * An edit of a note drawn by its Anki note type: the fields change, the note type stays. Every
 * field named must be one of the note type's; fields left out keep their value. The HTML goes
 * through the importer's sanitizer, as a field from a package does.
 */
export function ankiEdit(store: Pick<Stores, 'noteTypes'>, note: Note, edited: readonly { name: string; value: string }[]): AnkiEdit {
  const notetype = note.noteTypeId === null ? undefined : store.noteTypes.byId(note.noteTypeId);
  if (!notetype) throw new AppError('invalid-args', `note ${note.id} has no Anki note type, so it has no Anki fields`, { detail: 'ankiFields' });
  const stored = note.fields ?? { names: [], values: [] };
  const names = Array.isArray(stored.names) ? stored.names : [];
  const values = notetype.fields.map((name) => (Array.isArray(stored.values) ? stored.values[names.indexOf(name)] : undefined) ?? '');
  for (const field of edited) {
    const index = notetype.fields.indexOf(field.name);
    if (index < 0) throw new AppError('invalid-args', `the note type '${notetype.name}' has no field '${field.name}'`, { detail: `ankiFields: ${field.name}` });
    values[index] = sanitizeImportedHtml(field.value).html;
  }
  const sides = markdownSides(notetype.templates, notetype.fields, values);
  if (sides.front.trim() === '') throw new AppError('invalid-args', 'the fields the question shows are empty', { detail: 'front: empty' });
  return { front: sides.front, back: sides.back, fields: { notetype: notetype.name, names: notetype.fields, values } };
}
