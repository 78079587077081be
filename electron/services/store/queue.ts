import { available } from './cards';
import type { Sql } from './sql';

/** The queue's statements for the whole collection, or for one deck's cards (@deck), or for every deck but some (@exclude). */
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
const ownDeck = statements(`${available} AND note_id IN (SELECT id FROM notes WHERE deck_id = @deck)`);
const otherDecks = statements(`${available} AND note_id NOT IN (SELECT id FROM notes WHERE deck_id IN (SELECT value FROM json_each(@exclude)))`);

/**
 * Which cards: every deck's (null), one deck's with its subdecks (its id), one deck's own without
 * its subdecks (`{ own: id }`, a deck under its own preset's limit), or every deck's but those
 * listed (an array).
 */
export type QueueScope = number | null | { own: number } | readonly number[];

/**
 * Today's queue, read from `cards` through its covering indexes (cards_queue, cards_new): the
 * collection's, one deck's with its subdecks, or every deck's but some (those at their own
 * limit). Counts stop at their limit (`LIMIT` in SQL), so their cost does not grow with the
 * number of overdue cards.
 */
export function queueStore(sql: Sql) {
  const count = (text: string, params: Record<string, number | string>) => sql.value<number>(text, params) ?? 0;
  const first = (text: string, params: Record<string, number | string>) => sql.value<number>(text, params) ?? null;
  const scoped = (deck: QueueScope) => (deck === null ? anyDeck : typeof deck === 'number' ? oneDeck : 'own' in deck ? ownDeck : deck.length ? otherDecks : anyDeck);
  // Parameters written out: a spread with added keys is slow on Node 20 (cards.ts).
  const params = (deck: QueueScope, values: Record<string, number | string>) => {
    if (typeof deck === 'number') values.deck = deck;
    else if (deck !== null && 'own' in deck) values.deck = deck.own;
    else if (deck !== null && deck.length) values.exclude = JSON.stringify(deck);
    return values;
  };
  return {
    /** Reviews due before `end`, at most `limit`. */
    reviewsDue(deck: QueueScope, now: number, end: number, limit: number): number {
      return count(scoped(deck).reviewsDue, params(deck, { now, end, limit }));
    },
    /** New cards waiting, at most `limit`. */
    newWaiting(deck: QueueScope, now: number, limit: number): number {
      return count(scoped(deck).newWaiting, params(deck, { now, limit }));
    },
    /** (Re)learning cards due by `until`. */
    learningDue(deck: QueueScope, now: number, until: number): number {
      return count(scoped(deck).learningDue, params(deck, { now, until }));
    },
    firstLearning(deck: QueueScope, now: number, until: number): number | null {
      return first(scoped(deck).firstLearning, params(deck, { now, until }));
    },
    firstReview(deck: QueueScope, now: number, end: number): number | null {
      return first(scoped(deck).firstReview, params(deck, { now, end }));
    },
    firstNew(deck: QueueScope, now: number): number | null {
      return first(scoped(deck).firstNew, params(deck, { now }));
    },
  };
}

export type QueueStore = ReturnType<typeof queueStore>;
