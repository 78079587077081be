import type { DeckSummary } from '../../../src/shared/contract';
import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import { studyDay } from '../scheduler/study-day';

interface DeckRow {
  id: number;
  name: string;
  builtin_key: string | null;
  notes: number;
  cards: number;
  due: number | null;
}

/** Every deck with its size and what is due in it today (learning due now, reviews due today; no limits). */
export function listDecks(ctx: ServiceContext): DeckSummary[] {
  const now = ctx.now();
  const { end } = studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone);
  const rows = ctx.sql.all<DeckRow>(
    `SELECT d.id, d.name, d.builtin_key,
       (SELECT COUNT(*) FROM notes WHERE deck_id = d.id) AS notes,
       COUNT(c.id) AS cards,
       SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now)
           AND ((c.state IN (1, 3) AND c.due <= @now) OR (c.state = 2 AND c.due < @end))) AS due
     FROM decks d LEFT JOIN notes n ON n.deck_id = d.id LEFT JOIN cards c ON c.note_id = n.id
     GROUP BY d.id ORDER BY d.name`,
    { now, end },
  );
  return rows.map((r) => ({ id: r.id, name: r.name, notes: r.notes, cards: r.cards, due: r.due ?? 0, builtIn: r.builtin_key !== null }));
}

export function deckListHandlers(ctx: ServiceContext): Pick<Handlers, 'decks.list'> {
  return { 'decks.list': () => listDecks(ctx) };
}
