import type { QueueCounts, Settings } from '../../../src/shared/contract';
import type { Sql } from '../store/sql';
import { studyDay, type StudyDay } from './study-day';

/** Anki's learn-ahead limit: when nothing else is left, a learning card due this soon is shown. */
export const learnAheadMs = 20 * 60_000;

export interface QueueInput {
  sql: Sql;
  settings: Settings;
  now: number;
  timeZone: string;
  /** Studying one deck: only its cards count and come up (the daily limits stay the collection's). */
  deckId?: number;
}

export interface Queue extends QueueCounts {
  day: StudyDay;
  /** Reviews and new cards already answered this study day (they use up the daily limits). */
  doneToday: { review: number; new: number; total: number };
}

// Not suspended, not buried at @now.
const availableAnywhere = `suspended = 0 AND (buried_until IS NULL OR buried_until <= @now)`;

/** `available` for the queue asked for, and the parameters it needs: all decks, or one (@deck). */
function scope(input: Pick<QueueInput, 'deckId'>): { available: string; deck: { deck?: number } } {
  if (input.deckId === undefined) return { available: availableAnywhere, deck: {} };
  return { available: `${availableAnywhere} AND note_id IN (SELECT id FROM notes WHERE deck_id = @deck)`, deck: { deck: input.deckId } };
}

interface DoneRow {
  state: number;
  n: number;
}

function doneToday(sql: Sql, day: StudyDay): Queue['doneToday'] {
  // revlog.state is the state before the answer: 0 means the answer introduced a new card.
  const rows = sql.all<DoneRow>(`SELECT state, COUNT(*) AS n FROM revlog WHERE id >= ? AND id < ? GROUP BY state`, day.start, day.end);
  const count = (state: number) => rows.find((r) => r.state === state)?.n ?? 0;
  return { review: count(2), new: count(0), total: rows.reduce((sum, r) => sum + r.n, 0) };
}

/**
 * Today's queue sizes. Each count stops at its limit (`LIMIT` in SQL), so the cost does not grow
 * with the number of overdue cards.
 */
export function queueCounts({ sql, settings, now, timeZone, deckId }: QueueInput): Queue {
  const { available, deck } = scope({ deckId });
  const day = studyDay(now, settings.dayStartHour, timeZone);
  const done = doneToday(sql, day);
  const reviewLimit = Math.max(0, settings.reviewsPerDay - done.review);
  const newLimit = Math.max(0, settings.newPerDay - done.new);
  const review = sql.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM cards WHERE state = 2 AND due < @end AND ${available} LIMIT @limit)`,
    { now, end: day.end, limit: reviewLimit, ...deck },
  )!.n;
  const fresh = sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM cards WHERE state = 0 AND ${available} LIMIT @limit)`, { now, limit: newLimit, ...deck })!.n;
  const learningDue = (until: number) =>
    sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cards WHERE state IN (1, 3) AND due <= @until AND ${available}`, { now, until, ...deck })!.n;
  // As Anki counts them: learning cards due within the learn-ahead limit, so an Again (1 minute)
  // or a Good on a 10-minute step shows in the count at once, not only once it falls due.
  const learning = learningDue(now + learnAheadMs);
  return { learning, review, new: fresh, day, doneToday: done };
}

/** The id of the card to show next, in Anki's order: due (re)learning, reviews, new; or null. */
export function nextCardId(input: QueueInput, queue: Queue = queueCounts(input)): number | null {
  const { sql, now } = input;
  const { available, deck } = scope(input);
  const learning = () =>
    sql.get<{ id: number }>(`SELECT id FROM cards WHERE state IN (1, 3) AND due <= @now AND ${available} ORDER BY due, id LIMIT 1`, { now, ...deck })?.id;
  let id = learning();
  if (id === undefined && queue.review > 0) {
    id = sql.get<{ id: number }>(`SELECT id FROM cards WHERE state = 2 AND due < @end AND ${available} ORDER BY due, id LIMIT 1`, { now, end: queue.day.end, ...deck })?.id;
  }
  if (id === undefined && queue.new > 0) {
    id = sql.get<{ id: number }>(`SELECT id FROM cards WHERE state = 0 AND ${available} ORDER BY new_position, id LIMIT 1`, { now, ...deck })?.id;
  }
  if (id === undefined && queue.learning > 0) {
    id = sql.get<{ id: number }>(
      `SELECT id FROM cards WHERE state IN (1, 3) AND due <= @until AND ${available} ORDER BY due, id LIMIT 1`,
      { now, until: now + learnAheadMs, ...deck },
    )?.id;
  }
  return id ?? null;
}
