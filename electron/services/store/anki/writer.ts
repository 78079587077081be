import Database from 'better-sqlite3';

/** Anki's legacy (schema 11) tables: the layout every Anki version and AnkiDroid/AnkiMobile import. */
const SCHEMA_11 = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null,
  dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null,
  tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null,
  usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null, odid integer not null, flags integer not null,
  data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null,
  lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
`;

export interface AnkiNoteWrite {
  id: number;
  guid: string;
  mid: number;
  mod: number;
  tags: string;
  flds: string;
  sfld: string;
  csum: number;
}

export interface AnkiCardWrite {
  id: number;
  nid: number;
  did: number;
  ord: number;
  mod: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  /** Anki's card flag (0 none, 1 red … 7 purple). */
  flags: number;
  data: string;
}

export interface AnkiReviewWrite {
  id: number;
  cid: number;
  usn: number;
  ease: number;
  ivl: number;
  lastIvl: number;
  factor: number;
  time: number;
  type: number;
}

/** A new Anki collection in memory (schema 11), written row by row and then serialized into a package. */
export function createAnkiCollection() {
  const db = new Database(':memory:');
  try {
    db.exec(SCHEMA_11);
  } catch (e) {
    db.close();
    throw e;
  }
  const insertNote = db.prepare("INSERT INTO notes VALUES (@id, @guid, @mid, @mod, -1, @tags, @flds, @sfld, @csum, 0, '')");
  const insertCard = db.prepare('INSERT INTO cards VALUES (@id, @nid, @did, @ord, @mod, -1, @type, @queue, @due, @ivl, @factor, @reps, @lapses, 0, 0, 0, @flags, @data)');
  const insertReview = db.prepare('INSERT OR IGNORE INTO revlog VALUES (@id, @cid, @usn, @ease, @ivl, @lastIvl, @factor, @time, @type)');
  return {
    /** Runs `work` in one transaction (the rows of a deck go in together). */
    transaction(work: () => void): void {
      db.transaction(work)();
    },
    addNote(note: AnkiNoteWrite): void {
      insertNote.run(note);
    },
    addCard(card: AnkiCardWrite): void {
      insertCard.run(card);
    },
    /** A review whose id (its time) another review of the file already has is left out. */
    addReview(review: AnkiReviewWrite): void {
      insertReview.run(review);
    },
    /** The collection's one `col` row: creation day, times, and the JSON of its config, note types, decks and deck options. */
    setCol(col: { crt: number; mod: number; scm: number; conf: string; models: string; decks: string; dconf: string }): void {
      db.prepare("INSERT INTO col VALUES (1, @crt, @mod, @scm, 11, 0, 0, 0, @conf, @models, @decks, @dconf, '{}')").run(col);
    },
    /** Every note's fields, as written. */
    fieldTexts(): string[] {
      return db.prepare('SELECT flds FROM notes').pluck().all() as string[];
    },
    serialize(): Uint8Array {
      return new Uint8Array(db.serialize());
    },
    close(): void {
      db.close();
    },
  };
}

export type AnkiCollectionWriter = ReturnType<typeof createAnkiCollection>;
