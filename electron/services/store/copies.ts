import Database from 'better-sqlite3';

/**
 * Whole-database copies, with SQLite's online backup API: consistent while answers are being
 * written (unlike a file copy of a WAL database). backup/backup.ts names, keeps and restores them.
 */

/** Copies the live database into `file`. */
export async function copyDatabase(db: Database.Database, file: string): Promise<void> {
  await db.backup(file);
}

/** `PRAGMA integrity_check` of a database file, opened read-only: 'ok', or what it found. Throws when it is not a readable database. */
export function checkDatabaseFile(file: string): string {
  const check = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return String(check.pragma('integrity_check', { simple: true }));
  } finally {
    check.close();
  }
}

/** Copies the database in `source` over the live one at `liveFile`; the live connection sees it on its next statement. */
export async function copyOver(source: string, liveFile: string): Promise<void> {
  const from = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(liveFile);
  } finally {
    from.close();
  }
}

/** `PRAGMA integrity_check` of an open database. */
export function checkOpenDatabase(db: Database.Database): string {
  return String(db.pragma('integrity_check', { simple: true }));
}
