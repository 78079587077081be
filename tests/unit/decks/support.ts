import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../../electron/services/store/database';
import { listDeckCounts } from '../../../electron/services/decks/deck-read';

export const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/anki', import.meta.url));
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtures, name)));

/** A fresh, migrated database file in a temp folder (the real store, WAL and all). */
export function freshDatabase(): Database.Database {
  return openDatabase(join(mkdtempSync(join(tmpdir(), 'pd-decks-')), 'proofdeck.sqlite'));
}

/** `decks list` plus a hash of every row of every table the exchange writes: equal means nothing changed. */
export function snapshot(db: Database.Database): { list: unknown; hash: string } {
  const hash = createHash('sha1');
  for (const table of ['decks', 'notes', 'cards', 'revlog', 'media']) {
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().iterate() as IterableIterator<unknown[]>) {
      hash.update(JSON.stringify(row, (_, v) => (v && typeof v === 'object' && 'type' in v && v.type === 'Buffer' ? createHash('sha1').update(Buffer.from(v.data)).digest('hex') : v)));
    }
  }
  return { list: listDeckCounts(db), hash: hash.digest('hex') };
}
