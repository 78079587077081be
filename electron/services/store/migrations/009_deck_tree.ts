import type { Migration } from './types';

/**
 * Decks nest by name (`Parent::Child`), as in Anki, which always has a deck's parents: an older
 * file (an Anki import named `Vocab::Chinese`) gets the parents it lacks, empty. And a built-in
 * deck the user deleted stays deleted: triggers record its key when its row goes and forget it
 * when the row comes back (an undo), so the next start does not bring it back.
 */
export const migration009: Migration = {
  version: 9,
  name: 'deck-tree',
  creates: 'deleted_builtin_decks',
  sql: `
WITH RECURSIVE prefix(done, rest) AS (
  SELECT '', name FROM decks
  UNION ALL
  SELECT CASE WHEN done = '' THEN '' ELSE done || '::' END || substr(rest, 1, instr(rest, '::') - 1), substr(rest, instr(rest, '::') + 2)
  FROM prefix WHERE instr(rest, '::') > 0
)
INSERT OR IGNORE INTO decks (name, description, created, modified)
  SELECT DISTINCT done, '', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
  FROM prefix WHERE done <> '' AND trim(done) <> '' ORDER BY length(done);

CREATE TABLE IF NOT EXISTS deleted_builtin_decks (
  builtin_key TEXT PRIMARY KEY,
  deleted_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS decks_builtin_deleted AFTER DELETE ON decks WHEN old.builtin_key IS NOT NULL BEGIN
  INSERT OR REPLACE INTO deleted_builtin_decks (builtin_key, deleted_at) VALUES (old.builtin_key, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
END;
CREATE TRIGGER IF NOT EXISTS decks_builtin_restored AFTER INSERT ON decks WHEN new.builtin_key IS NOT NULL BEGIN
  DELETE FROM deleted_builtin_decks WHERE builtin_key = new.builtin_key;
END;
`,
};
