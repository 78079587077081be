import { ankiScope, type AnkiNoteView } from '../../../../src/shared/contract/anki-card';
import type { NoteFields } from '../types';
import type { Stores } from '../../store/stores';

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

/** A stored note's view, from its note type and fields; null for ProofDeck's own notes. */
export function storedAnkiView(store: Pick<Stores, 'noteTypes'>, note: { noteTypeId: number | null; fields: NoteFields | null }): AnkiNoteView | null {
  if (note.noteTypeId === null || !note.fields || !Array.isArray(note.fields.names) || !Array.isArray(note.fields.values)) return null;
  const notetype = store.noteTypes.byId(note.noteTypeId);
  return notetype ? ankiView({ ...notetype, kind: notetype.ankiKind }, note.fields) : null;
}
