import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database';
import { temporaryDir } from '../../testing/fixtures';
import { openTestServices, seoul } from '../../testing/services';
import { applyImport, mergeIntoDeck, planImport } from './merge';
import { exchangeNote, markdownImport } from './markdown/import';
import { storesFor } from '../store/stores';
import { builtinDecksUpToDate, readBuiltinDecks, syncBuiltinDecks, type BuiltinSyncReport } from './builtin';
import { readMarkdownFile } from './markdown/folder';

const repoResources = join(__dirname, '../../../resources');
const seedPath = join(__dirname, '../../../../shared/seeds/000_67e3304794e832ae.txt');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function scratch(): string {
  const { dir, remove } = temporaryDir('proofdeck-builtin-');
  cleanups.push(remove);
  return dir;
}

function database(): Database.Database {
  const db = openDatabase(join(scratch(), 'proofdeck.sqlite'));
  cleanups.unshift(() => db.close());
  return db;
}

/** Every row a user's data lives in, to prove a call wrote nothing. */
function contents(db: Database.Database): string {
  return JSON.stringify(['decks', 'notes', 'cards', 'revlog'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()));
}

const shipped = readBuiltinDecks(repoResources);
const kvFlash = shipped.find((deck) => deck.meta.key === 'kv-flash')!;
const noteCount = kvFlash.notes.length;
const kvFlashVersion = kvFlash.meta.version!;
/** Notes of the kv-flash deck only: the other built-in decks load beside it. */
const kvFlashNotes = "SELECT COUNT(*) FROM notes WHERE guid LIKE 'kv-flash:%'";

describe('built-in decks on first launch', () => {
  it('loads every built-in deck, kv-flash first: one note and one new card per question, due now, in file order', () => {
    const db = database();
    const now = Date.UTC(2026, 0, 5, 9);
    const reports = syncBuiltinDecks(db, repoResources, { now });
    expect(reports.map((report) => report.key)).toEqual(['kv-flash', 'llm-serving']);
    expect(reports[0]).toMatchObject({ key: 'kv-flash', version: kvFlashVersion, previousVersion: null, action: 'created', added: noteCount, updated: 0, conflicts: 0 });
    expect(reports[1]).toMatchObject({ key: 'llm-serving', previousVersion: null, action: 'created', added: shipped[1].notes.length, updated: 0, conflicts: 0 });

    const decks = db.prepare('SELECT * FROM decks ORDER BY id').all() as { name: string; builtin_key: string; builtin_version: number }[];
    expect(decks).toMatchObject([
      { name: 'KV-cache & Flash-Attention', builtin_key: 'kv-flash', builtin_version: kvFlashVersion },
      { name: 'LLM Inference: Serving & Attention', builtin_key: 'llm-serving', builtin_version: shipped[1].meta.version },
    ]);
    const cards = db
      .prepare('SELECT n.guid, n.translations, n.experiment_id, c.state, c.due, c.new_position FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY c.new_position')
      .all() as { guid: string; translations: string; experiment_id: string; state: number; due: number }[];
    expect(cards).toHaveLength(shipped.reduce((sum, deck) => sum + deck.notes.length, 0));
    expect(cards.filter((card) => card.guid.startsWith('kv-flash:'))).toHaveLength(noteCount);
    // The first deck's cards come first, so a new user starts where the study note starts.
    expect(cards.slice(0, noteCount).every((card) => card.guid.startsWith('kv-flash:'))).toBe(true);
    expect(cards.slice(0, 3).map((card) => card.guid)).toEqual(['kv-flash:kv-cache-removes', 'kv-flash:kv-cache-cost-per-step', 'kv-flash:prefill-vs-decode']);
    for (const card of cards) {
      expect(card).toMatchObject({ state: 0, due: now });
      expect(JSON.parse(card.translations).en.front).toBeTruthy();
      expect(card.experiment_id).toBeTruthy();
    }
  });

  it('is idempotent: a second launch writes nothing, and re-applying the same notes changes nothing', () => {
    const db = database();
    syncBuiltinDecks(db, repoResources, { now: 1000 });
    const before = contents(db);
    const [again] = syncBuiltinDecks(db, repoResources, { now: 2000 });
    expect(again).toMatchObject({ action: 'skipped', added: 0, updated: 0 });
    expect(contents(db)).toBe(before);

    const [deck] = readBuiltinDecks(repoResources);
    const deckId = (db.prepare("SELECT id FROM decks WHERE builtin_key = 'kv-flash'").get() as { id: number }).id;
    const store = storesFor(db);
    const forced = store.transaction(() => mergeIntoDeck(store, deckId, markdownImport(deck), { default: 'keep-mine' }, 3000));
    expect(forced).toMatchObject({ added: 0, updated: 0, conflictsKept: 0, unchanged: noteCount });
    expect(contents(db)).toBe(before);
  });

  it('gives the built-in deck another name when a deck of the user already has its title', () => {
    const db = database();
    db.prepare("INSERT INTO decks (name, created, modified) VALUES ('KV-cache & Flash-Attention', 0, 0)").run();
    syncBuiltinDecks(db, repoResources, { now: 1 });
    expect(db.prepare('SELECT name FROM decks WHERE builtin_key = ?').pluck().get('kv-flash')).toBe('KV-cache & Flash-Attention (kv-flash)');
  });
});

describe('a later version of a built-in deck', () => {
  /** resources/ with the shipped decks, then kv-flash rewritten as its next version by `edit`. */
  function resources(): { dir: string; rewrite(edit: (file: string, text: string) => string): void } {
    const dir = join(scratch(), 'resources');
    cpSync(repoResources, dir, { recursive: true });
    return {
      dir,
      rewrite(edit) {
        for (const file of ['ko.md', 'en.md']) {
          const path = join(dir, 'decks', 'kv-flash', file);
          writeFileSync(path, edit(file, readFileSync(path, 'utf8').replace(/^version: (\d+)$/m, (_line, version: string) => `version: ${Number(version) + 1}`)));
        }
      },
    };
  }

  it('is seen from the front matter alone: a start skips the full parse only while every deck is at its version', () => {
    const db = database();
    const shipped = resources();
    expect(builtinDecksUpToDate(db, shipped.dir)).toBe(false);
    syncBuiltinDecks(db, shipped.dir, { now: 1 });
    expect(builtinDecksUpToDate(db, shipped.dir)).toBe(true);
    shipped.rewrite((_file, text) => text);
    expect(builtinDecksUpToDate(db, shipped.dir)).toBe(false);
    syncBuiltinDecks(db, shipped.dir, { now: 2 });
    expect(builtinDecksUpToDate(db, shipped.dir)).toBe(true);
    // A deck the database has never seen (a new folder in a later app version) is not up to date.
    cpSync(join(shipped.dir, 'decks', 'kv-flash'), join(shipped.dir, 'decks', 'second'), { recursive: true });
    shipped.rewrite((_file, text) => text);
    for (const file of ['ko.md', 'en.md']) {
      const path = join(shipped.dir, 'decks', 'second', file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^deck: kv-flash$/m, 'deck: second'));
    }
    expect(builtinDecksUpToDate(db, shipped.dir)).toBe(false);
  });

  it('does not bring back a card the user deleted; undoing the delete brings it back for good', async () => {
    const data = scratch();
    const shipped = resources();
    const options = { onOpen: (ctx: { db: Database.Database; now(): number }) => void syncBuiltinDecks(ctx.db, shipped.dir, { now: ctx.now() }) };
    let app = openTestServices(data, seoul(2026, 3, 2, 9), {}, options);
    const guidCard = (guid: string) => app.services.db!.prepare('SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ?').pluck().get(guid) as number | undefined;
    const removed = guidCard('kv-flash:flash-exact')!;
    await app.client.api['cards.bulk']({ cardIds: [removed], change: { action: 'delete' } });
    expect(guidCard('kv-flash:flash-exact')).toBeUndefined();

    // v2 changes that very card and another one.
    shipped.rewrite((file, text) =>
      file === 'ko.md'
        ? text.replace('A. 아닙니다. Flash-Attention은 계산 순서와', 'A. (v2) 아닙니다. Flash-Attention은 계산 순서와').replace('매 디코딩 스텝마다 **앞부분', '(v2) 매 디코딩 스텝마다 **앞부분')
        : text,
    );
    app = app.reopen();
    const db = app.services.db!;
    expect(guidCard('kv-flash:flash-exact')).toBeUndefined();
    expect(db.prepare("SELECT back FROM notes WHERE guid = 'kv-flash:kv-cache-removes'").pluck().get()).toMatch(/\(v2\) 매 디코딩/);
    expect(db.prepare(kvFlashNotes).pluck().get()).toBe(noteCount - 1);

    // Changing one's mind in the same session: the undo restores the card and forgets the deletion.
    app.services.close();
    app = openTestServices(data, seoul(2026, 3, 2, 10), {}, options);
    const again = guidCard('kv-flash:kv-cache-removes')!;
    await app.client.api['cards.bulk']({ cardIds: [again], change: { action: 'delete' } });
    expect(app.services.db!.prepare('SELECT guid FROM deleted_builtin_notes ORDER BY guid').pluck().all()).toEqual(['kv-flash:flash-exact', 'kv-flash:kv-cache-removes']);
    await app.client.api['undo.undo']({});
    expect(guidCard('kv-flash:kv-cache-removes')).toBe(again);
    expect(app.services.db!.prepare('SELECT guid FROM deleted_builtin_notes').pluck().all()).toEqual(['kv-flash:flash-exact']);
    app.services.close();
  });

  it('updates fixed cards by id, adds new ones, keeps progress, history, local edits and removed cards', async () => {
    const data = scratch();
    const shipped = resources();
    const reports: BuiltinSyncReport[][] = [];
    const options = { onOpen: (ctx: { db: Database.Database; now(): number }) => reports.push(syncBuiltinDecks(ctx.db, shipped.dir, { now: ctx.now() })) };
    let app = openTestServices(data, seoul(2026, 3, 2, 9), {}, options);

    // The candidate reviews the first card (in English) and rewrites one answer in their own words.
    const card = await app.client.api['review.next']({ locale: 'en' });
    expect(card?.front).toBe('What exactly does the KV-cache stop the model from computing?');
    await app.client.api['review.answer']({ cardId: card!.cardId, rating: 3, durationMs: 4000 });
    const db0 = app.services.db!;
    const reviewed = db0.prepare('SELECT * FROM cards WHERE id = ?').get(card!.cardId);
    const history = db0.prepare('SELECT * FROM revlog WHERE card_id = ?').all(card!.cardId);
    expect(history).toHaveLength(1);
    db0.prepare("UPDATE notes SET back = 'In my own words: same result, no error at all.', modified = 1 WHERE guid = 'kv-flash:flash-exact'").run();

    // v2: a fixed answer, a fixed English translation, a changed card the user also edited,
    // one new card, one card gone.
    shipped.rewrite((file, text) => {
      let next = text;
      if (file === 'ko.md') {
        next = next.replace('매 디코딩 스텝마다 **앞부분', '(v2) 매 디코딩 스텝마다 **앞부분');
        next = next.replace('A. 아닙니다. Flash-Attention은 계산 순서와', 'A. (v2) 아닙니다. Flash-Attention은 계산 순서와');
        next += '\n## Q. PagedAttention은 무엇을 해결하나요? {#paged-attention}\n\nA. KV-Cache 메모리의 단편화와 과다 예약.\n\n```prove kv-cache-memory\n{}\n```\n';
      } else {
        next = next.replace('Each row carries a **running maximum', '(v2) Each row carries a **running maximum');
        next += '\n## Q. What does PagedAttention solve? {#paged-attention}\n\nA. Fragmentation and over-reservation of KV-cache memory.\n';
      }
      return next.replace(/\n## Q\. [^\n]*\{#when-each-helps\}[\s\S]*?(?=\n## Q\.)/, '\n');
    });
    app = app.reopen();

    const report = reports.at(-1)![0];
    expect(report).toMatchObject({ key: 'kv-flash', action: 'updated', previousVersion: kvFlashVersion, version: kvFlashVersion + 1, added: 1, updated: 2, conflicts: 1, kept: 1 });
    expect(report.unchanged).toBe(noteCount - 1 - 3);

    const db = app.services.db!;
    const note = (id: string) =>
      db.prepare('SELECT n.*, c.id AS card_id FROM notes n JOIN cards c ON c.note_id = n.id WHERE n.guid = ?').get(`kv-flash:${id}`) as
        | { back: string; translations: string; card_id: number }
        | undefined;
    // The fixed card shows the new text and keeps its schedule and history.
    expect(note('kv-cache-removes')!.back).toMatch(/^\(v2\) 매 디코딩 스텝마다/);
    expect(note('kv-cache-removes')!.card_id).toBe(card!.cardId);
    expect(db.prepare('SELECT * FROM cards WHERE id = ?').get(card!.cardId)).toEqual(reviewed);
    expect(db.prepare('SELECT * FROM revlog WHERE card_id = ?').all(card!.cardId)).toEqual(history);
    // A translation-only fix is an update too.
    expect(JSON.parse(note('online-softmax')!.translations).en.back).toMatch(/^\(v2\) Each row carries/);
    // The user's own answer is not overwritten.
    expect(note('flash-exact')!.back).toBe('In my own words: same result, no error at all.');
    // The new card arrives new, after every card already waiting; the removed one is still there.
    const added = db.prepare("SELECT c.* FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'kv-flash:paged-attention'").get() as { state: number; new_position: number };
    expect(added.state).toBe(0);
    expect(added.new_position).toBe((db.prepare('SELECT MAX(new_position) FROM cards').pluck().get() as number));
    expect(JSON.parse(note('paged-attention')!.translations).en.front).toBe('What does PagedAttention solve?');
    expect(note('when-each-helps')).toBeDefined();
    expect(db.prepare(kvFlashNotes).pluck().get()).toBe(noteCount + 1);
    expect(db.prepare("SELECT builtin_version FROM decks WHERE builtin_key = 'kv-flash'").pluck().get()).toBe(kvFlashVersion + 1);

    // Opening again (same v2) changes nothing.
    const settled = contents(db);
    app = app.reopen();
    expect(reports.at(-1)![0].action).toBe('skipped');
    expect(contents(app.services.db!)).toBe(settled);
    app.services.close();
  });

  it('brings the shipped kv-flash fixes to a copy installed from the version before: new links and sources, same cards', () => {
    const db = database();
    const older = resources();
    // The version before, as users have it: no source lines, prefill and GQA proved by the cache experiments.
    for (const file of ['ko.md', 'en.md']) {
      const path = join(older.dir, 'decks', 'kv-flash', file);
      const text = readFileSync(path, 'utf8')
        .replace(/^version: \d+$/m, `version: ${kvFlashVersion - 1}`)
        .replace(/\n\n(?:출처|Source): [^\n]*/g, '')
        .replace('```prove prefill-decode-batching\n{}', '```prove kv-cache-speed\n{}')
        .replace('```prove gqa-mqa\n{}', '```prove kv-cache-memory\n{"maxTokens": 1024, "heads": 8, "groupedKvHeads": 2}');
      writeFileSync(path, text);
    }
    syncBuiltinDecks(db, older.dir, { now: 1 });
    const cardOf = (id: string) =>
      db.prepare('SELECT c.id, n.experiment_id, n.back FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ?').get(`kv-flash:${id}`) as {
        id: number;
        experiment_id: string;
        back: string;
      };
    const before = cardOf('prefill-vs-decode');
    expect(before.experiment_id).toBe('kv-cache-speed');
    expect(before.back).not.toMatch(/출처: /);

    const [report] = syncBuiltinDecks(db, repoResources, { now: 2 });
    expect(report).toMatchObject({ key: 'kv-flash', action: 'updated', previousVersion: kvFlashVersion - 1, version: kvFlashVersion, added: 0, updated: noteCount, conflicts: 0 });
    const after = cardOf('prefill-vs-decode');
    expect(after.id).toBe(before.id);
    expect(after.experiment_id).toBe('prefill-decode-batching');
    expect(after.back).toMatch(/\n출처: Williams, Waterman, Patterson \(2009\)/);
    expect(cardOf('mha-gqa-mqa').experiment_id).toBe('gqa-mqa');
  });
});

describe('Markdown imports, through the same merge', () => {
  const seedImport = (deckName: string, notes = readMarkdownFile(seedPath).notes) => ({ ...markdownImport(readMarkdownFile(seedPath), deckName), notes: notes.map(exchangeNote) });

  it('previews without writing, then imports the seed; importing it again duplicates nothing', () => {
    const db = database();
    const empty = contents(db);
    const preview = planImport(db, seedImport('면접 노트'));
    expect(preview).toMatchObject({ deckExists: false, counts: { added: 4, updated: 0, unchanged: 0, conflicts: 0 } });
    expect(contents(db)).toBe(empty);

    const first = applyImport(db, seedImport('면접 노트'), { default: 'keep-mine' }, 10);
    expect(first).toMatchObject({ added: 4, unchanged: 0 });
    const second = applyImport(db, seedImport('면접 노트'), { default: 'keep-mine' }, 20);
    expect(second).toMatchObject({ added: 0, updated: 0, unchanged: 4, conflictsKept: 0 });
    expect(db.prepare('SELECT COUNT(*) FROM decks').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM notes').pluck().get()).toBe(4);
    expect(db.prepare('SELECT COUNT(*) FROM cards').pluck().get()).toBe(4);
  });

  it('reports a conflict when both sides changed, keeps the local edit, and takes the file when asked', () => {
    const db = database();
    const notes = readMarkdownFile(seedPath).notes;
    applyImport(db, seedImport('deck', notes), { default: 'keep-mine' }, 1);
    const guid = notes[2].guid;
    db.prepare("UPDATE notes SET back = 'local edit' WHERE guid = ?").run(guid);
    const incoming = notes.map((note) => (note.guid === guid ? { ...note, back: 'fixed upstream' } : note));

    const preview = planImport(db, seedImport('deck', incoming));
    expect(preview.counts).toMatchObject({ conflicts: 1, updated: 0, unchanged: 3 });
    expect(preview.conflicts).toEqual([{ guid, localFront: notes[2].front, localBack: 'local edit', incomingFront: notes[2].front, incomingBack: 'fixed upstream' }]);

    applyImport(db, seedImport('deck', incoming), { default: 'keep-mine' }, 2);
    expect(db.prepare('SELECT back FROM notes WHERE guid = ?').pluck().get(guid)).toBe('local edit');
    const taken = applyImport(db, seedImport('deck', incoming), { default: 'keep-mine', takeTheirs: [guid] }, 3);
    expect(taken).toMatchObject({ conflictsKept: 0, conflictsTaken: 1 });
    expect(db.prepare('SELECT back FROM notes WHERE guid = ?').pluck().get(guid)).toBe('fixed upstream');
    // Now in step with the file: the next import is quiet.
    expect(applyImport(db, seedImport('deck', incoming), { default: 'keep-mine' }, 4)).toMatchObject({ conflictsKept: 0, unchanged: 4 });
  });

  it('writes nothing when a note in the batch is bad', () => {
    const db = database();
    const notes = readMarkdownFile(seedPath).notes;
    const before = contents(db);
    expect(() => applyImport(db, seedImport('deck', [...notes, { ...notes[0] }]), { default: 'keep-mine' })).toThrow(/two notes share the id/);
    expect(contents(db)).toBe(before);
  });
});
