import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../src/shared/transport';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';

const MIN = 60_000;
const DAY = 86_400_000;
let dir: { dir: string; remove(): void };
let t: TestServices;
beforeEach(() => {
  dir = temporaryDir();
});
afterEach(() => {
  t?.services.close();
  dir.remove();
});

async function drain(client: Client, grade: 1 | 2 | 3 | 4 = 4): Promise<number[]> {
  const seen: number[] = [];
  for (let card = await client.api['review.next']({}); card; card = await client.api['review.next']({})) {
    seen.push(card.cardId);
    await client.api['review.answer']({ cardId: card.cardId, rating: grade, durationMs: 1000 });
    if (seen.length > 50) throw new Error('queue does not end');
  }
  return seen;
}

describe("today's queue", () => {
  it('shows due learning cards by due time, then reviews due today, then new cards by position', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const db = t.services.db!;
    const deckId = addDeck(db);
    const laterLearning = addCard(db, { deckId, state: 1, due: now - MIN });
    const earlierLearning = addCard(db, { deckId, state: 3, due: now - 5 * MIN });
    const overdue = addCard(db, { deckId, state: 2, due: now - 3 * DAY });
    const tonight = addCard(db, { deckId, state: 2, due: seoul(2026, 3, 11, 3, 30) });
    addCard(db, { deckId, state: 2, due: seoul(2026, 3, 11, 4, 30) }); // tomorrow's
    const second = addCard(db, { deckId, newPosition: 20 });
    const first = addCard(db, { deckId, newPosition: 10 });
    addCard(db, { deckId, state: 2, due: now - DAY, suspended: true });
    addCard(db, { deckId, newPosition: 1, buriedUntil: seoul(2026, 3, 11, 4) });
    addCard(db, { deckId, state: 1, due: now + 2 * 60 * MIN }); // learning, due in two hours

    const today = await t.client.api['review.today']({});
    expect(today.counts).toEqual({ learning: 2, review: 2, new: 2 });
    expect(today.dueNow).toBe(6);
    expect(today.totalCards).toBe(10);
    expect(await drain(t.client)).toEqual([earlierLearning, laterLearning, overdue, tonight, first, second]);
    expect(await t.client.api['review.next']({})).toBeNull();
  });

  it('applies the daily limits, counting what was already answered today, and resets at 04:00', async () => {
    const now = seoul(2026, 3, 10, 22);
    t = openTestServices(dir.dir, now, { newPerDay: 3, reviewsPerDay: 2 });
    const db = t.services.db!;
    const deckId = addDeck(db);
    for (let i = 0; i < 5; i++) addCard(db, { deckId });
    for (let i = 0; i < 3; i++) addCard(db, { deckId, state: 2, due: now - DAY - i });
    expect((await t.client.api['review.today']({})).counts).toEqual({ learning: 0, review: 2, new: 3 });

    expect((await drain(t.client)).length).toBe(5);
    const done = await t.client.api['review.today']({});
    expect(done.counts).toEqual({ learning: 0, review: 0, new: 0 });
    expect(done.reviewedToday).toBe(5);

    t.clock.now = seoul(2026, 3, 11, 3, 59); // still the same study day
    expect((await t.client.api['review.today']({})).counts.new).toBe(0);
    t.clock.now = seoul(2026, 3, 11, 4, 0);
    const next = await t.client.api['review.today']({});
    expect(next.counts).toEqual({ learning: 0, review: 1, new: 2 });
    expect(next.reviewedToday).toBe(0);
    expect(next.dayStart).toBe(seoul(2026, 3, 11, 4));
    expect(next.streak).toBe(1);
  });

  it('moves the day boundary with the day-start setting', async () => {
    const now = seoul(2026, 3, 10, 23);
    t = openTestServices(dir.dir, now);
    const deckId = addDeck(t.services.db!);
    addCard(t.services.db!, { deckId, state: 2, due: seoul(2026, 3, 11, 2) });
    expect((await t.client.api['review.today']({})).counts.review).toBe(1);
    await t.client.api['settings.set']({ dayStartHour: 0 });
    expect((await t.client.api['review.today']({})).counts.review).toBe(0);
  });

  it('walks a new card through the learning steps and shows a learning card early only when nothing else is left', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now, { learningSteps: ['1m', '10m'] });
    const db = t.services.db!;
    const deckId = addDeck(db);
    const learner = addCard(db, { deckId, newPosition: 1 });
    const other = addCard(db, { deckId, newPosition: 2 });

    const card = (await t.client.api['review.next']({}))!;
    expect(card.cardId).toBe(learner);
    expect(card.intervals).toMatchObject({ 1: '1m', 2: '6m', 3: '10m' });
    expect(card.intervals[4]).toMatch(/^\d+d$/);
    const answered = await t.client.api['review.answer']({ cardId: learner, rating: 3, durationMs: 5000 });
    expect(answered.due).toBe(now + 10 * MIN);
    // Counted at once (due within the learn-ahead limit), as Anki counts it, though not due yet.
    expect(answered.counts).toEqual({ learning: 1, review: 0, new: 1 });

    // The other new card comes first: the learning card is not due yet.
    expect((await t.client.api['review.next']({}))!.cardId).toBe(other);
    await t.client.api['review.answer']({ cardId: other, rating: 4, durationMs: 5000 });
    // Nothing else left and the learning card is due within 20 minutes: learn ahead.
    const ahead = (await t.client.api['review.next']({}))!;
    expect(ahead.cardId).toBe(learner);
    expect(ahead.counts.learning).toBe(1);
    await t.client.api['review.answer']({ cardId: learner, rating: 3, durationMs: 5000 });
    expect((await t.client.api['review.today']({})).counts.learning).toBe(0);
    const graduated = db.prepare(`SELECT state, scheduled_days FROM cards WHERE id = ?`).get(learner) as { state: number; scheduled_days: number };
    expect(graduated.state).toBe(2);
    expect(graduated.scheduled_days).toBeGreaterThanOrEqual(1);
  });

  it('does not learn ahead further than 20 minutes', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now, { learningSteps: ['1m', '1h'] });
    const deckId = addDeck(t.services.db!);
    const cardId = addCard(t.services.db!, { deckId });
    await t.client.api['review.answer']({ cardId, rating: 3, durationMs: 1000 });
    expect(await t.client.api['review.next']({})).toBeNull();
    t.clock.now = now + 41 * MIN;
    expect((await t.client.api['review.next']({}))!.cardId).toBe(cardId);
  });

  it('spreads identical cards with fuzz on, and not with fuzz off', async () => {
    const now = seoul(2026, 3, 10, 9);
    const dues = async (enableFuzz: boolean) => {
      const d = temporaryDir();
      const s = openTestServices(d.dir, now, { enableFuzz });
      const deckId = addDeck(s.services.db!);
      const result = new Set<number>();
      for (let i = 0; i < 12; i++) {
        const cardId = addCard(s.services.db!, { deckId, state: 2, due: now - DAY, stability: 40, difficulty: 5, scheduledDays: 30, lastReview: now - 31 * DAY });
        result.add((await s.client.api['review.answer']({ cardId, rating: 3, durationMs: 1000 })).due - s.clock.now);
        s.clock.now += 1; // fuzz is seeded by the review time, as in ts-fsrs
      }
      s.services.close();
      d.remove();
      return result;
    };
    expect((await dues(false)).size).toBeLessThanOrEqual(1);
    expect((await dues(true)).size).toBeGreaterThan(1);
  });

  it('shows review intervals in days, months and years', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const deckId = addDeck(t.services.db!);
    addCard(t.services.db!, { deckId, state: 2, due: now - DAY, stability: 400, difficulty: 3, scheduledDays: 300, lastReview: now - 301 * DAY });
    const card = (await t.client.api['review.next']({}))!;
    expect(card.intervals[1]).toMatch(/^\d+m$/);
    expect(card.intervals[3]).toMatch(/^\d+(\.\d)?(mo|y)$/);
    expect(card.intervals[4]).toMatch(/^\d+(\.\d)?y$/);
  });
});
