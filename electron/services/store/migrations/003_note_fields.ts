import type { Migration } from './types';

/**
 * Named fields of notes imported from Anki note types. `front`/`back` hold what the
 * note type's templates show on each side; `fields` keeps the original fields as JSON
 * `{"notetype": "...", "names": [...], "values": [...]}` (sanitized HTML) so an .apkg export can
 * write the note back with its own note type. Null for notes written in ProofDeck.
 */
export const migration003: Migration = {
  version: 3,
  name: 'note-fields',
  sql: `ALTER TABLE notes ADD COLUMN fields TEXT;`,
};
