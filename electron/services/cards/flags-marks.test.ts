import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';
import { openDatabase } from '../store/database';
import { migrations } from '../store/migrations';

let dir: { dir: string; remove(): void };
let t: TestServices;
beforeEach(() => {
  dir = temporaryDir('proofdeck-flags-');
});
afterEach(() => {
  t?.services.close();
  dir.remove();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

const flagsOf = (s: TestServices) => s.services.db!.prepare('SELECT id, flags FROM cards ORDER BY id').all() as { id: number; flags: number }[];
const search = async (s: TestServices, query: string) => (await s.client.api['cards.search']({ query, sort: 'created' })).rows.map((r) => r.cardId);

describe('flags', () => {
  it('are set, searched with flag:N, shown on the card, and undone and redone as "flag", across a restart', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const db = t.services.db!;
    const deckId = addDeck(db, 'Mine');
    const [a, b, c] = [addCard(db, { deckId }), addCard(db, { deckId }), addCard(db, { deckId })];
    const { api } = t.client;
    expect(await api['cards.flag']({ cardIds: [a], flag: 1 })).toEqual({ affected: 1 });
    expect(await api['cards.bulk']({ cardIds: [b, c], change: { action: 'flag', flag: 4 } })).toEqual({ affected: 2 });
    expect(flagsOf(t).map((r) => r.flags)).toEqual([1, 4, 4]);
    expect(await search(t, 'flag:1')).toEqual([a]);
    expect(await search(t, 'flag:4')).toEqual([b, c]);
    expect(await search(t, '-flag:4')).toEqual([a]);
    expect(await search(t, 'flag:0')).toEqual([]);
    expect((await api['review.next']({ cardId: a }))?.flag).toBe(1);
    expect((await api['cards.search']({ query: 'flag:1' })).rows[0].flag).toBe(1);
    // Sorted by flag: none first, then red … purple.
    await api['cards.flag']({ cardIds: [c], flag: 0 });
    expect((await api['cards.search']({ query: '', sort: 'flag' })).rows.map((r) => r.cardId)).toEqual([c, a, b]);

    expect((await api['undo.state']({})).undo).toMatchObject({ kind: 'flag', count: 1, cardId: c });
    t = t.reopen();
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'flag', count: 1 });
    expect(flagsOf(t).map((r) => r.flags)).toEqual([1, 4, 4]);
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'flag', count: 2 });
    expect(flagsOf(t).map((r) => r.flags)).toEqual([1, 0, 0]);
    await t.client.api['undo.undo']({});
    expect(flagsOf(t).map((r) => r.flags)).toEqual([0, 0, 0]);
    expect((await t.client.api['undo.redo']({})).step).toMatchObject({ kind: 'flag', count: 1, cardId: a });
    expect(flagsOf(t).map((r) => r.flags)).toEqual([1, 0, 0]);
  });

  it('the same flag again changes nothing and is not an operation; a bad flag or card changes nothing', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const db = t.services.db!;
    const a = addCard(db, { deckId: addDeck(db) });
    const { api } = t.client;
    await api['cards.flag']({ cardIds: [a], flag: 2 });
    expect(await api['cards.flag']({ cardIds: [a], flag: 2 })).toEqual({ affected: 0 });
    await api['undo.undo']({});
    expect((await api['undo.state']({})).undo).toBeNull();
    expect((await rejection(api['cards.flag']({ cardIds: [a], flag: 8 }))).code).toBe('invalid-args');
    expect((await rejection(api['cards.flag']({ cardIds: [a, 999], flag: 3 }))).code).toBe('not-found');
    expect((await rejection(api['cards.search']({ query: 'flag:9' }))).code).toBe('invalid-args');
    expect(flagsOf(t)).toEqual([{ id: a, flags: 0 }]);
    expect((await api['undo.state']({})).undo).toBeNull();
  });
});

describe('marked notes', () => {
  it('toggle Anki’s `marked` tag, are found by tag:marked, shown on the card, and undone as mark and unmark', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const db = t.services.db!;
    const deckId = addDeck(db);
    const [a, b] = [addCard(db, { deckId, tags: 'exam' }), addCard(db, { deckId, tags: 'Marked other' })];
    const noteOf = (cardId: number) => db.prepare('SELECT note_id FROM cards WHERE id = ?').pluck().get(cardId) as number;
    const tagsOf = (cardId: number) => db.prepare('SELECT tags FROM notes WHERE id = ?').pluck().get(noteOf(cardId));
    const { api } = t.client;
    // Anki compares the tag case-insensitively: a note tagged "Marked" is marked.
    expect((await api['review.next']({ cardId: b }))?.marked).toBe(true);
    expect((await api['review.next']({ cardId: a }))?.marked).toBe(false);
    expect(await api['notes.mark']({ noteId: noteOf(a), marked: true })).toEqual({ marked: true });
    expect(tagsOf(a)).toBe('exam marked');
    expect((await api['review.next']({ cardId: a }))?.marked).toBe(true);
    expect(await search(t, 'tag:marked')).toEqual([a, b]);
    await api['notes.mark']({ noteId: noteOf(b), marked: false });
    expect(tagsOf(b)).toBe('other');
    expect(await search(t, 'tag:marked')).toEqual([a]);

    expect((await api['undo.undo']({})).step).toMatchObject({ kind: 'unmark', count: 1 });
    expect(tagsOf(b)).toBe('Marked other');
    expect((await api['undo.undo']({})).step).toMatchObject({ kind: 'mark', count: 1 });
    expect(tagsOf(a)).toBe('exam');
    await api['undo.redo']({});
    expect(tagsOf(a)).toBe('exam marked');
    expect((await rejection(api['notes.mark']({ noteId: 999, marked: true }))).code).toBe('not-found');
  });
});

describe('migration 010', () => {
  it('gives every card of a file at version 7 no flag', async () => {
    const file = join(dir.dir, 'proofdeck.sqlite');
    openDatabase(file, { migrations: migrations.filter((m) => m.version <= 7) }).close();
    const old = new Database(file);
    old.prepare(`INSERT INTO decks (id, name, created, modified) VALUES (1, 'Old', 0, 0)`).run();
    old.prepare(`INSERT INTO notes (id, guid, deck_id, front, back, created, modified) VALUES (1, 'g', 1, 'Q', 'A', 0, 0)`).run();
    old.prepare(`INSERT INTO cards (id, note_id, due, state, reps, new_position) VALUES (1, 1, 0, 2, 1, 1)`).run();
    old.close();
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    expect(flagsOf(t)).toEqual([{ id: 1, flags: 0 }]);
    expect((await t.client.api['review.next']({ cardId: 1 }))?.flag).toBe(0);
    // The column refuses what is not a flag.
    expect(() => t.services.db!.prepare('UPDATE cards SET flags = 8').run()).toThrow(/CHECK/);
  });
});
