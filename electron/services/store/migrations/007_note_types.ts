import type { Migration } from './types';

/**
 * Anki note types, kept as Anki has them: fields, card templates and CSS. A note imported from
 * an Anki package whose note type is more than Anki's stock Basic/Cloze look references its note
 * type (`notes.note_type_id`); its cards are drawn by the templates, its fields stay in
 * `notes.fields`, and an .apkg export writes the note type back unchanged, under the id Anki knows
 * it by. ProofDeck's own Markdown notes have none (null).
 *
 * (Numbered 7: 6 is taken by the undo history.)
 */
export const migration007: Migration = {
  version: 7,
  name: 'note-types',
  sql: `
CREATE TABLE note_types (
  id INTEGER PRIMARY KEY,
  -- hash of everything below but created: the same note type imported twice is one row,
  -- a changed one (a deck's new CSS) another
  key TEXT NOT NULL UNIQUE,
  -- the note type's id in Anki, written back on export so Anki recognises it
  anki_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  -- Anki's model type: 0 standard, 1 cloze
  anki_kind INTEGER NOT NULL CHECK (anki_kind IN (0, 1)),
  -- JSON ["Front", "Back", …]: the field names, in Anki's order
  fields TEXT NOT NULL,
  -- JSON [{"name", "front", "back"}, …]: the card templates, in Anki's order (ord)
  templates TEXT NOT NULL,
  css TEXT NOT NULL,
  -- JSON of the rest of Anki's note type as read (sort field, LaTeX header, field fonts…), or null
  extra TEXT,
  created INTEGER NOT NULL
);
ALTER TABLE notes ADD COLUMN note_type_id INTEGER REFERENCES note_types(id) ON DELETE SET NULL;
CREATE INDEX notes_note_type ON notes(note_type_id);
`,
};
