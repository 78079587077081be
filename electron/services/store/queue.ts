import { available } from './cards';
import type { Sql } from './sql';

const reviewsDue = `SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE state = 2 AND due < @end AND ${available} LIMIT @limit)`;
const newWaiting = `SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE state = 0 AND ${available} LIMIT @limit)`;
const learningDue = `SELECT COUNT(*) FROM cards WHERE state IN (1, 3) AND due <= @until AND ${available}`;
const firstLearning = `SELECT id FROM cards WHERE state IN (1, 3) AND due <= @until AND ${available} ORDER BY due, id LIMIT 1`;
const firstReview = `SELECT id FROM cards WHERE state = 2 AND due < @end AND ${available} ORDER BY due, id LIMIT 1`;
const firstNew = `SELECT id FROM cards WHERE state = 0 AND ${available} ORDER BY new_position, id LIMIT 1`;

/**
 * Today's queue, read from `cards` through its covering indexes (cards_queue, cards_new). Counts
 * stop at their limit (`LIMIT` in SQL), so their cost does not grow with the number of overdue cards.
 */
export function queueStore(sql: Sql) {
  const count = (query: string, params: Record<string, number>) => sql.value<number>(query, params) ?? 0;
  const first = (query: string, params: Record<string, number>) => sql.value<number>(query, params) ?? null;
  return {
    /** Reviews due before `end`, at most `limit`. */
    reviewsDue(now: number, end: number, limit: number): number {
      return count(reviewsDue, { now, end, limit });
    },
    /** New cards waiting, at most `limit`. */
    newWaiting(now: number, limit: number): number {
      return count(newWaiting, { now, limit });
    },
    /** (Re)learning cards due by `until`. */
    learningDue(now: number, until: number): number {
      return count(learningDue, { now, until });
    },
    firstLearning(now: number, until: number): number | null {
      return first(firstLearning, { now, until });
    },
    firstReview(now: number, end: number): number | null {
      return first(firstReview, { now, end });
    },
    firstNew(now: number): number | null {
      return first(firstNew, { now });
    },
  };
}

export type QueueStore = ReturnType<typeof queueStore>;
