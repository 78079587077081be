import type { DeckSummary } from '../../../src/shared/contract';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { learnAheadMs } from '../scheduler/queue';
import { currentQueue } from './today';

interface DeckRow {
  id: number;
  name: string;
  builtin_key: string | null;
  notes: number;
  cards: number;
  new: number | null;
  learning: number | null;
  review: number | null;
}

/**
 * Every deck with its size and its New / Learn / Due counts, each counted as Today counts the
 * whole collection (scheduler/queue.ts): learning cards due within the learn-ahead limit, reviews
 * due before the study day ends, new cards not yet studied; not suspended, not buried. As in
 * Anki's deck list, each deck's new and review counts stop at what today's limits still allow, so
 * a collection of one deck shows exactly Today's counts.
 */
export function listDecks(ctx: ServiceContext): DeckSummary[] {
  const now = ctx.now();
  const queue = currentQueue(ctx);
  const settings = ctx.settings.get();
  const reviewLimit = Math.max(0, settings.reviewsPerDay - queue.doneToday.review);
  const newLimit = Math.max(0, settings.newPerDay - queue.doneToday.new);
  const rows = ctx.sql.all<DeckRow>(
    `SELECT d.id, d.name, d.builtin_key,
       (SELECT COUNT(*) FROM notes WHERE deck_id = d.id) AS notes,
       COUNT(c.id) AS cards,
       SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now) AND c.state = 0) AS new,
       SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now) AND c.state IN (1, 3) AND c.due <= @learnUntil) AS learning,
       SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now) AND c.state = 2 AND c.due < @end) AS review
     FROM decks d LEFT JOIN notes n ON n.deck_id = d.id LEFT JOIN cards c ON c.note_id = n.id
     GROUP BY d.id ORDER BY d.name`,
    { now, end: queue.day.end, learnUntil: now + learnAheadMs },
  );
  return rows.map((r) => {
    const learning = r.learning ?? 0;
    const review = Math.min(r.review ?? 0, reviewLimit);
    return { id: r.id, name: r.name, notes: r.notes, cards: r.cards, due: learning + review, new: Math.min(r.new ?? 0, newLimit), learning, review, builtIn: r.builtin_key !== null };
  });
}

export function deckListHandlers(ctx: ServiceContext): Pick<Handlers, 'decks.list'> {
  return { 'decks.list': () => listDecks(ctx) };
}
