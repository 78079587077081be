import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';
import { unusualLearnerWeights } from '../optimizer/simulate';

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

const now = seoul(2026, 3, 10, 9);

describe('options presets', () => {
  it('starts with Default holding the collection options, and each deck uses it', async () => {
    t = openTestServices(dir.dir, now, { newPerDay: 7, learningSteps: ['2m'] });
    const deck = addDeck(t.services.db!, 'A');
    const [only] = await t.client.api['presets.list']({});
    expect(only).toMatchObject({ id: 1, name: 'Default', deckIds: [deck] });
    expect(only.config).toMatchObject({ newPerDay: 7, learningSteps: ['2m'], reviewsPerDay: 200, desiredRetention: 0.9, easyDays: [1, 1, 1, 1, 1, 1, 1] });
    // The preset editor and the settings are the same options.
    await t.client.api['presets.update']({ id: 1, config: { reviewsPerDay: 55 } });
    expect((await t.client.api['settings.get']({})).reviewsPerDay).toBe(55);
  });

  it("gives each deck its preset's limits, steps and retention, and undoes the assignment", async () => {
    t = openTestServices(dir.dir, now);
    const db = t.services.db!;
    const a = addDeck(db, 'A');
    const b = addDeck(db, 'B');
    for (let i = 0; i < 5; i++) {
      addCard(db, { deckId: a });
      addCard(db, { deckId: b });
    }
    const reviewA = addCard(db, { deckId: a, state: 2, due: now - MIN, stability: 10, lastReview: now - 10 * DAY });
    const reviewB = addCard(db, { deckId: b, state: 2, due: now - MIN, stability: 10, lastReview: now - 10 * DAY });
    expect((await t.client.api['review.today']({})).counts.new).toBe(10);

    const slow = await t.client.api['presets.create']({ name: 'Slow' });
    await t.client.api['presets.update']({ id: slow.id, config: { newPerDay: 2, learningSteps: ['30m'], desiredRetention: 0.8 } });
    await t.client.api['presets.assign']({ deckId: b, presetId: slow.id });

    // B's own limit caps B's new cards; A's stay under the collection's (Default's) limit.
    const decks = await t.client.api['decks.list']({});
    expect(decks.find((d) => d.id === a)).toMatchObject({ new: 5, presetId: 1 });
    expect(decks.find((d) => d.id === b)).toMatchObject({ new: 2, presetId: slow.id });
    expect((await t.client.api['review.today']({})).counts.new).toBe(7);

    // Steps: Again on a new card waits for the first step of its deck's preset.
    const newOf = async (deckId: number) => (await t.client.api['review.next']({ deckId }))!;
    const fromA = await newOf(a);
    expect(fromA.cardId).toBe(reviewA);
    const dueA = (await t.client.api['review.answer']({ cardId: reviewA, rating: 3, durationMs: 1000 })).due;
    const dueB = (await t.client.api['review.answer']({ cardId: reviewB, rating: 3, durationMs: 1000 })).due;
    // Retention 0.8 waits longer than 0.9 for the same memory.
    expect(dueB - now).toBeGreaterThan(dueA - now);
    const newA = await newOf(a);
    const newB = await newOf(b);
    expect((await t.client.api['review.answer']({ cardId: newA.cardId, rating: 1, durationMs: 1000 })).due - now).toBe(1 * MIN);
    expect((await t.client.api['review.answer']({ cardId: newB.cardId, rating: 1, durationMs: 1000 })).due - now).toBe(30 * MIN);

    // Two new cards of B introduced: B is at its limit, A is not; the collection counts them so.
    const second = (await t.client.api['review.next']({ deckId: b }))!;
    expect(second.state).toBe(0);
    await t.client.api['review.answer']({ cardId: second.cardId, rating: 3, durationMs: 1000 });
    const after = await t.client.api['decks.list']({});
    expect(after.find((d) => d.id === b)?.new).toBe(0);
    expect(after.find((d) => d.id === a)?.new).toBe(4);
    expect((await t.client.api['review.today']({})).counts.new).toBe(4);
    // B is done for today: no new card past its limit, its learning card not due within 20 minutes.
    expect(await t.client.api['review.next']({ deckId: b })).toBeNull();

    // The assignment is an operation of the undo history; the preset's deletion too.
    await t.client.api['presets.delete']({ id: slow.id });
    expect((await t.client.api['decks.list']({})).find((d) => d.id === b)?.presetId).toBe(1);
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'preset-delete', name: 'Slow' });
    expect((await t.client.api['decks.list']({})).find((d) => d.id === b)?.presetId).toBe(slow.id);
    expect((await t.client.api['presets.list']({})).find((p) => p.id === slow.id)?.config.newPerDay).toBe(2);
  });

  it('refuses a taken name and deleting Default, changing nothing', async () => {
    t = openTestServices(dir.dir, now);
    await t.client.api['presets.create']({ name: 'Exam' });
    await expect(t.client.api['presets.create']({ name: 'Exam' })).rejects.toMatchObject({ code: 'preset-name-taken' });
    await expect(t.client.api['presets.delete']({ id: 1 })).rejects.toMatchObject({ code: 'preset-default' });
    await expect(t.client.api['presets.update']({ id: 1, config: { desiredRetention: 2 } })).rejects.toMatchObject({ code: 'invalid-args' });
    expect((await t.client.api['presets.list']({})).map((p) => p.name)).toEqual(['Default', 'Exam']);
    // A clone copies the options.
    await t.client.api['presets.update']({ id: 1, config: { maximumInterval: 100 } });
    const copy = await t.client.api['presets.create']({ name: 'Copy', from: 1 });
    expect(copy.config.maximumInterval).toBe(100);
  });

  it("schedules with the preset's own FSRS weights and maximum interval", async () => {
    t = openTestServices(dir.dir, now);
    const db = t.services.db!;
    const a = addDeck(db, 'A');
    const b = addDeck(db, 'B');
    const cardA = addCard(db, { deckId: a });
    const cardB = addCard(db, { deckId: b });
    const own = await t.client.api['presets.create']({ name: 'Fitted' });
    await t.client.api['presets.update']({ id: own.id, config: { fsrsWeights: unusualLearnerWeights() } });
    await t.client.api['presets.assign']({ deckId: b, presetId: own.id });
    const easyA = (await t.client.api['review.answer']({ cardId: cardA, rating: 4, durationMs: 1000 })).due - now;
    const easyB = (await t.client.api['review.answer']({ cardId: cardB, rating: 4, durationMs: 1000 })).due - now;
    // The fitted learner forgets new cards faster: its first interval is shorter.
    expect(easyB).toBeLessThan(easyA);
    const capped = await t.client.api['presets.create']({ name: 'Capped' });
    await t.client.api['presets.update']({ id: capped.id, config: { maximumInterval: 3 } });
    const c = addDeck(db, 'C');
    await t.client.api['presets.assign']({ deckId: c, presetId: capped.id });
    const long = addCard(db, { deckId: c, state: 2, due: now - MIN, stability: 100, lastReview: now - 100 * DAY });
    expect((await t.client.api['review.answer']({ cardId: long, rating: 4, durationMs: 1000 })).due - now).toBe(3 * DAY);
  });

  it('caps a nested deck under its preset by its own cards: its subdecks count once, in Today and in study', async () => {
    t = openTestServices(dir.dir, now);
    const db = t.services.db!;
    const parent = addDeck(db, 'P');
    const child = addDeck(db, 'P::C');
    addCard(db, { deckId: parent });
    for (let i = 0; i < 5; i++) addCard(db, { deckId: child });
    const capped = await t.client.api['presets.create']({ name: 'Three a day' });
    await t.client.api['presets.update']({ id: capped.id, config: { newPerDay: 3 } });
    await t.client.api['presets.assign']({ deckId: parent, presetId: capped.id });
    // P's own card (1, under its limit of 3) and C's five under Default's 20: six cards exist, six are new today.
    expect((await t.client.api['review.today']({})).counts.new).toBe(6);
    // The deck list and a study of P cap P with its subdeck by P's preset, as Anki caps a subtree by its parent.
    const decks = await t.client.api['decks.list']({});
    expect(decks.find((d) => d.id === parent)).toMatchObject({ new: 3 });
    expect(decks.find((d) => d.id === child)).toMatchObject({ new: 5 });
  });

});
