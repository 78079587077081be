import type { Migration } from './types';

/**
 * The undo history (store/undo.ts): operations, and the image of every row each one touched.
 * Until now an answer's undo lived in its review-log row (`revlog.prev_card`, the card as it
 * was); the answers that could still be undone that way become the first operations of the
 * history, and `prev_card` is no longer written. (The siblings such an answer buried are not in
 * `prev_card`'s image of the card; they stay buried until the next study day.)
 */
export const migration006: Migration = {
  version: 6,
  name: 'undo',
  creates: 'undo_log',
  sql: `
CREATE TABLE undo_log (
  id INTEGER PRIMARY KEY,
  -- what the operation was ('answer', 'delete', 'import', …), and what names it (JSON: count, deck or tag)
  kind TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  created INTEGER NOT NULL,
  -- 0: done, undo takes it back; 1: undone, redo does it again
  undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX undo_log_undone ON undo_log(undone, id);

CREATE TABLE undo_rows (
  op INTEGER NOT NULL REFERENCES undo_log(id) ON DELETE CASCADE,
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  -- JSON of the row to put back (before the operation while it is done, after it once undone); NULL: no row
  image TEXT,
  PRIMARY KEY (op, tbl, row_id)
) WITHOUT ROWID;

-- The answers the previous undo could take back: the newest ones after the last answer without a
-- saved card (imported history), up to the history's depth. Their ids are answer times, so the
-- operations that follow are numbered after them.
INSERT INTO undo_log (id, kind, params, created, undone)
  SELECT id, 'answer', json_object('count', 1, 'rating', rating), id, 0 FROM revlog
  WHERE prev_card IS NOT NULL AND id > IFNULL((SELECT MAX(id) FROM revlog WHERE prev_card IS NULL), 0)
  ORDER BY id DESC LIMIT 100;
INSERT INTO undo_rows (op, tbl, row_id, image) SELECT id, 'revlog', id, NULL FROM undo_log;
INSERT INTO undo_rows (op, tbl, row_id, image)
  SELECT u.id, 'cards', r.card_id, json_remove(r.prev_card, '$.buriedSiblings') FROM undo_log u JOIN revlog r ON r.id = u.id;
`,
};
