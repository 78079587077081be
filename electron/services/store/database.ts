import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../../src/shared/errors';
import { migrations as appMigrations, type Migration } from './migrations';
import { breakSeal, headerIsSound, sealDatabase, sealSuffix, sealVouches } from './integrity';
import { DatabaseError } from './sql';
import { isCorruption, readOnlyError, storageError } from './storage-errors';

export { isCorruption } from './storage-errors';

export const databaseFileName = 'proofdeck.sqlite';

export interface OpenOptions {
  /** The migrations to apply; tests pass a prefix or a failing list. Defaults to the app's. */
  migrations?: readonly Migration[];
  /** How often a cleanly closed database gets the full page check at open (default: weekly). */
  fullCheckEveryMs?: number;
  now?: number;
}

const week = 7 * 86_400_000;
/** When each open database last passed the full check; its seal keeps it at close. */
const fullCheckAt = new WeakMap<Database.Database, number>();

/** When the file of an open database last passed the full page check (ms since the epoch). */
export function lastFullCheck(db: Database.Database): number | undefined {
  return fullCheckAt.get(db);
}

/** The newest schema version this build knows. */
export function latestVersion(migrations: readonly Migration[] = appMigrations): number {
  return migrations.length ? migrations[migrations.length - 1].version : 0;
}

/**
 * Looks at an existing file through a read-only connection, so that a file we refuse is never
 * written: not even a journal-mode change or a checkpoint touches it.
 *
 * Every open reads the header and the schema (page 1 and sqlite_master). The full page check
 * (quick_check: about 0.8 s on a 100,000-card collection) runs unless the seal of the last clean
 * close vouches for the file (integrity.ts: nothing has written it since), and in any case once a
 * week. Damage that appears while the app runs, on a page a statement reads, surfaces as
 * SQLITE_CORRUPT, which createServices turns into the same 'db-corrupt' state.
 * @returns when the file last passed the full check (now, if it just ran).
 */
function inspect(file: string, latest: number, options: OpenOptions): number {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    const version = probe.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new AppError('db-newer', `${file} was written by a newer ProofDeck (schema ${version}, this build knows ${latest})`, {
        path: file,
        version,
        latest,
      });
    }
    // Reading the schema parses page 1 and sqlite_master: a damaged header or schema fails here.
    probe.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    const now = options.now ?? Date.now();
    const checkedAt = headerIsSound(file) ? sealVouches(file) : null;
    if (checkedAt !== null && now - checkedAt < (options.fullCheckEveryMs ?? week)) return checkedAt;
    // quick_check reads every page but skips the index-content cross-check.
    const verdict = probe.pragma('quick_check', { simple: true });
    if (verdict !== 'ok') throw new AppError('db-corrupt', `${file} failed its integrity check: ${String(verdict)}`, { path: file });
    return now;
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (isCorruption(e)) throw new AppError('db-corrupt', `${file} is not a readable database: ${(e as Error).message}`, { path: file });
    throw storageError(e, unwritable(file)) ?? e;
  } finally {
    probe?.close();
  }
}

function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const hasTable = (name: string) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  for (const migration of migrations) {
    const late = migration.version <= current && migration.creates !== undefined && !hasTable(migration.creates);
    if (migration.version <= current && !late) continue;
    // user_version lives in the file header, so it commits or rolls back with the schema change.
    db.transaction(() => {
      try {
        db.exec(migration.sql);
      } catch (e) {
        throw new DatabaseError(`migration ${migration.version} (${migration.name})`, e);
      }
      if (!late) db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/**
 * Opens (creating if absent) and migrates the database.
 *
 * Durability: WAL with synchronous=NORMAL. A commit is in the WAL file (the OS page cache) before
 * `run()` returns, so an answer the UI has seen confirmed survives the process being killed at
 * any moment; only an OS crash or power cut can lose the last few commits, never corrupt the file.
 * FULL would fsync on every answer for that last case; NORMAL keeps an answer well under the 2 ms
 * target on slow disks, and the bench prints both so the choice can be revisited.
 *
 * @throws AppError 'db-newer' when the file's schema is newer than this build, 'db-corrupt' when it
 *   is not a database or fails its integrity check (in both cases the file is left untouched),
 *   'read-only' naming the folder or file that cannot be written, 'disk-full' when a migration
 *   found no space.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const migrations = options.migrations ?? appMigrations;
  const latest = latestVersion(migrations);
  const checkedAt = existsSync(file) && statSync(file).size > 0 ? inspect(file, latest, options) : (options.now ?? Date.now());
  let db: Database.Database | undefined;
  try {
    // SQLite opens a file it may not write read-only without a word and fails at the first write;
    // saying so now names the folder or the file before anything was attempted.
    writable(dirname(file));
    if (existsSync(file)) writable(file);
    breakSeal(file);
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Other connections of this process (a backup being restored) may hold the write lock briefly;
    // other processes cannot: the data folder's lock (data-lock.ts) keeps them out.
    db.pragma('busy_timeout = 5000');
    // 64 MiB page cache (default 2 MB): today's queue, the streak, searches and stats touch pages all
    // over a large collection; re-reading them through the OS cost 115 ms instead of 33 ms for a
    // deck:+prop: search over 100,000 cards.
    db.pragma('cache_size = -65536');
    // Statement journals and temporary tables in memory: every write to a table with triggers
    // (the text index, the review-log totals, the undo history's) opens a statement journal, and
    // on a temporary file that cost 17 µs per row, most of an import's write time (bench:decks).
    db.pragma('temp_store = MEMORY');
    migrate(db, migrations);
    fullCheckAt.set(db, checkedAt);
    return db;
  } catch (e) {
    if (db) closeWithoutCheckpoint(db, file);
    if (isCorruption(e)) throw new AppError('db-corrupt', `${file} is not a readable database: ${(e as Error).message}`, { path: file });
    throw storageError(e, unwritable(file)) ?? e;
  }
}

/** The folder when it is the one that cannot be written (SQLite needs it for the WAL), else the file. */
function unwritable(file: string): string {
  try {
    accessSync(dirname(file), constants.W_OK);
    return file;
  } catch {
    return dirname(file);
  }
}

function writable(path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (e) {
    throw readOnlyError(path, e);
  }
}

/** Closes the database after a session that ended normally, and seals it (see integrity.ts). */
export function closeDatabase(db: Database.Database, file: string): void {
  const checkedAt = fullCheckAt.get(db) ?? 0;
  db.close();
  sealDatabase(file, checkedAt);
}

/**
 * Closes `db` leaving the file and its WAL exactly as they are, for a file found damaged: SQLite
 * checkpoints the WAL into the file when the last connection closes, so a read-only connection
 * (which never checkpoints) stays open while this one closes.
 */
export function closeWithoutCheckpoint(db: Database.Database, file: string): void {
  let holder: Database.Database | undefined;
  try {
    holder = new Database(file, { readonly: true, fileMustExist: true });
    holder.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
  } catch {
    // A file SQLite cannot read has nothing a checkpoint could bring into it.
  }
  try {
    db.close();
  } finally {
    holder?.close();
  }
}

function freeName(base: string): string {
  let name = base;
  for (let i = 1; existsSync(name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * Renames a database the app cannot use (and its -wal/-shm companions) to
 * `<file>.broken-<timestamp>`, so a fresh one can start. Never deletes anything.
 * @returns the new path of the main file.
 */
export function moveAside(file: string, now: number = Date.now()): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const target = freeName(`${file}.broken-${stamp}`);
  for (const suffix of ['', '-wal', '-shm', sealSuffix]) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}
