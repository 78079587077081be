import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import { storesFor, type Stores } from '../store/stores';
import { mergeIntoDeck } from './merge';
import { markdownImport } from './markdown/import';
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
  const decks = storesFor(db).decks;
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(root, folder.name))) {
      if (!file.endsWith('.md')) continue;
      const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(join(root, folder.name, file), 'utf8'))?.[1];
      const key = frontMatter && /^deck:\s*["']?([\w-]+)["']?\s*$/m.exec(frontMatter)?.[1];
      const version = frontMatter && /^version:\s*(\d+)\s*$/m.exec(frontMatter)?.[1];
      // Anything this quick look cannot read is left to the full parse (and its errors).
      if (!key || !version) return false;
      const have = decks.byBuiltinKey(key)?.builtin_version;
      // A built-in deck the user deleted is not loaded again.
      if (have === undefined && decks.builtinDeleted(key)) continue;
      if (have === undefined || have === null || have < Number(version)) return false;
    }
  }
  return true;
}

/**
 * Loads or upgrades the built-in decks, in one transaction. Idempotent: a deck whose stored
 * version is the file's (or newer) is skipped without a write, and so is one the user deleted. A new version arrives as an import
 * of its deck (merge.ts) that takes nothing the user changed: a note the user edited keeps the
 * user's text, a note the user deleted is not brought back, progress and history stay. It is not
 * an operation the user can undo, so when it writes, the undo history is cleared (store/undo.ts).
 */
export function syncBuiltinDecks(db: Database.Database, resourcesDir: string | null, options: { now?: number } = {}): BuiltinSyncReport[] {
  if (!resourcesDir) return [];
  const decks = readBuiltinDecks(resourcesDir);
  const now = options.now ?? Date.now();
  const store = storesFor(db);
  return store.transaction(() => decks.map((deck) => syncDeck(store, deck, now)));
}

function syncDeck(store: Stores, deck: ParsedDeck, now: number): BuiltinSyncReport {
  const { key, title, description } = deck.meta;
  const version = deck.meta.version as number;
  const stored = store.decks.byBuiltinKey(key);
  const base = { key, version, previousVersion: stored?.builtin_version ?? null };
  if (!stored && store.decks.builtinDeleted(key)) {
    return { ...base, deckId: 0, action: 'skipped', added: 0, updated: 0, unchanged: 0, conflicts: 0, kept: 0 };
  }
  if (stored && (stored.builtin_version ?? 0) >= version) {
    return { ...base, deckId: stored.id, action: 'skipped', added: 0, updated: 0, unchanged: deck.notes.length, conflicts: 0, kept: 0 };
  }
  // A deck of the user's may already have the title; the built-in one then carries its key.
  const name = stored?.name ?? (store.decks.byName(title) ? `${title} (${key})` : title);
  const deckId = stored?.id ?? store.decks.insert({ name, description, builtinKey: key, builtinVersion: version, now });
  // Notes the user deleted stay deleted: a new version updates and adds, it does not resurrect.
  const deleted = store.notes.deletedBuiltinGuids();
  const parsed = markdownImport(deck, name);
  parsed.notes = parsed.notes.filter((note) => !deleted.has(note.guid));
  const result = mergeIntoDeck(store, deckId, parsed, { default: 'keep-mine' }, now);
  if (stored) store.decks.setBuiltinVersion(deckId, version, description, now);
  const inFile = new Set(deck.notes.map((note) => note.guid));
  return {
    ...base,
    deckId,
    action: stored ? 'updated' : 'created',
    added: result.added,
    updated: result.updated,
    unchanged: result.unchanged,
    conflicts: result.conflictsKept,
    kept: store.notes.guidsInDeck(deckId).filter((guid) => !inFile.has(guid)).length,
  };
}
