import { describe, expect, it } from 'vitest';
import { difficultyFromEase, mapAnkiCard, mapAnkiReviews } from './schedule';
import { ankiDayClock } from '../../../../src/shared/anki/day-clock';

const DAY = 86_400_000;
const crt = 1_700_000_000 - (1_700_000_000 % 86_400); // a collection created at a day start (seconds)
const now = crt * 1000 + 200 * DAY;
// A v1 collection: day n starts at crt + n days.
const v1 = ankiDayClock({ creationSeconds: crt, schedulerVersion: 1, rolloverHour: 4, creationMinutesWest: null });
const card = { id: 1, ord: 0, type: 0, queue: 0, due: 0, ivl: 0, factor: 0, reps: 0, lapses: 0, data: '' };

describe('Anki scheduling → FSRS card state', () => {
  it('maps an SM-2 review card: day-number due from col.crt, interval as stability, ease as difficulty', () => {
    const mapped = mapAnkiCard({ ...card, type: 2, queue: 2, due: 210, ivl: 12, factor: 2100, reps: 7, lapses: 2 }, v1, 1, null, now);
    expect(mapped).toMatchObject({ state: 2, due: crt * 1000 + 210 * DAY, stability: 12, scheduledDays: 12, reps: 7, lapses: 2, suspended: false });
    expect(mapped.difficulty).toBe(7); // 0.4 of ease below the default → two points harder
    expect(mapped.lastReview).toBe(crt * 1000 + 198 * DAY); // due − interval
  });

  it('prefers Anki FSRS memory state from cards.data, and keeps suspension', () => {
    const mapped = mapAnkiCard({ ...card, type: 2, queue: -1, due: 250, ivl: 30, factor: 2500, data: '{"s":41.5,"d":3.25}' }, v1, 1, now - 5 * DAY, now);
    expect(mapped).toMatchObject({ stability: 41.5, difficulty: 3.25, suspended: true, lastReview: now - 5 * DAY, elapsedDays: 5 });
  });

  it('maps learning cards (due in Unix seconds) and new cards (due now)', () => {
    expect(mapAnkiCard({ ...card, type: 1, queue: 1, due: crt + 600, ivl: 0 }, v1, 1, null, now)).toMatchObject({ state: 1, due: (crt + 600) * 1000 });
    expect(mapAnkiCard({ ...card, due: 17 }, v1, 1, null, now)).toMatchObject({ state: 0, due: now, stability: 0, difficulty: 0, lastReview: null });
  });

  it('reads a suspended or buried learning card’s due as a timestamp, as Anki does (not a day millions of years away)', () => {
    const at = now / 1000 - 3600;
    expect(mapAnkiCard({ ...card, type: 1, queue: -1, due: at }, v1, 2, null, now)).toMatchObject({ state: 1, due: at * 1000, suspended: true });
    expect(mapAnkiCard({ ...card, type: 3, queue: -3, due: at }, v1, 2, null, now)).toMatchObject({ state: 3, due: at * 1000, suspended: false });
    // On a day-learn step it keeps a day number.
    expect(mapAnkiCard({ ...card, type: 3, queue: -2, due: 205 }, v1, 2, null, now)).toMatchObject({ state: 3, due: crt * 1000 + 205 * DAY });
  });

  it('makes a v1 review card in a learning queue relearning, as Anki’s upgrade does', () => {
    expect(mapAnkiCard({ ...card, type: 2, queue: 1, due: now / 1000 + 600, ivl: 9 }, v1, 1, null, now)).toMatchObject({ state: 3, due: now + 600_000 });
  });

  it('clamps difficulty to FSRS bounds', () => {
    expect(difficultyFromEase(1300)).toBe(10);
    expect(difficultyFromEase(3500)).toBe(1);
    expect(difficultyFromEase(0)).toBe(5);
  });

  it('maps the review log: ease → rating, type → state before, ivl → due produced', () => {
    const t0 = now - 20 * DAY;
    const reviews = mapAnkiReviews(
      [
        { id: t0, cid: 1, ease: 3, ivl: -600, time: 8000, type: 0 },
        { id: t0 + DAY, cid: 1, ease: 3, ivl: 3, time: 5000, type: 0 },
        { id: t0 + 4 * DAY, cid: 1, ease: 1, ivl: -600, time: 9000, type: 1 },
      ],
      0,
    );
    expect(reviews.map((r) => [r.rating, r.state, r.due - r.id, r.elapsedDays, r.durationMs])).toEqual([
      [3, 0, 600_000, 0, 8000],
      [3, 1, 3 * DAY, 1, 5000],
      [1, 2, 600_000, 3, 9000],
    ]);
  });

  it('reads a v1 review log’s learning answers as Anki’s upgrade rewrites them', () => {
    const rows = [
      { id: now, cid: 1, ease: 2, ivl: -600, time: 1, type: 0 },
      { id: now + 1, cid: 1, ease: 3, ivl: 1, time: 1, type: 0 },
      { id: now + 2, cid: 1, ease: 2, ivl: 4, time: 1, type: 1 },
      { id: now + 3, cid: 1, ease: 2, ivl: -600, time: 1, type: 2 },
    ];
    expect(mapAnkiReviews(rows, 0, 1).map((r) => r.rating)).toEqual([3, 4, 2, 3]);
    expect(mapAnkiReviews(rows, 0, 2).map((r) => r.rating)).toEqual([2, 3, 2, 2]);
  });
});
