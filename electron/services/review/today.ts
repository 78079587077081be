import type { QueueCounts, TodaySummary } from '../../../src/shared/contract';
import type { ServiceContext } from '../context';
import { queueCounts, type Queue } from '../scheduler/queue';
import { studyDaysBefore, type StudyDay } from '../scheduler/study-day';

/** Today's queue: the collection's, or one deck's. */
export function currentQueue(ctx: ServiceContext, deckId?: number): Queue {
  return queueCounts({ store: ctx.store, settings: ctx.settings.get(), now: ctx.now(), timeZone: ctx.timeZone, ...(deckId !== undefined ? { deckId } : {}) });
}

export function countsOf(queue: Queue): QueueCounts {
  return { learning: queue.learning, review: queue.review, new: queue.new };
}

// Ten years of daily reviews is as far back as a streak is counted.
const maxStreak = 3660;
// Days probed per statement: most streaks end within the first batch; each later one costs more
// (a time-zone lookup per two weeks of days).
const batches = [32, 400, 1200, maxStreak];

/** Consecutive study days before `today` with at least one answer. */
function daysBefore(ctx: ServiceContext, today: StudyDay): number {
  const days = studyDaysBefore(today, ctx.settings.get().dayStartHour, ctx.timeZone);
  const bounds: [number, number][] = [];
  for (const size of batches) {
    const first = bounds.length;
    while (bounds.length < size) {
      const day = days.next().value as StudyDay;
      bounds.push([day.start, day.end]);
    }
    // One statement probes the whole batch instead of a round trip per day.
    const gap = ctx.store.revlog.firstDayWithout(bounds.slice(first));
    if (gap !== null) return first + gap;
  }
  return maxStreak;
}

// The days before today only change with a write: remembered per context under a key that changes
// with any write and with the day.
const remembered = new WeakMap<ServiceContext, { key: string; days: number }>();

/** Consecutive study days with at least one answer, ending today (or yesterday, before today's first). */
function streak(ctx: ServiceContext, today: StudyDay, reviewedToday: number): number {
  const key = [today.start, ctx.settings.get().dayStartHour, ctx.timeZone, ctx.store.writeStamp()].join();
  let entry = remembered.get(ctx);
  if (entry?.key !== key) {
    entry = { key, days: daysBefore(ctx, today) };
    remembered.set(ctx, entry);
  }
  return (reviewedToday > 0 ? 1 : 0) + entry.days;
}

export function todaySummary(ctx: ServiceContext): TodaySummary {
  const queue = currentQueue(ctx);
  const counts = countsOf(queue);
  return {
    counts,
    dueNow: counts.learning + counts.review + counts.new,
    reviewedToday: queue.doneToday.total,
    streak: streak(ctx, queue.day, queue.doneToday.total),
    totalCards: ctx.store.cards.count(),
    newLeft: ctx.store.cards.countNewLeft(),
    dayStart: queue.day.start,
  };
}
