import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import type { ServiceContext } from './context';
import { disposeExperimentService } from './experiments/handlers';
import { closeDatabase, closeWithoutCheckpoint, databaseFileName, moveAside, openDatabase } from './store/database';
import { isCorruption, storageError } from './store/storage-errors';

export type DatabaseProblem = NonNullable<AppInfo['databaseProblem']>;

/** Problems that keep the database closed until the user acts on them. */
const problemCodes = new Set<string>(['db-corrupt', 'db-newer', 'read-only', 'disk-full']);
/** Problems that can go away without the user choosing anything (space freed, permissions fixed). */
const passingCodes = new Set<string>(['read-only', 'disk-full']);

/**
 * The database's life in one host: opened (with the built-in decks loaded) or closed with a
 * problem the user is shown. A damaged file is closed the moment any statement meets the damage
 * and is never written again; a full disk or a read-only file fails the call with an error that
 * names the path, and the database stays open for the calls that can still work.
 */
export class DatabaseSession {
  readonly file: string;
  private current: ServiceContext | null = null;
  private currentProblem: DatabaseProblem | null = null;

  constructor(
    readonly dataDir: string,
    /** Makes the context for a freshly opened database and runs the host's start work (built-in decks). */
    private readonly start: (db: Database.Database) => ServiceContext,
  ) {
    this.file = join(dataDir, databaseFileName);
  }

  get context(): ServiceContext | null {
    return this.current;
  }

  get problem(): DatabaseProblem | null {
    return this.currentProblem;
  }

  /** Opens the database, or records why it stays closed (problems the user must see). */
  open(): void {
    let db: Database.Database | undefined;
    try {
      mkdirSync(this.dataDir, { recursive: true });
      db = openDatabase(this.file);
      this.current = this.start(db);
      this.currentProblem = null;
    } catch (e) {
      if (db) closeWithoutCheckpoint(db, this.file);
      this.current = null;
      const error = this.classify(e, this.dataDir);
      if (!problemCodes.has(error.code)) throw e;
      this.currentProblem = { code: error.code as DatabaseProblem['code'], message: error.message, path: String(error.params?.path ?? this.file) };
    }
  }

  /** True when the problem may pass without the user choosing anything (space freed, permissions fixed). */
  get problemMayPass(): boolean {
    return this.currentProblem !== null && passingCodes.has(this.currentProblem.code);
  }

  /** Keeps the database closed for a problem found before opening it (the folder cannot be locked). */
  closedBy(error: AppError): void {
    this.current = null;
    this.currentProblem = { code: error.code as DatabaseProblem['code'], message: error.message, path: String(error.params?.path ?? this.dataDir) };
  }

  /** The open context, or the problem as the typed error every call gets. */
  require(): ServiceContext {
    if (this.current) return this.current;
    const p = this.currentProblem ?? { code: 'db-corrupt' as const, message: 'the database is closed', path: this.file };
    throw new AppError(p.code, p.message, { path: p.path });
  }

  /**
   * What a failed call throws: damage closes the database (without a checkpoint into the file)
   * and every later call gets 'db-corrupt'; a full disk or a read-only file becomes an error
   * naming it; anything else is rethrown as it is.
   */
  fail(e: unknown): never {
    if (isCorruption(e)) {
      this.degrade(e);
      throw new AppError('db-corrupt', this.currentProblem!.message, { path: this.file });
    }
    const storage = e instanceof AppError ? null : storageError(e, this.file);
    throw storage ?? e;
  }

  /** Reports damage found outside a call (a backup reading the file): closes the database. */
  degrade(e: unknown): void {
    if (this.current) {
      const db = this.current.db;
      void disposeExperimentService(db);
      closeWithoutCheckpoint(db, this.file);
      this.current = null;
    }
    this.currentProblem = { code: 'db-corrupt', message: `${this.file} is damaged: ${(e as Error)?.message ?? String(e)}`, path: this.file };
  }

  /** Moves the database aside (renamed, never deleted) and opens a fresh one. */
  reset(now: number): string {
    this.closeCleanly();
    let movedTo: string;
    try {
      movedTo = moveAside(this.file, now);
    } catch (e) {
      throw storageError(e, this.dataDir) ?? e;
    }
    this.open();
    const p = this.currentProblem;
    if (p) throw new AppError(p.code, p.message, { path: p.path });
    return movedTo;
  }

  /** Closes after a normal session: the WAL is checkpointed and the file sealed (integrity.ts). */
  closeCleanly(): void {
    if (!this.current) return;
    const db = this.current.db;
    this.current = null;
    // The run service stops its run (and the engine host) before its database closes.
    void disposeExperimentService(db);
    closeDatabase(db, this.file);
  }

  private classify(e: unknown, folder: string): AppError {
    if (e instanceof AppError) return e;
    if (isCorruption(e)) return new AppError('db-corrupt', `${this.file} is not a readable database: ${(e as Error).message}`, { path: this.file });
    return storageError(e, folder) ?? new AppError('internal', e instanceof Error ? e.message : String(e));
  }
}
