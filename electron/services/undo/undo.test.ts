import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { addCard, addDeck, temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul, type TestServices } from '../../testing/services';
import { importDeckFile } from '../decks/exchange';
import { openDatabase } from '../store/database';
import { migrations } from '../store/migrations';
import { undoDepth } from '../store/undo';

let dir: { dir: string; remove(): void };
let t: TestServices;
beforeEach(() => {
  dir = temporaryDir('proofdeck-undo-');
});
afterEach(() => {
  t?.services.close();
  dir.remove();
});

/** Every row a user's data lives in (and the derived tables an undo must keep in step). */
function contents(s: TestServices): string {
  const db = s.services.db!;
  return JSON.stringify(
    ['decks', 'notes', 'cards', 'revlog', 'deleted_builtin_notes'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()),
  ) + JSON.stringify(
    // A quarter hour whose answers were all taken back keeps its row, at zero.
    db.prepare('SELECT * FROM revlog_buckets WHERE reviews > 0 ORDER BY 1').all(),
  );
}
const textMatches = (s: TestServices, text: string) => s.services.db!.prepare(`SELECT rowid FROM notes_text WHERE notes_text MATCH ?`).pluck().all(`"${text}"`);
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe('one undo for every operation', () => {
  it('takes back bury, suspend, answer, edit, move, tag and delete one at a time, redoes them, across restarts', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const db = t.services.db!;
    const deckId = addDeck(db, 'Mine');
    const other = addDeck(db, 'Other');
    const [a, b, c] = [addCard(db, { deckId, front: 'alpha card' }), addCard(db, { deckId, front: 'beta card' }), addCard(db, { deckId, front: 'gamma card' })];
    const noteOf = (cardId: number) => db.prepare('SELECT note_id FROM cards WHERE id = ?').pluck().get(cardId) as number;
    const noteA = noteOf(a);
    const states = [contents(t)];
    const { api } = t.client;
    await api['review.bury']({ cardId: a });
    states.push(contents(t));
    await api['review.suspend']({ cardId: b, suspended: true });
    states.push(contents(t));
    await api['review.answer']({ cardId: c, rating: 3, durationMs: 900 });
    states.push(contents(t));
    const note = await api['notes.get']({ noteId: noteA });
    await api['notes.save']({ noteId: noteA, deckId: note.deckId, front: 'alpha card, edited', back: note.back, context: note.context, tags: note.tags, experimentId: null, experimentParams: null });
    states.push(contents(t));
    await api['cards.bulk']({ cardIds: [a, b], change: { action: 'move', deckId: other } });
    states.push(contents(t));
    await api['cards.bulk']({ cardIds: [a, c], change: { action: 'tag', tag: 'exam' } });
    states.push(contents(t));
    await api['cards.bulk']({ cardIds: [a, b, c], change: { action: 'delete' } });
    states.push(contents(t));
    expect(db.prepare('SELECT COUNT(*) FROM cards').pluck().get()).toBe(0);

    const names = ['delete', 'tag', 'move', 'edit-note', 'answer', 'suspend', 'bury'];
    expect((await api['undo.state']({})).undo).toMatchObject({ kind: 'delete', count: 3 });
    for (let i = 0; i < names.length; i++) {
      // A restart between steps: the history lives in the database.
      if (i % 3 === 1) t = t.reopen();
      const { step, state } = await t.client.api['undo.undo']({});
      expect(step.kind).toBe(names[i]);
      expect(state.redo?.kind).toBe(names[i]);
      expect(contents(t)).toBe(states[states.length - 2 - i]);
    }
    expect(step(await t.client.api['undo.state']({}))).toEqual({ undo: null, redo: 'bury' });
    expect((await rejection(t.client.api['undo.undo']({}))).code).toBe('nothing-to-undo');
    expect(textMatches(t, 'alpha card, edited')).toEqual([]);
    expect(textMatches(t, 'alpha card')).toEqual([noteA]);

    for (let i = 0; i < names.length; i++) {
      if (i % 3 === 2) t = t.reopen();
      const { step: redone } = await t.client.api['undo.redo']({});
      expect(redone.kind).toBe(names[names.length - 1 - i]);
      expect(contents(t)).toBe(states[i + 1]);
    }
    expect((await rejection(t.client.api['undo.redo']({}))).code).toBe('nothing-to-redo');
    // Each operation names itself.
    const { step: moved } = await t.client.api['undo.undo']({}).then(() => t.client.api['undo.undo']({})).then(() => t.client.api['undo.undo']({}));
    expect(moved).toMatchObject({ kind: 'move', count: 2, name: 'Other' });
  });

  it('a new operation ends redo; writes behind the services’ back end the history', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const db = t.services.db!;
    const deckId = addDeck(db);
    const [a, b] = [addCard(db, { deckId }), addCard(db, { deckId })];
    const { api } = t.client;
    await api['review.bury']({ cardId: a });
    await api['undo.undo']({});
    await api['review.bury']({ cardId: b });
    expect(step(await api['undo.state']({}))).toEqual({ undo: 'bury', redo: null });
    // A write that is not an operation of the history (a tool, the built-in decks' update):
    // the images could no longer be put back safely, so the history ends there.
    db.prepare('UPDATE cards SET reps = 7 WHERE id = ?').run(a);
    expect(step(await api['undo.state']({}))).toEqual({ undo: null, redo: null });
  });

  it('takes back an import (added notes, updated ones, the deck it made) and does it again', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const db = t.services.db!;
    const deck = (answer: string) => new TextEncoder().encode(`---\ntitle: Imported\n---\n\n## Q. One? {#one}\n\nA. ${answer}\n\n## Q. Two? {#two}\n\nA. 2\n`);
    const empty = contents(t);
    const first = importDeckFile(db, deck('1'), { fileName: 'imported.md', now: seoul(2026, 3, 10, 9) }).result;
    expect(first).toMatchObject({ added: 2 });
    const imported = contents(t);
    importDeckFile(db, deck('1, fixed'), { fileName: 'imported.md', now: seoul(2026, 3, 10, 10) });
    const updated = contents(t);
    expect((await t.client.api['undo.state']({})).undo).toMatchObject({ kind: 'import', count: 1, name: 'Imported' });

    t = t.reopen();
    await t.client.api['undo.undo']({});
    expect(contents(t)).toBe(imported);
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'import', count: 2, name: 'Imported' });
    expect(contents(t)).toBe(empty);
    await t.client.api['undo.redo']({});
    expect(contents(t)).toBe(imported);
    await t.client.api['undo.redo']({});
    expect(contents(t)).toBe(updated);
  });

  it(`keeps the last ${undoDepth} operations`, async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    const deckId = addDeck(t.services.db!);
    const card = addCard(t.services.db!, { deckId });
    for (let i = 0; i < undoDepth + 5; i++) await t.client.api['review.suspend']({ cardId: card, suspended: i % 2 === 0 });
    let undone = 0;
    while ((await t.client.api['undo.state']({})).undo) {
      await t.client.api['undo.undo']({});
      undone++;
    }
    expect(undone).toBe(undoDepth);
  });

  it('records no step for a note saved without an edit', async () => {
    const now = seoul(2026, 3, 10, 9);
    t = openTestServices(dir.dir, now);
    const db = t.services.db!;
    const cardId = addCard(db, { deckId: addDeck(db, 'Mine'), front: 'alpha card' });
    const { api } = t.client;
    await api['review.bury']({ cardId });
    const noteId = db.prepare('SELECT note_id FROM cards WHERE id = ?').pluck().get(cardId) as number;
    const note = await api['notes.get']({ noteId });
    const save = (front: string) => api['notes.save']({ noteId, deckId: note.deckId, front, back: note.back, context: note.context, tags: note.tags, experimentId: note.experimentId, experimentParams: note.experimentParams });
    await save(note.front);
    // Undo still takes back the bury: the save changed nothing.
    expect(step(await api['undo.state']({})).undo).toBe('bury');
    await save('alpha card, edited');
    expect(step(await api['undo.state']({})).undo).toBe('edit-note');
  });

  it('refuses an unknown card without recording anything', async () => {
    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    expect((await rejection(t.client.api['review.bury']({ cardId: 999 }))).code).toBe('not-found');
    expect(step(await t.client.api['undo.state']({}))).toEqual({ undo: null, redo: null });
  });
});

describe('migration 006', () => {
  it('turns the answers the review log could undo into the first operations of the history', async () => {
    const file = join(dir.dir, 'proofdeck.sqlite');
    openDatabase(file, { migrations: migrations.slice(0, 5) }).close();
    const old = new Database(file);
    old.prepare(`INSERT INTO decks (id, name, created, modified) VALUES (1, 'Old', 0, 0)`).run();
    old.prepare(`INSERT INTO notes (id, guid, deck_id, front, back, created, modified) VALUES (1, 'g', 1, 'Q', 'A', 0, 0)`).run();
    old.prepare(`INSERT INTO cards (id, note_id, due, state, reps, new_position) VALUES (1, 1, 0, 2, 1, 1)`).run();
    const card = old.prepare('SELECT * FROM cards WHERE id = 1').get();
    const answer = (id: number, prev: unknown) =>
      old
        .prepare(
          `INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms, prev_card)
           VALUES (?, 1, 3, 2, 0, 1, 5, 1, 0, 1, 0, 1000, ?)`,
        )
        .run(id, prev === null ? null : JSON.stringify(prev));
    answer(1_000, null); // imported history: nothing before it could be undone
    answer(2_000, card);
    old.prepare('UPDATE cards SET reps = 2, due = 99 WHERE id = 1').run();
    old.close();

    t = openTestServices(dir.dir, seoul(2026, 3, 10, 9));
    expect(step(await t.client.api['undo.state']({}))).toEqual({ undo: 'answer', redo: null });
    expect((await t.client.api['undo.undo']({})).step).toMatchObject({ kind: 'answer', rating: 3 });
    // The card as it was, with the flag column a later migration (010) gave it.
    expect(t.services.db!.prepare('SELECT * FROM cards WHERE id = 1').get()).toEqual({ ...(card as object), flags: 0 });
    expect(t.services.db!.prepare('SELECT id FROM revlog').pluck().all()).toEqual([1_000]);
    expect((await rejection(t.client.api['undo.undo']({}))).code).toBe('nothing-to-undo');
  });
});

/** What undo and redo would do, by kind. */
function step(state: { undo: { kind: string } | null; redo: { kind: string } | null }) {
  return { undo: state.undo?.kind ?? null, redo: state.redo?.kind ?? null };
}
