import type Database from 'better-sqlite3';
import { cardSearchStore } from './card-search';
import { cardsStore } from './cards';
import { decksStore } from './decks';
import { mediaStore } from './media';
import { notesStore } from './notes';
import { presetsStore } from './presets';
import { noteTypesStore } from './note-types';
import { queueStore } from './queue';
import { revlogStore } from './revlog';
import { RunStore } from './runs';
import { settingsTable } from './settings';
import { createSql, type Sql } from './sql';
import { undoStore } from './undo';

/**
 * Every table's store over one connection. Each owns its table's SQL (and the statements are
 * prepared here only); the services above call their methods inside `transaction`.
 */
function createStores(db: Database.Database) {
  const sql: Sql = createSql(db);
  return {
    cards: cardsStore(sql),
    queue: queueStore(sql),
    search: cardSearchStore(sql),
    notes: notesStore(sql),
    noteTypes: noteTypesStore(sql),
    revlog: revlogStore(sql),
    decks: decksStore(sql),
    presets: presetsStore(sql),
    media: mediaStore(sql),
    runs: new RunStore(sql),
    settings: settingsTable(sql),
    undo: undoStore(sql),
    /** Runs `work` in one transaction (nested: a savepoint); `immediate` takes the write lock first. */
    transaction: <T>(work: () => T, options?: { immediate?: boolean }): T => sql.transaction(work, options),
    /**
     * A number that changes with every write to the database, by this connection
     * (total_changes) or another one (data_version): a cache key for what only a write can change.
     */
    writeStamp(): string {
      return `${sql.value<number>(`SELECT total_changes()`)}:${sql.value<number>(`PRAGMA data_version`)}`;
    },
  };
}

export type Stores = ReturnType<typeof createStores>;

const opened = new WeakMap<Database.Database, Stores>();

/** The stores of a connection, made once (their statements and the undo triggers belong to it). */
export function storesFor(db: Database.Database): Stores {
  let stores = opened.get(db);
  if (!stores) {
    stores = createStores(db);
    opened.set(db, stores);
  }
  return stores;
}
