import type Database from 'better-sqlite3';

/** A database failure that names the statement it came from (STYLE.md: errors carry the statement). */
export class DatabaseError extends Error {
  constructor(
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${reason} (in: ${statement.replace(/\s+/g, ' ').trim()})`);
    this.name = 'DatabaseError';
  }
}

type Params = unknown[];

/**
 * Prepared statements cached by their SQL text; every failure rethrown as a DatabaseError. Only
 * the stores (this folder) hold one: every statement of the app is written here.
 */
export interface Sql {
  run(sql: string, ...params: Params): Database.RunResult;
  get<T>(sql: string, ...params: Params): T | undefined;
  all<T>(sql: string, ...params: Params): T[];
  /** The first column of the first row (undefined when there is none). */
  value<T>(sql: string, ...params: Params): T | undefined;
  /** The first column of every row. */
  column<T>(sql: string, ...params: Params): T[];
  /** Rows as arrays, read one at a time: for scans too large to hold as objects. */
  iterateRaw<T extends unknown[]>(sql: string, ...params: Params): IterableIterator<T>;
  /** Rows as arrays, all at once. */
  allRaw<T extends unknown[]>(sql: string, ...params: Params): T[];
  exec(sql: string): void;
  /**
   * Runs `work` in one transaction (nested calls become savepoints). `immediate` takes the write
   * lock at the start, for work that reads and then writes many rows (an import).
   */
  transaction<T>(work: () => T, options?: { immediate?: boolean }): T;
  readonly db: Database.Database;
}

/**
 * Statements kept prepared. Most are fixed text; the card search's WHERE clause varies with the
 * query, so the cache is bounded (the oldest is dropped) rather than growing with every search.
 */
const cacheSize = 400;

type Mode = 'object' | 'value' | 'raw';

export function createSql(db: Database.Database): Sql {
  // Keyed by mode and text: a statement is set to return objects, first values or arrays once, when prepared.
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string, mode: Mode): Database.Statement => {
    const key = `${mode}:${sql}`;
    let prepared = cache.get(key);
    if (prepared) {
      // Most recently used last: a Map keeps insertion order.
      cache.delete(key);
      cache.set(key, prepared);
      return prepared;
    }
    try {
      prepared = db.prepare(sql);
      if (mode === 'value') prepared.pluck();
      else if (mode === 'raw') prepared.raw();
    } catch (e) {
      throw new DatabaseError(sql, e);
    }
    cache.set(key, prepared);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    return prepared;
  };
  const guarded = <T>(sql: string, mode: Mode, work: (s: Database.Statement) => T): T => {
    const prepared = statement(sql, mode);
    try {
      return work(prepared);
    } catch (e) {
      throw e instanceof DatabaseError ? e : new DatabaseError(sql, e);
    }
  };
  return {
    db,
    run: (sql, ...params) => guarded(sql, 'object', (s) => s.run(...params)),
    get: <T>(sql: string, ...params: Params) => guarded(sql, 'object', (s) => s.get(...params) as T | undefined),
    all: <T>(sql: string, ...params: Params) => guarded(sql, 'object', (s) => s.all(...params) as T[]),
    value: <T>(sql: string, ...params: Params) => guarded(sql, 'value', (s) => s.get(...params) as T | undefined),
    column: <T>(sql: string, ...params: Params) => guarded(sql, 'value', (s) => s.all(...params) as T[]),
    iterateRaw: <T extends unknown[]>(sql: string, ...params: Params) => guarded(sql, 'raw', (s) => s.iterate(...params) as IterableIterator<T>),
    allRaw: <T extends unknown[]>(sql: string, ...params: Params) => guarded(sql, 'raw', (s) => s.all(...params) as T[]),
    exec: (sql) => {
      try {
        db.exec(sql);
      } catch (e) {
        throw new DatabaseError(sql, e);
      }
    },
    transaction: <T>(work: () => T, options: { immediate?: boolean } = {}) => {
      const transaction = db.transaction(work);
      return options.immediate ? transaction.immediate() : transaction();
    },
  };
}
