import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { latestVersion, moveAside, openDatabase } from './database';
import { migrations } from './migrations';
import { DatabaseError, createSql } from './sql';
import { temporaryDir } from '../../testing/fixtures';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});
function tempFile(): string {
  const t = temporaryDir();
  cleanup.push(t.remove);
  return join(t.dir, 'proofdeck.sqlite');
}

function schemaOf(db: Database.Database): string[] {
  return db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all()
    .map((r) => JSON.stringify(r));
}

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('openDatabase', () => {
  it('creates a fresh database with WAL, foreign keys and the latest schema', () => {
    const file = tempFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    for (const t of ['decks', 'notes', 'cards', 'revlog', 'experiment_runs', 'media', 'settings']) expect(tables).toContain(t);
    db.close();
  });

  // One case per earlier version, so a new migration is tested from every state a user can be in.
  const fresh = (() => {
    const file = tempFile();
    const db = openDatabase(file);
    const schema = schemaOf(db);
    db.close();
    return schema;
  })();
  for (let applied = 0; applied < migrations.length; applied++) {
    it(`migrates a database at version ${applied} to the latest, keeping its rows`, () => {
      const file = tempFile();
      const old = openDatabase(file, { migrations: migrations.slice(0, applied) });
      expect(old.pragma('user_version', { simple: true })).toBe(applied === 0 ? 0 : migrations[applied - 1].version);
      if (applied > 0) old.prepare(`INSERT INTO decks (name, created, modified) VALUES ('kept', 1, 1)`).run();
      old.close();
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
      expect(schemaOf(db)).toEqual(fresh);
      if (applied > 0) expect(db.prepare(`SELECT name FROM decks`).pluck().all()).toEqual(['kept']);
      db.close();
    });
  }

  it('gives a database main took to version 7 before the undo history existed (6) its tables, keeping its version and rows', () => {
    const file = tempFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version !== 6 && m.version <= 7) });
    expect(old.pragma('user_version', { simple: true })).toBe(7);
    old.prepare(`INSERT INTO decks (name, created, modified) VALUES ('kept', 1, 1)`).run();
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(schemaOf(db).sort()).toEqual([...fresh].sort());
    expect(db.prepare(`SELECT name FROM decks`).pluck().all()).toEqual(['kept']);
    db.close();
    // Opened again: nothing left to run.
    const again = openDatabase(file);
    expect(schemaOf(again).sort()).toEqual([...fresh].sort());
    again.close();
  });

  it('gives notes from before migration 004 the basic kind, keeping their cards, and refuses unknown kinds', () => {
    const file = tempFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version < 4) });
    old.prepare(`INSERT INTO decks (id, name, created, modified) VALUES (1, 'd', 1, 1)`).run();
    old.prepare(`INSERT INTO notes (id, guid, deck_id, front, back, created, modified) VALUES (1, 'g', 1, '{{c1::x}}', 'b', 1, 1)`).run();
    old.prepare(`INSERT INTO cards (note_id, ord, due, state, stability) VALUES (1, 0, 5, 2, 9.5)`).run();
    old.close();
    const db = openDatabase(file);
    expect(db.prepare(`SELECT kind FROM notes`).pluck().all()).toEqual(['basic']);
    expect(db.prepare(`SELECT ord, due, state, stability FROM cards`).all()).toEqual([{ ord: 0, due: 5, state: 2, stability: 9.5 }]);
    db.prepare(`UPDATE notes SET kind = 'cloze'`).run();
    expect(() => db.prepare(`UPDATE notes SET kind = 'typed'`).run()).toThrow(/CHECK/);
    db.close();
  });

  it('rolls a failing migration back completely and names it', () => {
    const file = tempFile();
    const broken = [...migrations, { version: latestVersion() + 1, name: 'broken', sql: `CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);` }];
    const error = caught(() => openDatabase(file, { migrations: broken }));
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toContain('broken');
    expect((error as Error).message).toContain('nowhere');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'`).pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from a newer app and leaves its bytes alone', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare(`INSERT INTO settings (key, value) VALUES ('newer', '1')`).run();
    db.pragma(`user_version = ${latestVersion() + 5}`);
    db.close();
    const before = readFileSync(file);
    const error = caught(() => openDatabase(file));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('db-newer');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
  });

  it('refuses a file that is not a database and never overwrites it', () => {
    const file = tempFile();
    const junk = Buffer.from('these are my notes, not a database\n'.repeat(200));
    writeFileSync(file, junk);
    const error = caught(() => openDatabase(file));
    expect((error as AppError).code).toBe('db-corrupt');
    expect(readFileSync(file).equals(junk)).toBe(true);
  });

  it('refuses a database whose pages are damaged', () => {
    const file = tempFile();
    const db = openDatabase(file);
    const insert = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`k${i}`, 'v'.repeat(200));
    })();
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(file);
    // Scribble over the middle pages, keeping the header valid.
    for (let i = 8192; i < bytes.length - 4096; i += 7) bytes[i] = 0xa5;
    writeFileSync(file, bytes);
    const error = caught(() => openDatabase(file));
    expect((error as AppError).code).toBe('db-corrupt');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('moves a broken database aside with its WAL files, deleting nothing', () => {
    const file = tempFile();
    writeFileSync(file, 'broken');
    writeFileSync(`${file}-wal`, 'wal');
    const moved = moveAside(file, Date.UTC(2026, 10, 27, 8, 30));
    expect(moved).toBe(`${file}.broken-2026-11-27T08-30-00-000Z`);
    expect(readFileSync(moved, 'utf8')).toBe('broken');
    expect(readFileSync(`${moved}-wal`, 'utf8')).toBe('wal');
    expect(existsSync(file)).toBe(false);
    const again = (writeFileSync(file, 'second'), moveAside(file, Date.UTC(2026, 10, 27, 8, 30)));
    expect(again).not.toBe(moved);
    expect(readdirSync(join(file, '..')).filter((n) => n.includes('broken')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('createSql', () => {
  it('reports the statement that failed', () => {
    const db = openDatabase(tempFile());
    const sql = createSql(db);
    const error = caught(() => sql.run(`INSERT INTO cards (note_id, due) VALUES (?, ?)`, 999, 0));
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).statement).toContain('INSERT INTO cards');
    expect((error as Error).message).toMatch(/FOREIGN KEY/);
    db.close();
  });
});
