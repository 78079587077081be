import { describe, expect, it } from 'vitest';
import { difficultyFromEase, mapAnkiCard, mapAnkiReviews } from './schedule';

const DAY = 86_400_000;
const crt = 1_700_000_000 - (1_700_000_000 % 86_400); // a collection created at a day start (seconds)
const now = crt * 1000 + 200 * DAY;
const card = { id: 1, ord: 0, type: 0, queue: 0, due: 0, ivl: 0, factor: 0, reps: 0, lapses: 0, data: '' };

describe('Anki scheduling → FSRS card state', () => {
  it('maps an SM-2 review card: day-number due from col.crt, interval as stability, ease as difficulty', () => {
    const mapped = mapAnkiCard({ ...card, type: 2, queue: 2, due: 210, ivl: 12, factor: 2100, reps: 7, lapses: 2 }, crt, null, now);
    expect(mapped).toMatchObject({ state: 2, due: crt * 1000 + 210 * DAY, stability: 12, scheduledDays: 12, reps: 7, lapses: 2, suspended: false });
    expect(mapped.difficulty).toBe(7); // 0.4 of ease below the default → two points harder
    expect(mapped.lastReview).toBe(crt * 1000 + 198 * DAY); // due − interval
  });

  it('prefers Anki FSRS memory state from cards.data, and keeps suspension', () => {
    const mapped = mapAnkiCard({ ...card, type: 2, queue: -1, due: 250, ivl: 30, factor: 2500, data: '{"s":41.5,"d":3.25}' }, crt, now - 5 * DAY, now);
    expect(mapped).toMatchObject({ stability: 41.5, difficulty: 3.25, suspended: true, lastReview: now - 5 * DAY, elapsedDays: 5 });
  });

  it('maps learning cards (due in Unix seconds) and new cards (due now)', () => {
    expect(mapAnkiCard({ ...card, type: 1, queue: 1, due: crt + 600, ivl: 0 }, crt, null, now)).toMatchObject({ state: 1, due: (crt + 600) * 1000 });
    expect(mapAnkiCard({ ...card, due: 17 }, crt, null, now)).toMatchObject({ state: 0, due: now, stability: 0, difficulty: 0, lastReview: null });
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
});
