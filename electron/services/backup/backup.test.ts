import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from '../store/migrations';
import { createBackup, dailyBackup, expiredBackups, listBackups, restoreBackup, resolveBackup, verifyBackup } from './backup';

const DAY = 86_400_000;
let dir: string;
let db: Database.Database;
let live: string;

function answer(id: number): void {
  db.prepare(
    `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms)
     VALUES (?, 1, 3, 2, 0, 1, 5, 1, 0, 1, 0, 1000)`,
  ).run(id);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'proofdeck-backup-'));
  live = join(dir, 'proofdeck.sqlite');
  db = new Database(live);
  db.pragma('journal_mode = WAL');
  for (const m of migrations) db.exec(m.sql);
  db.prepare(`INSERT INTO decks (id, name, created, modified) VALUES (1, 'd', 0, 0)`).run();
  db.prepare(`INSERT INTO notes (id, guid, deck_id, front, back, created, modified) VALUES (1, 'g', 1, 'q', 'a', 0, 0)`).run();
  db.prepare(`INSERT INTO cards (id, note_id, due) VALUES (1, 1, 0)`).run();
  // Enough rows that the online backup takes several steps.
  const many = db.transaction(() => {
    for (let i = 1; i <= 20_000; i++) answer(i);
  });
  many();
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backups', () => {
  it('a backup taken while answers are written restores every answer made before it, intact', async () => {
    const backups = join(dir, 'backups');
    let next = 1_000_000;
    const writer = setInterval(() => answer(next++), 0);
    const before = (db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n;
    const backup = await createBackup(db, backups, Date.UTC(2026, 10, 27, 10), 'manual');
    clearInterval(writer);
    verifyBackup(backup.file);
    const copy = new Database(backup.file, { readonly: true });
    const inBackup = (copy.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n;
    copy.close();
    expect(inBackup).toBeGreaterThanOrEqual(before);

    // More answers after the backup, then restore: the database is the backup again.
    for (let i = 0; i < 10; i++) answer(next++);
    await restoreBackup(db, live, backup.file, backups, Date.UTC(2026, 10, 27, 11));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n).toBe(inBackup);
    // The state before the restore was kept as a backup of its own.
    expect(listBackups(backups).map((b) => b.reason)).toContain('pre-restore');
  });

  it('takes one automatic backup per study day and keeps 30 days plus one per month', async () => {
    const backups = join(dir, 'backups');
    const start = Date.UTC(2026, 0, 1, 12);
    for (let day = 0; day < 120; day++) {
      const now = start + day * DAY;
      await dailyBackup(db, backups, now, now - 8 * 3600_000);
      await dailyBackup(db, backups, now + 3600_000, now - 8 * 3600_000); // same day: no second backup
    }
    const kept = listBackups(backups);
    const now = start + 119 * DAY + 3600_000;
    const month = (t: number) => new Date(t).toISOString().slice(0, 7);
    // Every day of the last 30 days (Apr 1..30, and Mar 31 at the edge) is kept ...
    expect(kept.filter((b) => b.createdAt >= now - 30 * DAY).length).toBe(30);
    // ... and each earlier month keeps exactly its newest backup.
    const older = kept.filter((b) => b.createdAt < now - 30 * DAY);
    expect(older.map((b) => b.name)).toEqual([
      'proofdeck-2026-03-31T120000.sqlite',
      'proofdeck-2026-02-28T120000.sqlite',
      'proofdeck-2026-01-31T120000.sqlite',
    ]);
    expect(new Set(older.map((b) => month(b.createdAt))).size).toBe(3);
    expect(expiredBackups(kept, now)).toEqual([]);
  });

  it('refuses to restore a damaged file or a name outside the backup folder', async () => {
    const backups = join(dir, 'backups');
    const good = await createBackup(db, backups, Date.UTC(2026, 10, 1), 'manual');
    const bad = join(backups, 'proofdeck-2026-11-02T000000-manual.sqlite');
    writeFileSync(bad, 'not a database at all, just text');
    expect(() => verifyBackup(bad)).toThrow(/not a readable database|integrity/);
    await expect(restoreBackup(db, live, bad, backups, Date.UTC(2026, 10, 3))).rejects.toThrow();
    expect(() => resolveBackup(backups, '../proofdeck.sqlite')).toThrow(/no backup named/);
    expect(resolveBackup(backups, good.name)).toBe(good.file);
    expect(existsSync(live)).toBe(true);
    expect((db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n).toBe(20_000);
  });
});

describe('automatic backups of the app', () => {
  it('a host started with daily backups writes today\'s backup once, and one-shot tools do not', async () => {
    const { createServices } = await import('../index');
    const appDir = join(dir, 'app');
    const services = createServices({ dataDir: appDir, dailyBackups: true, backupDelayMs: 0, log: () => {} });
    await expect.poll(() => listBackups(join(appDir, 'backups')).length, { timeout: 10_000 }).toBe(1);
    services.close();
    const again = createServices({ dataDir: appDir, dailyBackups: true, backupDelayMs: 0, log: () => {} });
    await new Promise((r) => setTimeout(r, 300));
    again.close();
    expect(listBackups(join(appDir, 'backups'))).toHaveLength(1);
    const cliDir = join(dir, 'cli');
    createServices({ dataDir: cliDir }).close();
    expect(listBackups(join(cliDir, 'backups'))).toHaveLength(0);
  });
});
