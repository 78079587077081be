import Database from 'better-sqlite3';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCollection } from '../../../bench/support/collection';
import { createServices } from '../../../electron/services';
import { sealDatabase } from '../../../electron/services/store/integrity';
import { seededRandom } from '../../../src/shared/random';

// Real collections on disk for the storage tests, and the ways they get damaged.

export const resourcesDir = fileURLToPath(new URL('../../../resources', import.meta.url));

export function tempDir(prefix = 'proofdeck-storage-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A collection of `cards` cards and `revlog` review-log rows plus the built-in deck, closed the way
 * the app closes it (checkpointed and sealed). Made once per test file and copied per case.
 */
export function sealedCollection(cards = 4000, revlog = 40_000): string {
  const dir = tempDir('proofdeck-collection-');
  generateCollection(join(dir, 'proofdeck.sqlite'), cards, revlog).close();
  createServices({ dataDir: dir, resourcesDir, lock: 'test' }).close();
  return dir;
}

/** A copy of `source` that the app has opened and closed once, so its seal is its own. */
export function copyCollection(source: string): string {
  const dir = tempDir();
  cpSync(source, dir, { recursive: true });
  createServices({ dataDir: dir, resourcesDir, lock: 'test' }).close();
  return dir;
}

/** Writes `length` seeded random bytes at `offset`, in place (as a sync tool or a bad disk would). */
export function scribble(file: string, offset: number, seed: number, length = 4096): void {
  const random = seededRandom(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Re-seals a file as it is now: damage the cheap check cannot see (bits that rot in place). */
export function forgeSeal(file: string): void {
  sealDatabase(file, Date.now());
}

/** The `nth` page (from 0) of `table` (or index) of the given kind ('leaf', 'internal'), by SQLite's dbstat. */
export function pageOf(file: string, name: string, kind: 'leaf' | 'internal' | 'any' = 'any', nth = 0): { offset: number; pageSize: number } {
  const db = new Database(file, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const row = db
      .prepare(`SELECT pageno FROM dbstat WHERE name = ? ${kind === 'any' ? '' : 'AND pagetype = ?'} ORDER BY pageno LIMIT 1 OFFSET ?`)
      .get(...(kind === 'any' ? [name] : [name, kind]), nth) as { pageno: number } | undefined;
    if (!row) throw new Error(`no ${kind} page of ${name}`);
    return { offset: (row.pageno - 1) * pageSize, pageSize };
  } finally {
    db.close();
  }
}

export function bytesOf(file: string): Buffer {
  return readFileSync(file);
}
