import { describe, expect, it } from 'vitest';
import { formatInterval } from './interval';
import { previousStudyDay, studyDay, studyDaysBefore } from './study-day';

const HOUR = 3_600_000;

describe('studyDay', () => {
  it('starts at 04:00 local time: 03:59 still belongs to the day before', () => {
    // 2026-03-11 03:59 in Seoul (UTC+9) is 2026-03-10 18:59 UTC.
    const before = studyDay(Date.UTC(2026, 2, 10, 18, 59), 4, 'Asia/Seoul');
    expect(before.start).toBe(Date.UTC(2026, 2, 9, 19)); // 2026-03-10 04:00 Seoul
    expect(before.end).toBe(Date.UTC(2026, 2, 10, 19)); // 2026-03-11 04:00 Seoul
    const after = studyDay(Date.UTC(2026, 2, 10, 19, 0), 4, 'Asia/Seoul');
    expect(after.start).toBe(before.end);
  });

  it('follows the configured hour and the time zone', () => {
    const now = Date.UTC(2026, 2, 10, 12); // 21:00 Seoul, 08:00 New York (EDT)
    expect(studyDay(now, 0, 'Asia/Seoul').start).toBe(Date.UTC(2026, 2, 9, 15));
    expect(studyDay(now, 4, 'America/New_York').start).toBe(Date.UTC(2026, 2, 10, 8));
    expect(studyDay(now, 10, 'America/New_York').start).toBe(Date.UTC(2026, 2, 9, 14)); // 10:00 EDT on the 9th
  });

  it('has 23 hours on the day clocks go forward and 25 when they go back', () => {
    // New York: DST starts 2026-03-08 02:00, ends 2026-11-01 02:00.
    const spring = studyDay(Date.UTC(2026, 2, 8, 6), 4, 'America/New_York'); // 01:00 EST on the 8th: day of the 7th
    expect(spring.end - spring.start).toBe(23 * HOUR);
    expect(spring.end).toBe(Date.UTC(2026, 2, 8, 8)); // 04:00 EDT
    const autumn = studyDay(Date.UTC(2026, 9, 31, 16), 4, 'America/New_York');
    expect(autumn.end - autumn.start).toBe(25 * HOUR);
    expect(previousStudyDay(spring, 4, 'America/New_York').end).toBe(spring.start);
  });
});

describe('formatInterval', () => {
  it('writes intervals as the grade buttons show them', () => {
    const min = 60_000;
    const day = 24 * 60 * min;
    expect(formatInterval(20_000)).toBe('1m');
    expect(formatInterval(10 * min)).toBe('10m');
    expect(formatInterval(60 * min)).toBe('1h');
    expect(formatInterval(90 * min)).toBe('1.5h');
    expect(formatInterval(4 * day)).toBe('4d');
    expect(formatInterval(36.5 * day)).toBe('1.2mo');
    expect(formatInterval(2.1 * 365 * day)).toBe('2.1y');
  });
});

describe('studyDaysBefore', () => {
  it('walks back day by day exactly as studyDay does, across daylight-saving changes', () => {
    for (const [zone, hour] of [['America/New_York', 4], ['Europe/London', 0], ['Asia/Seoul', 4], ['Australia/Lord_Howe', 3]] as const) {
      let expected = studyDay(Date.UTC(2026, 11, 20, 12), hour, zone);
      let count = 0;
      for (const day of studyDaysBefore(expected, hour, zone)) {
        expected = previousStudyDay(expected, hour, zone);
        expect(day, `${zone} ${new Date(expected.start).toISOString()}`).toEqual(expected);
        if (++count === 400) break;
      }
    }
  });
});
