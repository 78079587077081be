import { describe, expect, it } from 'vitest';
import { applyImport, planImport } from '../../../electron/services/decks/merge';
import type { ExchangeNote, ParsedImport } from '../../../electron/services/decks/types';
import { freshDatabase, snapshot } from './support';

const note = (guid: string, front: string, back = 'answer'): ExchangeNote => ({
  guid, front, back, context: '', language: 'en', translations: null, tags: ['t'], experimentId: null, experimentParams: null, fields: null,
});
const file = (notes: ExchangeNote[]): ParsedImport => ({ format: 'proofdeck', deckName: 'Group deck', description: '', notes, media: [], warnings: [], hasSchedule: false });

describe('import merge', () => {
  it('adds, updates in place (keeping scheduling and history), leaves unchanged, and reports conflicts', () => {
    const db = freshDatabase();
    applyImport(db, file([note('a', 'A1'), note('b', 'B1'), note('c', 'C1')]), { default: 'keep-mine' });
    // the user studies card a and edits note c
    const cardA = db.prepare("SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'a'").pluck().get() as number;
    db.prepare('UPDATE cards SET state = 2, reps = 4, stability = 9 WHERE id = ?').run(cardA);
    db.prepare("INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms) VALUES (1, ?, 3, 2, 0, 9, 5, 0, 0, 9, 0, 1000)").run(cardA);
    db.prepare("UPDATE notes SET front = 'C mine' WHERE guid = 'c'").run();
    // the author's next version: a changed, b unchanged, c changed, d new
    const next = file([note('a', 'A2'), note('b', 'B1'), note('c', 'C2'), note('d', 'D1')]);
    const before = snapshot(db);
    const plan = planImport(db, next);
    expect(plan.counts).toEqual({ added: 1, cardsAdded: 1, updated: 1, unchanged: 1, conflicts: 1, cardsRemoved: 0 });
    expect(plan.conflicts).toEqual([{ guid: 'c', localFront: 'C mine', localBack: 'answer', incomingFront: 'C2', incomingBack: 'answer' }]);
    expect(snapshot(db)).toEqual(before); // preview writes nothing

    const result = applyImport(db, next, { default: 'keep-mine' });
    expect(result).toMatchObject({ added: 1, updated: 1, unchanged: 1, conflictsKept: 1, conflictsTaken: 0 });
    expect(db.prepare("SELECT front FROM notes WHERE guid = 'a'").pluck().get()).toBe('A2');
    expect(db.prepare("SELECT front FROM notes WHERE guid = 'c'").pluck().get()).toBe('C mine');
    expect(db.prepare('SELECT state, reps, stability FROM cards WHERE id = ?').get(cardA)).toEqual({ state: 2, reps: 4, stability: 9 });
    expect(db.prepare('SELECT COUNT(*) FROM revlog WHERE card_id = ?').pluck().get(cardA)).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM notes').pluck().get()).toBe(4);

    // importing the same file again: c is still a conflict (both changed); everything else unchanged
    expect(planImport(db, next).counts).toEqual({ added: 0, cardsAdded: 0, updated: 0, unchanged: 3, conflicts: 1, cardsRemoved: 0 });
    // the user now takes theirs for c
    expect(applyImport(db, next, { default: 'keep-mine', takeTheirs: ['c'] })).toMatchObject({ conflictsTaken: 1 });
    expect(db.prepare("SELECT front FROM notes WHERE guid = 'c'").pluck().get()).toBe('C2');
    expect(planImport(db, next).counts).toEqual({ added: 0, cardsAdded: 0, updated: 0, unchanged: 4, conflicts: 0, cardsRemoved: 0 });
  });

  it('a local edit survives a re-import of the file it came from', () => {
    const db = freshDatabase();
    const original = file([note('a', 'A1')]);
    applyImport(db, original, { default: 'keep-mine' });
    db.prepare("UPDATE notes SET back = 'my better answer' WHERE guid = 'a'").run();
    expect(planImport(db, original).counts).toMatchObject({ unchanged: 1, conflicts: 0 });
    applyImport(db, original, { default: 'take-theirs' });
    expect(db.prepare("SELECT back FROM notes WHERE guid = 'a'").pluck().get()).toBe('my better answer');
  });

  it('is all or nothing: a failure half-way leaves the database as it was', () => {
    const db = freshDatabase();
    applyImport(db, file([note('a', 'A1')]), { default: 'keep-mine' });
    const before = snapshot(db);
    db.exec("CREATE TRIGGER fail_on_x BEFORE INSERT ON notes WHEN new.guid = 'x' BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(() => applyImport(db, file([note('a', 'A2'), note('n1', 'N1'), note('x', 'X')]), { default: 'keep-mine' })).toThrow(/disk full/);
    db.exec('DROP TRIGGER fail_on_x');
    expect(snapshot(db)).toEqual(before);
  });
});
