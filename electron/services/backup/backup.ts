import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { AppError } from '../../../src/shared/errors';
import { storageError } from '../store/storage-errors';
import { checkDatabaseFile, checkOpenDatabase, copyDatabase, copyOver } from '../store/copies';

const NAME = /^proofdeck-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})(?:-([a-z-]+))?\.sqlite$/;

export interface BackupInfo {
  file: string;
  name: string;
  createdAt: number;
  bytes: number;
  /** 'daily' (automatic), 'manual', or 'pre-restore' (taken before a restore). */
  reason: string;
}

function stamp(time: number): string {
  const d = new Date(time);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Backups in `dir`, newest first. Files that do not follow the naming scheme are ignored. */
export function listBackups(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const m = NAME.exec(name);
      if (!m) return [];
      const createdAt = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
      const file = join(dir, name);
      return [{ file, name, createdAt, bytes: statSync(file).size, reason: m[7] ?? 'daily' }];
    })
    .sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Copies the live database with SQLite's online backup API (consistent even while answers are
 * being written, unlike a file copy of a WAL database) into `dir`.
 */
export async function createBackup(db: Database.Database, dir: string, now: number, reason = 'manual'): Promise<BackupInfo> {
  const name = `proofdeck-${stamp(now)}${reason === 'daily' ? '' : `-${reason}`}.sqlite`;
  const file = join(dir, name);
  const partial = `${file}.partial`;
  try {
    mkdirSync(dir, { recursive: true });
    await copyDatabase(db, partial);
    renameSync(partial, file);
  } catch (e) {
    // A full disk or a folder that cannot be written is the backup folder's problem: named as such,
    // and no half-written copy left behind.
    rmSync(partial, { force: true });
    throw storageError(e, dir) ?? e;
  }
  return { file, name, createdAt: Math.floor(now / 1000) * 1000, bytes: statSync(file).size, reason };
}

/**
 * Which backups to keep: every backup of the last `days` days, and the newest backup of each
 * earlier month. Returns the files to delete.
 */
export function expiredBackups(backups: BackupInfo[], now: number, days = 30): BackupInfo[] {
  const cutoff = now - days * 86_400_000;
  const keptMonths = new Set<string>();
  const expired: BackupInfo[] = [];
  for (const b of backups) {
    if (b.createdAt >= cutoff) continue;
    const month = new Date(b.createdAt).toISOString().slice(0, 7);
    if (keptMonths.has(month)) expired.push(b);
    else keptMonths.add(month);
  }
  return expired;
}

/** Takes today's automatic backup unless one exists since `dayStart`, then prunes old ones. */
export async function dailyBackup(db: Database.Database, dir: string, now: number, dayStart: number): Promise<BackupInfo | null> {
  const existing = listBackups(dir);
  let made: BackupInfo | null = null;
  if (!existing.some((b) => b.reason === 'daily' && b.createdAt >= dayStart)) {
    made = await createBackup(db, dir, now, 'daily');
  }
  for (const b of expiredBackups(listBackups(dir), now)) rmSync(b.file, { force: true });
  return made;
}

/** Opens a backup read-only and checks it: a restore never replaces a good database with a bad one. */
export function verifyBackup(file: string): void {
  let result: string;
  try {
    result = checkDatabaseFile(file);
  } catch (e) {
    throw new AppError('db-corrupt', `backup ${basename(file)} is not a readable database: ${(e as Error).message}`, { file: basename(file) });
  }
  if (result !== 'ok') throw new AppError('db-corrupt', `backup ${basename(file)} fails its integrity check: ${result}`, { file: basename(file) });
}

/** Only files listed in the backup folder may be restored (no path tricks through the API). */
export function resolveBackup(dir: string, name: string): string {
  const file = resolve(dir, name);
  if (basename(file) !== name || !NAME.test(name) || !existsSync(file)) {
    throw new AppError('not-found', `no backup named '${name}'`, { name });
  }
  return file;
}

/**
 * Restores `file` into the live database: first a 'pre-restore' backup of the current state,
 * then the backup's pages copied over the live file with the online backup API (the live
 * connection sees the restored content on its next statement), then an integrity check.
 */
export async function restoreBackup(db: Database.Database, liveFile: string, file: string, dir: string, now: number): Promise<BackupInfo> {
  verifyBackup(file);
  const safety = await createBackup(db, dir, now, 'pre-restore');
  await copyOver(file, liveFile);
  const result = checkOpenDatabase(db);
  if (result !== 'ok') throw new AppError('db-corrupt', `restored database fails its integrity check: ${result}`);
  return safety;
}
