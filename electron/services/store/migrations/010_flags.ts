import type { Migration } from './types';

/**
 * Card flags, as Anki has them: 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise,
 * 7 purple (Anki's `cards.flags & 7`). Set in review with Ctrl+1…7 and in Browse, searched with
 * `flag:N`, carried both ways through .apkg files. A column of `cards`, so the undo history
 * (store/undo.ts) records a flag with the rest of the card. The card images the history already
 * holds were written without the column: they get it (no flag, which is what the cards had), so
 * undoing an operation recorded before this migration puts a complete row back.
 *
 * (Numbered 10: 8 and 9 are taken by changes built side by side with this one.)
 */
export const migration010: Migration = {
  version: 10,
  name: 'flags',
  sql: `
ALTER TABLE cards ADD COLUMN flags INTEGER NOT NULL DEFAULT 0 CHECK (flags BETWEEN 0 AND 7);
CREATE INDEX cards_flags ON cards(flags) WHERE flags <> 0;
UPDATE undo_rows SET image = json_set(image, '$.flags', 0) WHERE tbl = 'cards' AND image IS NOT NULL AND json_type(image, '$.flags') IS NULL;
`,
};
