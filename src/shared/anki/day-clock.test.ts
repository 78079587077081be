import { describe, expect, it } from 'vitest';
import { ankiDayClock, type AnkiTiming } from './day-clock';

// Expected values are Anki's, from the tests in rslib/src/scheduler/timing.rs.
const AEST_WEST = -600;
const MDT_WEST = 360;
const MST_WEST = 420;
/** Seconds of a wall-clock time at a fixed offset (minutes west of UTC). */
const at = (west: number, y: number, mo: number, d: number, h: number, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + west * 60;

const v2 = (creationSeconds: number, rolloverHour: number, creationMinutesWest: number | null): AnkiTiming => ({ creationSeconds, schedulerVersion: 2, rolloverHour, creationMinutesWest });
const nextDayAt = (clock: ReturnType<typeof ankiDayClock>, nowSeconds: number) => clock.dayStart(clock.dayAt(nowSeconds * 1000) + 1) / 1000;

describe("Anki's day numbers (port of timing.rs)", () => {
  it('v1: days of 86,400 s from col.crt', () => {
    const clock = ankiDayClock({ creationSeconds: 1575226800, schedulerVersion: 1, rolloverHour: 4, creationMinutesWest: null });
    expect(clock.dayAt(1584491078 * 1000)).toBe(107);
    expect(nextDayAt(clock, 1584491078)).toBe(1584558000);
  });

  it('v2 without creationOffset: from the rollover hour of the creation date, in the current zone', () => {
    const now = 1584491078;
    const midnight = ankiDayClock(v2(1533564000, 0, null), () => AEST_WEST);
    expect(midnight.dayAt(now * 1000)).toBe(589);
    expect(nextDayAt(midnight, now)).toBe(1584540000);
    const fourAm = ankiDayClock(v2(1524038400, 4, null), () => AEST_WEST);
    expect(fourAm.dayAt(now * 1000)).toBe(700);
    expect(nextDayAt(fourAm, now)).toBe(1584554400);
  });

  it('v2 with creationOffset: calendar dates, whatever the DST offset today', () => {
    const crt = at(MDT_WEST, 2018, 8, 6, 0);
    const now = at(MST_WEST, 2019, 12, 26, 20);
    expect(ankiDayClock(v2(crt, 4, MDT_WEST), () => MST_WEST).dayAt(now * 1000)).toBe(507);
    expect(ankiDayClock(v2(crt, 4, MDT_WEST), () => MDT_WEST).dayAt(now * 1000)).toBe(507);
    // Created at 3am on the 6th: day 1 starts at 4am on the 7th, day 3 on the 9th.
    const clock = ankiDayClock(v2(at(MDT_WEST, 2018, 8, 6, 3), 4, MDT_WEST), () => MST_WEST);
    expect(clock.dayAt(at(MST_WEST, 2018, 8, 9, 1, 59, 59) * 1000)).toBe(2);
    expect(clock.dayAt(at(MST_WEST, 2018, 8, 9, 3, 59, 59) * 1000)).toBe(2);
    expect(clock.dayAt(at(MST_WEST, 2018, 8, 9, 4) * 1000)).toBe(3);
    expect(clock.dayStart(3)).toBe(at(MST_WEST, 2018, 8, 9, 4) * 1000);
  });

  it('v2 with creationOffset: every creation hour, current hour and rollover hour Anki tests', () => {
    const hours = [0, 1, 4, 12, 22, 23];
    for (const creationHour of hours) {
      for (let day = 0; day <= 3; day++) {
        for (const hour of hours) {
          for (const rollover of hours) {
            const clock = ankiDayClock(v2(at(MDT_WEST, 2018, 8, 6, creationHour), rollover, MDT_WEST));
            const expected = hour < rollover ? Math.max(day, 1) - 1 : day;
            expect(clock.dayAt(at(MDT_WEST, 2018, 8, 6 + day, hour) * 1000)).toBe(expected);
          }
        }
      }
    }
  });

  it('dayStart is the first instant of its day, in every timing; nothing comes before day 0', () => {
    const clocks = [
      ankiDayClock({ creationSeconds: 1575226800, schedulerVersion: 1, rolloverHour: 4, creationMinutesWest: null }),
      ankiDayClock(v2(1524038400, 4, null), () => AEST_WEST),
      ankiDayClock(v2(at(-540, 2026, 1, 1, 4), 4, -540)),
      // A zone with DST: New York, by the offset at each instant.
      ankiDayClock(v2(at(300, 2026, 1, 1, 4), 4, 300), (ms) => (new Date(ms).getUTCMonth() >= 3 && new Date(ms).getUTCMonth() <= 9 ? 240 : 300)),
    ];
    for (const clock of clocks) {
      for (const day of [1, 45, 120, 300, 1000]) {
        const start = clock.dayStart(day);
        expect(clock.dayAt(start)).toBe(day);
        expect(clock.dayAt(start - 1)).toBe(day - 1);
      }
      expect(clock.dayAt(clock.dayStart(0) - 86_400_000 * 3)).toBe(0);
    }
  });
});
