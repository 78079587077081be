import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';

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

const cardRow = (s: TestServices, id: number) => s.services.db!.prepare(`SELECT * FROM cards WHERE id = ?`).get(id);
const revlogRows = (s: TestServices) => s.services.db!.prepare(`SELECT * FROM revlog ORDER BY id`).all();

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe('answer and undo', () => {
  it('records the card and its log row together, and undo restores both exactly', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const deckId = addDeck(t.services.db!);
    const cardId = addCard(t.services.db!, { deckId, state: 2, due: now - DAY, stability: 12.5, difficulty: 6.25, scheduledDays: 12, lastReview: now - 13 * DAY });
    await t.client.api['review.answer']({ cardId: addCard(t.services.db!, { deckId }), rating: 3, durationMs: 100 });
    const cardBefore = cardRow(t, cardId);
    const logBefore = revlogRows(t);

    t.clock.now += 5000;
    const answer = await t.client.api['review.answer']({ cardId, rating: 1, durationMs: 4200 });
    const after = cardRow(t, cardId) as { state: number; lapses: number; due: number };
    expect(after.state).toBe(3); // relearning
    expect(after.lapses).toBe(1);
    expect(after.due).toBe(answer.due);
    const log = revlogRows(t).at(-1) as { id: number; card_id: number; rating: number; state: number; duration_ms: number };
    expect(log).toMatchObject({ id: t.clock.now, card_id: cardId, rating: 1, state: 2, duration_ms: 4200 });

    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'answer', cardId, rating: 1 });
    expect(cardRow(t, cardId)).toEqual(cardBefore);
    expect(revlogRows(t)).toEqual(logBefore);
  });

  it('undoes across a restart, one answer at a time, until there is nothing left', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const deckId = addDeck(t.services.db!);
    const a = addCard(t.services.db!, { deckId });
    const b = addCard(t.services.db!, { deckId });
    const pristineA = cardRow(t, a);
    const pristineB = cardRow(t, b);
    await t.client.api['review.answer']({ cardId: a, rating: 3, durationMs: 1 });
    await t.client.api['review.answer']({ cardId: b, rating: 4, durationMs: 1 }); // same ms: the log id moves on by one
    expect(revlogRows(t).map((r) => (r as { id: number }).id)).toEqual([now, now + 1]);

    t = t.reopen();
    expect((await t.client.api['undo.undo']({})).step.cardId).toBe(b);
    expect(cardRow(t, b)).toEqual(pristineB);
    t = t.reopen();
    expect((await t.client.api['undo.undo']({})).step.cardId).toBe(a);
    expect(cardRow(t, a)).toEqual(pristineA);
    expect((await rejection(t.client.api['undo.undo']({}))).code).toBe('nothing-to-undo');
    expect((await t.client.api['review.today']({})).counts.new).toBe(2);
  });

  it('reports an unknown card without writing', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    expect((await rejection(t.client.api['review.answer']({ cardId: 999, rating: 3, durationMs: 1 }))).code).toBe('not-found');
    expect(revlogRows(t)).toEqual([]);
  });
});

describe('streak', () => {
  it('counts consecutive study days with answers, ending today or yesterday', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 1, 9));
    const deckId = addDeck(t.services.db!);
    const answerOn = async (day: number, hour = 9) => {
      t.clock.now = seoul(2026, 3, day, hour);
      await t.client.api['review.answer']({ cardId: addCard(t.services.db!, { deckId }), rating: 4, durationMs: 1 });
    };
    await answerOn(2);
    await answerOn(4, 3); // 03:00 on the 4th still belongs to the study day of the 3rd
    await answerOn(4, 20);
    await answerOn(5);
    t.clock.now = seoul(2026, 3, 6, 12);
    expect((await t.client.api['review.today']({})).streak).toBe(4); // the 5th back to the 2nd
    await answerOn(6);
    expect((await t.client.api['review.today']({})).streak).toBe(5);
    t.clock.now = seoul(2026, 3, 8, 12);
    expect((await t.client.api['review.today']({})).streak).toBe(0);
  });
});

describe('suspend and bury', () => {
  it('suspends until unsuspended, buries until the next study day', async () => {
    const now = seoul(2026, 3, 10, 23);
    t = openTestServices(dir.dir, now);
    const deckId = addDeck(t.services.db!);
    const a = addCard(t.services.db!, { deckId, state: 2, due: now - DAY });
    const b = addCard(t.services.db!, { deckId, state: 2, due: now - DAY + 1 });
    expect((await t.client.api['review.suspend']({ cardId: a, suspended: true })).counts.review).toBe(1);
    expect((await t.client.api['review.bury']({ cardId: b })).counts.review).toBe(0);
    expect(await t.client.api['review.next']({})).toBeNull();
    expect((cardRow(t, b) as { buried_until: number }).buried_until).toBe(seoul(2026, 3, 11, 4));

    t.clock.now = seoul(2026, 3, 11, 4);
    expect((await t.client.api['review.next']({}))!.cardId).toBe(b);
    expect((await t.client.api['review.suspend']({ cardId: a, suspended: false })).counts.review).toBe(2);
    expect((await t.client.api['review.next']({}))!.cardId).toBe(a);
  });
});

describe('siblings', () => {
  /** A reversed note: its ord-1 card next to the ord-0 card, both new; then another note's new card. */
  function reversedNote(s: TestServices): { first: number; sibling: number; other: number } {
    const db = s.services.db!;
    const deckId = addDeck(db);
    const first = addCard(db, { deckId, newPosition: 1 });
    const noteId = db.prepare('SELECT note_id FROM cards WHERE id = ?').pluck().get(first) as number;
    db.prepare("UPDATE notes SET kind = 'reversed' WHERE id = ?").run(noteId);
    const sibling = Number(db.prepare('INSERT INTO cards (note_id, ord, due, state, new_position) VALUES (?, 1, 0, 0, 2)').run(noteId).lastInsertRowid);
    const other = addCard(db, { deckId, newPosition: 3 });
    return { first, sibling, other };
  }

  it("buries a note's other cards after an answer until the next study day; undo brings them back", async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const { first, sibling, other } = reversedNote(t);
    expect((await t.client.api['review.next']({}))!.cardId).toBe(first);
    await t.client.api['review.answer']({ cardId: first, rating: 3, durationMs: 1000 });
    // The other side of the same note would give the answer away: the next card is another note's.
    expect((await t.client.api['review.next']({}))!.cardId).toBe(other);
    expect((cardRow(t, sibling) as { buried_until: number }).buried_until).toBe(seoul(2026, 3, 11, 4));

    await t.client.api['undo.undo']({});
    expect((cardRow(t, sibling) as { buried_until: number | null }).buried_until).toBeNull();
    expect((await t.client.api['review.next']({}))!.cardId).toBe(first);

    await t.client.api['review.answer']({ cardId: first, rating: 3, durationMs: 1000 });
    await t.client.api['review.answer']({ cardId: other, rating: 3, durationMs: 1000 });
    t.clock.now = seoul(2026, 3, 11, 4);
    // The next study day: the sibling is the one new card left, and it comes up.
    expect((await t.client.api['review.today']({})).counts.new).toBe(1);
    const due = t.services.db!.prepare('SELECT id FROM cards WHERE state = 0').pluck().all();
    expect(due).toEqual([sibling]);
  });

  it('leaves siblings alone when the setting is off', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const { first, sibling } = reversedNote(t);
    await t.client.api['settings.set']({ burySiblings: false });
    await t.client.api['review.answer']({ cardId: first, rating: 3, durationMs: 1000 });
    expect((await t.client.api['review.next']({}))!.cardId).toBe(sibling);
    expect((cardRow(t, sibling) as { buried_until: number | null }).buried_until).toBeNull();
  });
});

describe('review.next', () => {
  it('returns the note in the requested language, falling back field by field to the primary one', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const deckId = addDeck(t.services.db!, 'KV');
    addCard(t.services.db!, {
      deckId,
      front: 'KV-Cache란?',
      back: '이전 토큰의 K, V를 저장',
      context: '맥락',
      language: 'ko',
      translations: { en: { front: 'What is the KV-cache?', back: 'Stores K and V of earlier tokens' } },
      tags: 'llm  kv',
      experimentId: 'kv-cache-speed',
      experimentParams: { tokens: 256 },
    });
    const en = (await t.client.api['review.next']({ locale: 'en' }))!;
    expect(en).toMatchObject({ front: 'What is the KV-cache?', back: 'Stores K and V of earlier tokens', context: '맥락', deckName: 'KV' });
    expect(en.tags).toEqual(['llm', 'kv']);
    expect(en.experimentId).toBe('kv-cache-speed');
    expect(en.experimentParams).toEqual({ tokens: 256 });
    expect((await t.client.api['review.next']({ locale: 'ko' }))!.front).toBe('KV-Cache란?');
    await t.client.api['settings.set']({ locale: 'en' });
    expect((await t.client.api['review.next']({}))!.front).toBe('What is the KV-cache?');
  });
});

describe('decks.list and settings', () => {
  it('lists decks with their sizes and their New / Learn / Due counts, as Today counts them', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const kv = addDeck(t.services.db!, 'KV', 'kv-flash');
    const mine = addDeck(t.services.db!, 'Mine');
    addCard(t.services.db!, { deckId: kv, state: 2, due: now - DAY });
    addCard(t.services.db!, { deckId: kv, state: 2, due: now + 3 * DAY });
    addCard(t.services.db!, { deckId: kv });
    // A learning step due in five minutes: Today counts it already (Anki's learn-ahead).
    addCard(t.services.db!, { deckId: kv, state: 1, due: now + 5 * 60_000 });
    expect(await t.client.api['decks.list']({})).toEqual([
      { id: kv, name: 'KV', notes: 4, cards: 4, due: 2, new: 1, learning: 1, review: 1, builtIn: true, presetId: 1 },
      { id: mine, name: 'Mine', notes: 0, cards: 0, due: 0, new: 0, learning: 0, review: 0, builtIn: false, presetId: 1 },
    ]);
    // One deck holds every card: its counts are Today's.
    expect((await t.client.api['review.today']({})).counts).toEqual({ learning: 1, review: 1, new: 1 });
    // Each deck's new cards stop at what today's limit still allows.
    await t.client.api['settings.set']({ newPerDay: 2 });
    for (let i = 0; i < 3; i++) addCard(t.services.db!, { deckId: mine });
    const decks = await t.client.api['decks.list']({});
    expect(decks.map((d) => [d.name, d.new])).toEqual([
      ['KV', 1],
      ['Mine', 2],
    ]);
  });

  it('studies one deck: its cards only, with its own counts, though another deck’s new cards come first', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const first = addDeck(t.services.db!, 'First');
    const vocabulary = addDeck(t.services.db!, 'Vocabulary');
    const a = addCard(t.services.db!, { deckId: first });
    addCard(t.services.db!, { deckId: first, state: 2, due: now - DAY });
    const word = addCard(t.services.db!, { deckId: vocabulary });
    expect((await t.client.api['review.next']({}))!.deckName).toBe('First');
    const card = (await t.client.api['review.next']({ deckId: vocabulary }))!;
    expect(card).toMatchObject({ cardId: word, deckName: 'Vocabulary', counts: { learning: 0, review: 0, new: 1 } });
    await t.client.api['review.answer']({ cardId: word, rating: 4, durationMs: 100 });
    // The deck is done; the collection is not.
    expect(await t.client.api['review.next']({ deckId: vocabulary })).toBeNull();
    expect((await t.client.api['review.next']({}))!.cardId).not.toBe(a);
    expect((await t.client.api['review.today']({})).counts).toEqual({ learning: 0, review: 1, new: 1 });
  });

  it('keeps settings across a restart and refuses invalid ones without writing', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const saved = await t.client.api['settings.set']({ newPerDay: 35, learningSteps: ['2m', '15m'] });
    expect(saved.newPerDay).toBe(35);
    expect((await rejection(t.client.api['settings.set']({ desiredRetention: 1.5 }))).code).toBe('invalid-args');
    expect((await rejection(t.client.api['settings.set']({ learningSteps: ['soon'] }))).code).toBe('invalid-args');
    t = t.reopen();
    const settings = await t.client.api['settings.get']({});
    expect(settings).toMatchObject({ newPerDay: 35, learningSteps: ['2m', '15m'], desiredRetention: 0.9, dayStartHour: 4 });
  });
});
