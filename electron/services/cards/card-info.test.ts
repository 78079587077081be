import { createEmptyCard, default_w, forgetting_curve, fsrs, generatorParameters, type Card, type Grade, type StepUnit } from 'ts-fsrs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';

const DAY = 86_400_000;
let dir: { dir: string; remove(): void };
let t: TestServices;
beforeEach(() => {
  dir = temporaryDir('proofdeck-card-info-');
});
afterEach(() => {
  t?.services.close();
  dir.remove();
});

describe('card info', () => {
  it('gives every answer with the stability, difficulty and recall ts-fsrs computes from the same log', async () => {
    const start = seoul(2026, 3, 1, 9);
    t = openTestServices(dir.dir, start);
    const db = t.services.db!;
    const cardId = addCard(db, { deckId: addDeck(db, 'Info'), front: 'What is HBM?' });
    // Answered as a learner would: new, a step later, days later, a lapse, again.
    const answers: [offsetMs: number, rating: Grade, ms: number][] = [
      [0, 3, 4_000],
      [10 * 60_000, 3, 3_000],
      [3 * DAY, 3, 2_500],
      [12 * DAY, 1, 9_000],
      [12 * DAY + 10 * 60_000, 3, 5_000],
      [20 * DAY, 4, 1_500],
    ];
    for (const [offset, rating, ms] of answers) {
      t.clock.now = start + offset;
      await t.client.api['review.answer']({ cardId, rating, durationMs: ms });
    }
    t.clock.now = start + 30 * DAY;
    const info = await t.client.api['cards.info']({ cardId });

    // ts-fsrs on its own, configured as the settings say.
    const settings = t.services.context!.settings.get();
    const engine = fsrs(
      generatorParameters({
        request_retention: settings.desiredRetention,
        enable_fuzz: false,
        learning_steps: settings.learningSteps as StepUnit[],
        relearning_steps: settings.relearningSteps as StepUnit[],
      }),
    );
    let card: Card = createEmptyCard(new Date(start));
    const expected = answers.map(([offset, rating, ms]) => {
      const at = start + offset;
      const recall = card.last_review ? forgetting_curve(default_w, (at - card.last_review.getTime()) / DAY, card.stability) : null;
      card = engine.next(card, new Date(at), rating).card;
      return { at, rating, durationMs: ms, stability: card.stability, difficulty: card.difficulty, retrievability: recall, intervalDays: (card.due.getTime() - at) / DAY };
    });
    expect(info.reviews).toHaveLength(answers.length);
    info.reviews.forEach((review, i) => {
      expect(review.at).toBe(expected[i].at);
      expect(review.rating).toBe(expected[i].rating);
      expect(review.durationMs).toBe(expected[i].durationMs);
      expect(review.stability).toBeCloseTo(expected[i].stability, 9);
      expect(review.difficulty).toBeCloseTo(expected[i].difficulty, 9);
      expect(review.intervalDays).toBeCloseTo(expected[i].intervalDays, 6);
      if (expected[i].retrievability === null) expect(review.retrievability).toBeNull();
      else expect(review.retrievability).toBeCloseTo(expected[i].retrievability!, 9);
    });
    // The lapse was answered with recall already well below 1.
    expect(info.reviews[3].retrievability!).toBeLessThan(0.95);
    expect(info.reviews.map((r) => r.state)).toEqual([0, 1, 2, 2, 3, 2]);

    // Now: the card's memory state, and its recall ten days after the last answer.
    expect(info.stability).toBeCloseTo(card.stability, 9);
    expect(info.difficulty).toBeCloseTo(card.difficulty, 9);
    expect(info.retrievability).toBeCloseTo(forgetting_curve(default_w, 10, card.stability), 9);
    expect(info).toMatchObject({ deck: 'Info', question: 'What is HBM?', reps: 6, lapses: 1, flag: 0, marked: false, state: 2 });

    // The curve: falling to each answer's recall, back to 1 right after it, on to the due date.
    answers.forEach(([offset], i) => {
      const points = info.curve.filter((p) => p.at === start + offset).map((p) => p.r);
      expect(points).toEqual(i === 0 ? [1] : [expect.closeTo(expected[i].retrievability!, 9), 1]);
    });
    const beforeLapse = info.curve.filter((p) => p.at < start + 12 * DAY).at(-1)!;
    expect(beforeLapse.r).toBeCloseTo(forgetting_curve(default_w, (beforeLapse.at - (start + 3 * DAY)) / DAY, expected[2].stability), 9);
    expect(info.curve.at(-1)!.at).toBe(Math.max(t.clock.now, card.due.getTime()));
    for (let i = 1; i < info.curve.length; i++) expect(info.curve[i].at).toBeGreaterThanOrEqual(info.curve[i - 1].at);
  });

  it('of a new card: no answers, no memory state; of an unknown card: not-found', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 1, 9));
    const db = t.services.db!;
    const cardId = addCard(db, { deckId: addDeck(db) });
    expect(await t.client.api['cards.info']({ cardId })).toMatchObject({ reviews: [], curve: [], stability: null, difficulty: null, retrievability: null, state: 0 });
    await expect(t.client.api['cards.info']({ cardId: 999 })).rejects.toMatchObject({ code: 'not-found' });
  });
});
