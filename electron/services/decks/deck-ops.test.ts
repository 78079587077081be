import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeckSummary } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';
import { openDatabase } from '../store/database';
import { migrations } from '../store/migrations';
import { importDeckFile } from './exchange';

let dir: { dir: string; remove(): void };
let t: TestServices;
beforeEach(() => {
  dir = temporaryDir('proofdeck-deck-ops-');
});
afterEach(() => {
  t?.services.close();
  dir.remove();
});

const now = seoul(2026, 3, 10, 9);
const hour = 3_600_000;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

/** Every row the deck operations touch, and the history. */
function contents(s: TestServices): string {
  const db = s.services.db!;
  return JSON.stringify(['decks', 'notes', 'cards', 'revlog'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()));
}
const deckNames = (s: TestServices) => s.services.db!.prepare('SELECT name FROM decks ORDER BY name').pluck().all() as string[];
const byName = (decks: DeckSummary[], name: string) => decks.find((d) => d.name === name)!;
const counts = (d: DeckSummary) => ({ new: d.new, learning: d.learning, review: d.review, cards: d.cards });

/** Lang (1 learning) › Korean (2 reviews due) › Verbs (3 new); Other (1 new). */
function seed(s: TestServices) {
  const db = s.services.db!;
  const lang = addDeck(db, 'Lang');
  const korean = addDeck(db, 'Lang::Korean');
  const verbs = addDeck(db, 'Lang::Korean::Verbs');
  const other = addDeck(db, 'Other');
  addCard(db, { deckId: lang, front: 'lang learning', state: 1, due: now - 60_000 });
  addCard(db, { deckId: korean, front: 'korean review 1', state: 2, due: now - 24 * hour, stability: 3, reps: 2, lastReview: now - 4 * 24 * hour });
  addCard(db, { deckId: korean, front: 'korean review 2', state: 2, due: now - 2 * hour, stability: 3, reps: 2, lastReview: now - 4 * 24 * hour });
  for (let i = 0; i < 3; i++) addCard(db, { deckId: verbs, front: `verb ${i}`, newPosition: i + 1 });
  addCard(db, { deckId: other, front: 'other new', newPosition: 10 });
  return { lang, korean, verbs, other };
}

describe('the deck tree', () => {
  it('counts each deck with its subdecks, as Today does, within the daily limits', async () => {
    t = openTestServices(dir.dir, now, { newPerDay: 2 });
    seed(t);
    const decks = await t.client.api['decks.list']({});
    expect(counts(byName(decks, 'Lang::Korean::Verbs'))).toEqual({ new: 2, learning: 0, review: 0, cards: 3 });
    expect(counts(byName(decks, 'Lang::Korean'))).toEqual({ new: 2, learning: 0, review: 2, cards: 5 });
    expect(counts(byName(decks, 'Lang'))).toEqual({ new: 2, learning: 1, review: 2, cards: 6 });
    expect(counts(byName(decks, 'Other'))).toEqual({ new: 1, learning: 0, review: 0, cards: 1 });
    // With Other out of the way, the top deck's counts are Today's.
    await t.client.api['decks.delete']({ deckId: byName(decks, 'Other').id });
    const today = await t.client.api['review.today']({});
    const top = byName(await t.client.api['decks.list']({}), 'Lang');
    expect({ new: top.new, learning: top.learning, review: top.review }).toEqual(today.counts);
  });

  it('studies a subtree: the deck and its subdecks, nothing else, in Today’s order', async () => {
    t = openTestServices(dir.dir, now, { newPerDay: 20 });
    const { korean } = seed(t);
    const seen: string[] = [];
    const first = await t.client.api['review.next']({ deckId: korean });
    expect(first?.counts).toEqual({ learning: 0, review: 2, new: 3 });
    for (let card = first; card; card = await t.client.api['review.next']({ deckId: korean })) {
      seen.push(card.front);
      await t.client.api['review.answer']({ cardId: card.cardId, rating: 4, durationMs: 1000 });
      expect(seen.length).toBeLessThan(10);
    }
    expect(seen).toEqual(['korean review 1', 'korean review 2', 'verb 0', 'verb 1', 'verb 2']);
    // The parent still has its own learning card and Other its new one.
    expect((await t.client.api['review.next']({}))?.front).toBe('lang learning');
  });

  it('makes the parents a nested name lacks, and an old file’s missing parents (migration 009)', async () => {
    const file = join(dir.dir, 'proofdeck.sqlite');
    openDatabase(file, { migrations: migrations.filter((m) => m.version <= 7) }).close();
    const old = new Database(file);
    old.prepare(`INSERT INTO decks (name, created, modified) VALUES ('Vocab::Chinese::HSK 1', 0, 0), ('Vocab::Chinese::HSK 2', 0, 0), ('Solo', 0, 0)`).run();
    old.close();
    t = openTestServices(dir.dir, now);
    expect(deckNames(t)).toEqual(['Solo', 'Vocab', 'Vocab::Chinese', 'Vocab::Chinese::HSK 1', 'Vocab::Chinese::HSK 2']);
    await t.client.api['decks.create']({ name: ' Exam :: Part A :: Listening ' });
    expect(deckNames(t)).toEqual(expect.arrayContaining(['Exam', 'Exam::Part A', 'Exam::Part A::Listening']));
    // A parent spelled in another case is the existing one, as in Anki.
    const made = await t.client.api['decks.create']({ name: 'vocab::Japanese' });
    expect(made.name).toBe('Vocab::Japanese');
  });
});

describe('imports into a nested deck', () => {
  it('makes its missing parents in the import’s operation: one undo takes them all back', async () => {
    t = openTestServices(dir.dir, now);
    const file = new TextEncoder().encode('---\ntitle: Vocab::Chinese::HSK 1\n---\n\n## Q. 你好? {#nihao}\n\nA. Hello.\n');
    importDeckFile(t.services.db!, file, { fileName: 'hsk.md', now });
    expect(deckNames(t)).toEqual(['Vocab', 'Vocab::Chinese', 'Vocab::Chinese::HSK 1']);
    const top = byName(await t.client.api['decks.list']({}), 'Vocab');
    expect(counts(top)).toEqual({ new: 1, learning: 0, review: 0, cards: 1 });
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'import', name: 'Vocab::Chinese::HSK 1' });
    expect(deckNames(t)).toEqual([]);
  });
});

describe('deck operations', () => {
  it('create, rename, move and delete, each undone and redone several levels deep across restarts', async () => {
    t = openTestServices(dir.dir, now);
    const { korean, other } = seed(t);
    const { api } = t.client;
    const states = [contents(t)];
    const created = await api['decks.create']({ name: 'Lang::Japanese' });
    states.push(contents(t));
    await api['decks.rename']({ deckId: korean, name: 'Korean' });
    expect(deckNames(t)).toEqual(['Korean', 'Korean::Verbs', 'Lang', 'Lang::Japanese', 'Other']);
    states.push(contents(t));
    await api['decks.move']({ deckId: korean, parentId: other });
    expect(deckNames(t)).toEqual(['Lang', 'Lang::Japanese', 'Other', 'Other::Korean', 'Other::Korean::Verbs']);
    states.push(contents(t));
    // A rename that moves: `Lang::Japanese` → `Other::Korean::Japanese`.
    await api['decks.rename']({ deckId: created.deckId, name: 'Other::Korean::Japanese' });
    states.push(contents(t));
    const removed = await api['decks.delete']({ deckId: other });
    expect(removed).toEqual({ name: 'Other', decks: 4, notes: 6, cards: 6 });
    expect(deckNames(t)).toEqual(['Lang']);
    expect(t.services.db!.prepare('SELECT COUNT(*) FROM cards').pluck().get()).toBe(1);
    states.push(contents(t));

    const expected = [
      { kind: 'delete-deck', name: 'Other', count: 6 },
      { kind: 'rename-deck', name: 'Other::Korean::Japanese' },
      { kind: 'move-deck', name: 'Other::Korean' },
      { kind: 'rename-deck', name: 'Korean' },
      { kind: 'create-deck', name: 'Lang::Japanese' },
    ];
    for (let i = 0; i < expected.length; i++) {
      if (i % 2 === 1) t = t.reopen();
      const { step } = await t.client.api['undo.undo']({});
      expect(step).toMatchObject(expected[i]);
      expect(contents(t)).toBe(states[states.length - 2 - i]);
    }
    expect((await rejection(t.client.api['undo.undo']({}))).code).toBe('nothing-to-undo');
    for (let i = 0; i < expected.length; i++) {
      if (i % 2 === 0) t = t.reopen();
      const { step } = await t.client.api['undo.redo']({});
      expect(step.kind).toBe(expected[expected.length - 1 - i].kind);
      expect(contents(t)).toBe(states[i + 1]);
    }
  });

  it('refuses bad input with its own error and changes nothing', async () => {
    t = openTestServices(dir.dir, now);
    const { lang, korean, verbs, other } = seed(t);
    const { api } = t.client;
    await api['decks.create']({ name: 'Spare' });
    const before = contents(t);
    const undoBefore = await api['undo.state']({});
    const refused: [Promise<unknown>, string][] = [
      [api['decks.create']({ name: '' }), 'deck-name-invalid'],
      [api['decks.create']({ name: '   ' }), 'deck-name-invalid'],
      [api['decks.create']({ name: 'Lang::' }), 'deck-name-invalid'],
      [api['decks.create']({ name: 'A:: ::B' }), 'deck-name-invalid'],
      [api['decks.create']({ name: 'x'.repeat(201) }), 'deck-name-invalid'],
      [api['decks.create']({ name: 'lang::korean' }), 'deck-exists'],
      [api['decks.rename']({ deckId: other, name: 'SPARE' }), 'deck-exists'],
      [api['decks.rename']({ deckId: lang, name: '' }), 'deck-name-invalid'],
      [api['decks.rename']({ deckId: verbs, name: 'Spare' }), 'deck-exists'],
      [api['decks.rename']({ deckId: lang, name: 'Lang::Korean::Lang' }), 'deck-into-itself'],
      [api['decks.move']({ deckId: lang, parentId: verbs }), 'deck-into-itself'],
      [api['decks.move']({ deckId: korean, parentId: korean }), 'deck-into-itself'],
      [api['decks.move']({ deckId: korean, parentId: 999 }), 'not-found'],
      [api['decks.delete']({ deckId: 999 }), 'not-found'],
      [api['decks.create']({ name: 7 } as never), 'invalid-args'],
    ];
    for (const [call, code] of refused) expect((await rejection(call)).code).toBe(code);
    expect(contents(t)).toBe(before);
    expect(await api['undo.state']({})).toEqual(undoBefore);
    const error = await rejection(api['decks.move']({ deckId: lang, parentId: verbs }));
    expect(error.params).toEqual({ name: 'Lang', parent: 'Lang::Korean::Verbs' });
  });

  it('a built-in deck the user deleted is not loaded again; undoing the delete brings it back', async () => {
    const options = { resourcesDir: join(process.cwd(), 'resources') };
    t = openTestServices(dir.dir, now, {}, options);
    const builtIn = (await t.client.api['decks.list']({})).filter((d) => d.builtIn);
    expect(builtIn.length).toBeGreaterThan(0);
    const [first] = builtIn;
    const removed = await t.client.api['decks.delete']({ deckId: first.id });
    expect(removed.cards).toBe(first.cards);
    t = t.reopen();
    expect((await t.client.api['decks.list']({})).map((d) => d.name)).not.toContain(first.name);
    // The restart did not write behind the history's back: the delete is still there to undo.
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'delete-deck', name: first.name, count: first.cards });
    t = t.reopen();
    expect(byName(await t.client.api['decks.list']({}), first.name).cards).toBe(first.cards);
  });
});
