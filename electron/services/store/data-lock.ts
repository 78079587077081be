import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src/shared/errors';
import { storageError } from './storage-errors';

// One writer per data folder. Two processes answering into one database double-answer cards and
// fail with "database is locked"; one moving the file aside while the other writes loses answers.
//
// The lock is an exclusive lock on `proofdeck.lock`, taken through SQLite (fcntl on Unix,
// LockFileEx on Windows): the operating system releases it when the process ends, however it
// ends, so a crash never leaves the folder locked and no process id has to be trusted for that.
// It is a file of its own rather than locking_mode=EXCLUSIVE on the database: the database keeps
// WAL with its shared-memory index, backups and restores keep their second connection, and tests
// and tools can still read it. Who holds the lock is written next to it (`proofdeck.lock.json`),
// only so that a second process can say which one.

export const lockFileName = 'proofdeck.lock';
export const holderFileName = 'proofdeck.lock.json';

/** Which ProofDeck program holds a data folder; shown to the user as the command that runs it. */
export type LockHolderKind = 'app' | 'browser-host' | 'cli' | 'test';

export interface LockHolder {
  kind: LockHolderKind;
  pid: number;
  /** ms since the epoch. */
  startedAt: number;
  hostname: string;
}

export interface DataLock {
  readonly dataDir: string;
  readonly holder: LockHolder;
  /** Lets the folder go (also happens when the process ends). */
  release(): void;
}

const holderNames: Record<LockHolderKind, string> = {
  app: 'ProofDeck',
  'browser-host': 'npm run web',
  cli: 'npm run decks',
  test: 'a test',
};

function readHolder(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, holderFileName), 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.kind !== 'string' || typeof holder.startedAt !== 'number') return null;
    return { kind: holder.kind, pid: holder.pid, startedAt: holder.startedAt, hostname: String(holder.hostname ?? '') };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** "2025-12-04 08:45:59" in local time: the same in both languages. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The error a second process gets. The holder file is written just after the lock is taken, so a
 * process that lost a race by a millisecond may read the previous holder's (dead) record: it
 * waits a little for the live one.
 */
function lockedError(dataDir: string): AppError {
  let holder = readHolder(dataDir);
  for (let i = 0; i < 20 && (!holder || (holder.hostname === hostname() && !alive(holder.pid))); i++) {
    sleep(25);
    holder = readHolder(dataDir);
  }
  const who = holder ? `${holderNames[holder.kind] ?? holder.kind}, process ${holder.pid}, since ${localTime(holder.startedAt)}` : 'another process';
  return new AppError('db-locked', `${dataDir} is in use by another ProofDeck (${who})`, {
    path: dataDir,
    holder: holder ? (holderNames[holder.kind] ?? holder.kind) : '?',
    pid: holder ? String(holder.pid) : '?',
    since: holder ? localTime(holder.startedAt) : '?',
  });
}

/**
 * Takes the data folder for this process, or says who has it.
 * @throws AppError 'db-locked' (params: path, holder, pid, since) when another process holds it,
 *   'read-only' when the folder cannot be written (no lock file can be made there).
 */
export function acquireDataLock(dataDir: string, kind: LockHolderKind, now: number = Date.now()): DataLock {
  const file = join(dataDir, lockFileName);
  let lock: Database.Database | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    lock = new Database(file, { timeout: 0 });
    // No journal file beside the lock; the transaction below never writes.
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    lock?.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw lockedError(dataDir);
    throw storageError(e, dataDir) ?? e;
  }
  const holder: LockHolder = { kind, pid: process.pid, startedAt: now, hostname: hostname() };
  const holderFile = join(dataDir, holderFileName);
  try {
    writeFileSync(`${holderFile}.${process.pid}`, JSON.stringify(holder));
    renameSync(`${holderFile}.${process.pid}`, holderFile);
  } catch {
    // The lock holds without its description; a second process then says "another process".
  }
  const held = lock;
  let released = false;
  return {
    dataDir,
    holder,
    release() {
      if (released) return;
      released = true;
      if (readHolder(dataDir)?.pid === process.pid) rmSync(holderFile, { force: true });
      held.close();
    },
  };
}
