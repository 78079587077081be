import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import { applyNotesToDeck } from './apply';
import type { ParsedDeck } from './markdown/parse';
import { readMarkdownFolder } from './markdown/folder';

/**
 * Decks shipped with the app, in `resources/decks/<key>/` (one Markdown file per language; the
 * translations name their primary with `translation_of`). Loaded on first launch; a later
 * version updates notes by stable id in place, so every card keeps its schedule and history.
 */

export interface BuiltinSyncReport {
  key: string;
  version: number;
  /** The version the database had before; null on first load. */
  previousVersion: number | null;
  deckId: number;
  action: 'created' | 'updated' | 'skipped';
  added: number;
  updated: number;
  unchanged: number;
  /** Notes the user edited that the new version also changed: the user's text is kept. */
  conflicts: number;
  /** Notes the new version no longer has: kept, with their cards and progress. */
  kept: number;
}

/** Reads every built-in deck under `resourcesDir/decks`. Throws if a shipped file is broken. */
export function readBuiltinDecks(resourcesDir: string): ParsedDeck[] {
  const root = join(resourcesDir, 'decks');
  if (!existsSync(root)) return [];
  const decks: ParsedDeck[] = [];
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    for (const deck of readMarkdownFolder(join(root, folder)).decks) {
      if (deck.meta.version === null) {
        throw new AppError('import-invalid', `built-in deck ${deck.meta.key} has no version in its front matter`, { deck: deck.meta.key });
      }
      decks.push(deck);
    }
  }
  return decks;
}

/**
 * True when the database already has every shipped deck at its file's version, read from the
 * front matter alone (`deck:` and `version:` of each file). Every start asks this first: parsing
 * the decks in full takes tens of milliseconds that the first screen would wait for, and is
 * needed only for a first launch or a new deck version.
 */
export function builtinDecksUpToDate(db: Database.Database, resourcesDir: string): boolean {
  const root = join(resourcesDir, 'decks');
  if (!existsSync(root)) return true;
  const stored = db.prepare('SELECT builtin_version FROM decks WHERE builtin_key = ?').pluck();
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(root, folder.name))) {
      if (!file.endsWith('.md')) continue;
      const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(join(root, folder.name, file), 'utf8'))?.[1];
      const key = frontMatter && /^deck:\s*["']?([\w-]+)["']?\s*$/m.exec(frontMatter)?.[1];
      const version = frontMatter && /^version:\s*(\d+)\s*$/m.exec(frontMatter)?.[1];
      // Anything this quick look cannot read is left to the full parse (and its errors).
      if (!key || !version) return false;
      const have = stored.get(key) as number | null | undefined;
      if (have === undefined || have === null || have < Number(version)) return false;
    }
  }
  return true;
}

/**
 * Loads or upgrades the built-in decks, in one transaction. Idempotent: a deck whose stored
 * version is the file's (or newer) is skipped without a write.
 */
export function syncBuiltinDecks(db: Database.Database, resourcesDir: string | null, options: { now?: number } = {}): BuiltinSyncReport[] {
  if (!resourcesDir) return [];
  const decks = readBuiltinDecks(resourcesDir);
  const now = options.now ?? Date.now();
  return db.transaction(() => decks.map((deck) => syncDeck(db, deck, now)))();
}

function syncDeck(db: Database.Database, deck: ParsedDeck, now: number): BuiltinSyncReport {
  const { key, title, description } = deck.meta;
  const version = deck.meta.version as number;
  const stored = db.prepare('SELECT id, builtin_version FROM decks WHERE builtin_key = ?').get(key) as
    | { id: number; builtin_version: number | null }
    | undefined;
  const base = { key, version, previousVersion: stored?.builtin_version ?? null };
  if (stored && (stored.builtin_version ?? 0) >= version) {
    return { ...base, deckId: stored.id, action: 'skipped', added: 0, updated: 0, unchanged: deck.notes.length, conflicts: 0, kept: 0 };
  }
  let deckId = stored?.id;
  if (deckId === undefined) {
    // A deck of the user's may already have the title; the built-in one then carries its key.
    const taken = db.prepare('SELECT 1 FROM decks WHERE name = ?').get(title) !== undefined;
    deckId = Number(
      db
        .prepare('INSERT INTO decks (name, description, builtin_key, builtin_version, created, modified) VALUES (?, ?, ?, ?, ?, ?)')
        .run(taken ? `${title} (${key})` : title, description, key, version, now, now).lastInsertRowid,
    );
  }
  // Notes the user deleted stay deleted: a new version updates and adds, it does not resurrect.
  const deleted = new Set(db.prepare('SELECT guid FROM deleted_builtin_notes').pluck().all() as string[]);
  const notes = deck.notes.filter((note) => !deleted.has(note.guid));
  const result = applyNotesToDeck(db, deckId, notes, { mode: 'apply', takeIncoming: 'none', now });
  if (stored) db.prepare('UPDATE decks SET builtin_version = ?, description = ?, modified = ? WHERE id = ?').run(version, description, now, deckId);
  return {
    ...base,
    deckId,
    action: stored ? 'updated' : 'created',
    added: result.added,
    updated: result.updated,
    unchanged: result.unchanged,
    conflicts: result.conflicts,
    kept: result.notInFile,
  };
}
