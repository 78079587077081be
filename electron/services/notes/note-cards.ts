import type Database from 'better-sqlite3';
import { cardOrdinals, ordsRemovedByEdit, type NoteKind } from '../../../src/shared/cloze';

/** What syncing a note's cards did: ords added as new cards, ords removed with their history. */
export interface CardSync {
  added: number[];
  removed: number[];
}

/**
 * Brings a note's cards in line with its kind and front: a card is added (new, introduced after
 * every waiting card) for each ord the note now has and lacks; a card whose ord the note no longer
 * has (a cloze number deleted, a reversed note made basic) is removed with its review log. Cards
 * that stay keep their schedule. A basic note that was basic before keeps whatever cards it has:
 * Anki notes of multi-template note types arrive with one card per template. Call inside a
 * transaction.
 */
export function syncNoteCards(
  db: Database.Database,
  noteId: number,
  note: { kind: NoteKind; front: string; previousKind: NoteKind | null },
  now: number,
  nextPosition?: () => number,
): CardSync {
  const sql = statements(db);
  const wanted = new Set(cardOrdinals(note.kind, note.front));
  const existing = sql.cards.all(noteId) as { id: number; ord: number }[];
  const have = new Set(existing.map((c) => c.ord));
  const result: CardSync = { added: [], removed: [] };
  const removed = new Set(ordsRemovedByEdit(existing.map((c) => c.ord), note));
  for (const card of existing) {
    if (!removed.has(card.ord)) continue;
    sql.remove.run(card.id);
    result.removed.push(card.ord);
  }
  const missing = [...wanted].filter((ord) => !have.has(ord)).sort((a, b) => a - b);
  if (missing.length) {
    // Callers adding many notes pass their own counter: MAX(new_position) is a scan of every card.
    let position = nextPosition ? 0 : ((sql.lastPosition.pluck().get() as number | null) ?? 0) + 1;
    for (const ord of missing) {
      sql.insert.run(noteId, ord, now, nextPosition ? nextPosition() : position++);
      result.added.push(ord);
    }
  }
  return result;
}

type Statements = Record<'cards' | 'remove' | 'lastPosition' | 'insert', Database.Statement>;
const prepared = new WeakMap<Database.Database, Statements>();

/** Statements prepared once per database: imports call syncNoteCards for thousands of notes. */
function statements(db: Database.Database): Statements {
  let sql = prepared.get(db);
  if (!sql) {
    sql = {
      cards: db.prepare('SELECT id, ord FROM cards WHERE note_id = ? ORDER BY ord'),
      remove: db.prepare('DELETE FROM cards WHERE id = ?'),
      lastPosition: db.prepare('SELECT MAX(new_position) FROM cards'),
      insert: db.prepare('INSERT INTO cards (note_id, ord, due, state, new_position) VALUES (?, ?, ?, 0, ?)'),
    };
    prepared.set(db, sql);
  }
  return sql;
}
