import Database from 'better-sqlite3';

/**
 * An Anki collection (`collection.anki2`, `.anki21`, `.anki21b`), read from bytes in memory and
 * never written: its SQL, as a store of its own. What the rows mean (note types, scheduling) and
 * which collections are refused are decided by decks/anki/; this module only opens and reads.
 */

/** A row of `sqlite_master`. */
export interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

/** A column as `pragma_table_xinfo` describes it; `hidden` is 1 for a virtual table's hidden column, 2 and 3 for generated ones. */
export interface ColumnInfo {
  name: string;
  hidden: number;
}

export interface AnkiCardRecord {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  /** The due and deck a card had before a filtered deck took it (0: none). */
  odue: number;
  odid: number;
  /** The low 3 bits are the card's flag (Anki's `CardFlag`); the rest Anki keeps for itself. */
  flags: number;
  data: string;
}

export interface AnkiReviewRecord {
  id: number;
  cid: number;
  ease: number;
  ivl: number;
  time: number;
  type: number;
}

export interface AnkiNoteRecord {
  id: number;
  guid: string;
  mid: number;
  tags: string;
  flds: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const imageOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Opens the bytes of a collection in memory, read-only. The header's WAL flags are cleared first
 * (a deserialized database cannot use a WAL). Schema 18 declares columns `COLLATE unicase`, a
 * collation only Anki registers: such a collection is first opened writable just to drop that
 * word from its schema text, then serialized and reopened read-only (nothing is written back
 * anywhere). `release` is called once SQLite holds its own copy, so that a large collection is not
 * held three times over. Throws SQLite's own error on bytes it cannot open.
 */
export function openAnkiCollection(bytes: Uint8Array, release: () => void) {
  bytes[18] = 1;
  bytes[19] = 1;
  let db: Database.Database | undefined = new Database(imageOf(bytes), { readonly: true });
  try {
    const unicase = db.prepare("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%unicase%'").pluck().get() as number;
    if (unicase > 0) {
      db.close();
      db = undefined;
      const fix = new Database(imageOf(bytes));
      release();
      let image: Buffer;
      try {
        fix.unsafeMode(true);
        fix.pragma('writable_schema = ON');
        fix.prepare("UPDATE sqlite_master SET sql = replace(sql, 'COLLATE unicase', '') WHERE sql LIKE '%unicase%'").run();
        fix.pragma('writable_schema = RESET');
        image = fix.serialize();
      } finally {
        fix.close();
      }
      db = new Database(image, { readonly: true });
    }
    release();
    // Belt and braces on a connection that only ever reads: no writes, no functions from the
    // schema that are not marked harmless, and extra checks against damaged pages.
    db.pragma('query_only = ON');
    db.pragma('trusted_schema = OFF');
    db.pragma('cell_size_check = ON');
    return ankiCollection(db);
  } catch (e) {
    db?.close();
    throw e;
  }
}

function ankiCollection(db: Database.Database) {
  return {
    schemaObjects(): SchemaObject[] {
      return db.prepare('SELECT type, name, sql FROM sqlite_master').all() as SchemaObject[];
    },
    hasTable(name: string): boolean {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    },
    columnsOf(table: string): ColumnInfo[] {
      return db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(table) as ColumnInfo[];
    },
    /** The row count of `table` and the largest value (in bytes) of each of `columns`, computed in SQL: only numbers come back. */
    sizes(table: string, columns: readonly string[]): { rows: number; largest: number[] } {
      const row = db.prepare(`SELECT count(*), ${columns.map((c) => `max(octet_length(${quote(c)}))`).join(', ')} FROM ${quote(table)}`).raw().get() as (number | null)[];
      return { rows: Number(row[0]), largest: columns.map((_, index) => Number(row[index + 1] ?? 0)) };
    },
    /** The `key` of the first row whose `column` holds more than `limit` bytes. */
    firstOver(table: string, key: string, column: string, limit: number): unknown {
      return db.prepare(`SELECT ${quote(key)} FROM ${quote(table)} WHERE octet_length(${quote(column)}) > ? LIMIT 1`).pluck().get(limit);
    },
    /** Schema 14+'s `config` table: the values of `keys` as text, those of at most `maxBytes` only. */
    configValues(keys: readonly string[], maxBytes: number): { key: string; value: string }[] {
      return db
        .prepare(`SELECT KEY AS key, CAST(val AS TEXT) AS value FROM config WHERE KEY IN (${keys.map(() => '?').join(', ')}) AND octet_length(val) <= ?`)
        .all(...keys, maxBytes) as { key: string; value: string }[];
    },
    /** Schema 11's config, JSON in `col.conf`, when it holds at most `maxBytes`. */
    colConf(maxBytes: number): unknown {
      return db.prepare('SELECT conf FROM col WHERE octet_length(conf) <= ? LIMIT 1').pluck().get(maxBytes);
    },
    /** A column of the `col` row (legacy note types and decks are JSON there). */
    col(column: 'crt' | 'models' | 'decks' | 'dconf'): unknown {
      return db.prepare(`SELECT ${column} FROM col`).pluck().get();
    },
    /** Schema 18's note types, fields, templates and decks tables. */
    notetypeRows(): { id: number; name: string; config: Buffer }[] {
      return db.prepare('SELECT id, name, config FROM notetypes').all() as { id: number; name: string; config: Buffer }[];
    },
    fieldRows(): { ntid: number; name: string }[] {
      return db.prepare('SELECT ntid, name FROM fields ORDER BY ntid, ord').all() as { ntid: number; name: string }[];
    },
    templateRows(): { ntid: number; name: string; config: Buffer }[] {
      return db.prepare('SELECT ntid, name, config FROM templates ORDER BY ntid, ord').all() as { ntid: number; name: string; config: Buffer }[];
    },
    deckRows(): { id: number; name: string }[] {
      return db.prepare('SELECT id, name FROM decks').all() as { id: number; name: string }[];
    },
    cards(): AnkiCardRecord[] {
      return db.prepare('SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odue, odid, flags, data FROM cards ORDER BY nid, ord').all() as AnkiCardRecord[];
    },
    reviews(): AnkiReviewRecord[] {
      return db.prepare('SELECT id, cid, ease, ivl, time, type FROM revlog ORDER BY id').all() as AnkiReviewRecord[];
    },
    /** The notes, read one at a time. */
    notes(): IterableIterator<AnkiNoteRecord> {
      return db.prepare('SELECT id, guid, mid, tags, flds FROM notes ORDER BY id').iterate() as IterableIterator<AnkiNoteRecord>;
    },
    close(): void {
      db.close();
    },
  };
}

export type AnkiCollection = ReturnType<typeof ankiCollection>;
