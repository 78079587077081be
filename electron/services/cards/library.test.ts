import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestServices, seoul, type TestServices } from '../../testing/services';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { AppError } from '../../../src/shared/errors';

const DAY = 86_400_000;
let tmp: ReturnType<typeof temporaryDir>;
let t: TestServices;
let ids: Record<string, number>;
const now = seoul(2026, 11, 27, 10);

/** A small collection where each filter has a known answer. */
function seed(): Record<string, number> {
  const db = t.services.db!;
  const llm = addDeck(db, 'Interview::LLM');
  const systems = addDeck(db, 'Interview::Systems');
  const koreanDeck = addDeck(db, 'Korean');
  return {
    llm,
    systems,
    koreanDeck,
    fresh: addCard(db, { deckId: llm, front: 'What does the KV-cache store?', tags: 'kv llm', state: 0 }),
    learning: addCard(db, { deckId: llm, front: 'Prefill vs decoding', tags: 'llm', state: 1, due: now - 60_000, stability: 0.5, lastReview: now - 600_000 }),
    dueReview: addCard(db, { deckId: systems, front: 'Why is attention I/O-bound?', tags: 'flash llm::attention', state: 2, due: now - DAY, stability: 12, scheduledDays: 12, reps: 5, lastReview: now - 13 * DAY }),
    laterReview: addCard(db, { deckId: systems, front: 'Tiling in SRAM', tags: 'flash', state: 2, due: now + 30 * DAY, stability: 90, scheduledDays: 40, reps: 7, lastReview: now - 10 * DAY }),
    korean: addCard(db, { deckId: koreanDeck, front: 'KV 캐시는 어디에 저장되나요?', back: 'GPU 전역 메모리(HBM)', tags: 'ko', state: 2, due: now + 2 * DAY, stability: 3, scheduledDays: 3, reps: 2, lastReview: now - 9 * DAY }),
    suspended: addCard(db, { deckId: koreanDeck, front: '온라인 소프트맥스', tags: 'ko', state: 2, due: now - DAY, stability: 5, scheduledDays: 5, suspended: true, lastReview: now - 6 * DAY }),
  };
}

async function search(query: string): Promise<number[]> {
  const page = await t.client.api['cards.search']({ query, limit: 1000 });
  expect(page.total).toBe(page.rows.length);
  return page.rows.map((r) => r.cardId).sort((a, b) => a - b);
}
const sorted = (...xs: number[]) => [...xs].sort((a, b) => a - b);

beforeEach(() => {
  tmp = temporaryDir('proofdeck-library-');
  t = openTestServices(tmp.dir, now);
  ids = seed();
});
afterEach(() => {
  t.services.close();
  tmp.remove();
});

describe('card search', () => {
  it('answers each filter of the query language with the right cards', async () => {
    const all = sorted(ids.fresh, ids.learning, ids.dueReview, ids.laterReview, ids.korean, ids.suspended);
    expect(await search('')).toEqual(all);
    expect(await search('deck:Interview::LLM')).toEqual(sorted(ids.fresh, ids.learning));
    expect(await search('deck:Interview')).toEqual(sorted(ids.fresh, ids.learning, ids.dueReview, ids.laterReview));
    expect(await search('deck:Inter*')).toEqual(sorted(ids.fresh, ids.learning, ids.dueReview, ids.laterReview));
    expect(await search('tag:flash')).toEqual(sorted(ids.dueReview, ids.laterReview));
    expect(await search('tag:llm')).toEqual(sorted(ids.fresh, ids.learning, ids.dueReview));
    expect(await search('is:new')).toEqual([ids.fresh]);
    expect(await search('is:learn')).toEqual([ids.learning]);
    expect(await search('is:review')).toEqual(sorted(ids.dueReview, ids.laterReview, ids.korean, ids.suspended));
    expect(await search('is:due')).toEqual(sorted(ids.learning, ids.dueReview));
    expect(await search('is:suspended')).toEqual([ids.suspended]);
    expect(await search('prop:ivl>=10')).toEqual(sorted(ids.dueReview, ids.laterReview));
    expect(await search('prop:reps>5')).toEqual([ids.laterReview]);
    // Recall probability: 13 days after a review with stability 12 is under 0.9; 10 days at stability 90 is not.
    expect(await search('prop:r<0.9')).toEqual(sorted(ids.dueReview, ids.korean, ids.suspended));
    expect(await search('-is:suspended is:review')).toEqual(sorted(ids.dueReview, ids.laterReview, ids.korean));
  });

  it('matches free text in Korean and English, short words included', async () => {
    expect(await search('캐시')).toEqual([ids.korean]);
    expect(await search('전역 메모리')).toEqual([ids.korean]);
    expect(await search('"KV 캐시는"')).toEqual([ids.korean]);
    expect(await search('kv-cache')).toEqual([ids.fresh]);
    expect(await search('SRAM')).toEqual([ids.laterReview]);
    expect(await search('io')).toEqual([ids.dueReview]); // 'attention'
  });

  it('sorts and pages in the database', async () => {
    const page = await t.client.api['cards.search']({ query: 'is:review', sort: 'ivl', descending: true, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => r.ivl)).toEqual([40, 12]);
    const next = await t.client.api['cards.search']({ query: 'is:review', sort: 'ivl', descending: true, limit: 2, offset: 2 });
    expect(next.rows.map((r) => r.ivl)).toEqual([5, 3]);
  });

  it('explains a malformed search instead of guessing', async () => {
    await expect(t.client.api['cards.search']({ query: 'prop:ivl>>3' })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(t.client.api['cards.search']({ query: 'is:sleeping' })).rejects.toThrow(/is: takes/);
  });
});

describe('bulk actions', () => {
  it('suspends, tags, moves and resets many cards in one go, and undoes a delete completely', async () => {
    const { api } = t.client;
    await api['cards.bulk']({ cardIds: [ids.fresh, ids.learning], change: { action: 'suspend' } });
    expect(await search('is:suspended')).toEqual(sorted(ids.fresh, ids.learning, ids.suspended));
    await api['cards.bulk']({ cardIds: [ids.korean], change: { action: 'tag', tag: 'exam' } });
    expect(await search('tag:exam')).toEqual([ids.korean]);
    await api['cards.bulk']({ cardIds: [ids.korean], change: { action: 'move', deckId: ids.llm } });
    expect(await search('deck:Interview::LLM')).toEqual(sorted(ids.fresh, ids.learning, ids.korean));
    await api['cards.bulk']({ cardIds: [ids.laterReview], change: { action: 'reset' } });
    expect(await search('is:new')).toEqual(sorted(ids.fresh, ids.laterReview));

    const db = t.services.db!;
    db.prepare(`INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms) VALUES (?, ?, 3, 2, 0, 1, 5, 1, 0, 1, 0, 1000)`).run(now - DAY, ids.dueReview);
    const before = JSON.stringify(db.prepare('SELECT * FROM cards ORDER BY id').all()) + JSON.stringify(db.prepare('SELECT * FROM notes ORDER BY id').all()) + JSON.stringify(db.prepare('SELECT * FROM revlog ORDER BY id').all());
    const { affected } = await api['cards.bulk']({ cardIds: [ids.dueReview, ids.korean], change: { action: 'delete' } });
    expect(affected).toBe(2);
    expect(await search('')).not.toContain(ids.dueReview);
    expect((db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n).toBe(0);
    expect((await api['undo.undo']({})).step).toMatchObject({ kind: 'delete', count: 2 });
    const after = JSON.stringify(db.prepare('SELECT * FROM cards ORDER BY id').all()) + JSON.stringify(db.prepare('SELECT * FROM notes ORDER BY id').all()) + JSON.stringify(db.prepare('SELECT * FROM revlog ORDER BY id').all());
    expect(after).toBe(before);
    // The text index follows the restored notes too.
    expect(await search('전역')).toEqual([ids.korean]);
    // The revlog row written behind the services' back ended the history before the delete.
    await expect(api['undo.undo']({})).rejects.toMatchObject({ code: 'nothing-to-undo' });
  });
});

describe('editing notes', () => {
  it('keeps the schedule of an edited card and finds it by its new text', async () => {
    const { api } = t.client;
    const noteId = (await api['cards.search']({ query: 'SRAM' })).rows[0].noteId;
    const { guid: _guid, cardIds: _cards, cards: _cardRows, language: _language, ...note } = await api['notes.get']({ noteId });
    const card = () => t.services.db!.prepare('SELECT due, stability, difficulty, reps, state FROM cards WHERE id = ?').get(ids.laterReview);
    const schedule = card();
    await api['notes.save']({ ...note, front: 'Tiling: blocks of Q, K, V in on-chip SRAM', tags: ['flash', 'tiling'], experimentId: 'flash-vs-naive', experimentParams: null });
    expect(card()).toEqual(schedule);
    expect(await search('on-chip')).toEqual([ids.laterReview]);
    expect(await search('tag:tiling')).toEqual([ids.laterReview]);
    expect((await api['notes.get']({ noteId })).experimentId).toBe('flash-vs-naive');
    await expect(api['notes.save']({ ...note, experimentId: 'no-such-experiment' })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(api['notes.save']({ ...note, front: '   ' })).rejects.toMatchObject({ code: 'invalid-args' });
  });

  it('adds a note with one new card', async () => {
    const { noteId, cardIds } = await t.client.api['notes.save']({ deckId: ids.koreanDeck, front: '플래시 디코딩이란?', back: '캐시를 청크로 나누어 병렬 처리', tags: ['ko'] });
    expect(cardIds).toHaveLength(1);
    expect((await t.client.api['notes.get']({ noteId })).front).toBe('플래시 디코딩이란?');
    expect(await search('is:new')).toEqual(sorted(ids.fresh, cardIds[0]));
  });
});

describe('statistics', () => {
  it('counts reviews per study day, the due forecast and true retention', async () => {
    const db = t.services.db!;
    const add = db.prepare(`INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms) VALUES (?, ?, ?, ?, 0, 1, 5, ?, 0, 1, 0, 60000)`);
    add.run(now - 1000, ids.dueReview, 3, 2, 30); // today, mature, passed
    add.run(now - 2000, ids.korean, 1, 2, 5); // today, young, failed
    add.run(now - DAY, ids.korean, 3, 2, 5); // yesterday, young, passed
    add.run(now - 3 * DAY, ids.learning, 3, 0, 0); // learning answer
    const stats = await t.client.api['stats.get']({});
    expect(stats.heatmap.at(-1)!.count).toBe(2);
    expect(stats.heatmap.at(-2)!.count).toBe(1);
    expect(stats.heatmap.at(-4)!.count).toBe(1);
    expect(stats.totals.reviews).toBe(4);
    expect(stats.totals.minutes).toBeCloseTo(4);
    expect(stats.retention.young).toEqual({ passed: 1, total: 2, rate: 0.5 });
    expect(stats.retention.mature).toEqual({ passed: 1, total: 1, rate: 1 });
    expect(stats.streak).toBe(2);
    // Due today: the learning card and the overdue review; the suspended one is not counted.
    expect(stats.forecast[0]).toBe(2);
    expect(stats.forecast[2]).toBe(1);
    expect(stats.forecast[30 - 1]).toBe(0);
    expect(stats.daily.at(-1)).toMatchObject({ review: 2, minutes: 2 });
    expect(stats.difficulty.reduce((n, b) => n + b.count, 0)).toBe(5);
  });
});

describe('optimizer through the API', () => {
  it('says a short history is too short and changes nothing', async () => {
    const result = await t.client.api['optimizer.run']({});
    expect(result.status).toBe('too-short');
    expect((await t.client.api['settings.get']({})).fsrsWeights).toBeNull();
  });

  it('rejects unknown arguments before touching the database', async () => {
    await expect(t.client.api['cards.bulk']({ cardIds: [], change: { action: 'suspend' } })).rejects.toBeInstanceOf(AppError);
  });
});
