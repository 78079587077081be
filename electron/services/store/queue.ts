import { available } from './cards';
import type { Sql } from './sql';

/** The queue's statements for the whole collection, or for one deck's cards (@deck). */
function statements(scope: string) {
  return {
    reviewsDue: `SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE state = 2 AND due < @end AND ${scope} LIMIT @limit)`,
    newWaiting: `SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE state = 0 AND ${scope} LIMIT @limit)`,
    learningDue: `SELECT COUNT(*) FROM cards WHERE state IN (1, 3) AND due <= @until AND ${scope}`,
    firstLearning: `SELECT id FROM cards WHERE state IN (1, 3) AND due <= @until AND ${scope} ORDER BY due, id LIMIT 1`,
    firstReview: `SELECT id FROM cards WHERE state = 2 AND due < @end AND ${scope} ORDER BY due, id LIMIT 1`,
    firstNew: `SELECT id FROM cards WHERE state = 0 AND ${scope} ORDER BY new_position, id LIMIT 1`,
  };
}

const anyDeck = statements(available);
// A deck with its subdecks (`name::…`), as Anki studies a deck.
const oneDeck = statements(
  `${available} AND note_id IN (SELECT n.id FROM decks p JOIN decks d ON d.id = p.id OR substr(d.name, 1, length(p.name) + 2) = p.name || '::' JOIN notes n ON n.deck_id = d.id WHERE p.id = @deck)`,
);

/**
 * Today's queue, read from `cards` through its covering indexes (cards_queue, cards_new): the
 * collection's, or one deck's with its subdecks (`deck`, null for all). Counts stop at their limit (`LIMIT` in SQL),
 * so their cost does not grow with the number of overdue cards.
 */
export function queueStore(sql: Sql) {
  const count = (text: string, params: Record<string, number>) => sql.value<number>(text, params) ?? 0;
  const first = (text: string, params: Record<string, number>) => sql.value<number>(text, params) ?? null;
  const scoped = (deck: number | null) => (deck === null ? anyDeck : oneDeck);
  // Parameters written out: a spread with added keys is slow on Node 20 (cards.ts).
  const params = (deck: number | null, values: Record<string, number>) => {
    if (deck !== null) values.deck = deck;
    return values;
  };
  return {
    /** Reviews due before `end`, at most `limit`. */
    reviewsDue(deck: number | null, now: number, end: number, limit: number): number {
      return count(scoped(deck).reviewsDue, params(deck, { now, end, limit }));
    },
    /** New cards waiting, at most `limit`. */
    newWaiting(deck: number | null, now: number, limit: number): number {
      return count(scoped(deck).newWaiting, params(deck, { now, limit }));
    },
    /** (Re)learning cards due by `until`. */
    learningDue(deck: number | null, now: number, until: number): number {
      return count(scoped(deck).learningDue, params(deck, { now, until }));
    },
    firstLearning(deck: number | null, now: number, until: number): number | null {
      return first(scoped(deck).firstLearning, params(deck, { now, until }));
    },
    firstReview(deck: number | null, now: number, end: number): number | null {
      return first(scoped(deck).firstReview, params(deck, { now, end }));
    },
    firstNew(deck: number | null, now: number): number | null {
      return first(scoped(deck).firstNew, params(deck, { now }));
    },
  };
}

export type QueueStore = ReturnType<typeof queueStore>;
