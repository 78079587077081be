import { deckAncestorNames } from '../../../src/shared/deck-names';
import type { Sql } from './sql';

/** A row of the `decks` table (migration 001). */
export interface DeckRow {
  id: number;
  name: string;
  description: string;
  /** Stable key of a deck shipped with the app ('kv-flash'); null for the user's and imported decks. */
  builtin_key: string | null;
  builtin_version: number | null;
  created: number;
  modified: number;
  /** The options preset (migration 008); null: Default. */
  preset_id: number | null;
}

/** The columns of `decks`, in table order. */
export const deckColumns = ['id', 'name', 'description', 'builtin_key', 'builtin_version', 'created', 'modified', 'preset_id'] as const satisfies readonly (keyof DeckRow)[];

/** A deck with its size and what waits in it: new cards, learning cards, reviews (null: no cards). */
export interface DeckSizes {
  id: number;
  name: string;
  builtin_key: string | null;
  notes: number;
  cards: number;
  new: number | null;
  learning: number | null;
  review: number | null;
  /** The deck's options preset (Default when it has none). */
  preset_id: number;
}

const selectDeck = `SELECT ${deckColumns.join(', ')} FROM decks`;
const deckById = `${selectDeck} WHERE id = ?`;
const deckByName = `${selectDeck} WHERE name = ?`;
const deckByKey = `${selectDeck} WHERE builtin_key = ?`;
// A deck and every deck below it (`name::…`); substr, not LIKE, so `%` and `_` in names are plain.
const inSubtree = (alias: string, root: string) => `(${alias}.name = ${root} OR substr(${alias}.name, 1, length(${root}) + 2) = ${root} || '::')`;

/** The `decks` table. */
export function decksStore(sql: Sql) {
  return {
    byId(id: number): DeckRow | undefined {
      return sql.get<DeckRow>(deckById, id);
    },
    byName(name: string): DeckRow | undefined {
      return sql.get<DeckRow>(deckByName, name);
    },
    byBuiltinKey(key: string): DeckRow | undefined {
      return sql.get<DeckRow>(deckByKey, key);
    },
    /** Inserts a deck, and first its parents (`A` and `A::B` for `A::B::C`) where they are missing, as Anki does. */
    insert(deck: { name: string; description: string; builtinKey?: string | null; builtinVersion?: number | null; now: number }): number {
      for (const parent of deckAncestorNames(deck.name)) {
        sql.run(`INSERT OR IGNORE INTO decks (name, description, created, modified) VALUES (?, '', ?, ?)`, parent, deck.now, deck.now);
      }
      return Number(
        sql.run(
          `INSERT INTO decks (name, description, builtin_key, builtin_version, created, modified) VALUES (?, ?, ?, ?, ?, ?)`,
          deck.name,
          deck.description,
          deck.builtinKey ?? null,
          deck.builtinVersion ?? null,
          deck.now,
          deck.now,
        ).lastInsertRowid,
      );
    },
    /** Every deck's id and name (the tree is drawn from the names). */
    names(): { id: number; name: string }[] {
      return sql.all(`SELECT id, name FROM decks ORDER BY name`);
    },
    /** The deck `id` and every deck below it, the deck itself first. */
    subtree(id: number): DeckRow[] {
      return sql.all<DeckRow>(
        `SELECT ${deckColumns.map((c) => `d.${c}`).join(', ')} FROM decks d JOIN decks p ON p.id = ? WHERE ${inSubtree('d', 'p.name')} ORDER BY length(d.name), d.name`,
        id,
      );
    },
    /** Notes and cards in the deck `id` and its subdecks. */
    subtreeSize(id: number): { notes: number; cards: number } {
      return (
        sql.get<{ notes: number; cards: number }>(
          `SELECT COUNT(DISTINCT n.id) AS notes, COUNT(c.id) AS cards
           FROM decks p JOIN decks d ON ${inSubtree('d', 'p.name')} JOIN notes n ON n.deck_id = d.id LEFT JOIN cards c ON c.note_id = n.id WHERE p.id = ?`,
          id,
        ) ?? { notes: 0, cards: 0 }
      );
    },
    rename(id: number, name: string, now: number): void {
      sql.run(`UPDATE decks SET name = ?, modified = ? WHERE id = ?`, name, now, id);
    },
    /** Deletes decks; their notes, cards and review history go with them (foreign keys cascade). */
    delete(ids: readonly number[]): number {
      return sql.run(`DELETE FROM decks WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids)).changes;
    },
    /** True when the built-in deck `key` was deleted by the user (migration 009): it is not loaded again. */
    builtinDeleted(key: string): boolean {
      return sql.value(`SELECT 1 FROM deleted_builtin_decks WHERE builtin_key = ?`, key) !== undefined;
    },
    touch(id: number, now: number): void {
      sql.run(`UPDATE decks SET modified = ? WHERE id = ?`, now, id);
    },
    setBuiltinVersion(id: number, version: number, description: string, now: number): void {
      sql.run(`UPDATE decks SET builtin_version = ?, description = ?, modified = ? WHERE id = ?`, version, description, now, id);
    },
    /**
     * Every deck with its note and card counts, and the cards neither suspended nor buried at
     * `now`: new ones, (re)learning ones due by `learnUntil`, reviews due before `end` (no limits).
     */
    listWithSizes(now: number, end: number, learnUntil: number): DeckSizes[] {
      return sql.all<DeckSizes>(
        `SELECT d.id, d.name, d.builtin_key, IFNULL(d.preset_id, 1) AS preset_id,
           (SELECT COUNT(*) FROM notes WHERE deck_id = d.id) AS notes,
           COUNT(c.id) AS cards,
           SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now) AND c.state = 0) AS new,
           SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now) AND c.state IN (1, 3) AND c.due <= @learnUntil) AS learning,
           SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now) AND c.state = 2 AND c.due < @end) AS review
         FROM decks d LEFT JOIN notes n ON n.deck_id = d.id LEFT JOIN cards c ON c.note_id = n.id
         GROUP BY d.id ORDER BY d.name`,
        { now, end, learnUntil },
      );
    },
    /** Every deck with its note, card and review-log counts (the CLI's `list`). */
    listWithCounts(): { name: string; notes: number; cards: number; revlog: number }[] {
      return sql.all(
        `SELECT d.name AS name,
                (SELECT COUNT(*) FROM notes n WHERE n.deck_id = d.id) AS notes,
                (SELECT COUNT(*) FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.deck_id = d.id) AS cards,
                (SELECT COUNT(*) FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.deck_id = d.id) AS revlog
         FROM decks d ORDER BY d.name`,
      );
    },
  };
}

export type DecksStore = ReturnType<typeof decksStore>;
