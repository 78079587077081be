import { cardOrdinals, ordsRemovedByEdit, type NoteKind } from '../../../src/shared/cloze';
import type { CardsStore } from '../store/cards';

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
 * @param nextPosition where the next new card goes; callers adding many notes keep their own
 *   counter (the last position is a scan of every card).
 */
export function syncNoteCards(
  cards: CardsStore,
  noteId: number,
  note: { kind: NoteKind; front: string; previousKind: NoteKind | null },
  now: number,
  nextPosition?: () => number,
): CardSync {
  const wanted = new Set(cardOrdinals(note.kind, note.front));
  const existing = cards.ofNote(noteId);
  const have = new Set(existing.map((c) => c.ord));
  const result: CardSync = { added: [], removed: [] };
  const removed = new Set(ordsRemovedByEdit(existing.map((c) => c.ord), note));
  const gone = existing.filter((card) => removed.has(card.ord));
  if (gone.length) cards.delete(gone.map((card) => card.id));
  result.removed.push(...gone.map((card) => card.ord));
  const missing = [...wanted].filter((ord) => !have.has(ord)).sort((a, b) => a - b);
  if (missing.length) {
    let position = nextPosition ? 0 : cards.lastNewPosition() + 1;
    for (const ord of missing) {
      cards.insertNew(noteId, ord, now, nextPosition ? nextPosition() : position++);
      result.added.push(ord);
    }
  }
  return result;
}
