/**
 * Anki's day numbers, ported from rslib/src/scheduler/timing.rs. Review cards (and learning cards
 * whose next step is a day or more away) are due on a day counted from the collection's creation
 * (`col.crt`); which instant starts a day depends on the scheduler version and two config keys:
 *
 * - v1 (no `schedVer` 2): day n starts at `crt + n·86400` (`sched_timing_today_v1`);
 * - v2 without `creationOffset`: days start at the rollover hour of crt's date in the current
 *   time zone, then every 86,400 s (`sched_timing_today_v2_legacy`);
 * - v2 with `creationOffset` (minutes west of UTC at creation): day n is the local calendar date
 *   n days after crt's, starting at the rollover hour (`sched_timing_today_v2_new`).
 */

const DAY_SECONDS = 86_400;

/** What a collection's timing depends on. */
export interface AnkiTiming {
  /** `col.crt`, seconds since the epoch. */
  creationSeconds: number;
  schedulerVersion: 1 | 2;
  /** Config `rollover` (0..23): the hour a new day starts; v2 only (Anki assumes 4 when unset). */
  rolloverHour: number;
  /** Config `creationOffset`: minutes west of UTC when the collection was created; null selects the legacy v2 cut-off. */
  creationMinutesWest: number | null;
}

/** Converts between instants and a collection's day numbers. */
export interface AnkiDayClock {
  /** The day number an instant (ms) falls in: Anki's `days_elapsed` at that time, never below 0 (as in Anki). */
  dayAt(ms: number): number;
  /** The first instant (ms) of day `day`. `dayAt(dayStart(d)) === d` for d ≥ 0. */
  dayStart(day: number): number;
}

/** Minutes west of UTC at an instant: a fixed offset, or the user's time zone for dates across DST. */
export type MinutesWestAt = (ms: number) => number;

const localDate = (seconds: number, minutesWest: number) => Math.floor((seconds - minutesWest * 60) / DAY_SECONDS);

/**
 * The day clock of a collection. `minutesWestAt` is the machine's offset from UTC (Anki uses the
 * current local offset); by default the creation offset, or UTC.
 */
export function ankiDayClock(timing: AnkiTiming, minutesWestAt?: MinutesWestAt): AnkiDayClock {
  const crt = timing.creationSeconds;
  if (timing.schedulerVersion === 1) {
    return {
      dayAt: (ms) => Math.max(0, Math.floor((ms / 1000 - crt) / DAY_SECONDS)),
      dayStart: (day) => (crt + day * DAY_SECONDS) * 1000,
    };
  }
  const rollover = Math.min(23, Math.max(0, Math.floor(timing.rolloverHour))) * 3600;
  const creationWest = timing.creationMinutesWest;
  // config.rs: an offset FixedOffset cannot hold (a day or more) reads as unset.
  const newCutoff = creationWest !== null && Math.abs(creationWest) < 24 * 60;
  const westAt: MinutesWestAt = minutesWestAt ?? (() => (newCutoff ? creationWest : 0));
  if (!newCutoff) {
    const first = (localDate(crt, westAt(crt * 1000)) * DAY_SECONDS + rollover + westAt(crt * 1000) * 60) * 1000;
    return {
      dayAt: (ms) => Math.max(0, Math.floor((ms - first) / (DAY_SECONDS * 1000))),
      dayStart: (day) => first + day * DAY_SECONDS * 1000,
    };
  }
  const createdDate = localDate(crt, creationWest);
  return {
    dayAt(ms) {
      const local = ms / 1000 - westAt(ms) * 60;
      const date = Math.floor(local / DAY_SECONDS);
      const rolloverPassed = local - date * DAY_SECONDS >= rollover;
      return Math.max(0, date - createdDate - (rolloverPassed ? 0 : 1));
    },
    dayStart(day) {
      const local = (createdDate + day) * DAY_SECONDS + rollover;
      // The offset at the answer may differ from the offset at the guess (a DST change between them): settle it twice.
      let utc = local + westAt(local * 1000) * 60;
      utc = local + westAt(utc * 1000) * 60;
      return utc * 1000;
    },
  };
}
