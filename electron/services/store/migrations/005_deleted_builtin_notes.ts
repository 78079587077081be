import type { Migration } from './types';

/**
 * Built-in notes the user deleted. A later version of a built-in deck adds the notes the
 * database lacks; without this record a card the user deleted on purpose would come back with
 * every app update. Triggers keep it: deleting a note of a built-in deck (or one whose guid
 * carries a built-in deck's key, wherever it was moved) records its guid; the note coming back
 * (undo, or an import the user chose) clears it.
 */
export const migration005: Migration = {
  version: 5,
  name: 'deleted-builtin-notes',
  sql: `
CREATE TABLE deleted_builtin_notes (
  guid TEXT PRIMARY KEY,
  deleted_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER notes_builtin_deleted AFTER DELETE ON notes
WHEN EXISTS (SELECT 1 FROM decks WHERE id = old.deck_id AND builtin_key IS NOT NULL)
  OR (instr(old.guid, ':') > 0 AND EXISTS (SELECT 1 FROM decks WHERE builtin_key = substr(old.guid, 1, instr(old.guid, ':') - 1)))
BEGIN
  INSERT OR REPLACE INTO deleted_builtin_notes (guid, deleted_at) VALUES (old.guid, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
END;
CREATE TRIGGER notes_builtin_restored AFTER INSERT ON notes BEGIN
  DELETE FROM deleted_builtin_notes WHERE guid = new.guid;
END;
`,
};
