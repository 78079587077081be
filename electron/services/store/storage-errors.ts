import { AppError } from '../../../src/shared/errors';

// What SQLite and the file system say when the database's storage fails, turned into the errors
// a user can act on: a damaged file (move it aside), a full disk (free space) and a folder or file
// they cannot write (permissions, a read-only mount). Anything else stays an unexpected error.

const corruptCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE']);
// SQLite reports ENOSPC as SQLITE_FULL, except where it grows the WAL index (-shm).
const fullCodes = new Set(['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC', 'EDQUOT']);
const readOnlyCodes = new Set([
  'SQLITE_READONLY',
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_DBMOVED',
  'SQLITE_READONLY_CANTINIT',
  'SQLITE_READONLY_CANTLOCK',
  'SQLITE_READONLY_RECOVERY',
  'SQLITE_READONLY_ROLLBACK',
  // A database file that cannot be created or opened where the folder exists: no permission.
  'SQLITE_CANTOPEN',
  'EACCES',
  'EPERM',
  'EROFS',
]);

/** The SQLite or errno code of an error, looking through wrappers (DatabaseError's `cause`). */
export function storageCode(e: unknown): string | undefined {
  for (let error = e, depth = 0; error && typeof error === 'object' && depth < 5; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code))) return code;
    error = (error as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for SQLite's "not a database" and "corrupt" failures, also when wrapped. */
export function isCorruption(e: unknown): boolean {
  return corruptCodes.has(storageCode(e) ?? '');
}

/** True when the disk (or the user's quota) is full. */
export function isDiskFull(e: unknown): boolean {
  return fullCodes.has(storageCode(e) ?? '');
}

/** True when the folder or file cannot be written (permissions, a read-only mount). */
export function isReadOnly(e: unknown): boolean {
  return readOnlyCodes.has(storageCode(e) ?? '');
}

/** 'disk-full' naming `path`, for a write that found no space. */
export function diskFullError(path: string, e: unknown): AppError {
  return new AppError('disk-full', `the disk holding ${path} is full: ${(e as Error)?.message ?? String(e)}`, { path });
}

/** 'read-only' naming `path`, for a folder or file ProofDeck may not write. */
export function readOnlyError(path: string, e: unknown): AppError {
  return new AppError('read-only', `cannot write to ${path}: ${(e as Error)?.message ?? String(e)}`, { path });
}

/**
 * The user-facing error for a storage failure at `path` (the database file, or a folder being
 * written), or null when `e` is not one (it is then a bug, reported as such). Corruption is left to
 * the caller, which has to stop using the file.
 */
export function storageError(e: unknown, path: string): AppError | null {
  if (isDiskFull(e)) return diskFullError(path, e);
  if (isReadOnly(e)) return readOnlyError(path, e);
  return null;
}
