/** A study day: [start, end) in ms since the epoch. Days are 23 or 25 hours long across DST changes. */
export interface StudyDay {
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(time: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(time)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** Offset of `timeZone` from UTC at `time`, in ms (positive east of Greenwich). */
function offsetAt(time: number, timeZone: string): number {
  const w = wallClock(time, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(time / 1000) * 1000;
}

/** The instant at which the wall clock of `timeZone` shows year-month-day hour:00 (the later one in a DST gap). */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - offsetAt(wall, timeZone);
  // A second pass settles the guess when an offset change lies between `wall` and the answer.
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}

/** The time zone of this machine (the user's), as the OS reports it. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The study day containing `now`: it starts at `dayStartHour` on the wall clock of `timeZone`
 * (Anki's "next day starts at"), so a review at 02:00 still counts for the day before.
 */
export function studyDay(now: number, dayStartHour: number, timeZone: string): StudyDay {
  const w = wallClock(now, timeZone);
  // Calendar arithmetic on a UTC date is safe: it only walks the calendar, not the clock.
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (w.hour < dayStartHour) date.setUTCDate(date.getUTCDate() - 1);
  const start = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), dayStartHour, timeZone);
  date.setUTCDate(date.getUTCDate() + 1);
  const end = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), dayStartHour, timeZone);
  return { start, end };
}

/** The study day before `day`. */
export function previousStudyDay(day: StudyDay, dayStartHour: number, timeZone: string): StudyDay {
  return studyDay(day.start - HOUR_MS, dayStartHour, timeZone);
}

const DAY_MS = 24 * HOUR_MS;
// No zone changes its offset twice within two weeks (Morocco's Ramadan pause, the shortest, lasts about a month).
const SPAN = 14;

/**
 * The study days before `day`, newest first, without end. Looking up a time zone costs ~20 µs,
 * so instead of one lookup per day this checks the offset every two weeks: when it is the same at
 * both ends, every day in between is 24 hours long.
 */
export function* studyDaysBefore(day: StudyDay, dayStartHour: number, timeZone: string): Generator<StudyDay> {
  let current = day;
  let currentOffset = offsetAt(current.start, timeZone);
  for (;;) {
    const spanEarlier = current.start - SPAN * DAY_MS;
    const spanEarlierOffset = offsetAt(spanEarlier, timeZone);
    if (spanEarlierOffset === currentOffset) {
      for (let i = 0; i < SPAN; i++) {
        current = { start: current.start - DAY_MS, end: current.start };
        yield current;
      }
    } else {
      current = previousStudyDay(current, dayStartHour, timeZone);
      currentOffset = offsetAt(current.start, timeZone);
      yield current;
    }
  }
}
