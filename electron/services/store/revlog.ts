import type { Sql } from './sql';

/** A row of `revlog`: one answer. `id` is the time of the answer in ms (unique). */
export interface ReviewRow {
  id: number;
  card_id: number;
  rating: number;
  /** The card's state before the answer. */
  state: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  duration_ms: number;
}

/** The columns of `revlog`, in table order. `prev_card` (migration 001) is no longer written. */
export const reviewColumns = [
  'id',
  'card_id',
  'rating',
  'state',
  'due',
  'stability',
  'difficulty',
  'elapsed_days',
  'last_elapsed_days',
  'scheduled_days',
  'learning_steps',
  'duration_ms',
] as const satisfies readonly (keyof ReviewRow)[];

/** Review-log totals of one study day, from `revlog_buckets` (migration 002). Day 0 is today, -1 yesterday. */
export interface DayTotals {
  day: number;
  n: number;
  learn: number;
  review: number;
  relearn: number;
  ms: number;
  /** Young and mature reviews (and those passed) since `recentFrom`. */
  youngTotal: number;
  youngPassed: number;
  matureTotal: number;
  maturePassed: number;
}

const DAY_MS = 86_400_000;
const insertReview = `INSERT INTO revlog (${reviewColumns.join(', ')}) VALUES (${reviewColumns.map(() => '?').join(', ')})`;
/** The values in `reviewColumns` order: not `{ ...row, id }`, which costs more than the insert on Node 20 (cards.ts). */
const reviewValues = (id: number, row: Omit<ReviewRow, 'id'>) => reviewColumns.map((column) => (column === 'id' ? id : row[column]));
const reviewsOfDeck = `SELECT ${reviewColumns.map((c) => `r.${c}`).join(', ')} FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id
  WHERE n.deck_id = ? ORDER BY r.id`;
// Day index relative to today, floored for negatives.
const totalsByDay = `SELECT CAST((bucket * 900000 - @dayStart + ${DAY_MS} * 100000) / ${DAY_MS} AS INTEGER) - 100000 AS day,
    sum(reviews) AS n, sum(learn) AS learn, sum(review) AS review, sum(relearn) AS relearn,
    sum(duration_ms) AS ms,
    sum(CASE WHEN bucket * 900000 >= @recentFrom THEN young_total ELSE 0 END) AS youngTotal,
    sum(CASE WHEN bucket * 900000 >= @recentFrom THEN young_passed ELSE 0 END) AS youngPassed,
    sum(CASE WHEN bucket * 900000 >= @recentFrom THEN mature_total ELSE 0 END) AS matureTotal,
    sum(CASE WHEN bucket * 900000 >= @recentFrom THEN mature_passed ELSE 0 END) AS maturePassed
  FROM revlog_buckets WHERE reviews > 0 GROUP BY day ORDER BY day`;

/** The `revlog` table and the totals its triggers keep (`revlog_buckets`). */
export function revlogStore(sql: Sql) {
  return {
    /**
     * Logs an answer. Ids are answer times and must be unique: an answer in the same ms as the
     * last one takes the next ms. @returns the row's id.
     */
    insertAnswer(row: Omit<ReviewRow, 'id'>, now: number): number {
      const last = sql.value<number | null>(`SELECT MAX(id) FROM revlog`) ?? 0;
      const id = Math.max(now, last + 1);
      sql.run(insertReview, ...reviewValues(id, row));
      return id;
    },
    /** Logs an imported answer; its time moves on by 1 ms while another answer has it. @returns the id used. */
    insertImported(row: ReviewRow): number {
      let id = row.id;
      while (sql.value(`SELECT 1 FROM revlog WHERE id = ?`, id) !== undefined) id++;
      sql.run(insertReview, ...reviewValues(id, row));
      return id;
    },
    /** Answers in [start, end) by the card's state before them. */
    countsByState(start: number, end: number): { state: number; n: number }[] {
      return sql.all(`SELECT state, COUNT(*) AS n FROM revlog WHERE id >= ? AND id < ? GROUP BY state`, start, end);
    },
    /**
     * Of `days` ([start, end) pairs, in order), the index of the first without an answer, or null
     * when each has one. One statement probes them all (a primary-key range per day).
     */
    firstDayWithout(days: readonly [number, number][]): number | null {
      return (
        sql.value<number | null>(
          `SELECT MIN(day.key) FROM json_each(?) AS day WHERE NOT EXISTS (SELECT 1 FROM revlog WHERE id >= day.value ->> 0 AND id < day.value ->> 1)`,
          JSON.stringify(days),
        ) ?? null
      );
    },
    /** Every answer as [card id, time, rating, state before], by card and time. Read one at a time. */
    iterateHistories(): IterableIterator<[number, number, number, number]> {
      return sql.iterateRaw(`SELECT card_id, id, rating, state FROM revlog ORDER BY card_id, id`);
    },
    /** One card's answers, in time order (its card info). */
    ofCard(cardId: number): ReviewRow[] {
      return sql.all<ReviewRow>(`SELECT ${reviewColumns.join(', ')} FROM revlog WHERE card_id = ? ORDER BY id`, cardId);
    },
    /** The answers of a deck's cards, in time order. */
    ofDeck(deckId: number): ReviewRow[] {
      return sql.all<ReviewRow>(reviewsOfDeck, deckId);
    },
    /** Totals per study day (days of 24 h from `dayStart`; `recentFrom` bounds the retention figures). */
    totalsByDay(dayStart: number, recentFrom: number): DayTotals[] {
      return sql.all<DayTotals>(totalsByDay, { dayStart, recentFrom });
    },
  };
}

export type RevlogStore = ReturnType<typeof revlogStore>;
