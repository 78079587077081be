import type { Migration } from './types';

/**
 * Note kinds (cloze and reversed cards). A note's `kind` decides its cards: 'basic' → ord 0;
 * 'reversed' → ord 0 (front→back) and ord 1 (back→front); 'cloze' → one card per cloze number
 * in the front field (`{{c1::…}}` is ord 0). Every existing note was studied as basic, so that is
 * the default; Anki cloze notes imported before this version become cloze notes when their
 * .apkg is imported again (the merge updates them in place and adds their other cards).
 */
export const migration004: Migration = {
  version: 4,
  name: 'note-kind',
  sql: `ALTER TABLE notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'basic' CHECK (kind IN ('basic', 'reversed', 'cloze'));`,
};
