import type { Stores } from '../store/stores';

const DAY_MS = 86_400_000;

export interface StatsOptions {
  now: number;
  /** Start of the current study day (local time, day-start hour applied). */
  dayStart: number;
  /** How many days of history the heatmap covers. */
  heatmapDays: number;
  forecastDays: number;
  /** Window of the reviews-per-day and retention figures. */
  recentDays: number;
}

export interface RetentionFigure {
  passed: number;
  total: number;
  /** passed / total, or null with no reviews. */
  rate: number | null;
}

export interface Stats {
  /** Reviews per study day, oldest first; index 0 is `heatmapDays - 1` days before today. */
  heatmap: { dayStart: number; count: number }[];
  /** Review cards falling due on each of the next days; index 0 is today (includes overdue). */
  forecast: number[];
  /** Last `recentDays` days, oldest first. */
  daily: { dayStart: number; learn: number; review: number; relearn: number; minutes: number }[];
  retention: { young: RetentionFigure; mature: RetentionFigure; all: RetentionFigure };
  /** Histograms: stability in days (log-spaced bins), difficulty 1..10. */
  stability: { upper: number; count: number }[];
  difficulty: { upper: number; count: number }[];
  totals: { reviews: number; minutes: number; cards: number; newCards: number; learning: number; review: number; suspended: number };
  streak: number;
}

function figure(passed: number, total: number): RetentionFigure {
  return { passed, total, rate: total > 0 ? passed / total : null };
}

/**
 * Everything the Stats screen draws: review-log totals come from `revlog_buckets` (quarter-hour
 * sums kept by triggers, migration 002) grouped into study days, plus a few aggregates over cards. Days are counted from the current day start in
 * steps of 24 h (a DST change shifts one day's boundary by an hour; acceptable for statistics).
 */
export function computeStats(store: Stores, o: StatsOptions): Stats {
  const firstDay = o.dayStart - (o.heatmapDays - 1) * DAY_MS;
  const recentFrom = o.dayStart - (o.recentDays - 1) * DAY_MS;
  const perDay = store.revlog.totalsByDay(o.dayStart, recentFrom);

  const heatmap = Array.from({ length: o.heatmapDays }, (_, i) => ({ dayStart: firstDay + i * DAY_MS, count: 0 }));
  const daily = Array.from({ length: o.recentDays }, (_, i) => ({ dayStart: recentFrom + i * DAY_MS, learn: 0, review: 0, relearn: 0, minutes: 0 }));
  let reviews = 0;
  let ms = 0;
  let youngTotal = 0;
  let youngPassed = 0;
  let matureTotal = 0;
  let maturePassed = 0;
  const activeDays = new Set<number>();
  for (const row of perDay) {
    reviews += row.n;
    ms += row.ms;
    youngTotal += row.youngTotal;
    youngPassed += row.youngPassed;
    matureTotal += row.matureTotal;
    maturePassed += row.maturePassed;
    if (row.n > 0) activeDays.add(row.day);
    const h = row.day + o.heatmapDays - 1;
    if (h >= 0 && h < o.heatmapDays) heatmap[h].count = row.n;
    const r = row.day + o.recentDays - 1;
    if (r >= 0 && r < o.recentDays) daily[r] = { dayStart: daily[r].dayStart, learn: row.learn, review: row.review, relearn: row.relearn, minutes: row.ms / 60_000 };
  }
  let streak = 0;
  for (let day = activeDays.has(0) ? 0 : -1; activeDays.has(day); day--) streak++;

  const forecast = new Array<number>(o.forecastDays).fill(0);
  const dueRows = store.cards.dueByDay(o.dayStart, o.dayStart + o.forecastDays * DAY_MS);
  for (const row of dueRows) forecast[row.day] += row.n;

  const totals = store.cards.totals();

  const stabilityBins = [1, 3, 7, 14, 30, 60, 120, 240, 365, 730, Infinity];
  const stability = stabilityBins.map((upper) => ({ upper, count: 0 }));
  const difficulty = Array.from({ length: 10 }, (_, i) => ({ upper: i + 1, count: 0 }));
  for (const [s, d] of store.cards.iterateMemory()) {
    stability[stabilityBins.findIndex((upper) => s <= upper)].count++;
    difficulty[Math.min(9, Math.max(0, Math.ceil(d) - 1))].count++;
  }

  return {
    heatmap,
    forecast,
    daily,
    retention: { young: figure(youngPassed, youngTotal), mature: figure(maturePassed, matureTotal), all: figure(youngPassed + maturePassed, youngTotal + matureTotal) },
    stability,
    difficulty,
    totals: {
      reviews,
      minutes: ms / 60_000,
      cards: totals.cards,
      newCards: totals.newCards ?? 0,
      learning: totals.learning ?? 0,
      review: totals.review ?? 0,
      suspended: totals.suspended ?? 0,
    },
    streak,
  };
}
