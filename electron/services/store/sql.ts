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

/** Prepared statements cached by their SQL text; every failure rethrown as a DatabaseError. */
export interface Sql {
  run(sql: string, ...params: Params): Database.RunResult;
  get<T>(sql: string, ...params: Params): T | undefined;
  all<T>(sql: string, ...params: Params): T[];
  /** Runs `work` in one transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T;
  readonly db: Database.Database;
}

export function createSql(db: Database.Database): Sql {
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let prepared = cache.get(sql);
    if (!prepared) {
      try {
        prepared = db.prepare(sql);
      } catch (e) {
        throw new DatabaseError(sql, e);
      }
      cache.set(sql, prepared);
    }
    return prepared;
  };
  const guarded = <T>(sql: string, work: (s: Database.Statement) => T): T => {
    const prepared = statement(sql);
    try {
      return work(prepared);
    } catch (e) {
      throw e instanceof DatabaseError ? e : new DatabaseError(sql, e);
    }
  };
  return {
    db,
    run: (sql, ...params) => guarded(sql, (s) => s.run(...params)),
    get: <T>(sql: string, ...params: Params) => guarded(sql, (s) => s.get(...params) as T | undefined),
    all: <T>(sql: string, ...params: Params) => guarded(sql, (s) => s.all(...params) as T[]),
    transaction: <T>(work: () => T) => db.transaction(work)(),
  };
}
