import type { QueueCounts, TodaySummary } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import { queueCounts, type Queue } from '../scheduler/queue';
import { previousStudyDay, type StudyDay } from '../scheduler/study-day';

export function currentQueue(ctx: ServiceContext): Queue {
  return queueCounts({ sql: ctx.sql, settings: ctx.settings.get(), now: ctx.now(), timeZone: ctx.timeZone });
}

export function countsOf(queue: Queue): QueueCounts {
  return { learning: queue.learning, review: queue.review, new: queue.new };
}

// Ten years of daily reviews is as far back as a streak is counted.
const maxStreak = 3660;

/** Consecutive study days with at least one answer, ending today (or yesterday, before today's first). */
function streak(ctx: ServiceContext, today: StudyDay, reviewedToday: number): number {
  const { dayStartHour } = ctx.settings.get();
  let day = reviewedToday > 0 ? today : previousStudyDay(today, dayStartHour, ctx.timeZone);
  let days = 0;
  // revlog ids are answer times, so each step is one primary-key range probe.
  while (days < maxStreak && ctx.sql.get(`SELECT 1 FROM revlog WHERE id >= ? AND id < ? LIMIT 1`, day.start, day.end)) {
    days++;
    day = previousStudyDay(day, dayStartHour, ctx.timeZone);
  }
  return days;
}

export function todaySummary(ctx: ServiceContext): TodaySummary {
  const queue = currentQueue(ctx);
  const counts = countsOf(queue);
  return {
    counts,
    dueNow: counts.learning + counts.review + counts.new,
    reviewedToday: queue.doneToday.total,
    streak: streak(ctx, queue.day, queue.doneToday.total),
    totalCards: ctx.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cards`)!.n,
    dayStart: queue.day.start,
  };
}
