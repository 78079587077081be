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
 * Statements kept prepared. The stores write their SQL as constants, so a statement is found by
 * the same string each time; the card search's WHERE clause varies with the query, so the cache
 * is bounded (the oldest is dropped) rather than growing with every search.
 */
const cacheSize = 400;

type Mode = 'object' | 'value' | 'raw';

export function createSql(db: Database.Database): Sql {
  // One cache per mode: a statement is set to return objects, first values or arrays once, when prepared.
  const caches: Record<Mode, Map<string, Database.Statement>> = { object: new Map(), value: new Map(), raw: new Map() };
  const statement = (sql: string, mode: Mode): Database.Statement => {
    const cache = caches[mode];
    let prepared = cache.get(sql);
    if (prepared) return prepared;
    try {
      prepared = db.prepare(sql);
      if (mode === 'value') prepared.pluck();
      else if (mode === 'raw') prepared.raw();
    } catch (e) {
      throw new DatabaseError(sql, e);
    }
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(sql, prepared);
    return prepared;
  };
  const fail = (sql: string, e: unknown): never => {
    throw e instanceof DatabaseError ? e : new DatabaseError(sql, e);
  };
  return {
    db,
    run(sql, ...params) {
      const prepared = statement(sql, 'object');
      try {
        return prepared.run(...params);
      } catch (e) {
        return fail(sql, e);
      }
    },
    get<T>(sql: string, ...params: Params) {
      const prepared = statement(sql, 'object');
      try {
        return prepared.get(...params) as T | undefined;
      } catch (e) {
        return fail(sql, e);
      }
    },
    all<T>(sql: string, ...params: Params) {
      const prepared = statement(sql, 'object');
      try {
        return prepared.all(...params) as T[];
      } catch (e) {
        return fail(sql, e);
      }
    },
    value<T>(sql: string, ...params: Params) {
      const prepared = statement(sql, 'value');
      try {
        return prepared.get(...params) as T | undefined;
      } catch (e) {
        return fail(sql, e);
      }
    },
    column<T>(sql: string, ...params: Params) {
      const prepared = statement(sql, 'value');
      try {
        return prepared.all(...params) as T[];
      } catch (e) {
        return fail(sql, e);
      }
    },
    iterateRaw<T extends unknown[]>(sql: string, ...params: Params) {
      const prepared = statement(sql, 'raw');
      try {
        return prepared.iterate(...params) as IterableIterator<T>;
      } catch (e) {
        return fail(sql, e);
      }
    },
    allRaw<T extends unknown[]>(sql: string, ...params: Params) {
      const prepared = statement(sql, 'raw');
      try {
        return prepared.all(...params) as T[];
      } catch (e) {
        return fail(sql, e);
      }
    },
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
